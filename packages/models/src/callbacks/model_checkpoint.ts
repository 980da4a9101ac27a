/**
 * ModelCheckpoint (Keras): saves the model during training to any save URL (`file://`,
 * `localstorage://`, `indexeddb://`, `downloads://`, `http(s)://`, or an IOHandler), every epoch,
 * every `saveFreq` batches, or only when `monitor` improves. `file://` saves write temporary files
 * and rename them into place, so an interrupted save leaves the previous checkpoint whole.
 */
import { Callback, Logs } from './callback';
import { checkOptions, resolveMode } from './monitor';
import { intOption } from '../check_options';
import { ValueError, NotImplementedError } from '@recurrent/core';

/** Args of `modelCheckpoint` (Keras names, camelCase). */
export interface ModelCheckpointArgs {
  /** Log key for `saveBestOnly` (default 'val_loss'). */
  monitor?: string;
  /** 1 prints a line per save (default 0). */
  verbose?: number;
  /** Save only when `monitor` beats the best value so far (default false). */
  saveBestOnly?: boolean;
  /** 'auto' (default: the direction of the metric or loss `monitor` names; a custom metric needs 'min' or 'max'), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** 'epoch' (default), or a number of batches between saves. */
  saveFreq?: 'epoch' | number;
  /** With `saveBestOnly`, the value to beat at first (default ±Infinity). */
  initialValueThreshold?: number;
  /** Save the optimizer's config with the model (default false). */
  includeOptimizer?: boolean;
  /**
   * Only false (what is done anyway) is accepted.
   * tfjs note: Keras's `save_weights_only=True` writes a weights file; here a checkpoint is always the whole model
   * (topology and weights, the tfjs format): `loadLayersModel(url)` and `model.setWeights(loaded.getWeights())`
   * restore the weights. tfjs has no ModelCheckpoint.
   */
  saveWeightsOnly?: false;
}

/** A model that can be saved (every model has `save`). */
interface SavableModel {
  save(url: unknown, config?: { includeOptimizer?: boolean }): Promise<unknown>;
}

/**
 * Fills `{epoch}`, `{batch}` and `{<log key>}` placeholders (with Python-style `:02d` / `:.4f` specs)
 * in a checkpoint path, as Keras formats `filepath`. Epochs and batches are 1-based, as Keras (`{batch}` is the
 * batch's index in its epoch + 1).
 */
export function formatCheckpointPath(template: string, values: { [k: string]: number }): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g, (whole, key: string, spec: string | undefined) => {
    if (!(key in values))
      throw new ValueError(
        `modelCheckpoint: the path '${template}' names {${key}}, which is not in the logs (available: ${Object.keys(values).join(', ')}).`,
      );
    const v = values[key];
    if (!spec) return String(v);
    const m = /^(0?)(\d*)(?:\.(\d+))?([dfe]?)$/.exec(spec);
    if (!m)
      throw new NotImplementedError(
        `modelCheckpoint: unsupported format spec '${whole}' in '${template}'; use forms like {epoch:02d} or {val_loss:.4f}.`,
      );
    const [, zero, width, precision, type] = m;
    let s =
      type === 'd'
        ? String(Math.trunc(v))
        : type === 'e'
          ? v.toExponential(precision ? Number(precision) : 6)
          : precision || type === 'f'
            ? v.toFixed(precision ? Number(precision) : 6)
            : String(v);
    if (width) s = s.padStart(Number(width), zero ? '0' : ' ');
    return s;
  });
}

