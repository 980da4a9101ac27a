/** UpSampling1D: repeats each step of sequences `size` times. */
import { gather, Tensor, tensor } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { positiveInt1, rank3Shape, dropMask } from '../convolutional/base_conv1d';

/** Args of `UpSampling1D` (Keras `UpSampling1D`). */
export interface UpSampling1DArgs extends LayerArgs {
  /** Repetitions of each step (default 2). */
  size?: number;
}

/**
 * [batch, steps, channels] → [batch, steps·size, channels], step t repeated `size` times in place.
 *
 * ```js
 * layers.upSampling1d({size: 3}).apply(randomNormal([1, 4, 2]));   // shape [1, 12, 2]
 * ```
 *
 * tfjs note: tfjs has UpSampling2D only; this is Keras's UpSampling1D.
 */
export class UpSampling1D extends Layer {
  static override className = 'UpSampling1D';
  readonly size: number;

  constructor(args: UpSampling1DArgs = {}) {
    args = args ?? {};
    checkArgKeys('UpSampling1D', args, ['size', ...LAYER_ARG_KEYS]);
    super(args);
    this.size = positiveInt1(this.name, 'size', args.size ?? 2);
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    const n = x.shape[1] * this.size;
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = Math.floor(i / this.size);
    return gather(x, tensor(idx, [n], 'int32'), 1);
  }

  /** No output mask; an input mask is dropped with a warning, as Keras 3 (tfjs throws). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank3Shape(this.name, inputShape);
    return [shape[0], shape[1] === null ? null : shape[1] * this.size, shape[2]];
  }

  override getConfig(): ConfigDict {
    return { size: this.size, ...super.getConfig() };
  }
}
