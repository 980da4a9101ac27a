/** Conv2D: the 2-D convolution layer over the rows and cols of [batch, rows, cols, channels] images. */
import { add, cast, conv2d, formatShape, NotImplementedError, Tensor, ValueError } from '@recurrent/core';
import { getActivation, serializeActivation } from '../../activations';
import type { ActivationIdentifier } from '../../activations';
import { ActivationFn } from '../../activations/activation_fn';
import { Constraint } from '../../constraints/constraint';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../../constraints';
import { checkArgKeys, checkBoolArg, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { LayerVariable } from '../../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../../initializers';
import { Initializer } from '../../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../../regularizers';
import { Regularizer } from '../../regularizers/regularizer';
import type { ConfigDict, SerializedObject } from '../../serialization/registry';
import type { DataFormat } from '../global_pooling1d';
import { checkPaddingArg, dropMask } from './base_conv1d';
import { checkChannelsLast2D, intPair, rank4Shape, windowOutputSize2D } from './window2d';

/** Args of `Conv2D` (tfjs `ConvLayerArgs`, rank 2). */
export interface Conv2DArgs extends LayerArgs {
  /** Output channels (positive integer). */
  filters: number;
  /** Window size: a number (square) or [rows, cols]. */
  kernelSize: number | number[];
  /** Step between windows (default 1): a number or [rows, cols]. */
  strides?: number | number[];
  /** 'valid' (default) or 'same' (output size ⌈input / strides⌉, TensorFlow's padding). */
  padding?: 'valid' | 'same';
  /** Only 'channelsLast' ([batch, rows, cols, channels], the default) is supported. */
  dataFormat?: DataFormat;
  /** Spacing of the window taps (default 1): a number or [rows, cols]. */
  dilationRate?: number | number[];
  /** Channel groups: Keras files carry `groups: 1`; only 1 is supported. */
  groups?: number;
  /** Activation of the output (default linear). */
  activation?: ActivationIdentifier | ActivationFn | ((x: Tensor) => Tensor) | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Kernel initializer (default 'glorotUniform'). */
  kernelInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Bias initializer (default 'zeros'). */
  biasInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Kernel regularizer. */
  kernelRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Bias regularizer. */
  biasRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Output regularizer. */
  activityRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Kernel constraint. */
  kernelConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Bias constraint. */
  biasConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
}

/**
 * `activation(conv2d(x, kernel) + bias)`: [batch, rows, cols, channels] → [batch, outRows, outCols, filters],
 * where each output size is ⌈(n − (k−1)·d) / s⌉ ('valid') or ⌈n / s⌉ ('same'). Weights as tfjs/Keras:
 * 'kernel' [kernelRows, kernelCols, channels, filters], 'bias' [filters]. Runs as im2col + gemm.
 *
 * ```js
 * const c = layers.conv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu'});
 * c.apply(randomNormal([2, 28, 28, 1]));   // shape [2, 28, 28, 8]
 * // Per frame of a video: layers.timeDistributed({layer: layers.conv2d({filters: 8, kernelSize: 3})})
 * ```
 *
 * tfjs note: tfjs refuses strides > 1 together with dilationRate > 1 and has no gradient for dilation;
 * both work here. An input mask is dropped with a warning (as Keras 3; tfjs throws).
 */
export class Conv2D extends Layer {
  static override className = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat = 'channelsLast';
  readonly dilationRate: [number, number];
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: Conv2DArgs) {
    if (!args || typeof args !== 'object')
      throw new ValueError(`Conv2D: expected an args object like {filters: 16, kernelSize: 3}, received ${String(args)}.`);
    checkArgKeys('Conv2D', args, [
      'filters',
      'kernelSize',
      'strides',
      'padding',
      'dataFormat',
      'dilationRate',
      'groups',
      'activation',
      'useBias',
      'kernelInitializer',
      'biasInitializer',
      'kernelRegularizer',
      'biasRegularizer',
      'activityRegularizer',
      'kernelConstraint',
      'biasConstraint',
      ...LAYER_ARG_KEYS,
    ]);
    super(args);
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new ValueError(`Layer ${this.name}: filters must be a positive integer, received ${String(args.filters)}.`);
    }
    this.filters = args.filters;
    if (args.kernelSize == null) {
      throw new ValueError(
        `Layer ${this.name}: kernelSize is required (a positive integer or [rows, cols]), received ${String(args.kernelSize)}.`,
      );
    }
    this.kernelSize = intPair(this.name, 'kernelSize', args.kernelSize);
    this.strides = intPair(this.name, 'strides', args.strides ?? 1);
    this.dilationRate = intPair(this.name, 'dilationRate', args.dilationRate ?? 1);
    this.padding = args.padding ?? 'valid';
    checkPaddingArg(this.name, this.padding, ['valid', 'same']);
    checkChannelsLast2D(this.name, args.dataFormat);
    if (args.groups != null && args.groups !== 1) {
      throw new NotImplementedError(
        `Layer ${this.name}: groups must be 1 (grouped 2-D convolution is not supported), received ${String(args.groups)}.`,
      );
    }
    checkBoolArg(`Layer ${this.name}`, 'useBias', args.useBias);
    this.activation = getActivation(args.activation ?? null);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    this.kernelConstraint = getConstraint(args.kernelConstraint);
    this.biasConstraint = getConstraint(args.biasConstraint);
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = getExactlyOneShape(this.name, inputShape);
    const cin = shape[3];
    if (shape.length !== 4 || typeof cin !== 'number') {
      throw new ValueError(
        `Layer ${this.name}: expected input of shape [batch, rows, cols, channels] with known channels, received ${formatShape(shape)}.`,
      );
    }
    windowOutputSize2D(this.name, shape, this.kernelSize, this.strides, this.padding, this.dilationRate);
    this.kernel = this.addWeight(
      'kernel',
      [...this.kernelSize, cin, this.filters],
      'float32',
      this.kernelInitializer,
      this.kernelRegularizer,
      true,
      this.kernelConstraint,
    );
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInitializer, this.biasRegularizer, true, this.biasConstraint);
    }
    this.inputSpec = [new InputSpec({ ndim: 4, axes: { [-1]: cin } })];
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    windowOutputSize2D(this.name, x.shape, this.kernelSize, this.strides, this.padding, this.dilationRate);
    const y = conv2d(x, this.kernel!, this.strides, this.padding, 'NHWC', this.dilationRate);
    return this.activation.apply(this.bias ? add(y, this.bias) : y);
  }

  /** No output mask; an input mask is dropped with a warning (see `dropMask`). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank4Shape(this.name, inputShape);
    return [
      shape[0],
      ...windowOutputSize2D(this.name, shape, this.kernelSize, this.strides, this.padding, this.dilationRate),
      this.filters,
    ];
  }

  override getConfig(): ConfigDict {
    return {
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      biasConstraint: serializeConstraint(this.biasConstraint),
      ...super.getConfig(),
    };
  }
}
