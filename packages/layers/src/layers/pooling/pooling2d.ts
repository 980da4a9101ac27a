/** Pooling2D: the shared base of MaxPooling2D and AveragePooling2D (windows over rows and cols). */
import { cast, Tensor } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { checkPaddingArg, dropMask } from '../convolutional/base_conv1d';
import { checkChannelsLast2D, intPair, rank4Shape, windowOutputSize2D } from '../convolutional/window2d';
import type { DataFormat } from '../global_pooling1d';

/** Args of the 2-D pooling layers (tfjs `Pooling2DLayerArgs`). */
export interface Pooling2DArgs extends LayerArgs {
  /** Window size (default [2, 2]): a number (square) or [rows, cols]. */
  poolSize?: number | number[];
  /** Step between windows (default poolSize): a number or [rows, cols]. */
  strides?: number | number[] | null;
  /** 'valid' (default) or 'same' (output size ⌈input / strides⌉). */
  padding?: 'valid' | 'same';
  /** Only 'channelsLast' ([batch, rows, cols, channels], the default) is supported. */
  dataFormat?: DataFormat;
}

/**
 * Base of the 2-D pooling layers: [batch, rows, cols, channels] → [batch, outRows, outCols, channels]. No
 * weights; an input mask is dropped with a warning (as Keras 3; tfjs throws).
 */
export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat = 'channelsLast';

  constructor(args: Pooling2DArgs = {}) {
    args = args ?? {};
    checkArgKeys(new.target.className, args, ['poolSize', 'strides', 'padding', 'dataFormat', ...LAYER_ARG_KEYS]);
    super(args);
    this.poolSize = intPair(this.name, 'poolSize', args.poolSize ?? 2);
    this.strides = intPair(this.name, 'strides', args.strides ?? this.poolSize);
    this.padding = args.padding ?? 'valid';
    checkPaddingArg(this.name, this.padding, ['valid', 'same']);
    checkChannelsLast2D(this.name, args.dataFormat);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  /** The pooling op. */
  protected abstract pool(x: Tensor): Tensor;

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    windowOutputSize2D(this.name, x.shape, this.poolSize, this.strides, this.padding);
    return this.pool(x);
  }

  /** No output mask; an input mask is dropped with a warning, as Keras 3 (tfjs throws). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank4Shape(this.name, inputShape);
    return [shape[0], ...windowOutputSize2D(this.name, shape, this.poolSize, this.strides, this.padding), shape[3]];
  }

  override getConfig(): ConfigDict {
    return {
      poolSize: [...this.poolSize],
      padding: this.padding,
      strides: [...this.strides],
      dataFormat: this.dataFormat,
      ...super.getConfig(),
    };
  }
}
