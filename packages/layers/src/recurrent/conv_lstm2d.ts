/** ConvLSTM2D: the recurrent layer over a ConvLSTM2DCell, for sequences of images. */
import { cast, formatShape, reshape, rnn, RnnStepFunction, Tensor, zeros, ValueError, NotImplementedError } from '@recurrent/core';
import { ActivationFn } from '../activations/activation_fn';
import {
  CONV_LSTM2D_CELL_KEYS,
  ConvLSTM2DCell,
  ConvLSTM2DCellArgs,
  convOutputSpatial,
  resolveConvOptions,
} from '../cells/conv_lstm2d_cell';
import { checkArgKeys, checkBoolArg, checkNumberArg, LAYER_ARG_KEYS } from '../engine/args';
import { InputSpec } from '../engine/input_spec';
import { uniqueLayerName } from '../engine/naming';
import { CallKwargs, firstInputShape, getExactlyOneTensor, Shape } from '../engine/layer';
import { BaseRNN, cellArgsOf, RNNLayerOptions } from './base_rnn';

/** Args of `ConvLSTM2D` (tfjs `ConvLSTM2DArgs`): the cell's options plus the RNN layer's. */
export interface ConvLSTM2DArgs extends ConvLSTM2DCellArgs, Omit<RNNLayerOptions, 'inputDim' | 'inputLength'> {}

const RNN_LAYER_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll'];
const KERAS_IGNORED_KEYS = ['zeroOutputForMask', 'timeMajor'];

/**
 * A convolutional LSTM over sequences of images `[batch, timeSteps, rows, cols, channels]` (channels last):
 * every step convolves the input image (`kernelSize`, `strides`, `padding`, `dilationRate`) and the previous
 * state (stride 1, 'same') into the gates i, f, c, o. Output `[batch, outRows, outCols, filters]` (the last
 * step) or `[batch, timeSteps, outRows, outCols, filters]` with `returnSequences`; `returnState` adds the
 * final h and c (each `[batch, outRows, outCols, filters]`). Masks `[batch, timeSteps]`, `goBackwards`,
 * `stateful` and dropout work as in `LSTM`.
 * Weights (tfjs names and shapes): `${name}/kernel` [kh, kw, channels, 4·filters],
 * `${name}/recurrent_kernel` [kh, kw, filters, 4·filters], `${name}/bias` [4·filters].
 *
 * ```js
 * const layer = layers.convLstm2d({filters: 8, kernelSize: 3, padding: 'same', returnSequences: true});
 * layer.apply(x);   // x [2, 10, 16, 16, 3] → [2, 10, 16, 16, 8]
 * ```
 *
 * tfjs note: tfjs throws on masks with 5-D inputs; here masks work (Keras semantics). The op-by-op cell
 * runs at every step (no fused kernel); `unroll` is accepted without effect (tfjs throws); `constants` are
 * refused, as tfjs.
 */
export class ConvLSTM2D extends BaseRNN {
  static override className = 'ConvLSTM2D';
  private convStates: Tensor[] | null = null;

  constructor(args: ConvLSTM2DArgs) {
    if (!args || typeof args !== 'object') {
      throw new ValueError(`ConvLSTM2D: expected an args object like {filters: 8, kernelSize: 3}, received ${String(args)}.`);
    }
    // Keras configs carry `zero_output_for_mask` and (Keras 2) `time_major: false`: accepted with a warning.
    checkArgKeys('ConvLSTM2D', args, [...CONV_LSTM2D_CELL_KEYS, ...RNN_LAYER_KEYS, ...LAYER_ARG_KEYS], KERAS_IGNORED_KEYS);
    checkNumberArg('ConvLSTM2D', 'dropout', args.dropout, { min: 0, max: 1 });
    checkNumberArg('ConvLSTM2D', 'recurrentDropout', args.recurrentDropout, { min: 0, max: 1 });
    checkNumberArg('ConvLSTM2D', 'implementation', (args as { implementation?: unknown }).implementation, {
      min: 1,
      max: 2,
      integer: true,
    });
    if ((args as { timeMajor?: unknown }).timeMajor === true) {
      throw new NotImplementedError('ConvLSTM2D: timeMajor true is not supported; inputs are [batch, timeSteps, rows, cols, channels].');
    }
    resolveConvOptions('ConvLSTM2D', args);
    for (const k of RNN_LAYER_KEYS) checkBoolArg('ConvLSTM2D', k, (args as unknown as Record<string, unknown>)[k]);
    const cellArgs = cellArgsOf(args) as ConvLSTM2DCellArgs & Record<string, unknown>;
    for (const k of KERAS_IGNORED_KEYS) delete cellArgs[k];
    // tfjs note: the default name is Keras's 'conv_lstm2d' (tfjs's snake-casing gives 'conv_lst_m2d').
    super({ ...args, name: args.name || uniqueLayerName('conv_lstm2d'), cell: new ConvLSTM2DCell(cellArgs) });
    this.inputSpec = [new InputSpec({ ndim: 5 })];
    this.activityRegularizer = this.convLstmCell.options.activityRegularizer;
  }

