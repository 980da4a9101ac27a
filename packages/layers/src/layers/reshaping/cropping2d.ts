/** Cropping2D: removes rows and columns at the edges of images. */
import { formatShape, slice, Tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { dropMask } from '../convolutional/base_conv1d';
import { checkChannelsLast2D, rank4Shape } from '../convolutional/window2d';
import type { DataFormat } from '../global_pooling1d';
import { sidePairs2D } from './pair_arg';

/** Args of `Cropping2D` (tfjs `Cropping2DLayerArgs`). */
export interface Cropping2DArgs extends LayerArgs {
  /** Removed on all four sides (a number), [rows, cols] (both sides of each) or [[top, bottom], [left, right]] (default 0). */
  cropping?: number | [number, number] | [[number, number], [number, number]];
  /** Only 'channelsLast' ([batch, rows, cols, channels], the default) is supported. */
  dataFormat?: DataFormat;
}

/**
 * [batch, rows, cols, channels] → [batch, rows − top − bottom, cols − left − right, channels].
 *
 * ```js
 * layers.cropping2d({cropping: [[1, 1], [2, 0]]}).apply(randomNormal([1, 6, 6, 3]));   // shape [1, 4, 4, 3]
 * ```
 */
export class Cropping2D extends Layer {
  static override className = 'Cropping2D';
  readonly cropping: [[number, number], [number, number]];
  readonly dataFormat: DataFormat = 'channelsLast';

  constructor(args: Cropping2DArgs = {}) {
    args = args ?? {};
    checkArgKeys('Cropping2D', args, ['cropping', 'dataFormat', ...LAYER_ARG_KEYS]);
    super(args);
    this.cropping = sidePairs2D(this.name, 'cropping', args.cropping ?? 0);
    checkChannelsLast2D(this.name, args.dataFormat);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  /** [outRows, outCols] (null stays null); throws naming the layer when the cropping leaves nothing. */
  private outSize(shape: Shape): [number | null, number | null] {
    const out = [0, 1].map((a) => {
      const n = shape[a + 1];
      if (n === null) return null;
      const left = n - this.cropping[a][0] - this.cropping[a][1];
      // As Keras 3 (tfjs returns an empty tensor when nothing is left).
      if (left <= 0) {
        throw new ValueError(
          `Layer ${this.name}: cropping ${JSON.stringify(this.cropping)} removes ${left < 0 ? 'more' : 'all'} ${['rows', 'cols'][a]} ` +
            `${left < 0 ? 'than the' : 'of the'} ${n} of input shape ${formatShape(shape)}; it must leave at least one.`,
        );
      }
      return left;
    });
    return [out[0], out[1]];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    const [rows, cols] = this.outSize(x.shape) as [number, number];
    return slice(x, [0, this.cropping[0][0], this.cropping[1][0], 0], [x.shape[0], rows, cols, x.shape[3]]);
  }

  /** No output mask; an input mask is dropped with a warning, as Keras 3 (tfjs throws). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank4Shape(this.name, inputShape);
    return [shape[0], ...this.outSize(shape), shape[3]];
  }

  override getConfig(): ConfigDict {
    return { cropping: this.cropping.map((p) => [...p]), dataFormat: this.dataFormat, ...super.getConfig() };
  }
}
