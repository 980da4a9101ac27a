/**
 * BackupAndRestore (Keras): saves the model and the epoch reached into a directory at each epoch end
 * (Node, atomic renames); when training starts again with a backup present, the weights are
 * restored and training resumes after the last finished epoch. The backup is deleted when training
 * finishes normally (unless `deleteCheckpoint` is false).
 */
import { checkArgKeys } from '@recurrent/layers';
import { Callback } from './callback';
import { loadLayersModel } from '../engine/model_load';
import { nodeFiles } from './node_files';

/** Args of `backupAndRestore` (Keras names, camelCase). */
export interface BackupAndRestoreArgs {
  /** 'epoch' (default) or a number of batches between backups. */
  saveFreq?: 'epoch' | number;
  /** Remove the backup when training ends normally (default true). */
  deleteCheckpoint?: boolean;
}

const STATE_FILE = 'training_state.json';

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
      throw new Error(`backupAndRestore: backupDir must be a directory path, received ${String(backupDir)}.`);
    checkArgKeys('backupAndRestore', args ?? {}, ['saveFreq', 'deleteCheckpoint']);
    this.backupDir = backupDir.startsWith('file://') ? backupDir.slice(7) : backupDir;
    const f = args.saveFreq ?? 'epoch';
    if (f !== 'epoch' && !(Number.isInteger(f) && f > 0))
      throw new Error(`backupAndRestore: saveFreq must be 'epoch' or a positive integer, received ${String(f)}.`);
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
      throw new Error(`backupAndRestore: '${statePath}' is not valid JSON; delete the backup directory to start over.`);
    }
    if (typeof state.epoch !== 'number') throw new Error(`backupAndRestore: '${statePath}' has no epoch number.`);
    const saved = await loadLayersModel(`file://${this.backupDir}`);
    if (!this.model) return;
    this.model.setWeights(saved.getWeights());
    this.resumeEpoch = state.epoch + 1;
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
      const statePath = path.join(this.backupDir, STATE_FILE);
      const tmp = `${statePath}.tmp-${Date.now().toString(36)}`;
      await fs.writeFile(tmp, JSON.stringify({ epoch: lastFinished }));
      await fs.rename(tmp, statePath);
    } catch (e) {
      throw new Error(`backupAndRestore: cannot write the backup to '${this.backupDir}': ${(e as Error).message}`);
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
