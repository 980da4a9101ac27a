/** GaussianDropout: multiplies by 1-centered Gaussian noise during training. */
import { cast, generatorFor, mul, RandomGenerator, Tensor, tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../../engine/layer';
import { identityStep } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import type { ConfigDict } from '../../serialization/registry';
import { normalNoise } from './gaussian_noise';

/** Args of `GaussianDropout` (tfjs `GaussianDropoutArgs`; `seed` as Keras 3). */
export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability in [0, 1): the noise has standard deviation sqrt(rate / (1 − rate)). */
  rate: number;
  /** Seed of the layer's own generator. */
  seed?: number | null;
}

/**
 * During training returns `x · N(1, rate / (1 − rate))` elementwise; otherwise `x`. Shape unchanged;
 * masks pass through; no weights.
 *
 * ```js
 * layers.gaussianDropout({rate: 0.2}).apply(x, {training: true});
 * ```
 */
export class GaussianDropout extends Layer {
  static override className = 'GaussianDropout';
  readonly rate: number;
  readonly seed: number | null;
  private readonly rng: RandomGenerator | null;

  constructor(args: GaussianDropoutArgs) {
    if (!args || typeof args !== 'object')
      throw new ValueError(`GaussianDropout: expected an args object like {rate: 0.2}, received ${String(args)}.`);
    checkArgKeys('GaussianDropout', args, ['rate', 'seed', ...LAYER_ARG_KEYS]);
    super(args);
    if (args.rate == null) throw new ValueError(`Layer ${this.name}: rate is required, e.g. {rate: 0.2}.`);
    checkNumberArg(`Layer ${this.name}`, 'rate', args.rate, { min: 0, max: 1 });
    if (args.rate >= 1) throw new ValueError(`Layer ${this.name}: rate must be below 1, received ${args.rate}.`);
    checkNumberArg(`Layer ${this.name}`, 'seed', args.seed, { integer: true });
    this.rate = args.rate;
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : generatorFor(this.seed);
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (!kwargs?.training || this.rate === 0) return x;
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return mul(x, tensor(normalNoise(this.rng ?? generatorFor(), x.size, 1, stddev), x.shape.slice(), 'float32'));
  }

  /** Streaming (`step()`): the identity, as in inference. */
  override stepFunction(): LayerStepFunction {
    return identityStep;
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { rate: this.rate, ...super.getConfig() };
    if (this.seed !== null) config.seed = this.seed;
    return config;
  }
}
