/** `ExponentialDecay` (Keras): `lr(step) = initialLearningRate · decayRate^(step / decaySteps)`. */
import { LearningRateSchedule, ScheduleConfig, checkScheduleArgs, scheduleNumber } from './learning_rate_schedule';

/** Args of `exponentialDecay` (Keras names, camelCase). */
export interface ExponentialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of `decaySteps` (floor of the exponent; default false). */
  staircase?: boolean;
}

/**
 * `initialLearningRate · decayRate^(step / decaySteps)` (exponent floored with `staircase`).
 *
 * ```js
 * train.schedules.exponentialDecay({initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96});
 * ```
 */
export class ExponentialDecay extends LearningRateSchedule {
  static override readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(args: ExponentialDecayArgs) {
    super();
    const w = 'ExponentialDecay';
    checkScheduleArgs(w, args, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name']);
    this.initialLearningRate = scheduleNumber(w, 'initialLearningRate', args.initialLearningRate);
    this.decaySteps = scheduleNumber(w, 'decaySteps', args.decaySteps, true);
    this.decayRate = scheduleNumber(w, 'decayRate', args.decayRate);
    this.staircase = args.staircase ?? false;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * Math.pow(this.decayRate, p);
  }

  getConfig(): ScheduleConfig['config'] {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}
