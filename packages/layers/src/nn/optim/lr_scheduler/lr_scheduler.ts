/** `nn.optim.lrScheduler.LRScheduler`: the base of the epoch-based learning-rate schedulers. */
import { checkArgKeys } from '../../../engine/args';
import { describeValue, Optimizer } from '../optimizer';
import { ValueError } from '@recurrent/core';

/**
 * Base class: remembers each group's initial lr (`baseLrs`), and on `step()` advances `lastEpoch` and sets every
 * group's `lr` to `getLr()`. Construction performs the first step (epoch 0), as PyTorch.
 *
 * ```ts
 * const sched = new nn.optim.lrScheduler.StepLR(opt, { stepSize: 10, gamma: 0.5 });
 * for (let epoch = 0; epoch < 30; epoch++) { train(); sched.step(); }
 * ```
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** The initial lr of every group. */
  readonly baseLrs: number[];
  /** The number of `step()` calls made after construction (-1 before the constructor's own step). */
  lastEpoch = -1;
  protected lastLr: number[] = [];

  protected constructor(
    optimizer: Optimizer,
    protected readonly schedulerName: string,
  ) {
    if (!(optimizer instanceof Optimizer)) {
      throw new ValueError(
        `nn.optim.lrScheduler.${schedulerName}: optimizer must be an nn.optim optimizer, received ${describeValue(optimizer)}.`,
      );
    }
    this.optimizer = optimizer;
    for (const g of optimizer.paramGroups) if (g.initialLr === undefined) g.initialLr = g.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
  }

  /** Call at the end of the subclass constructor (PyTorch's initial step). */
  protected initialStep(): void {
    this.step();
  }

  /** The learning rates for `lastEpoch`, from the groups' current lr (PyTorch's chainable form). */
  protected abstract getLr(): number[];

  /**
   * The learning rates at `lastEpoch` computed from `baseLrs` alone (PyTorch's `_get_closed_form_lr`), or null for a
   * scheduler without one (then `stepToEpoch` uses `getLr`).
   */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Advances one epoch and sets the groups' lr. */
  step(): void {
    this.lastEpoch++;
    this.setLrs(this.getLr());
  }

  /**
   * Jumps to `epoch` and sets the groups' lr from the closed form where the scheduler has one, as PyTorch's
   * (deprecated) `step(epoch)`; `SequentialLR` uses it to restart a scheduler at 0 at its milestone.
   */
  stepToEpoch(epoch: number): void {
    checkSchedNumber(
      `nn.optim.lrScheduler.${this.schedulerName}.stepToEpoch`,
      'epoch',
      epoch,
      (x) => Number.isInteger(x) && x >= 0,
      'an integer >= 0',
    );
    this.lastEpoch = epoch;
    this.setLrs(this.closedFormLr() ?? this.getLr());
  }

  private setLrs(lrs: number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = lrs.slice();
  }

  /** The learning rates set by the last `step()`. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** `{lastEpoch, baseLrs, lastLr}` for checkpoints. */
  stateDict(): { lastEpoch: number; baseLrs: number[]; lastLr: number[] } {
    return { lastEpoch: this.lastEpoch, baseLrs: this.baseLrs.slice(), lastLr: this.lastLr.slice() };
  }

  /** Restores `stateDict()` output. */
  loadStateDict(d: { lastEpoch: number; lastLr: number[] }): void {
    if (!d || typeof d.lastEpoch !== 'number' || !Array.isArray(d.lastLr)) {
      throw new ValueError(
        `nn.optim.lrScheduler.${this.schedulerName}.loadStateDict: expected {lastEpoch, baseLrs, lastLr}, received ${describeValue(d)}.`,
      );
    }
    this.lastEpoch = d.lastEpoch;
    this.lastLr = d.lastLr.slice();
  }
}

/** Throws unless `v` is a finite number satisfying `ok`. */
export function checkSchedNumber(who: string, name: string, v: unknown, ok: (x: number) => boolean, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
    throw new ValueError(`${who}: ${name} must be ${what}, received ${describeValue(v)}.`);
  return v;
}

/** Refuses a non-object and unknown option keys (with a "did you mean"). */
export function checkSchedKeys(who: string, options: object, known: string[]): void {
  if (options === null || typeof options !== 'object')
    throw new ValueError(
      `${who}: options must be an object of named options (${known.join(', ')}), received ${describeValue(options)}; PyTorch's positional arguments are named options here.`,
    );
  checkArgKeys(who, options, known);
}
