/** BaseConv1D: what Conv1D, DepthwiseConv1D and SeparableConv1D share (window geometry, bias, activation, config). */
import { cast, conv1dGeometry, formatShape, Tensor, ValueError, NotImplementedError } from '@recurrent/core';
import { getActivation, serializeActivation } from '../../activations';
import type { ActivationIdentifier } from '../../activations';
import { ActivationFn } from '../../activations/activation_fn';
import { Constraint } from '../../constraints/constraint';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../../constraints';
import { checkBoolArg, warnOnce } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { LayerVariable } from '../../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../../initializers';
import { Initializer } from '../../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../../regularizers';
import { Regularizer } from '../../regularizers/regularizer';
import type { ConfigDict, SerializedObject } from '../../serialization/registry';
import type { DataFormat } from '../global_pooling1d';

/** Padding of the 1-D convolution layers: 'valid' (none), 'same' (output steps = ceil(steps / strides)), 'causal' (left only). */
export type Conv1DLayerPadding = 'valid' | 'same' | 'causal';

/** Args every 1-D convolution layer takes (tfjs `BaseConvLayerArgs`, rank 1). */
export interface BaseConv1DArgs extends LayerArgs {
  /** Window length (a number or a one-element list, as Keras files hold it). */
  kernelSize: number | number[];
  /** Step between windows (default 1). */
  strides?: number | number[];
  /** 'valid' (default), 'same' or 'causal'. */
  padding?: Conv1DLayerPadding;
  /** Only 'channelsLast' ([batch, steps, channels], the default) is supported. */
  dataFormat?: DataFormat;
  /** Spacing of the window taps (default 1). */
  dilationRate?: number | number[];
  /** Activation of the output (default linear). */
  activation?: ActivationIdentifier | ActivationFn | ((x: Tensor) => Tensor) | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Bias initializer (default 'zeros'). */
  biasInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Bias regularizer. */
  biasRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Bias constraint. */
  biasConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Output regularizer. */
  activityRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
}

/** The arg names of BaseConv1DArgs, for `checkArgKeys`. */
export const BASE_CONV1D_ARG_KEYS: readonly string[] = [
  'kernelSize',
  'strides',
  'padding',
  'dataFormat',
  'dilationRate',
  'activation',
  'useBias',
  'biasInitializer',
  'biasRegularizer',
  'biasConstraint',
  'activityRegularizer',
];

/** A positive integer from `v` or a one-element list of one (Keras files store [5]); throws naming the layer and arg. */
export function positiveInt1(layer: string, name: string, v: unknown): number {
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (!Number.isInteger(n) || (n as number) < 1) {
    throw new ValueError(`Layer ${layer}: ${name} must be a positive integer or a list of one, received ${JSON.stringify(v)}.`);
  }
  return n as number;
}

/** Checks the 1-D padding arg of a layer (`allowed` lists the accepted modes). */
export function checkPaddingArg(layer: string, padding: unknown, allowed: readonly string[]): void {
  if (typeof padding !== 'string' || !allowed.includes(padding)) {
    throw new ValueError(
      `Layer ${layer}: padding must be ${allowed.map((p) => `'${p}'`).join(', ')}, received ${JSON.stringify(padding)}.`,
    );
  }
}

/** `inputShape` as one rank-3 shape [batch, steps, channels]; throws naming the layer otherwise (computeOutputShape of the 1-D window layers). */
export function rank3Shape(layer: string, inputShape: Shape | Shape[]): Shape {
  const shape = getExactlyOneShape(layer, inputShape);
  if (shape.length !== 3) {
    throw new ValueError(`Layer ${layer}: expected input of shape [batch, steps, channels], received ${formatShape(shape)}.`);
  }
  return shape;
}

/**
 * The output mask of a 1-D window layer: none. A given input mask is dropped with a one-time warning,
 * as Keras 3 does (its steps no longer line up with the output's).
 *
 * tfjs note: tfjs throws when such a layer is given a mask; Keras 3 warns and drops it, so Keras files
 * with Embedding(maskZero) → Conv1D → LSTM load and predict as in Keras.
 */
export function dropMask(layer: Layer, mask: Tensor | Tensor[] | null | undefined): null {
  const given = Array.isArray(mask) ? mask.some((m) => m != null) : mask != null;
  if (given) {
    warnOnce(
      `Layer ${layer.name} (${layer.getClassName()}) does not support masking: the input mask is dropped (as Keras 3); later layers see none.`,
    );
  }
  return null;
}

