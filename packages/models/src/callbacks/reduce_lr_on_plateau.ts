/** ReduceLROnPlateau (Keras): lowers the learning rate when a monitored value stops improving. */
import { Callback, Logs } from './callback';
import { checkOptions, learningRateHolder, monitorOption, numberOption, resolveMode } from './monitor';
import { intOption } from '../check_options';
import { ValueError } from '@recurrent/core';

/** Args of `reduceLROnPlateau` (Keras names, camelCase). */
export interface ReduceLROnPlateauArgs {
  /** Log key to watch (default 'val_loss'). */
  monitor?: string;
  /** New rate = rate · factor (default 0.1; must be < 1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** 1 prints a line on each reduction (default 0). */
  verbose?: number;
  /** 'auto' (default: the direction of the metric or loss `monitor` names; a custom metric needs 'min' or 'max'), 'min' or 'max'. */
  mode?: 'auto' | 'min' | 'max';
  /** An improvement must beat the best by more than this (default 1e-4). */
  minDelta?: number;
  /** Epochs after a reduction during which waiting is paused (default 0). */
  cooldown?: number;
  /** The rate never goes below this (default 0). */
  minLr?: number;
}

/**
 * Multiplies the optimizer's learning rate by `factor` when `monitor` has not improved by more
 * than `minDelta` for `patience` epochs, then waits `cooldown` epochs before counting again (Keras's
 * decision rule, step for step). Adds `learning_rate` to the epoch logs: the rate the epoch trained with (a
 * reduction applies from the next epoch), as Keras.
 *
 * ```js
 * await model.fit(x, y, {validationSplit: 0.2, callbacks: [callbacks.reduceLROnPlateau({factor: 0.5, patience: 2})]});
 * ```
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  /** Epochs since the last improvement (outside cooldown). */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** Best monitored value so far. */
  best = Infinity;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    const w = 'reduceLROnPlateau';
    checkOptions(w, args ?? {}, ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr']);
    this.monitor = monitorOption(w, args.monitor);
    this.factor = numberOption(w, 'factor', args.factor ?? 0.1, 0);
    if (this.factor >= 1) throw new ValueError(`${w}: factor must be below 1 (a reduction), received ${this.factor}.`);
    this.patience = intOption(w, 'patience', args.patience ?? 10);
    this.verbose = args.verbose ?? 0;
    this.mode = resolveMode(w, args.mode ?? 'auto', this.monitor);
    this.minDelta = Math.abs(numberOption(w, 'minDelta', args.minDelta ?? 1e-4));
    this.cooldown = intOption(w, 'cooldown', args.cooldown ?? 0);
    this.minLr = numberOption(w, 'minLr', args.minLr ?? 0, 0);
  }

  private improves(current: number): boolean {
    return this.mode === 'min' ? current < this.best - this.minDelta : current > this.best + this.minDelta;
  }

  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const opt = learningRateHolder('reduceLROnPlateau', this.model);
    // The rate this epoch trained with, also when it is lowered below (as Keras 3).
    logs.learning_rate = opt.learningRate;
    const current = logs[this.monitor];
    if (typeof current !== 'number') {
      console.warn(
        `reduceLROnPlateau: the monitored value '${this.monitor}' is not in the epoch logs (available: ${Object.keys(logs).join(', ')}); skipped.`,
      );
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = opt.learningRate;
        if (old > Math.fround(this.minLr)) {
          const next = Math.max(old * this.factor, this.minLr);
          opt.learningRate = next;
          if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** Creates a `ReduceLROnPlateau` callback. */
export function reduceLROnPlateau(args?: ReduceLROnPlateauArgs): ReduceLROnPlateau {
  return new ReduceLROnPlateau(args);
}
