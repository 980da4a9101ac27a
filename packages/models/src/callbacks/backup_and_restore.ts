/**
 * BackupAndRestore (Keras): saves the model, its optimizer's state (step count, moments) and the epoch reached into
 * a directory at each epoch end (Node, atomic renames); when training starts again with a backup present, the
 * weights and the optimizer's state are restored (as Keras 3, whose weights file holds the optimizer's variables)
 * and training resumes after the last finished epoch, as if it had not stopped. The backup is deleted when training
 * finishes normally (unless `deleteCheckpoint` is false).
 */
import { checkArgKeys } from '@recurrent/layers';
import { Callback } from './callback';
import { loadLayersModel } from '../engine/model_load';
import { nodeFiles } from './node_files';
import type { Optimizer, OptimizerState } from '../optimizers/optimizer';
import { ValueError } from '@recurrent/core';

/** Args of `backupAndRestore` (Keras names, camelCase). */
export interface BackupAndRestoreArgs {
  /** 'epoch' (default) or a number of batches between backups. */
  saveFreq?: 'epoch' | number;
  /** Remove the backup when training ends normally (default true). */
  deleteCheckpoint?: boolean;
}

const STATE_FILE = 'training_state.json';
const OPTIMIZER_FILE = 'optimizer_state.json';

/** What a backup needs of the model beyond weights: its trainable weights' names and its optimizer (when compiled). */
interface ResumableModel {
  readonly trainableWeights?: { name: string }[];
  readonly optimizer?: Optimizer;
}

/** The model's optimizer, or null when it has none (not compiled, or a stand-in model). */
function optimizerOf(model: unknown): Optimizer | null {
  try {
    const opt = (model as ResumableModel | null)?.optimizer;
    return opt != null && typeof opt.getState === 'function' ? opt : null;
  } catch {
    return null;
  }
}

/** The names of the model's trainable weights, in order (how a saved optimizer state is matched to a new model). */
function trainableNames(model: unknown): string[] {
  return ((model as ResumableModel | null)?.trainableWeights ?? []).map((w) => w.name);
}

/**
 * Resumable training: `fitDataset` starts at `resumeEpoch` when a backup exists.
 *
 * ```js
 * const backup = callbacks.backupAndRestore('/tmp/run1');
 * await fitDataset(model, ds, {epochs: 50, callbacks: [backup]});   // re-run after a crash: continues
 * ```
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  /** The epoch to continue from (set in onTrainBegin when a backup was restored), else null. */
  resumeEpoch: number | null = null;
  private epoch = 0;
  private batches = 0;

  constructor(backupDir: string, args: BackupAndRestoreArgs = {}) {
    super();
    if (typeof backupDir !== 'string' || backupDir.length === 0)
      throw new ValueError(`backupAndRestore: backupDir must be a directory path, received ${String(backupDir)}.`);
    checkArgKeys('backupAndRestore', args ?? {}, ['saveFreq', 'deleteCheckpoint']);
    this.backupDir = backupDir.startsWith('file://') ? backupDir.slice(7) : backupDir;
    const f = args.saveFreq ?? 'epoch';
    if (f !== 'epoch' && !(Number.isInteger(f) && f > 0))
      throw new ValueError(`backupAndRestore: saveFreq must be 'epoch' or a positive integer, received ${String(f)}.`);
    this.saveFreq = f;
    this.deleteCheckpoint = args.deleteCheckpoint ?? true;
  }

  override async onTrainBegin(): Promise<void> {
    const { fs, path } = await nodeFiles('backupAndRestore');
    this.resumeEpoch = null;
    const statePath = path.join(this.backupDir, STATE_FILE);
    const text = await fs.readFile(statePath, 'utf8').catch(() => null);
    if (text === null) return;
    let state: { epoch?: unknown };
    try {
      state = JSON.parse(text);
    } catch {
      throw new ValueError(`backupAndRestore: '${statePath}' is not valid JSON; delete the backup directory to start over.`);
    }
    if (typeof state.epoch !== 'number') throw new ValueError(`backupAndRestore: '${statePath}' has no epoch number.`);
    const saved = await loadLayersModel(`file://${this.backupDir}`);
    if (!this.model) return;
    this.model.setWeights(saved.getWeights());
    await this.restoreOptimizer(path.join(this.backupDir, OPTIMIZER_FILE));
    this.resumeEpoch = state.epoch + 1;
  }

  /** Puts back the optimizer's state saved with the backup (its slots renamed to this model's weights, by position). */
  private async restoreOptimizer(file: string): Promise<void> {
    const { fs } = await nodeFiles('backupAndRestore');
    const opt = optimizerOf(this.model);
    const text = await fs.readFile(file, 'utf8').catch(() => null);
    if (opt === null || text === null) return;
    let saved: { className?: unknown; variables?: unknown; state?: OptimizerState };
    try {
      saved = JSON.parse(text);
    } catch {
      throw new ValueError(`backupAndRestore: '${file}' is not valid JSON; delete the backup directory to start over.`);
    }
    const names = trainableNames(this.model);
    const savedNames = Array.isArray(saved.variables) ? (saved.variables as string[]) : [];
    if (saved.className !== opt.getClassName() || savedNames.length !== names.length || saved.state == null) {
      throw new ValueError(
        `backupAndRestore: the backup's optimizer state (${String(saved.className)}, ${savedNames.length} trainable weights) does not ` +
          `match the model's (${opt.getClassName()}, ${names.length}); delete '${this.backupDir}' to start over.`,
      );
    }
    const rename = new Map(savedNames.map((n, i) => [n, names[i]]));
    opt.setState(saved.state, (n) => rename.get(n) ?? n);
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    if (++this.batches % this.saveFreq === 0) await this.backup(this.epoch - 1);
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    if (this.saveFreq === 'epoch') await this.backup(epoch);
  }

  /** Saves the model and `{epoch: lastFinishedEpoch}` (temporary names renamed into place). */
  private async backup(lastFinished: number): Promise<void> {
    const { fs, path } = await nodeFiles('backupAndRestore');
    const model = this.model as unknown as { save(url: string): Promise<unknown> } | null;
    if (!model) return;
    try {
      await model.save(`file://${this.backupDir}`);
      const opt = optimizerOf(model);
      if (opt !== null) {
        const optPath = path.join(this.backupDir, OPTIMIZER_FILE);
        const optTmp = `${optPath}.tmp-${Date.now().toString(36)}`;
        const body = { className: opt.getClassName(), variables: trainableNames(model), state: opt.getState() };
        await fs.writeFile(optTmp, JSON.stringify(body));
        await fs.rename(optTmp, optPath);
      }
      // The epoch marker last: a backup is complete once it names its epoch.
      const statePath = path.join(this.backupDir, STATE_FILE);
      const tmp = `${statePath}.tmp-${Date.now().toString(36)}`;
      await fs.writeFile(tmp, JSON.stringify({ epoch: lastFinished }));
      await fs.rename(tmp, statePath);
    } catch (e) {
      throw new ValueError(`backupAndRestore: cannot write the backup to '${this.backupDir}': ${(e as Error).message}`);
    }
  }

  override async onTrainEnd(): Promise<void> {
    if (!this.deleteCheckpoint) return;
    const { fs } = await nodeFiles('backupAndRestore');
    await fs.rm(this.backupDir, { recursive: true, force: true });
  }
}

/** Creates a `BackupAndRestore` callback (Node). */
export function backupAndRestore(backupDir: string, args?: BackupAndRestoreArgs): BackupAndRestore {
  return new BackupAndRestore(backupDir, args);
}
