/** `ExponentialDecay` (Keras): `lr(step) = initialLearningRate · decayRate^(step / decaySteps)`. */
import { DecayRateArgs, DecayRateSchedule } from './decay_rate_schedule';

/** Args of `exponentialDecay` (Keras names, camelCase). */
export type ExponentialDecayArgs = DecayRateArgs;

/**
 * `initialLearningRate · decayRate^(step / decaySteps)` (exponent floored with `staircase`).
 *
 * ```js
 * train.schedules.exponentialDecay({initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96});
 * ```
 */
export class ExponentialDecay extends DecayRateSchedule {
  static override readonly className = 'ExponentialDecay';

  constructor(args: ExponentialDecayArgs) {
    super('ExponentialDecay', args);
  }

  call(step: number): number {
    return this.initialLearningRate * Math.pow(this.decayRate, this.progress(step));
  }
}
