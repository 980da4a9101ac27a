/**
 * `CosineDecay` with optional linear warmup (Keras 3): during `warmupSteps` the rate goes linearly
 * from `initialLearningRate` to `warmupTarget`, then follows a cosine from there (or from
 * `initialLearningRate` without warmup) down to `alpha` times it over `decaySteps`, and stays there.
 */
import { LearningRateSchedule, ScheduleConfig, checkScheduleArgs, scheduleNumber } from './learning_rate_schedule';

/** Args of `cosineDecay` (Keras names, camelCase). */
export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Final rate as a fraction of the decayed-from rate (default 0). */
  alpha?: number;
  /** Rate reached at the end of the warmup (default: no warmup). */
  warmupTarget?: number | null;
  /** Warmup length in steps (default 0). */
  warmupSteps?: number;
}

/**
 * Cosine decay: `from · ((1 − alpha) · ½(1 + cos(π · s / decaySteps)) + alpha)`, `s` the steps after
 * the warmup (capped at `decaySteps`), `from` the warmup target or the initial rate.
 *
 * ```js
 * train.schedules.cosineDecay({initialLearningRate: 0, warmupTarget: 1e-3, warmupSteps: 100, decaySteps: 900});
 * ```
 */
export class CosineDecay extends LearningRateSchedule {
  static override readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(args: CosineDecayArgs) {
    super();
    const w = 'CosineDecay';
    checkScheduleArgs(w, args, ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps', 'name']);
    this.initialLearningRate = scheduleNumber(w, 'initialLearningRate', args.initialLearningRate);
    this.decaySteps = scheduleNumber(w, 'decaySteps', args.decaySteps, true);
    this.alpha = scheduleNumber(w, 'alpha', args.alpha ?? 0);
    this.warmupTarget = args.warmupTarget == null ? null : scheduleNumber(w, 'warmupTarget', args.warmupTarget);
    this.warmupSteps = scheduleNumber(w, 'warmupSteps', args.warmupSteps ?? 0);
  }

  private decayed(step: number, from: number): number {
    const fraction = step / this.decaySteps;
    const cosine = 0.5 * (1 + Math.cos(Math.PI * fraction));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  call(step: number): number {
    if (this.warmupTarget === null) return this.decayed(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) return this.initialLearningRate + (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps);
    return this.decayed(s - this.warmupSteps, this.warmupTarget);
  }

  getConfig(): ScheduleConfig['config'] {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      warmupTarget: this.warmupTarget,
      warmupSteps: this.warmupSteps,
    };
  }
}