/** Checks dataFormat: only channels-last is implemented for the 1-D window layers. */
export function checkChannelsLast(layer: string, dataFormat: unknown): void {
  if (dataFormat == null || dataFormat === 'channelsLast') return;
  if (dataFormat === 'channelsFirst') {
    throw new NotImplementedError(
      `Layer ${layer}: dataFormat 'channelsFirst' is not supported; inputs are [batch, steps, channels] ('channelsLast').`,
    );
  }
  throw new ValueError(`Layer ${layer}: dataFormat must be 'channelsLast', received ${JSON.stringify(dataFormat)}.`);
}

/**
 * Output steps of a window layer for `steps` input steps (null stays null); throws naming the layer,
 * the input shape and the window when the window is longer than the (padded) sequence.
 */
export function windowOutputSteps(
  layer: string,
  inputShape: Shape,
  steps: number | null,
  kernel: number,
  stride: number,
  padding: Conv1DLayerPadding,
  dilation: number,
): number | null {
  if (steps === null) return null;
  try {
    return conv1dGeometry(`Layer ${layer}`, steps, kernel, stride, padding, dilation).outLength;
  } catch (e) {
    throw new ValueError(`${(e as Error).message} Input shape ${formatShape(inputShape)}.`);
  }
}

/**
 * Base of the 1-D convolution layers: inputs [batch, steps, channels] → [batch, outSteps, outChannels],
 * `activation(convolution + bias)`. Subclasses create their kernels in `buildKernels` and compute the
 * convolution in `convolve`. An input mask is dropped (with a warning, as Keras 3).
 */
export abstract class BaseConv1D extends Layer {
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Conv1DLayerPadding;
  readonly dataFormat: DataFormat = 'channelsLast';
  readonly dilationRate: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  readonly biasConstraint: Constraint | null;
  bias: LayerVariable | null = null;

  constructor(args: BaseConv1DArgs, paddings: readonly Conv1DLayerPadding[] = ['valid', 'same', 'causal']) {
    super(args);
    this.kernelSize = positiveInt1(this.name, 'kernelSize', args.kernelSize);
    this.strides = positiveInt1(this.name, 'strides', args.strides ?? 1);
    this.dilationRate = positiveInt1(this.name, 'dilationRate', args.dilationRate ?? 1);
    this.padding = args.padding ?? 'valid';
    checkPaddingArg(this.name, this.padding, paddings);
    checkChannelsLast(this.name, args.dataFormat);
    checkBoolArg(`Layer ${this.name}`, 'useBias', args.useBias);
    this.activation = getActivation(args.activation ?? null);
    this.useBias = args.useBias ?? true;
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.biasConstraint = getConstraint(args.biasConstraint);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  /** Output channels for `inChannels` input channels (null: unknown). */
  protected abstract outChannels(inChannels: number | null): number | null;
  /** Creates the kernels (called from build with the known input channels). */
  protected abstract buildKernels(inChannels: number): void;
  /** The convolution plus `bias` (added by the conv1d op in the same pass), without the activation. */
  protected abstract convolve(x: Tensor, bias: Tensor | null): Tensor;

  override build(inputShape: Shape | Shape[]): void {
    const shape = getExactlyOneShape(this.name, inputShape);
    const cin = shape[2];
    if (shape.length !== 3 || typeof cin !== 'number') {
      throw new ValueError(
        `Layer ${this.name}: expected input of shape [batch, steps, channels] with known channels, received ${formatShape(shape)}.`,
      );
    }
    windowOutputSteps(this.name, shape, shape[1], this.kernelSize, this.strides, this.padding, this.dilationRate);
    this.buildKernels(cin);
    if (this.useBias) {
      this.bias = this.addWeight(
        'bias',
        [this.outChannels(cin) as number],
        'float32',
        this.biasInitializer,
        this.biasRegularizer,
        true,
        this.biasConstraint,
      );
    }
    this.inputSpec = [new InputSpec({ ndim: 3, axes: { [-1]: cin } })];
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    windowOutputSteps(this.name, x.shape, x.shape[1], this.kernelSize, this.strides, this.padding, this.dilationRate);
    return this.activation.apply(this.convolve(x, this.bias));
  }

  /** No output mask; an input mask is dropped with a warning (see {@link dropMask}). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank3Shape(this.name, inputShape);
    const steps = windowOutputSteps(this.name, shape, shape[1], this.kernelSize, this.strides, this.padding, this.dilationRate);
    return [shape[0], steps, this.outChannels(shape[2])];
  }

  override getConfig(): ConfigDict {
    return {
      kernelSize: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [this.dilationRate],
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      biasInitializer: serializeInitializer(this.biasInitializer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      biasConstraint: serializeConstraint(this.biasConstraint),
      ...super.getConfig(),
    };
  }
}
