/** SpatialDropout1D: drops whole feature channels of a sequence during training. */
import { checkArgsOf } from '../serialization/registry';
import { describeArg } from '../engine/args';
import { generatorFor, mul, RandomGenerator, Tensor, tensor, ValueError } from '@recurrent/core';
import { InputSpec } from '../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../engine/layer';
import { identityStep } from '../engine/step_function';
import type { LayerStepFunction } from '../engine/step_function';
import type { ConfigDict } from '../serialization/registry';

/** Args of `SpatialDropout1D` (tfjs `SpatialDropout1DLayerConfig`). */
export interface SpatialDropout1DArgs extends LayerArgs {
  /** Fraction of the feature channels to drop, in [0, 1]. */
  rate: number;
  /** Seed of the layer's own generator (masks differ from call to call but are reproducible). */
  seed?: number | null;
}

/**
 * For inputs [batch, timeSteps, features], during training (`apply(x, {training: true})`) each
 * (sample, feature) channel is kept for all time steps with probability 1 − rate and scaled by
 * 1/(1 − rate), i.e. dropout with noise shape [batch, 1, features]; otherwise the input passes through.
 * Masks pass through.
 *
 * tfjs note: a seeded tfjs layer draws the same mask on every call; here the seed starts a generator
 * owned by the layer (as `Dropout`), so masks vary between calls and the sequence is reproducible.
 */
export class SpatialDropout1D extends Layer {
  static override className = 'SpatialDropout1D';
  /** tfjs writes noiseShape into SpatialDropout1D configs; the noise shape here is always [batch, 1, features]. */
  static readonly ignoredArgKeys: readonly string[] = ['noiseShape'];
  readonly rate: number;
  readonly seed: number | null;
  private readonly rng: RandomGenerator | null;

  constructor(args: SpatialDropout1DArgs) {
    super(args);
    if (!args || typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate <= 1)) {
      throw new ValueError(`Layer ${this.name}: rate must be a number in [0, 1], received ${describeArg(args, 'rate')}.`);
    }
    this.rate = args.rate;
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : generatorFor(this.seed);
    this.supportsMasking = true;
    this.inputSpec = [new InputSpec({ ndim: 3 })];
    // Validate the option bag once the object is complete (direct `new SpatialDropout1D(...)`; factories and files check too).
    if (new.target === SpatialDropout1D) checkArgsOf(this, args);
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    if (!kwargs?.training || this.rate === 0) return x;
    const [batch, , features] = x.shape;
    const g = this.rng ?? generatorFor();
    const keep = new Float32Array(batch * features);
    if (this.rate < 1) {
      const scale = 1 / (1 - this.rate);
      for (let i = 0; i < keep.length; i++) keep[i] = g.next() >= this.rate ? scale : 0;
    }
    return mul(x, tensor(keep, [batch, 1, features], 'float32'));
  }

  /** Streaming (`step()`): the identity, as in inference. */
  override stepFunction(): LayerStepFunction {
    return identityStep;
  }

  override getConfig(): ConfigDict {
    return { rate: this.rate, seed: this.seed, ...super.getConfig() };
  }
}