  /** The cell. */
  get convLstmCell(): ConvLSTM2DCell {
    return this.cell as ConvLSTM2DCell;
  }

  get filters(): number {
    return this.convLstmCell.filters;
  }

  get kernelSize(): [number, number] {
    return this.convLstmCell.kernelSize;
  }

  get strides(): [number, number] {
    return this.convLstmCell.strides;
  }

  get padding(): string {
    return this.convLstmCell.padding;
  }

  get dilationRate(): [number, number] {
    return this.convLstmCell.dilationRate;
  }

  get activation(): ActivationFn {
    return this.convLstmCell.activation;
  }

  get recurrentActivation(): ActivationFn {
    return this.convLstmCell.recurrentActivation;
  }

  get dropout(): number {
    return this.convLstmCell.dropout;
  }

  get recurrentDropout(): number {
    return this.convLstmCell.recurrentDropout;
  }

  /** The input shape [batch, timeSteps, rows, cols, channels] from one shape or a list; errors name the layer. */
  private inputShapeOf(inputShape: Shape | Shape[]): Shape {
    const shape = firstInputShape(inputShape);
    if (shape.length !== 5) {
      throw new ValueError(
        `Layer ${this.name}: expected input of rank 5 [batch, timeSteps, rows, cols, channels], received shape ${formatShape(shape)}.`,
      );
    }
    return shape;
  }

  /** [outRows, outCols, filters] of the states for input rows/cols. */
  private stateShapeFor(rows: number | null, cols: number | null): Shape {
    const [oh, ow] = convOutputSpatial(this.convLstmCell.convOptions, rows, cols);
    return [oh, ow, this.filters];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.inputShapeOf(inputShape);
    const [oh, ow] = this.stateShapeFor(shape[2] ?? null, shape[3] ?? null);
    if ((oh !== null && oh <= 0) || (ow !== null && ow <= 0)) {
      throw new ValueError(
        `Layer ${this.name}: with padding '${this.padding}' the kernel ${formatShape(this.kernelSize)} (dilation ${formatShape(this.dilationRate)}) ` +
          `does not fit the input images of shape ${formatShape(shape)}.`,
      );
    }
    super.build(shape);
  }

  /** The current states of a stateful layer ([h, c]; null before the first call / reset). */
  override get states(): Tensor[] | null {
    return this.convStates ? this.convStates.slice() : null;
  }

  private statefulBatch(): number {
    const b = this.batchInputShape?.[0];
    if (typeof b !== 'number') {
      throw new ValueError(
        `Layer ${this.name}: a stateful ConvLSTM2D needs a fixed batch size; pass batchInputShape (e.g. [4, 10, 16, 16, 3]) ` +
          `or inputShape with batchSize when creating the layer.`,
      );
    }
    return b;
  }

  /** The full state shape [batch, outRows, outCols, filters] of a stateful layer (needs the declared input shape). */
  private statefulStateShape(): number[] {
    const batch = this.statefulBatch();
    const s = this.batchInputShape!;
    const full = [batch, ...this.stateShapeFor(s[2] ?? null, s[3] ?? null)];
    if (full.some((d) => d === null)) {
      throw new ValueError(
        `Layer ${this.name}: a stateful ConvLSTM2D needs the rows and cols of its input in batchInputShape, received ${formatShape(s)}.`,
      );
    }
    return full as number[];
  }

