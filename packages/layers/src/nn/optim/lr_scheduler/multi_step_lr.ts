/** `nn.optim.lrScheduler.MultiStepLR`: multiply the lr by gamma at each milestone epoch. */
import type { Optimizer } from '../optimizer';
import { describeValue } from '../optimizer';
import { checkSchedKeys, checkSchedNumber, LRScheduler } from './lr_scheduler';
import { ValueError } from '@recurrent/core';

/** Options of MultiStepLR. */
export interface MultiStepLROptions {
  /** Epoch indices at which the lr is multiplied by gamma (required; any order; a repeated one applies gamma twice). */
  milestones: number[];
  /** Multiplicative factor (default 0.1). */
  gamma?: number;
}

/**
 * lr = baseLr · gamma^(number of milestones ≤ epoch).
 *
 * ```ts
 * const sched = new nn.optim.lrScheduler.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    super(optimizer, 'MultiStepLR');
    const who = 'nn.optim.lrScheduler.MultiStepLR';
    checkSchedKeys(who, options, ['milestones', 'gamma']);
    const ms = options.milestones;
    if (!Array.isArray(ms) || !ms.every((m) => Number.isInteger(m) && m >= 0)) {
      throw new ValueError(
        `${who}: milestones must be an array of integers >= 0, received ${describeValue(ms)}${Array.isArray(ms) ? ` [${ms.join(', ')}]` : ''}.`,
      );
    }
    // As PyTorch (a Counter of the milestones): any order; a repeated milestone applies gamma once per occurrence.
    this.milestones = ms.slice().sort((a, b) => a - b);
    this.gamma = checkSchedNumber(who, 'gamma', options.gamma ?? 0.1, (x) => x >= 0, 'a number >= 0');
    this.initialStep();
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    return this.optimizer.paramGroups.map((g) => (hits ? g.lr * Math.pow(this.gamma, hits) : g.lr));
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * Math.pow(this.gamma, passed));
  }
}
