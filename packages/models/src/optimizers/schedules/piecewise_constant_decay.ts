/** `PiecewiseConstantDecay` (Keras): `values[i]` while `boundaries[i-1] < step <= boundaries[i]`. */
import { LearningRateSchedule, ScheduleConfig, checkScheduleArgs, scheduleNumber } from './learning_rate_schedule';
import { ValueError } from '@recurrent/core';

/** Args of `piecewiseConstantDecay` (Keras names). */
export interface PiecewiseConstantDecayArgs {
  /** Increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries. */
  values: number[];
}

/**
 * `values[0]` for `step <= boundaries[0]`, `values[1]` for `boundaries[0] < step <= boundaries[1]`, …,
 * `values[n]` after the last boundary.
 *
 * ```js
 * train.schedules.piecewiseConstantDecay({boundaries: [100, 200], values: [1e-2, 5e-3, 1e-3]});
 * ```
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];

  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const w = 'PiecewiseConstantDecay';
    checkScheduleArgs(w, args, ['boundaries', 'values', 'name']);
    if (!Array.isArray(args.boundaries) || !Array.isArray(args.values))
      throw new ValueError(`${w}: boundaries and values must be arrays of numbers.`);
    if (args.values.length !== args.boundaries.length + 1) {
      throw new ValueError(
        `${w}: values must have one more entry than boundaries, but there are ${args.boundaries.length} boundaries and ${args.values.length} values.`,
      );
    }
    args.boundaries.forEach((b, i) => {
      if (typeof b !== 'number' || !Number.isFinite(b))
        throw new ValueError(`${w}: boundaries[${i}] must be a number, received ${String(b)}.`);
      if (i > 0 && b <= args.boundaries[i - 1])
        throw new ValueError(`${w}: boundaries must increase, but boundaries[${i}] = ${b} follows ${args.boundaries[i - 1]}.`);
    });
    args.values.forEach((v, i) => scheduleNumber(w, `values[${i}]`, v));
    this.boundaries = args.boundaries.slice();
    this.values = args.values.slice();
  }

  call(step: number): number {
    for (let i = 0; i < this.boundaries.length; i++) if (step <= this.boundaries[i]) return this.values[i];
    return this.values[this.values.length - 1];
  }

  getConfig(): ScheduleConfig['config'] {
    return { boundaries: this.boundaries.slice(), values: this.values.slice() };
  }
}
