/** `InverseTimeDecay` (Keras): `lr(step) = initialLearningRate / (1 + decayRate · step / decaySteps)`. */
import { DecayRateArgs, DecayRateSchedule } from './decay_rate_schedule';

/** Args of `inverseTimeDecay` (Keras names, camelCase). */
export type InverseTimeDecayArgs = DecayRateArgs;

/**
 * `initialLearningRate / (1 + decayRate · step / decaySteps)` (the ratio floored with `staircase`).
 *
 * ```js
 * train.schedules.inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5});
 * ```
 */
export class InverseTimeDecay extends DecayRateSchedule {
  static override readonly className = 'InverseTimeDecay';

  constructor(args: InverseTimeDecayArgs) {
    super('InverseTimeDecay', args);
  }

  call(step: number): number {
    return this.initialLearningRate / (1 + this.decayRate * this.progress(step));
  }
}