  /**
   * Resets the states of a stateful layer to zeros, or to `states` ([h, c], each
   * [batchSize, outRows, outCols, filters]).
   */
  override resetStates(states?: Tensor | Tensor[]): void {
    if (!this.stateful) throw new ValueError(`Layer ${this.name}: resetStates() can only be called on a stateful layer (stateful: true).`);
    const shape = this.statefulStateShape();
    if (states === undefined || states === null) {
      this.convStates = [zeros(shape), zeros(shape)];
      return;
    }
    this.convStates = this.checkConvStates(Array.isArray(states) ? states : [states], shape, 'resetStates');
  }

  private checkConvStates(states: Tensor[], shape: number[], what: string): Tensor[] {
    if (states.length !== 2) {
      throw new ValueError(
        `Layer ${this.name}: ${what} expects 2 state tensors (h, c) of shape ${formatShape(shape)}, received ${states.length}.`,
      );
    }
    return states.map((s, i) => {
      if (!(s instanceof Tensor))
        throw new ValueError(`Layer ${this.name}: ${what}[${i}] must be a Tensor, received ${s === null ? 'null' : typeof s}.`);
      if (s.shape.join() !== shape.join()) {
        throw new ValueError(
          `Layer ${this.name}: ${what}[${i}] must have shape ${formatShape(shape)} ([batch, outRows, outCols, filters]), received ${formatShape(s.shape)}.`,
        );
      }
      return s.dtype === 'float32' ? s : cast(s, 'float32');
    });
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const x = getExactlyOneTensor(this.name, inputs);
    this.inputShapeOf(x.shape);
    if (kwargs.constants !== undefined && kwargs.constants !== null) {
      throw new NotImplementedError(`Layer ${this.name}: ConvLSTM2D does not support constants.`);
    }
    const batch = x.shape[0];
    const stateShape = [batch, ...this.stateShapeFor(x.shape[2], x.shape[3])] as number[];
    const mask = Array.isArray(kwargs.mask) ? (kwargs.mask[0] ?? null) : (kwargs.mask ?? null);
    const training = kwargs.training;

    let initial: Tensor[];
    if (kwargs.initialState !== undefined && kwargs.initialState !== null) {
      const given = Array.isArray(kwargs.initialState) ? kwargs.initialState : [kwargs.initialState];
      initial = this.checkConvStates(given, stateShape, 'initialState');
    } else if (this.stateful) {
      if (this.convStates === null) this.resetStates();
      const declared = this.statefulBatch();
      if (batch !== declared) {
        throw new ValueError(
          `Layer ${this.name}: this stateful ConvLSTM2D was declared with batch size ${declared} but received input of shape ${formatShape(x.shape)}.`,
        );
      }
      initial = this.convStates!;
    } else {
      initial = [zeros(stateShape), zeros(stateShape)];
    }

    const cell = this.convLstmCell;
    cell.resetDropoutMasks();
    let sequence = x;
    let step: RnnStepFunction;
    if (cell.usesInputDropout(training)) {
      const cellKwargs: CallKwargs = { training };
      step = (xt, states) => {
        const out = cell.call([xt, ...states], cellKwargs);
        return [out[0], out.slice(1)];
      };
    } else {
      // The input convolution does not depend on the recurrence: run it once over all time steps
      // ([batch·time, rows, cols, channels], one im2col + gemm) and let the loop add the recurrent part.
      const [, time, rows, cols, channels] = x.shape;
      const projected = cell.projectInputs(reshape(x, [batch * time, rows, cols, channels]));
      sequence = reshape(projected, [batch, time, ...projected.shape.slice(1)]);
      step = (zt, [h, c]) => {
        const out = cell.stepFromProjection(zt, h, c, training);
        return [out[0], out.slice(1)];
      };
    }
    const [last, outputs, states] = rnn(step, sequence, initial, this.goBackwards, mask, [], false, this.returnSequences);
    if (this.stateful) this.convStates = states;
    const output = this.returnSequences ? outputs : last;
    return this.returnState ? [output, ...states] : output;
  }

  /**
   * [batch, outRows, outCols, filters] (with `returnSequences` [batch, timeSteps, outRows, outCols, filters]),
   * followed with `returnState` by two [batch, outRows, outCols, filters] states.
   */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = this.inputShapeOf(inputShape);
    const batch = shape[0] ?? null;
    const state: Shape = [batch, ...this.stateShapeFor(shape[2] ?? null, shape[3] ?? null)];
    const out: Shape = this.returnSequences ? [batch, shape[1] ?? null, ...state.slice(1)] : state;
    if (!this.returnState) return out;
    return [out, state.slice(), state.slice()];
  }
}
