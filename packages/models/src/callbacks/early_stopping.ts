/** EarlyStopping: stops `fit` when a monitored value stops improving (tfjs `tf.callbacks.earlyStopping`). */
import { checkArgKeys } from '@recurrent/layers';
import type { Tensor } from '@recurrent/core';
import { Callback, Logs } from './callback';
import { monitorOption, resolveMode } from './monitor';
import { ValueError } from '@recurrent/core';
import { intOption } from '../check_options';

/** Args of `EarlyStopping` (tfjs `EarlyStoppingCallbackArgs`). */
export interface EarlyStoppingArgs {
  /** The log key to watch (default 'val_loss'). */
  monitor?: string;
  /** The smallest change that counts as an improvement (default 0; its sign is ignored). */
  minDelta?: number;
  /** Epochs without improvement after which training stops (default 0). */
  patience?: number;
  /** 1 prints a line when training stops or weights are restored (default 0). */
  verbose?: number;
  /**
   * 'min' (lower is better), 'max', or 'auto' (default): the direction of the built-in metric or loss the
   * monitored key names ('max' for accuracies, precision, recall, auc, r2Score; 'min' for losses and errors); a
   * custom metric's key needs 'min' or 'max'.
   */
  mode?: 'auto' | 'min' | 'max';
  /** The value to beat: training stops unless it is improved on within `patience` epochs. */
  baseline?: number;
  /**
   * At the end of training, set the model's weights back to those of the best epoch (default false).
   * tfjs note: tfjs throws "not implemented" for true; we restore as Keras 3 does (at the end of
   * training, whether or not it stopped early).
   */
  restoreBestWeights?: boolean;
  /**
   * Epochs to train before monitoring starts (default 0): the epochs before it are neither counted nor candidates
   * for the best weights (Keras 3's `start_from_epoch`; tfjs has none).
   */
  startFromEpoch?: number;
}

/**
 * Stops training when `monitor` has not improved by more than `minDelta` for `patience` epochs.
 * Improvement is judged as tfjs does: the best value starts at `baseline` (or ±Infinity), and each
 * epoch either improves on it (`wait` resets to 0) or increments `wait`; `wait >= patience` sets
 * `model.stopTraining`. `restoreBestWeights` puts back the weights of the best epoch seen, even when none beat
 * `baseline` (as Keras 3).
 *
 * tfjs note: stopping with a `baseline` follows tfjs; Keras 3 also never stops on an epoch that improves on the
 * best value seen so far, nor at epoch 0, so it can train longer while the values fall towards the baseline.
 *
 * ```js
 * await model.fit(x, y, {validationSplit: 0.2, callbacks: callbacks.earlyStopping({patience: 3, restoreBestWeights: true})});
 * ```
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'auto' | 'min' | 'max';
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch at which training was stopped (0 when it was not). */
  stoppedEpoch = 0;
  /** The best monitored value so far. */
  best = Infinity;
  /**
   * The epoch of the best value seen (-1 before any): the epoch whose weights `restoreBestWeights` puts back. With a
   * `baseline` that is never beaten it is the best epoch above the baseline (Keras 3), while `best` stays the baseline.
   */
  bestEpoch = -1;
  /** The value of `bestEpoch` (the best seen, the baseline aside). */
  private bestSeen: number | undefined = undefined;
  private bestWeights: Tensor[] | null = null;
  private readonly maximize: boolean;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    args = args ?? {};
    checkArgKeys('earlyStopping', args, [
      'monitor',
      'minDelta',
      'patience',
      'verbose',
      'mode',
      'baseline',
      'restoreBestWeights',
      'startFromEpoch',
    ]);
    this.monitor = monitorOption('earlyStopping', args.monitor);
    const minDelta = args.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta)) {
      throw new ValueError(`earlyStopping: minDelta must be a finite number, received ${String(args.minDelta)}.`);
    }
    this.minDelta = Math.abs(minDelta);
    this.patience = args.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new ValueError(`earlyStopping: patience must be a non-negative integer, received ${String(args.patience)}.`);
    }
    this.verbose = args.verbose ?? 0;
    this.mode = args.mode ?? 'auto';
    this.maximize = resolveMode('earlyStopping', this.mode, this.monitor) === 'max';
    if (args.baseline != null && (typeof args.baseline !== 'number' || !Number.isFinite(args.baseline))) {
      throw new ValueError(`earlyStopping: baseline must be a finite number, received ${String(args.baseline)}.`);
    }
    this.baseline = args.baseline ?? undefined;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = intOption('earlyStopping', 'startFromEpoch', args.startFromEpoch ?? 0);
  }

  private improves(current: number, reference: number): boolean {
    return this.maximize ? current - this.minDelta > reference : current + this.minDelta < reference;
  }

  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = -1;
    this.bestSeen = undefined;
    this.bestWeights = null;
    this.best = this.baseline ?? (this.maximize ? -Infinity : Infinity);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const current = logs[this.monitor];
    // A NaN value (a diverged run) is present and counts as no improvement, as tfjs and Keras 3.
    if (typeof current !== 'number') {
      console.warn(
        `earlyStopping: the monitored value '${this.monitor}' is not in the epoch logs (available: ${Object.keys(logs).join(', ') || 'none'}); ` +
          `nothing is checked this epoch.`,
      );
      return;
    }
    if (epoch < this.startFromEpoch) return;
    // The epoch to restore: the best seen, even when no epoch beats the baseline (Keras 3 restores it then too).
    if (this.bestSeen === undefined || this.improves(current, this.bestSeen)) {
      this.bestSeen = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights && this.model) this.bestWeights = this.model.getWeights();
    }
    // Stopping: as tfjs, the baseline is the initial best.
    if (this.improves(current, this.best)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      if (this.model) this.model.stopTraining = true;
    }
  }

  override async onTrainEnd(): Promise<void> {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights && this.model) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model.setWeights(this.bestWeights);
    }
  }
}

/** Creates an `EarlyStopping` callback (tfjs `tf.callbacks.earlyStopping(args)`). */
export function earlyStopping(args?: EarlyStoppingArgs): EarlyStopping {
  return new EarlyStopping(args);
}
