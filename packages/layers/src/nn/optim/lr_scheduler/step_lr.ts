/** `nn.optim.lrScheduler.StepLR`: multiply the lr by gamma every stepSize epochs. */
import type { Optimizer } from '../optimizer';
import { checkSchedKeys, checkSchedNumber, LRScheduler } from './lr_scheduler';

/** Options of StepLR. */
export interface StepLROptions {
  /** Epochs between decays (required). */
  stepSize: number;
  /** Multiplicative factor (default 0.1). */
  gamma?: number;
}

/**
 * lr = baseLr · gamma^⌊epoch / stepSize⌋.
 *
 * ```ts
 * const sched = new nn.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * ```
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer, 'StepLR');
    const who = 'nn.optim.lrScheduler.StepLR';
    checkSchedKeys(who, options, ['stepSize', 'gamma']);
    this.stepSize = checkSchedNumber(who, 'stepSize', options.stepSize, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1');
    this.gamma = checkSchedNumber(who, 'gamma', options.gamma ?? 0.1, (x) => x >= 0, 'a number >= 0');
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * Math.pow(this.gamma, Math.floor(this.lastEpoch / this.stepSize)));
  }
}
