/** ZeroPadding1D: adds zero steps at the start and end of sequences. */
import { pad, Tensor } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { checkChannelsLast, rank3Shape, dropMask } from '../convolutional/base_conv1d';
import type { DataFormat } from '../global_pooling1d';
import { stepPair } from './pair_arg';

/** Args of `ZeroPadding1D` (Keras `ZeroPadding1D`). */
export interface ZeroPadding1DArgs extends LayerArgs {
  /** Zero steps on both sides (a number) or [left, right] (default 1). */
  padding?: number | [number, number];
  /** Only 'channelsLast' is supported. */
  dataFormat?: DataFormat;
}

/**
 * [batch, steps, channels] → [batch, left + steps + right, channels] with zeros in the added steps.
 *
 * ```js
 * layers.zeroPadding1d({padding: [2, 0]}).apply(randomNormal([1, 5, 3]));   // shape [1, 7, 3]
 * ```
 *
 * tfjs note: tfjs has ZeroPadding2D only; this is Keras's ZeroPadding1D.
 */
export class ZeroPadding1D extends Layer {
  static override className = 'ZeroPadding1D';
  readonly padding: [number, number];

  constructor(args: ZeroPadding1DArgs = {}) {
    args = args ?? {};
    checkArgKeys('ZeroPadding1D', args, ['padding', 'dataFormat', ...LAYER_ARG_KEYS]);
    super(args);
    this.padding = stepPair(this.name, 'padding', args.padding ?? 1);
    checkChannelsLast(this.name, args.dataFormat);
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    return pad(getExactlyOneTensor(this.name, inputs), [[0, 0], this.padding, [0, 0]]);
  }

  /** No output mask; an input mask is dropped with a warning, as Keras 3 (tfjs throws). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank3Shape(this.name, inputShape);
    return [shape[0], shape[1] === null ? null : shape[1] + this.padding[0] + this.padding[1], shape[2]];
  }

  override getConfig(): ConfigDict {
    return { padding: [...this.padding], ...super.getConfig() };
  }
}
