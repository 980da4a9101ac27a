/** `nn.optim.lrScheduler.ExponentialLR`: multiply the lr by gamma every epoch. */
import type { Optimizer } from '../optimizer';
import { checkSchedKeys, checkSchedNumber, LRScheduler } from './lr_scheduler';

/** Options of ExponentialLR. */
export interface ExponentialLROptions {
  /** Multiplicative factor per epoch (required). */
  gamma: number;
}

/**
 * lr = baseLr · gammaᵉᵖᵒᶜʰ.
 *
 * ```ts
 * const sched = new nn.optim.lrScheduler.ExponentialLR(opt, { gamma: 0.95 });
 * ```
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer, 'ExponentialLR');
    const who = 'nn.optim.lrScheduler.ExponentialLR';
    checkSchedKeys(who, options, ['gamma']);
    this.gamma = checkSchedNumber(who, 'gamma', options.gamma, (x) => x >= 0, 'a number >= 0');
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * Math.pow(this.gamma, this.lastEpoch));
  }
}
