/** ConvLSTM2DCell: one step of a convolutional LSTM over images (gate order i, f, c, o). */
import {
  add,
  concat,
  conv2d,
  ConvPadding,
  convOutputLength,
  formatShape,
  mul,
  slice,
  split,
  Tensor,
  ValueError,
  NotImplementedError,
} from '@recurrent/core';
import { ActivationFn } from '../activations/activation_fn';
import { checkArgKeys, checkBoolArg, checkNumberArg, LAYER_ARG_KEYS } from '../engine/args';
import { uniqueLayerName } from '../engine/naming';
import { firstInputShape } from '../engine/layer';
import type { CallKwargs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import type { ConfigDict } from '../serialization/registry';
import {
  addWeightsOfShapes,
  BaseRNNCellArgs,
  CellActivation,
  cellOptionsConfig,
  resolveCellOptions,
  ResolvedCellOptions,
  resolveRecurrentActivation,
} from './cell_options';
import { lstmGates, UnitForgetBiasInitializer } from './lstm_cell';
import { RNNCell } from './rnn_cell';

/** Args of `ConvLSTM2DCell` (tfjs `ConvLSTM2DCellArgs`): the LSTM cell options with `filters` instead of `units`. */
export interface ConvLSTM2DCellArgs extends Omit<BaseRNNCellArgs, 'units'> {
  /** Number of output channels of every gate (positive integer). */
  filters: number;
  /** Height and width of the convolution window (a number for both, or [rows, cols]). */
  kernelSize: number | [number, number];
  /** Strides of the input convolution (default 1). The recurrent convolution always uses 1. */
  strides?: number | [number, number];
  /** Padding of the input convolution, 'valid' (default) or 'same'. The recurrent convolution uses 'same'. */
  padding?: ConvPadding;
  /** Only 'channelsLast' ([batch, rows, cols, channels]) is supported (default). */
  dataFormat?: 'channelsLast' | 'channelsFirst';
  /** Dilation rate of the input convolution (default 1). */
  dilationRate?: number | [number, number];
  /** Activation of the input, forget and output gates (default 'hardSigmoid', as tfjs; Keras 3 uses 'sigmoid'). */
  recurrentActivation?: CellActivation;
  /**
   * Initialize the forget-gate slice of the bias to ones (the rest with `biasInitializer`), as Keras.
   * Default true.
   * tfjs note: tfjs leaves this off unless asked; Keras defaults to true.
   */
  unitForgetBias?: boolean;
  /** Accepted for compatibility (tfjs configs carry it); no effect (default 2). */
  implementation?: number;
}

/** The arg names of `ConvLSTM2DCell`, for `checkArgKeys` (the layer adds its own). */
export const CONV_LSTM2D_CELL_KEYS: readonly string[] = [
  'filters',
  'kernelSize',
  'strides',
  'padding',
  'dataFormat',
  'dilationRate',
  'activation',
  'recurrentActivation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'unitForgetBias',
  'kernelRegularizer',
  'recurrentRegularizer',
  'biasRegularizer',
  'activityRegularizer',
  'kernelConstraint',
  'recurrentConstraint',
  'biasConstraint',
  'dropout',
  'recurrentDropout',
  'seed',
  'implementation',
];

/** A positive integer or a pair of them as [rows, cols]; throws naming `where` and the argument. */
function pairArg(where: string, name: string, v: unknown): [number, number] {
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((p) => Number.isInteger(p) && p > 0)) {
    throw new ValueError(`${where}: ${name} must be a positive integer or an array of two, received ${JSON.stringify(v) ?? String(v)}.`);
  }
  return [pair[0], pair[1]];
}

/** The validated convolution options of a ConvLSTM2D cell or layer. */
export interface ConvOptions {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: ConvPadding;
  dilationRate: [number, number];
}

/** Validates and resolves the convolution options (errors name `where`). */
export function resolveConvOptions(where: string, args: ConvLSTM2DCellArgs): ConvOptions {
  const filters = args.filters;
  if (typeof filters !== 'number' || !Number.isInteger(filters) || filters <= 0) {
    throw new ValueError(`${where}: filters must be a positive integer, received ${JSON.stringify(filters) ?? String(filters)}.`);
  }
  if (args.dataFormat !== undefined && args.dataFormat !== null && args.dataFormat !== 'channelsLast') {
    throw new NotImplementedError(
      `${where}: dataFormat ${JSON.stringify(args.dataFormat)} is not supported; only 'channelsLast' ([batch, time, rows, cols, channels]) is. ` +
        'Transpose channels-first inputs with layers.permute({dims: [1, 3, 4, 2]}).',
    );
  }
  const padding = args.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') {
    throw new ValueError(`${where}: padding must be 'valid' or 'same', received ${JSON.stringify(padding)}.`);
  }
  if (args.kernelSize === undefined || args.kernelSize === null) {
    throw new ValueError(`${where}: kernelSize is required (a positive integer or [rows, cols]).`);
  }
  return {
    filters,
    kernelSize: pairArg(where, 'kernelSize', args.kernelSize),
    strides: pairArg(where, 'strides', args.strides ?? 1),
    padding,
    dilationRate: pairArg(where, 'dilationRate', args.dilationRate ?? 1),
  };
}

