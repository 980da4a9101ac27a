/** `nn.optim.lrScheduler.SequentialLR`: schedulers one after the other, switching at milestone epochs. */
import { describeValue, Optimizer } from '../optimizer';
import { checkSchedKeys, LRScheduler } from './lr_scheduler';
import { NotImplementedError, ValueError } from '@recurrent/core';

/** Options of SequentialLR. */
export interface SequentialLROptions {
  /** The schedulers, all over `optimizer` (required). */
  schedulers: LRScheduler[];
  /** Epochs at which the next scheduler takes over: one fewer than the schedulers, increasing (required). */
  milestones: number[];
}

/**
 * Runs `schedulers[i]` between milestones i − 1 and i; at a milestone the next scheduler restarts from epoch 0 (its
 * closed form where it has one, as PyTorch's `step(0)`). Construction resets the groups' lr to their initial lr and
 * undoes the initial steps of the schedulers, then steps the first one, as PyTorch.
 *
 * ```ts
 * const warmup = new nn.optim.lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new nn.optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new nn.optim.lrScheduler.SequentialLR(opt, { schedulers: [warmup, decay], milestones: [5] });
 * ```
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];

  constructor(optimizer: Optimizer, options: SequentialLROptions) {
    super(optimizer, 'SequentialLR');
    const who = 'nn.optim.lrScheduler.SequentialLR';
    checkSchedKeys(who, options, ['schedulers', 'milestones']);
    const { schedulers, milestones } = options;
    if (!Array.isArray(schedulers) || schedulers.length === 0)
      throw new ValueError(`${who}: schedulers must be a non-empty array of lr schedulers, received ${describeValue(schedulers)}.`);
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler))
        throw new ValueError(
          `${who}: schedulers[${i}] must be an lr scheduler (ReduceLROnPlateau cannot be chained), received ${describeValue(s)}.`,
        );
      if (s.optimizer !== optimizer)
        throw new ValueError(`${who}: schedulers[${i}] belongs to another optimizer; all must use the one given.`);
    });
    if (
      !Array.isArray(milestones) ||
      milestones.length !== schedulers.length - 1 ||
      !milestones.every((m, i) => Number.isInteger(m) && m >= 1 && (i === 0 || m > milestones[i - 1]))
    ) {
      throw new ValueError(
        `${who}: milestones must be ${schedulers.length - 1} increasing integer(s) >= 1 (one fewer than the ${schedulers.length} schedulers), received ${describeValue(milestones)}${Array.isArray(milestones) ? ` [${milestones.join(', ')}]` : ''}.`,
      );
    }
    this.schedulers = schedulers.slice();
    this.milestones = milestones.slice();
    this.lastEpoch = 0;
    optimizer.paramGroups.forEach((g, i) => (g.lr = this.baseLrs[i]));
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0].step();
    this.lastLr = this.schedulers[0].getLastLr();
  }

  protected getLr(): number[] {
    return this.lastLr;
  }

  /** Steps the scheduler of the current epoch (restarting it at 0 at its milestone). */
  override step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.stepToEpoch(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  /** Refused: PyTorch's SequentialLR.step() takes no epoch, and the inner schedulers cannot be jumped consistently. */
  override stepToEpoch(epoch: number): void {
    throw new NotImplementedError(
      `nn.optim.lrScheduler.SequentialLR.stepToEpoch: SequentialLR cannot jump to an epoch (PyTorch's SequentialLR.step takes none); ` +
        `call step() once per epoch (asked for epoch ${describeValue(epoch)}).`,
    );
  }

  /** `{lastEpoch, baseLrs, lastLr, schedulers: [each one's stateDict()]}`. */
  override stateDict(): { lastEpoch: number; baseLrs: number[]; lastLr: number[]; schedulers: ReturnType<LRScheduler['stateDict']>[] } {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores `stateDict()` output, the inner schedulers' too. */
  override loadStateDict(d: { lastEpoch: number; lastLr: number[]; schedulers?: { lastEpoch: number; lastLr: number[] }[] }): void {
    super.loadStateDict(d);
    if (!Array.isArray(d.schedulers) || d.schedulers.length !== this.schedulers.length) {
      throw new ValueError(
        `nn.optim.lrScheduler.SequentialLR.loadStateDict: expected schedulers with ${this.schedulers.length} state(s), received ${describeValue(d.schedulers)}.`,
      );
    }
    this.schedulers.forEach((s, i) => s.loadStateDict(d.schedulers![i]));
  }
}
