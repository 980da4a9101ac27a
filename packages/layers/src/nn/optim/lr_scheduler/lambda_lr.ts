/** `nn.optim.lrScheduler.LambdaLR`: lr = baseLr · lrLambda(epoch), one function for all groups or one per group. */
import type { Optimizer } from '../optimizer';
import { describeValue } from '../optimizer';
import { checkSchedKeys, LRScheduler } from './lr_scheduler';
import { ValueError } from '@recurrent/core';

/** Options of LambdaLR. */
export interface LambdaLROptions {
  /** epoch → multiplicative factor of the base lr: one function, or one per parameter group (required). */
  lrLambda: ((epoch: number) => number) | ((epoch: number) => number)[];
}

/**
 * lr = baseLr · lrLambda(epoch).
 *
 * ```ts
 * const warmup = 100;
 * const sched = new nn.optim.lrScheduler.LambdaLR(opt, { lrLambda: (e) => Math.min(1, (e + 1) / warmup) });
 * ```
 * PyTorch note: `stateDict()` holds no functions (PyTorch saves the attributes of callable objects); recreate the
 * scheduler with the same functions before `loadStateDict`.
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: ((epoch: number) => number)[];

  constructor(optimizer: Optimizer, options: LambdaLROptions) {
    super(optimizer, 'LambdaLR');
    const who = 'nn.optim.lrScheduler.LambdaLR';
    checkSchedKeys(who, options, ['lrLambda']);
    const n = optimizer.paramGroups.length;
    const f = options.lrLambda;
    const list = Array.isArray(f) ? f : Array.from({ length: n }, () => f);
    if (list.length !== n)
      throw new ValueError(`${who}: lrLambda must be one function or ${n} (one per parameter group), received ${list.length}.`);
    list.forEach((fn, i) => {
      if (typeof fn !== 'function')
        throw new ValueError(
          `${who}: lrLambda${Array.isArray(f) ? `[${i}]` : ''} must be a function epoch → factor, received ${describeValue(fn)}.`,
        );
    });
    this.lrLambdas = list;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => {
      const factor = this.lrLambdas[i](this.lastEpoch);
      if (typeof factor !== 'number' || Number.isNaN(factor))
        throw new ValueError(
          `nn.optim.lrScheduler.LambdaLR: lrLambda(${this.lastEpoch}) must return a number, returned ${describeValue(factor)}.`,
        );
      return b * factor;
    });
  }
}
