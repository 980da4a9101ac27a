/** GaussianNoise: adds zero-centered Gaussian noise during training. */
import { add, cast, generatorFor, RandomGenerator, Tensor, tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../../engine/layer';
import { identityStep } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import type { ConfigDict } from '../../serialization/registry';

/** Args of `GaussianNoise` (tfjs `GaussianNoiseArgs`; `seed` as Keras 3). */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the noise (≥ 0). */
  stddev: number;
  /** Seed of the layer's own generator (noise differs from call to call, reproducibly). */
  seed?: number | null;
}

/** Fills a Float32Array of `n` normal draws from `g`. */
export function normalNoise(g: RandomGenerator, n: number, mean: number, stddev: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = g.normal(mean, stddev);
  return out;
}

/**
 * During training (`apply(x, {training: true})`) returns `x + N(0, stddev²)` elementwise; otherwise `x`.
 * Shape unchanged; masks pass through; no weights.
 *
 * ```js
 * layers.gaussianNoise({stddev: 0.1}).apply(x, {training: true});
 * ```
 */
export class GaussianNoise extends Layer {
  static override className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | null;
  private readonly rng: RandomGenerator | null;

  constructor(args: GaussianNoiseArgs) {
    if (!args || typeof args !== 'object')
      throw new ValueError(`GaussianNoise: expected an args object like {stddev: 0.1}, received ${String(args)}.`);
    checkArgKeys('GaussianNoise', args, ['stddev', 'seed', ...LAYER_ARG_KEYS]);
    super(args);
    if (args.stddev == null) throw new ValueError(`Layer ${this.name}: stddev is required, e.g. {stddev: 0.1}.`);
    checkNumberArg(`Layer ${this.name}`, 'stddev', args.stddev, { min: 0 });
    checkNumberArg(`Layer ${this.name}`, 'seed', args.seed, { integer: true });
    this.stddev = args.stddev;
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : generatorFor(this.seed);
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (!kwargs?.training) return x;
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    return add(x, tensor(normalNoise(this.rng ?? generatorFor(), x.size, 0, this.stddev), x.shape.slice(), 'float32'));
  }

  /** Streaming (`step()`): the identity, as in inference. */
  override stepFunction(): LayerStepFunction {
    return identityStep;
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { stddev: this.stddev, ...super.getConfig() };
    if (this.seed !== null) config.seed = this.seed;
    return config;
  }
}