/** [outRows, outCols] of the input convolution for input rows/cols (null stays null). */
export function convOutputSpatial(o: ConvOptions, rows: number | null, cols: number | null): [number | null, number | null] {
  return [
    convOutputLength(rows, o.kernelSize[0], o.padding, o.strides[0], o.dilationRate[0]),
    convOutputLength(cols, o.kernelSize[1], o.padding, o.strides[1], o.dilationRate[1]),
  ];
}

/**
 * One ConvLSTM step (σ = recurrentActivation, ∗ = 2-D convolution): with
 * z = conv(x, kernel; strides, padding, dilationRate) + conv(h, recurrent_kernel; 1, 'same') + bias,
 * split along the channels into gates i, f, c, o: i = σ(z_i), f = σ(z_f), c' = f ⊙ c + i ⊙ act(z_c),
 * o = σ(z_o), h' = o ⊙ act(c'). Input x [batch, rows, cols, channels]; states h, c [batch, outRows, outCols, filters].
 * Weights as tfjs: 'kernel' [kh, kw, channels, 4·filters], 'recurrent_kernel' [kh, kw, filters, 4·filters],
 * 'bias' [4·filters].
 *
 * ```js
 * const cell = layers.convLstm2dCell({filters: 8, kernelSize: 3, padding: 'same'});
 * const [h, , c] = cell.apply([x, h0, c0]);   // x [2, 16, 16, 3], h0/c0 [2, 16, 16, 8]
 * ```
 */
