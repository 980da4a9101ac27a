/** UpSampling2D: repeats each row and column of images (nearest-neighbour upsampling). */
import { gather, NotImplementedError, Tensor, tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { dropMask } from '../convolutional/base_conv1d';
import { checkChannelsLast2D, intPair, rank4Shape } from '../convolutional/window2d';
import type { DataFormat } from '../global_pooling1d';

/** Args of `UpSampling2D` (tfjs `UpSampling2DLayerArgs`). */
export interface UpSampling2DArgs extends LayerArgs {
  /** Repetitions of each row and column: a number or [rows, cols] (default [2, 2]). */
  size?: number | number[];
  /** Only 'channelsLast' ([batch, rows, cols, channels], the default) is supported. */
  dataFormat?: DataFormat;
  /** Only 'nearest' (the default) is supported. */
  interpolation?: 'nearest' | 'bilinear';
}

/** `x` with each index of `axis` repeated `times` times in place (a gather, so differentiable). */
function repeatAlong(x: Tensor, axis: number, times: number): Tensor {
  const n = x.shape[axis] * times;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = Math.floor(i / times);
  return gather(x, tensor(idx, [n], 'int32'), axis);
}

/**
 * [batch, rows, cols, channels] → [batch, rows·sizeRows, cols·sizeCols, channels], each pixel repeated into a
 * sizeRows × sizeCols block ('nearest').
 *
 * ```js
 * layers.upSampling2d({size: [2, 3]}).apply(randomNormal([1, 4, 4, 3]));   // shape [1, 8, 12, 3]
 * ```
 *
 * tfjs note: tfjs 4.22's gradient of UpSampling2D (resizeNearestNeighbor's, cpu backend) mixes the samples of
 * a batch larger than 1; the gradient here sums each output block into its own pixel (finite differences agree),
 * so training with batches differs from tfjs there.
 */
export class UpSampling2D extends Layer {
  static override className = 'UpSampling2D';
  readonly size: [number, number];
  readonly dataFormat: DataFormat = 'channelsLast';
  readonly interpolation = 'nearest';

  constructor(args: UpSampling2DArgs = {}) {
    args = args ?? {};
    checkArgKeys('UpSampling2D', args, ['size', 'dataFormat', 'interpolation', ...LAYER_ARG_KEYS]);
    super(args);
    this.size = intPair(this.name, 'size', args.size ?? 2);
    checkChannelsLast2D(this.name, args.dataFormat);
    const interpolation = args.interpolation ?? 'nearest';
    if (interpolation === 'bilinear') {
      throw new NotImplementedError(`Layer ${this.name}: interpolation 'bilinear' is not supported; only 'nearest' is.`);
    }
    if (interpolation !== 'nearest') {
      throw new ValueError(`Layer ${this.name}: interpolation must be 'nearest', received ${JSON.stringify(interpolation)}.`);
    }
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    return repeatAlong(repeatAlong(x, 1, this.size[0]), 2, this.size[1]);
  }

  /** No output mask; an input mask is dropped with a warning, as Keras 3 (tfjs throws). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank4Shape(this.name, inputShape);
    const times = (n: number | null, k: number) => (n === null ? null : n * k);
    return [shape[0], times(shape[1], this.size[0]), times(shape[2], this.size[1]), shape[3]];
  }

  override getConfig(): ConfigDict {
    return { size: [...this.size], dataFormat: this.dataFormat, interpolation: this.interpolation, ...super.getConfig() };
  }
}
