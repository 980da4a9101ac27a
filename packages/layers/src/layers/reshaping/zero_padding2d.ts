/** ZeroPadding2D: adds rows and columns of zeros around images. */
import { pad, Tensor } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { dropMask } from '../convolutional/base_conv1d';
import { checkChannelsLast2D, rank4Shape } from '../convolutional/window2d';
import type { DataFormat } from '../global_pooling1d';
import { sidePairs2D } from './pair_arg';

/** Args of `ZeroPadding2D` (tfjs `ZeroPadding2DLayerArgs`). */
export interface ZeroPadding2DArgs extends LayerArgs {
  /** Zeros on all four sides (a number), [rows, cols] (both sides of each) or [[top, bottom], [left, right]] (default 1). */
  padding?: number | [number, number] | [[number, number], [number, number]];
  /** Only 'channelsLast' ([batch, rows, cols, channels], the default) is supported. */
  dataFormat?: DataFormat;
}

/**
 * [batch, rows, cols, channels] → [batch, top + rows + bottom, left + cols + right, channels], zeros in the added
 * rows and columns.
 *
 * ```js
 * layers.zeroPadding2d({padding: [[1, 0], [2, 2]]}).apply(randomNormal([1, 5, 5, 3]));   // shape [1, 6, 9, 3]
 * ```
 */
export class ZeroPadding2D extends Layer {
  static override className = 'ZeroPadding2D';
  readonly padding: [[number, number], [number, number]];
  readonly dataFormat: DataFormat = 'channelsLast';

  constructor(args: ZeroPadding2DArgs = {}) {
    args = args ?? {};
    checkArgKeys('ZeroPadding2D', args, ['padding', 'dataFormat', ...LAYER_ARG_KEYS]);
    super(args);
    this.padding = sidePairs2D(this.name, 'padding', args.padding ?? 1);
    checkChannelsLast2D(this.name, args.dataFormat);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    return pad(getExactlyOneTensor(this.name, inputs), [[0, 0], ...this.padding, [0, 0]]);
  }

  /** No output mask; an input mask is dropped with a warning, as Keras 3 (tfjs throws). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank4Shape(this.name, inputShape);
    const grow = (n: number | null, [a, b]: [number, number]) => (n === null ? null : n + a + b);
    return [shape[0], grow(shape[1], this.padding[0]), grow(shape[2], this.padding[1]), shape[3]];
  }

  override getConfig(): ConfigDict {
    return { padding: this.padding.map((p) => [...p]), dataFormat: this.dataFormat, ...super.getConfig() };
  }
}
