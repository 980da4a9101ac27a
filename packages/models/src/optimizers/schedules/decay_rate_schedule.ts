/** The shared part of Keras's `ExponentialDecay` and `InverseTimeDecay`: their args, checks, progress and config. */
import { LearningRateSchedule, ScheduleConfig, checkScheduleArgs, scheduleNumber } from './learning_rate_schedule';

/** Args of `exponentialDecay` / `inverseTimeDecay` (Keras names, camelCase). */
export interface DecayRateArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of `decaySteps` (floor of `step / decaySteps`; default false). */
  staircase?: boolean;
}

/** A schedule of `initialLearningRate`, `decayRate` and the progress `step / decaySteps` (floored with `staircase`). */
export abstract class DecayRateSchedule extends LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(className: string, args: DecayRateArgs) {
    super();
    checkScheduleArgs(className, args, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name']);
    this.initialLearningRate = scheduleNumber(className, 'initialLearningRate', args.initialLearningRate);
    this.decaySteps = scheduleNumber(className, 'decaySteps', args.decaySteps, true);
    this.decayRate = scheduleNumber(className, 'decayRate', args.decayRate);
    this.staircase = args.staircase ?? false;
  }

  /** `step / decaySteps`, floored with `staircase`. */
  protected progress(step: number): number {
    const p = step / this.decaySteps;
    return this.staircase ? Math.floor(p) : p;
  }

  getConfig(): ScheduleConfig['config'] {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
    };
  }
}
