/** Pooling1D: the shared base of MaxPooling1D and AveragePooling1D (windows over the steps axis). */
import { cast, Tensor } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { checkChannelsLast, checkPaddingArg, positiveInt1, rank3Shape, windowOutputSteps, dropMask } from '../convolutional/base_conv1d';
import type { DataFormat } from '../global_pooling1d';

/** Args of the 1-D pooling layers (tfjs `Pooling1DLayerArgs`). */
export interface Pooling1DArgs extends LayerArgs {
  /** Window length (default 2; a number or a list of one, as Keras files hold it). */
  poolSize?: number | number[];
  /** Step between windows (default poolSize). */
  strides?: number | number[] | null;
  /** 'valid' (default) or 'same' (output steps = ceil(steps / strides)). */
  padding?: 'valid' | 'same';
  /** Only 'channelsLast' is supported. */
  dataFormat?: DataFormat;
}

/**
 * Base of the 1-D pooling layers: [batch, steps, channels] → [batch, outSteps, channels]. No mask is
 * propagated (as tfjs and Keras).
 */
export abstract class Pooling1D extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: 'valid' | 'same';

  constructor(args: Pooling1DArgs = {}) {
    args = args ?? {};
    checkArgKeys(new.target.className, args, ['poolSize', 'strides', 'padding', 'dataFormat', ...LAYER_ARG_KEYS]);
    super(args);
    this.poolSize = positiveInt1(this.name, 'poolSize', args.poolSize ?? 2);
    this.strides = positiveInt1(this.name, 'strides', args.strides ?? this.poolSize);
    this.padding = args.padding ?? 'valid';
    checkPaddingArg(this.name, this.padding, ['valid', 'same']);
    checkChannelsLast(this.name, args.dataFormat);
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  /** The pooling op. */
  protected abstract pool(x: Tensor): Tensor;

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    windowOutputSteps(this.name, x.shape, x.shape[1], this.poolSize, this.strides, this.padding, 1);
    return this.pool(x);
  }

  /** No output mask; an input mask is dropped with a warning, as Keras 3 (tfjs throws). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank3Shape(this.name, inputShape);
    return [shape[0], windowOutputSteps(this.name, shape, shape[1], this.poolSize, this.strides, this.padding, 1), shape[2]];
  }

  override getConfig(): ConfigDict {
    return { poolSize: [this.poolSize], padding: this.padding, strides: [this.strides], ...super.getConfig() };
  }
}