/**
 * Saves the model to `filepath` (a save URL, optionally with `{epoch}`/log placeholders).
 *
 * ```js
 * callbacks.modelCheckpoint('file://./ckpt/best', {monitor: 'val_loss', saveBestOnly: true});
 * callbacks.modelCheckpoint('indexeddb://run-{epoch:02d}');
 * ```
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string | object;
  readonly monitor: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly saveFreq: 'epoch' | number;
  readonly includeOptimizer: boolean;
  private readonly threshold: number | undefined;
  /** Best monitored value so far. */
  best = Infinity;
  /** The paths saved to, in order (for inspection). */
  readonly saved: string[] = [];
  private epoch = 0;
  private batchesSinceSave = 0;

  constructor(filepath: string | object, args: ModelCheckpointArgs = {}) {
    super();
    const w = 'modelCheckpoint';
    if (
      !(typeof filepath === 'string' && filepath.length > 0) &&
      !(filepath != null && typeof filepath === 'object' && typeof (filepath as { save?: unknown }).save === 'function')
    ) {
      throw new ValueError(
        `${w}: filepath must be a save URL such as 'file://./ckpt' or 'indexeddb://model', or an IOHandler with save(); received ${String(filepath)}.`,
      );
    }
    if (typeof filepath === 'string' && !filepath.includes('://')) {
      throw new ValueError(
        `${w}: filepath '${filepath}' has no URL scheme; a path on disk is 'file://${filepath}' (Node), else use indexeddb://, localstorage://, http(s):// or an IOHandler.`,
      );
    }
    checkOptions(w, args ?? {}, [
      'monitor',
      'verbose',
      'saveBestOnly',
      'mode',
      'saveFreq',
      'initialValueThreshold',
      'includeOptimizer',
      'saveWeightsOnly',
    ]);
    if (args.saveWeightsOnly !== undefined && args.saveWeightsOnly !== false) {
      throw new NotImplementedError(
        `${w}: saveWeightsOnly is not supported: a checkpoint is the whole model (topology and weights, the tfjs format); ` +
          'restore the weights with loadLayersModel(url) and model.setWeights(loaded.getWeights()).',
      );
    }
    this.filepath = filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.verbose = args.verbose ?? 0;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.mode = resolveMode(w, args.mode ?? 'auto', this.monitor);
    const freq = args.saveFreq ?? 'epoch';
    this.saveFreq = freq === 'epoch' ? 'epoch' : intOption(w, 'saveFreq', freq, 1);
    this.threshold = args.initialValueThreshold;
    this.includeOptimizer = args.includeOptimizer ?? false;
  }

  override async onTrainBegin(): Promise<void> {
    this.best = this.threshold ?? (this.mode === 'min' ? Infinity : -Infinity);
    this.batchesSinceSave = 0;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave++;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.maybeSave(logs, batch);
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.epoch = epoch;
    if (this.saveFreq === 'epoch') await this.maybeSave(logs, null);
  }

  private async maybeSave(logs: Logs, batch: number | null): Promise<void> {
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (typeof current !== 'number' || Number.isNaN(current)) {
        console.warn(
          `modelCheckpoint: can save best model only with '${this.monitor}' in the logs (available: ${Object.keys(logs).join(', ')}); skipping.`,
        );
        return;
      }
      const better = this.mode === 'min' ? current < this.best : current > this.best;
      if (!better) {
        if (this.verbose > 0) console.log(`Epoch ${this.epoch + 1}: ${this.monitor} did not improve from ${this.best}.`);
        return;
      }
      this.best = current;
    }
    await this.save(logs, batch);
  }

  private async save(logs: Logs, batch: number | null): Promise<void> {
    const target =
      typeof this.filepath === 'string'
        ? formatCheckpointPath(this.filepath, { ...logs, epoch: this.epoch + 1, ...(batch !== null ? { batch: batch + 1 } : {}) })
        : this.filepath;
    const model = this.model as unknown as SavableModel | null;
    if (!model || typeof model.save !== 'function')
      throw new ValueError(`modelCheckpoint: the model cannot be saved (it has no save method).`);
    try {
      await model.save(target, { includeOptimizer: this.includeOptimizer });
    } catch (e) {
      const where = typeof target === 'string' ? `'${target}'` : 'the IOHandler';
      const err = new Error(
        `modelCheckpoint: saving epoch ${this.epoch + 1}${batch !== null ? ` batch ${batch + 1}` : ''} to ${where} failed: ${(e as Error)?.message ?? String(e)}`,
      );
      (err as Error & { cause?: unknown }).cause = e;
      throw err;
    }
    const name = typeof target === 'string' ? target : '<IOHandler>';
    this.saved.push(name);
    if (this.verbose > 0) console.log(`Epoch ${this.epoch + 1}: saving model to ${name}`);
  }
}

/** Creates a `ModelCheckpoint` callback. */
export function modelCheckpoint(filepath: string | object, args?: ModelCheckpointArgs): ModelCheckpoint {
  return new ModelCheckpoint(filepath, args);
}
