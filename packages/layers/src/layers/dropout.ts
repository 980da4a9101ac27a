/** Dropout: zeroes a random fraction of the inputs during training. */
import { checkArgsOf } from '../serialization/registry';
import { describeArg } from '../engine/args';
import { dropoutKeepMask, generatorFor, mul, RandomGenerator, Tensor, ValueError } from '@recurrent/core';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../engine/layer';
import { identityStep } from '../engine/step_function';
import { resolveNoiseShape } from './noise_shape';
import type { LayerStepFunction } from '../engine/step_function';
import type { ConfigDict } from '../serialization/registry';

/** Args of `Dropout`. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1]. */
  rate: number;
  /** Shape of the keep/drop mask, broadcast against the input; null entries take the input's size. */
  noiseShape?: (number | null)[] | null;
  /** Seed of the layer's own generator (masks differ from call to call but are reproducible). */
  seed?: number | null;
}

/**
 * During training (`apply(x, {training: true})`) each element (or each noise-shape slice) is kept
 * with probability 1 − rate and scaled by 1/(1 − rate); otherwise the input passes through.
 *
 * tfjs note: a seeded tfjs Dropout draws the same mask on every call; here the seed starts a
 * generator owned by the layer, so masks vary between calls and the sequence is reproducible.
 */
export class Dropout extends Layer {
  static override className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  private readonly rng: RandomGenerator | null;

  constructor(args: DropoutArgs) {
    super(args);
    if (!args || typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate <= 1)) {
      throw new ValueError(`Layer ${this.name}: rate must be a number in [0, 1], received ${describeArg(args, 'rate')}.`);
    }
    this.rate = args.rate;
    this.noiseShape = args.noiseShape ?? null;
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : generatorFor(this.seed);
    this.supportsMasking = true;
    // Validate the option bag once the object is complete (direct `new Dropout(...)`; factories and files check too).
    if (new.target === Dropout) checkArgsOf(this, args);
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    if (!kwargs?.training || this.rate === 0) return x;
    const shape = resolveNoiseShape(this.name, this.noiseShape, x.shape);
    return mul(x, dropoutKeepMask(this.rate, shape, this.rng ?? generatorFor()));
  }

  /** Streaming (`step()`): the identity, as in inference. */
  override stepFunction(): LayerStepFunction {
    return identityStep;
  }

  override getConfig(): ConfigDict {
    return { rate: this.rate, noiseShape: this.noiseShape, seed: this.seed, ...super.getConfig() };
  }
}
