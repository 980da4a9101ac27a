/**
 * ConvLSTMCell: one step of a convolutional LSTM over `rank` spatial axes (gate order i, f, c, o), the shared
 * base of ConvLSTM1DCell and ConvLSTM2DCell (as Keras 3's ConvLSTMCell with its `rank`).
 */
import {
  add,
  concat,
  conv1d,
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
import { CONV_LSTM_CELL_BRAND } from '../engine/class_brands';
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

/**
 * Args of a ConvLSTM cell: the LSTM cell options with `filters` instead of `units`. `Axes` is the per-axis
 * form of `kernelSize`, `strides` and `dilationRate` ([number] for ConvLSTM1D, [rows, cols] for ConvLSTM2D).
 */
export interface ConvLSTMCellArgs<Axes extends number[] = number[]> extends Omit<BaseRNNCellArgs, 'units'> {
  /** Number of output channels of every gate (positive integer). */
  filters: number;
  /** Size of the convolution window along each spatial axis (a number for all of them, or one per axis). */
  kernelSize: number | Axes;
  /** Strides of the input convolution (default 1). The recurrent convolution always uses 1. */
  strides?: number | Axes;
  /** Padding of the input convolution, 'valid' (default) or 'same'. The recurrent convolution uses 'same'. */
  padding?: ConvPadding;
  /** Only 'channelsLast' (channels on the last axis) is supported (default). */
  dataFormat?: 'channelsLast' | 'channelsFirst';
  /**
   * Dilation rate of the input convolution (default 1).
   * tfjs note: Keras 3 and tfjs (at its first call) refuse strides > 1 together with dilationRate > 1; here the input
   * convolution applies both, as Conv1D/Conv2D do.
   */
  dilationRate?: number | Axes;
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

/** The arg names of a ConvLSTM cell, for `checkArgKeys` (the layer adds its own). */
export const CONV_LSTM_CELL_KEYS: readonly string[] = [
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

/** The names of the spatial axes of a ConvLSTM of rank 1 or 2, for shapes in messages and docs. */
const SPATIAL_AXES: { [rank: number]: string[] } = { 1: ['steps'], 2: ['rows', 'cols'] };

/** The spatial axes of `rank` as in a shape, e.g. 'rows, cols' or (with `prefix` 'out') 'outRows, outCols'. */
export function spatialAxesText(rank: number, prefix = ''): string {
  return SPATIAL_AXES[rank].map((a) => (prefix ? prefix + a[0].toUpperCase() + a.slice(1) : a)).join(', ');
}

/** A positive integer or an array of `rank` of them; throws naming `where` and the argument. */
function axesArg(where: string, name: string, v: unknown, rank: number): number[] {
  const axes = typeof v === 'number' ? new Array<number>(rank).fill(v) : v;
  if (!Array.isArray(axes) || axes.length !== rank || !axes.every((p) => Number.isInteger(p) && p > 0)) {
    throw new ValueError(
      `${where}: ${name} must be a positive integer or an array of ${['one', 'two'][rank - 1]}, received ${JSON.stringify(v) ?? String(v)}.`,
    );
  }
  return axes.slice() as number[];
}

/** The validated convolution options of a ConvLSTM cell or layer (one entry per spatial axis). */
export interface ConvOptions<Axes extends number[] = number[]> {
  filters: number;
  kernelSize: Axes;
  strides: Axes;
  padding: ConvPadding;
  dilationRate: Axes;
}

/** Validates and resolves the convolution options of a ConvLSTM of `rank` spatial axes (errors name `where`). */
export function resolveConvOptions(where: string, args: ConvLSTMCellArgs, rank = 2): ConvOptions {
  const filters = args.filters;
  if (typeof filters !== 'number' || !Number.isInteger(filters) || filters <= 0) {
    throw new ValueError(`${where}: filters must be a positive integer, received ${JSON.stringify(filters) ?? String(filters)}.`);
  }
  if (args.dataFormat !== undefined && args.dataFormat !== null && args.dataFormat !== 'channelsLast') {
    const dims = [1, ...Array.from({ length: rank }, (_, i) => i + 3), 2];
    throw new NotImplementedError(
      `${where}: dataFormat ${JSON.stringify(args.dataFormat)} is not supported; only 'channelsLast' ([batch, time, ${spatialAxesText(rank)}, channels]) is. ` +
        `Transpose channels-first inputs with layers.permute({dims: [${dims.join(', ')}]}).`,
    );
  }
  const padding = args.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') {
    throw new ValueError(`${where}: padding must be 'valid' or 'same', received ${JSON.stringify(padding)}.`);
  }
  if (args.kernelSize === undefined || args.kernelSize === null) {
    throw new ValueError(`${where}: kernelSize is required (a positive integer or [${spatialAxesText(rank)}]).`);
  }
  return {
    filters,
    kernelSize: axesArg(where, 'kernelSize', args.kernelSize, rank),
    strides: axesArg(where, 'strides', args.strides ?? 1, rank),
    padding,
    dilationRate: axesArg(where, 'dilationRate', args.dilationRate ?? 1, rank),
  };
}

/** The output size of the input convolution along each spatial axis for the input sizes (null stays null). */
export function convOutputSpatial(o: ConvOptions, ...sizes: (number | null)[]): (number | null)[] {
  return sizes.map((n, i) => convOutputLength(n, o.kernelSize[i], o.padding, o.strides[i], o.dilationRate[i]));
}

/**
 * One ConvLSTM step over `rank` spatial axes (σ = recurrentActivation, ∗ = convolution): with
 * z = conv(x, kernel; strides, padding, dilationRate) + conv(h, recurrent_kernel; 1, 'same') + bias,
 * split along the channels into gates i, f, c, o: i = σ(z_i), f = σ(z_f), c' = f ⊙ c + i ⊙ act(z_c),
 * o = σ(z_o), h' = o ⊙ act(c'). Input x [batch, ...spatial, channels]; states h, c [batch, ...outSpatial, filters].
 * Weights as Keras/tfjs: 'kernel' [...kernelSize, channels, 4·filters], 'recurrent_kernel'
 * [...kernelSize, filters, 4·filters], 'bias' [4·filters]. Use ConvLSTM1DCell or ConvLSTM2DCell.
 */
export class ConvLSTMCell<Axes extends number[] = number[]> extends RNNCell {
  /** Number of spatial axes (1 or 2). */
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: Axes;
  readonly strides: Axes;
  readonly padding: ConvPadding;
  readonly dataFormat = 'channelsLast' as const;
  readonly dilationRate: Axes;
  /** [filters, filters] (h and c); their full shape is [batch, ...outSpatial, filters]. */
  readonly stateSize: number[];
  readonly options: ResolvedCellOptions;
  readonly recurrentActivation: ActivationFn;
  readonly unitForgetBias: boolean;
  readonly implementation: number;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  /** `rank` 1 or 2; the class name (e.g. 'ConvLSTM2DCell') comes from the subclass. */
  protected constructor(args: ConvLSTMCellArgs<Axes>, rank: number) {
    const where = `ConvLSTM${rank}DCell`;
    if (!args || typeof args !== 'object') {
      throw new ValueError(`${where}: expected an args object like {filters: 8, kernelSize: 3}, received ${String(args)}.`);
    }
    checkArgKeys(where, args, [...CONV_LSTM_CELL_KEYS, ...LAYER_ARG_KEYS]);
    checkNumberArg(where, 'dropout', args.dropout, { min: 0, max: 1 });
    checkNumberArg(where, 'recurrentDropout', args.recurrentDropout, { min: 0, max: 1 });
    checkNumberArg(where, 'implementation', (args as { implementation?: unknown }).implementation, {
      min: 1,
      max: 2,
      integer: true,
    });
    const conv = resolveConvOptions(where, args as ConvLSTMCellArgs, rank);
    // tfjs note: the default name is Keras's 'conv_lstm2d_cell' (tfjs's snake-casing gives 'conv_lst_m2d_cell').
    super({ ...args, name: args.name || uniqueLayerName(`conv_lstm${rank}d_cell`) });
    checkBoolArg(`Layer ${this.name}`, 'unitForgetBias', args.unitForgetBias);
    checkBoolArg(`Layer ${this.name}`, 'useBias', args.useBias);
    this.rank = rank;
    this.filters = conv.filters;
    this.kernelSize = conv.kernelSize as Axes;
    this.strides = conv.strides as Axes;
    this.padding = conv.padding;
    this.dilationRate = conv.dilationRate as Axes;
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
  get convOptions(): ConvOptions<Axes> {
    return {
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
    };
  }

  /** The step input shape [batch, ...spatial, channels] from `x`'s shape or `[x, h, c]` shapes; errors name the layer. */
  private stepShape(inputShape: Shape | Shape[]): Shape {
    const shape = firstInputShape(inputShape);
    if (shape.length !== this.rank + 2) {
      throw new ValueError(
        `Layer ${this.name}: a ConvLSTM${this.rank}D step takes inputs of rank ${this.rank + 2} [batch, ${spatialAxesText(this.rank)}, channels], received shape ${formatShape(shape)}.`,
      );
    }
    return shape;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.stepShape(inputShape);
    const channels = shape[this.rank + 1];
    if (typeof channels !== 'number') {
      throw new ValueError(
        `Layer ${this.name}: the channel dimension of the input must be known, received input shape ${formatShape(shape)}.`,
      );
    }
    const o = this.options;
    const F = this.filters;
    const k = this.kernelSize;
    const biasInitializer = this.unitForgetBias ? new UnitForgetBiasInitializer(o.biasInitializer, F) : undefined;
    const w = addWeightsOfShapes(this, o, [...k, channels, 4 * F], [...k, F, 4 * F], [4 * F], biasInitializer);
    this.kernel = w.kernel;
    this.recurrentKernel = w.recurrentKernel;
    this.bias = w.bias;
    this.built = true;
  }

  /** The convolution of the input (its strides, padding and dilation) or, with `recurrent`, of h (stride 1, 'same'). */
  private conv(x: Tensor, kernel: Tensor, recurrent = false): Tensor {
    if (this.rank === 1) {
      return recurrent ? conv1d(x, kernel, 1, 'same') : conv1d(x, kernel, this.strides[0], this.padding, this.dilationRate[0]);
    }
    return recurrent
      ? conv2d(x, kernel, 1, 'same')
      : conv2d(
          x,
          kernel,
          this.strides as number[] as [number, number],
          this.padding,
          'NHWC',
          this.dilationRate as number[] as [number, number],
        );
  }

  /** The kernel slice [...kernelSize, rows, filters] of gate `g` of a [...kernelSize, rows, 4·filters] kernel. */
  private gateKernel(w: Tensor, g: number): Tensor {
    const last = w.rank - 1;
    return slice(
      w,
      w.shape.map((_, i) => (i === last ? g * this.filters : 0)),
      w.shape.map((d, i) => (i === last ? this.filters : d)),
    );
  }

  /**
   * The input part of the gate pre-activations, conv(x, kernel) + bias: [batch, ...outSpatial, 4·filters]
   * for x [batch, ...spatial, channels] (any batch: the layer passes all time steps at once).
   * With per-gate dropout `masks`, gate g convolves x ⊙ masks[g].
   */
  projectInputs(x: Tensor, masks: Tensor[] | null = null): Tensor {
    const k = this.kernel!;
    const z = masks
      ? concat(
          [0, 1, 2, 3].map((g) => this.conv(mul(x, masks[g]), this.gateKernel(k, g))),
          this.rank + 1,
        )
      : this.conv(x, k);
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
    const axis = this.rank + 1;
    // Without recurrent dropout: one add over all gates, then one split (fewer passes than split, split, 4 adds).
    const z = rm
      ? split(xz, 4, axis).map((xg, g) => add(xg, this.conv(mul(h, rm[g]), this.gateKernel(r, g), true)))
      : split(add(xz, this.conv(h, r, true)), 4, axis);
    return lstmGates(z, c, this.recurrentActivation, this.options.activation);
  }

  /** @internal What `isConvLSTMCell` reads (engine/class_brands.ts). */
  get [CONV_LSTM_CELL_BRAND](): true {
    return true;
  }

  /** Whether `call` with this `training` flag applies input dropout (then inputs cannot be projected ahead). */
  usesInputDropout(training: boolean | undefined): boolean {
    return Boolean(training) && this.dropout > 0;
  }

  /** One step: `[x [batch, ...spatial, channels], h, c [batch, ...outSpatial, filters]]` → `[h', h', c']`. */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor[] {
    const [x, [h, c]] = this.splitStepInputs(inputs);
    this.stepShape(x.shape);
    const expected = this.computeOutputShape(x.shape)[0];
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
    // Per-gate masks of the whole input shape, as Keras/tfjs (stepFromProjection draws the recurrent ones).
    const dm = this.sequenceDropoutMasks('input', x.shape, kwargs.training);
    return this.stepFromProjection(this.projectInputs(x, dm), h, c, kwargs.training);
  }

  /** `[[batch, ...outSpatial, filters]] × 3` (output, h, c) for an input [batch, ...spatial, channels]. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shape = this.stepShape(inputShape);
    const spatial = convOutputSpatial(this.convOptions, ...shape.slice(1, -1).map((d) => d ?? null));
    const s: Shape = [shape[0] ?? null, ...spatial, this.filters];
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
