/** `InverseTimeDecay` (Keras): `lr(step) = initialLearningRate / (1 + decayRate · step / decaySteps)`. */
import { LearningRateSchedule, ScheduleConfig, checkScheduleArgs, scheduleNumber } from './learning_rate_schedule';

/** Args of `inverseTimeDecay` (Keras names, camelCase). */
export interface InverseTimeDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Floor `step / decaySteps` (default false). */
  staircase?: boolean;
}

/**
 * `initialLearningRate / (1 + decayRate · step / decaySteps)` (the ratio floored with `staircase`).
 *
 * ```js
 * train.schedules.inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5});
 * ```
 */
export class InverseTimeDecay extends LearningRateSchedule {
  static override readonly className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(args: InverseTimeDecayArgs) {
    super();
    const w = 'InverseTimeDecay';
    checkScheduleArgs(w, args, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name']);
    this.initialLearningRate = scheduleNumber(w, 'initialLearningRate', args.initialLearningRate);
    this.decaySteps = scheduleNumber(w, 'decaySteps', args.decaySteps, true);
    this.decayRate = scheduleNumber(w, 'decayRate', args.decayRate);
    this.staircase = args.staircase ?? false;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }

  getConfig(): ScheduleConfig['config'] {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase };
  }
}
