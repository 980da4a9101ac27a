/** `nn.optim.lrScheduler.ReduceLROnPlateau`: reduce the lr when a metric stops improving. */
import { describeValue, Optimizer } from '../optimizer';
import { checkSchedKeys, checkSchedNumber } from './lr_scheduler';
import { ValueError } from '@recurrent/core';

/** Options of ReduceLROnPlateau (PyTorch's keyword arguments, camelCase). */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): lower is better; 'max': higher is better. */
  mode?: 'min' | 'max';
  /** lr ← lr·factor on a plateau (default 0.1; must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated (default 10). */
  patience?: number;
  /** Minimum change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): relative to the best; 'abs': absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction (default 0). */
  cooldown?: number;
  /** Lower bound of the lr: one number or one per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * PyTorch's rule: `step(metric)` counts epochs without improvement (better than best by `threshold`, relative or
 * absolute); when the count exceeds `patience`, each group's lr becomes max(lr·factor, minLr), then `cooldown`
 * epochs pass before counting again.
 *
 * ```ts
 * const sched = new nn.optim.lrScheduler.ReduceLROnPlateau(opt, { factor: 0.5, patience: 2 });
 * sched.step(validationLoss);
 * ```
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const who = 'nn.optim.lrScheduler.ReduceLROnPlateau';
    if (!(optimizer instanceof Optimizer))
      throw new ValueError(`${who}: optimizer must be an nn.optim optimizer, received ${describeValue(optimizer)}.`);
    checkSchedKeys(who, options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    this.optimizer = optimizer;
    const mode = options.mode ?? 'min';
    if (mode !== 'min' && mode !== 'max') throw new ValueError(`${who}: mode must be 'min' or 'max', received ${describeValue(mode)}.`);
    const tm = options.thresholdMode ?? 'rel';
    if (tm !== 'rel' && tm !== 'abs') throw new ValueError(`${who}: thresholdMode must be 'rel' or 'abs', received ${describeValue(tm)}.`);
    this.mode = mode;
    this.thresholdMode = tm;
    this.factor = checkSchedNumber(who, 'factor', options.factor ?? 0.1, (x) => x >= 0 && x < 1, 'a number in [0, 1)');
    this.patience = checkSchedNumber(who, 'patience', options.patience ?? 10, (x) => Number.isInteger(x) && x >= 0, 'an integer >= 0');
    this.threshold = checkSchedNumber(who, 'threshold', options.threshold ?? 1e-4, (x) => x >= 0, 'a number >= 0');
    this.cooldown = checkSchedNumber(who, 'cooldown', options.cooldown ?? 0, (x) => Number.isInteger(x) && x >= 0, 'an integer >= 0');
    this.eps = checkSchedNumber(who, 'eps', options.eps ?? 1e-8, (x) => x >= 0, 'a number >= 0');
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) throw new ValueError(`${who}: minLr has ${minLr.length} values for ${n} parameter group(s).`);
      this.minLrs = minLr.map((v, i) => checkSchedNumber(who, `minLr[${i}]`, v, (x) => x >= 0, 'a number >= 0'));
    } else {
      this.minLrs = new Array(n).fill(checkSchedNumber(who, 'minLr', minLr, (x) => x >= 0, 'a number >= 0'));
    }
    this.best = mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number): boolean {
    const { mode, thresholdMode: tm, threshold: th, best } = this;
    if (mode === 'min') return tm === 'rel' ? a < best * (1 - th) : a < best - th;
    return tm === 'rel' ? a > best * (th + 1) : a > best + th;
  }

  /** Records this epoch's metric (a number or a scalar Tensor) and reduces the lr on a plateau. */
  step(metric: number | { dataSync(): ArrayLike<number>; size: number }): void {
    let current: number;
    if (typeof metric === 'number') current = metric;
    else if (metric && typeof metric === 'object' && typeof metric.dataSync === 'function' && metric.size === 1)
      current = Number(metric.dataSync()[0]);
    else
      throw new ValueError(
        `nn.optim.lrScheduler.ReduceLROnPlateau.step: metric must be a number or a one-element Tensor, received ${describeValue(metric)}.`,
      );
    this.lastEpoch++;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
        if (g.lr - newLr > this.eps) g.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  /** The groups' current learning rates. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