export class ConvLSTM2DCell extends RNNCell {
  static override className = 'ConvLSTM2DCell';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: ConvPadding;
  readonly dataFormat = 'channelsLast' as const;
  readonly dilationRate: [number, number];
  /** [filters, filters] (h and c); their full shape is [batch, outRows, outCols, filters]. */
  readonly stateSize: number[];
  readonly options: ResolvedCellOptions;
  readonly recurrentActivation: ActivationFn;
  readonly unitForgetBias: boolean;
  readonly implementation: number;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: ConvLSTM2DCellArgs) {
    if (!args || typeof args !== 'object') {
      throw new ValueError(`ConvLSTM2DCell: expected an args object like {filters: 8, kernelSize: 3}, received ${String(args)}.`);
    }
    checkArgKeys('ConvLSTM2DCell', args, [...CONV_LSTM2D_CELL_KEYS, ...LAYER_ARG_KEYS]);
    checkNumberArg('ConvLSTM2DCell', 'dropout', args.dropout, { min: 0, max: 1 });
    checkNumberArg('ConvLSTM2DCell', 'recurrentDropout', args.recurrentDropout, { min: 0, max: 1 });
    checkNumberArg('ConvLSTM2DCell', 'implementation', (args as { implementation?: unknown }).implementation, {
      min: 1,
      max: 2,
      integer: true,
    });
    const conv = resolveConvOptions('ConvLSTM2DCell', args);
    // tfjs note: the default name is Keras's 'conv_lstm2d_cell' (tfjs's snake-casing gives 'conv_lst_m2d_cell').
    super({ ...args, name: args.name || uniqueLayerName('conv_lstm2d_cell') });
    checkBoolArg(`Layer ${this.name}`, 'unitForgetBias', args.unitForgetBias);
    checkBoolArg(`Layer ${this.name}`, 'useBias', args.useBias);
    this.filters = conv.filters;
    this.kernelSize = conv.kernelSize;
    this.strides = conv.strides;
    this.padding = conv.padding;
    this.dilationRate = conv.dilationRate;
    this.options = resolveCellOptions({ ...args, units: conv.filters });
    this.stateSize = [conv.filters, conv.filters];
    this.recurrentActivation = resolveRecurrentActivation(args.recurrentActivation);
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.implementation = args.implementation ?? 2;
    this.dropoutMaskCount = 4;
    this.setDropout(args.dropout, args.recurrentDropout, args.seed);
  }

  get activation(): ActivationFn {
    return this.options.activation;
  }

  get useBias(): boolean {
    return this.options.useBias;
  }

  /** The convolution options. */
  get convOptions(): ConvOptions {
    return {
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
    };
  }

  /** The step input shape [batch, rows, cols, channels] from `x`'s shape or `[x, h, c]` shapes; errors name the layer. */
  private stepShape(inputShape: Shape | Shape[]): Shape {
    const shape = firstInputShape(inputShape);
    if (shape.length !== 4) {
      throw new ValueError(
        `Layer ${this.name}: a ConvLSTM2D step takes inputs of rank 4 [batch, rows, cols, channels], received shape ${formatShape(shape)}.`,
      );
    }
    return shape;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.stepShape(inputShape);
    const channels = shape[3];
    if (typeof channels !== 'number') {
      throw new ValueError(
        `Layer ${this.name}: the channel dimension of the input must be known, received input shape ${formatShape(shape)}.`,
      );
    }
    const o = this.options;
    const F = this.filters;
    const [kh, kw] = this.kernelSize;
    const biasInitializer = this.unitForgetBias ? new UnitForgetBiasInitializer(o.biasInitializer, F) : undefined;
    const w = addWeightsOfShapes(this, o, [kh, kw, channels, 4 * F], [kh, kw, F, 4 * F], [4 * F], biasInitializer);
    this.kernel = w.kernel;
    this.recurrentKernel = w.recurrentKernel;
    this.bias = w.bias;
    this.built = true;
  }

  /** The input convolution of this cell (its strides, padding and dilation). */
  private inputConv(x: Tensor, kernel: Tensor): Tensor {
    return conv2d(x, kernel, this.strides, this.padding, 'NHWC', this.dilationRate);
  }

  /** The kernel slice [kh, kw, rows, filters] of gate `g` of a [kh, kw, rows, 4·filters] kernel. */
  private gateKernel(w: Tensor, g: number): Tensor {
    const [kh, kw, rows] = w.shape;
    return slice(w, [0, 0, 0, g * this.filters], [kh, kw, rows, this.filters]);
  }

  /**
   * The input part of the gate pre-activations, conv(x, kernel) + bias: [batch, outRows, outCols, 4·filters]
   * for x [batch, rows, cols, channels] (any number of images: the layer passes all time steps at once).
   * With per-gate dropout `masks`, gate g convolves x ⊙ masks[g].
   */
  projectInputs(x: Tensor, masks: Tensor[] | null = null): Tensor {
    const k = this.kernel!;
    const z = masks
      ? concat(
          [0, 1, 2, 3].map((g) => this.inputConv(mul(x, masks[g]), this.gateKernel(k, g))),
          3,
        )
      : this.inputConv(x, k);
    return this.bias ? add(z, this.bias) : z;
  }

  /**
   * The rest of a step given the input projection `xz` (from `projectInputs`): adds the recurrent
   * convolution of h (stride 1, 'same'; per-gate recurrent dropout while training) and applies the gates.
   * Returns `[h', h', c']`.
   */
  stepFromProjection(xz: Tensor, h: Tensor, c: Tensor, training: boolean | undefined): Tensor[] {
    const rm = this.sequenceDropoutMasks('recurrent', h.shape, training);
    const r = this.recurrentKernel!;
    // Without recurrent dropout: one add over all gates, then one split (fewer passes than split, split, 4 adds).
    const z = rm
      ? split(xz, 4, 3).map((xg, g) => add(xg, conv2d(mul(h, rm[g]), this.gateKernel(r, g), 1, 'same')))
      : split(add(xz, conv2d(h, r, 1, 'same')), 4, 3);
    return lstmGates(z, c, this.recurrentActivation, this.options.activation);
  }

  /** Whether `call` with this `training` flag applies input dropout (then inputs cannot be projected ahead). */
  usesInputDropout(training: boolean | undefined): boolean {
    return Boolean(training) && this.dropout > 0;
  }

  /** One step: `[x [batch, rows, cols, channels], h, c [batch, outRows, outCols, filters]]` → `[h', h', c']`. */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor[] {
    const [x, [h, c]] = this.splitStepInputs(inputs);
    this.stepShape(x.shape);
    const [oh, ow] = convOutputSpatial(this.convOptions, x.shape[1], x.shape[2]);
    const expected = [x.shape[0], oh, ow, this.filters];
    for (const [name, s] of [
      ['h', h],
      ['c', c],
    ] as const) {
      if (s.shape.join() !== expected.join()) {
        throw new ValueError(
          `Layer ${this.name}: state ${name} must have shape ${formatShape(expected)} for input of shape ${formatShape(x.shape)}, received ${formatShape(s.shape)}.`,
        );
      }
    }
    // Per-gate masks of the whole image shape, as Keras/tfjs (stepFromProjection draws the recurrent ones).
    const dm = this.sequenceDropoutMasks('input', x.shape, kwargs.training);
    return this.stepFromProjection(this.projectInputs(x, dm), h, c, kwargs.training);
  }

  /** `[[batch, outRows, outCols, filters]] × 3` (output, h, c) for an input [batch, rows, cols, channels]. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shape = this.stepShape(inputShape);
    const [oh, ow] = convOutputSpatial(this.convOptions, shape[1] ?? null, shape[2] ?? null);
    const s: Shape = [shape[0] ?? null, oh, ow, this.filters];
    return [s, s.slice(), s.slice()];
  }

  override getConfig(): ConfigDict {
    const config = cellOptionsConfig(this.options, this.dropout, this.recurrentDropout, this.seed, this.recurrentActivation);
    delete config.units;
    return {
      ...config,
      unitForgetBias: this.unitForgetBias,
      implementation: this.implementation,
      filters: this.filters,
      kernelSize: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate.slice(),
      ...super.getConfig(),
    };
  }
}
