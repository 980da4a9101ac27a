/** `nn.optim.lrScheduler.CosineAnnealingLR`: cosine decay from the base lr to etaMin over tMax epochs. */
import type { Optimizer } from '../optimizer';
import { checkSchedKeys, checkSchedNumber, LRScheduler } from './lr_scheduler';

/** Options of CosineAnnealingLR. */
export interface CosineAnnealingLROptions {
  /** Half-period in epochs (required). */
  tMax: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
}

/**
 * lr = etaMin + (baseLr − etaMin)(1 + cos(π·epoch/tMax))/2, computed with PyTorch's recursive form (so changes of
 * `group.lr` made by hand are followed as in PyTorch).
 *
 * ```ts
 * const sched = new nn.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 20, etaMin: 1e-5 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer, 'CosineAnnealingLR');
    const who = 'nn.optim.lrScheduler.CosineAnnealingLR';
    checkSchedKeys(who, options, ['tMax', 'etaMin']);
    this.tMax = checkSchedNumber(who, 'tMax', options.tMax, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1');
    this.etaMin = checkSchedNumber(who, 'etaMin', options.etaMin ?? 0, (x) => x >= 0, 'a number >= 0');
    this.initialStep();
  }

  protected getLr(): number[] {
    const { tMax: T, etaMin: e, lastEpoch: t } = this;
    const groups = this.optimizer.paramGroups;
    if (t === 0) return groups.map((g) => g.lr);
    if ((t - 1 - T) % (2 * T) === 0) return groups.map((g, i) => g.lr + ((this.baseLrs[i] - e) * (1 - Math.cos(Math.PI / T))) / 2);
    return groups.map((g) => ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (g.lr - e) + e);
  }

  protected override closedFormLr(): number[] {
    const { tMax: T, etaMin: e, lastEpoch: t } = this;
    return this.baseLrs.map((b) => e + ((b - e) * (1 + Math.cos((Math.PI * t) / T))) / 2);
  }
}
