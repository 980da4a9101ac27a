/** AlphaDropout: dropout that keeps the mean and variance of self-normalizing (selu) activations. */
import { add, cast, generatorFor, mul, RandomGenerator, Tensor, tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../../engine/layer';
import { identityStep } from '../../engine/step_function';
import { resolveNoiseShape } from '../noise_shape';
import type { LayerStepFunction } from '../../engine/step_function';
import type { ConfigDict } from '../../serialization/registry';

/** Args of `AlphaDropout` (tfjs `AlphaDropoutArgs`; `seed` as Keras 3). */
export interface AlphaDropoutArgs extends LayerArgs {
  /** Drop probability in [0, 1). */
  rate: number;
  /** Shape of the keep/drop mask, broadcast against the input (null entries take the input's size). */
  noiseShape?: (number | null)[] | null;
  /** Seed of the layer's own generator. */
  seed?: number | null;
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * During training each element is kept with probability 1 − rate or set to −scale·alpha (selu's
 * negative saturation), then the result is mapped affinely (`a·x + b`) so inputs of mean 0 and variance
 * 1 keep them: `a = ((1 − rate)(1 + rate·alphaP²))^−½`, `b = −a·alphaP·rate`, `alphaP = −alpha·scale`.
 * Otherwise the input passes through. Masks pass through; no weights.
 *
 * ```js
 * layers.alphaDropout({rate: 0.1}).apply(x, {training: true});
 * ```
 *
 * tfjs note: Keras's formula: dropped elements become alphaP before the affine map (tfjs's AlphaDropout
 * writes −alphaP there).
 */
export class AlphaDropout extends Layer {
  static override className = 'AlphaDropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;
  private readonly rng: RandomGenerator | null;

  constructor(args: AlphaDropoutArgs) {
    if (!args || typeof args !== 'object')
      throw new ValueError(`AlphaDropout: expected an args object like {rate: 0.1}, received ${String(args)}.`);
    checkArgKeys('AlphaDropout', args, ['rate', 'noiseShape', 'seed', ...LAYER_ARG_KEYS]);
    super(args);
    if (args.rate == null) throw new ValueError(`Layer ${this.name}: rate is required, e.g. {rate: 0.1}.`);
    checkNumberArg(`Layer ${this.name}`, 'rate', args.rate, { min: 0, max: 1 });
    if (args.rate >= 1) throw new ValueError(`Layer ${this.name}: rate must be below 1, received ${args.rate}.`);
    checkNumberArg(`Layer ${this.name}`, 'seed', args.seed, { integer: true });
    this.rate = args.rate;
    this.noiseShape = args.noiseShape ? args.noiseShape.slice() : null;
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : generatorFor(this.seed);
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (!kwargs?.training || this.rate === 0) return x;
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    const shape = resolveNoiseShape(this.name, this.noiseShape, x.shape);
    const g = this.rng ?? generatorFor();
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - this.rate) * (1 + this.rate * alphaP * alphaP)) ** -0.5;
    const b = -a * alphaP * this.rate;
    let n = 1;
    for (const d of shape) n *= d;
    // y = a·(x·kept + alphaP·(1 − kept)) + b = x·(a·kept) + (a·alphaP·(1 − kept) + b).
    const scale = new Float32Array(n);
    const shift = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const kept = g.next() >= this.rate;
      scale[i] = kept ? a : 0;
      shift[i] = kept ? b : a * alphaP + b;
    }
    return add(mul(x, tensor(scale, shape, 'float32')), tensor(shift, shape, 'float32'));
  }

  /** Streaming (`step()`): the identity, as in inference. */
  override stepFunction(): LayerStepFunction {
    return identityStep;
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { rate: this.rate, noiseShape: this.noiseShape, ...super.getConfig() };
    if (this.seed !== null) config.seed = this.seed;
    return config;
  }
}
