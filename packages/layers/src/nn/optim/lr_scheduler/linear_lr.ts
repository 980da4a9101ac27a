/** `nn.optim.lrScheduler.LinearLR`: the lr factor goes linearly from startFactor to endFactor over totalIters epochs. */
import type { Optimizer } from '../optimizer';
import { checkSchedKeys, checkSchedNumber, LRScheduler } from './lr_scheduler';

/** Options of LinearLR (PyTorch's defaults). */
export interface LinearLROptions {
  /** Factor of the base lr at epoch 0 (default 1/3; in (0, 1]). */
  startFactor?: number;
  /** Factor from epoch totalIters on (default 1; in [0, 1]). */
  endFactor?: number;
  /** Epochs of the linear change (default 5). */
  totalIters?: number;
}

/**
 * lr = baseLr · (startFactor + (endFactor − startFactor) · min(epoch, totalIters) / totalIters), computed with PyTorch's
 * chainable form (so a change of `group.lr` made by another scheduler or by hand is followed as in PyTorch).
 *
 * ```ts
 * const warmup = new nn.optim.lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 * ```
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super(optimizer, 'LinearLR');
    const who = 'nn.optim.lrScheduler.LinearLR';
    checkSchedKeys(who, options ?? {}, ['startFactor', 'endFactor', 'totalIters']);
    // PyTorch 1.13 accepts startFactor 0, then divides by zero on the next step; PyTorch 2 requires > 0.
    this.startFactor = checkSchedNumber(who, 'startFactor', options?.startFactor ?? 1 / 3, (x) => x > 0 && x <= 1, 'a number in (0, 1]');
    this.endFactor = checkSchedNumber(who, 'endFactor', options?.endFactor ?? 1, (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
    this.totalIters = checkSchedNumber(
      who,
      'totalIters',
      options?.totalIters ?? 5,
      (x) => Number.isInteger(x) && x >= 1,
      'an integer >= 1',
    );
    this.initialStep();
  }

  protected getLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr * s);
    if (t > n) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(n, t)) / n));
  }
}
