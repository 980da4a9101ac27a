/**
 * ConvLSTM: the recurrent layer over a ConvLSTM cell of `rank` spatial axes, the shared base of ConvLSTM1D and
 * ConvLSTM2D (as Keras 3's ConvLSTM with its `rank`).
 */
import { cast, formatShape, reshape, rnn, RnnStepFunction, Tensor, zeros, ValueError, NotImplementedError } from '@recurrent/core';
import { ActivationFn } from '../activations/activation_fn';
import {
  CONV_LSTM_CELL_KEYS,
  ConvLSTMCell,
  ConvLSTMCellArgs,
  convOutputSpatial,
  resolveConvOptions,
  spatialAxesText,
} from '../cells/conv_lstm_cell';
import { checkArgKeys, checkBoolArg, checkNumberArg, LAYER_ARG_KEYS } from '../engine/args';
import { InputSpec } from '../engine/input_spec';
import { uniqueLayerName } from '../engine/naming';
import { CallKwargs, firstInputShape, getExactlyOneTensor, Shape } from '../engine/layer';
import { BaseRNN, cellArgsOf, RNNLayerOptions } from './base_rnn';

/** Args of a ConvLSTM layer: the cell's options plus the RNN layer's. */
export interface ConvLSTMArgs<Axes extends number[] = number[]>
  extends ConvLSTMCellArgs<Axes>, Omit<RNNLayerOptions, 'inputDim' | 'inputLength'> {}

const RNN_LAYER_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll'];
const KERAS_IGNORED_KEYS = ['zeroOutputForMask', 'timeMajor'];

/**
 * A convolutional LSTM over sequences `[batch, timeSteps, ...spatial, channels]` (channels last, `rank`
 * spatial axes): every step convolves the input and the previous state into the gates i, f, c, o. See
 * ConvLSTM1D and ConvLSTM2D (the public layers).
 */
export class ConvLSTM<Cell extends ConvLSTMCell = ConvLSTMCell> extends BaseRNN {
  private convStates: Tensor[] | null = null;
  /** Number of spatial axes (1 or 2). */
  readonly rank: number;

  /** `Cell` is the cell class of `rank` (ConvLSTM1DCell or ConvLSTM2DCell). */
  protected constructor(args: ConvLSTMArgs, rank: number, Cell: new (args: never) => Cell) {
    const where = `ConvLSTM${rank}D`;
    if (!args || typeof args !== 'object') {
      throw new ValueError(`${where}: expected an args object like {filters: 8, kernelSize: 3}, received ${String(args)}.`);
    }
    // Keras configs carry `zero_output_for_mask` and (Keras 2) `time_major: false`: accepted with a warning.
    checkArgKeys(where, args, [...CONV_LSTM_CELL_KEYS, ...RNN_LAYER_KEYS, ...LAYER_ARG_KEYS], KERAS_IGNORED_KEYS);
    checkNumberArg(where, 'dropout', args.dropout, { min: 0, max: 1 });
    checkNumberArg(where, 'recurrentDropout', args.recurrentDropout, { min: 0, max: 1 });
    checkNumberArg(where, 'implementation', (args as { implementation?: unknown }).implementation, {
      min: 1,
      max: 2,
      integer: true,
    });
    if ((args as { timeMajor?: unknown }).timeMajor === true) {
      throw new NotImplementedError(
        `${where}: timeMajor true is not supported; inputs are [batch, timeSteps, ${spatialAxesText(rank)}, channels].`,
      );
    }
    resolveConvOptions(where, args, rank);
    for (const k of RNN_LAYER_KEYS) checkBoolArg(where, k, (args as unknown as Record<string, unknown>)[k]);
    const cellArgs = cellArgsOf(args) as ConvLSTMCellArgs & Record<string, unknown>;
    for (const k of KERAS_IGNORED_KEYS) delete cellArgs[k];
    // tfjs note: the default name is Keras's 'conv_lstm2d' (tfjs's snake-casing gives 'conv_lst_m2d').
    super({ ...args, name: args.name || uniqueLayerName(`conv_lstm${rank}d`), cell: new Cell(cellArgs as never) });
    this.rank = rank;
    this.inputSpec = [new InputSpec({ ndim: rank + 3 })];
    this.activityRegularizer = this.convLstmCell.options.activityRegularizer;
  }

  /** The cell. */
  get convLstmCell(): Cell {
    return this.cell as Cell;
  }

  get filters(): number {
    return this.convLstmCell.filters;
  }

  get kernelSize(): Cell['kernelSize'] {
    return this.convLstmCell.kernelSize;
  }

  get strides(): Cell['strides'] {
    return this.convLstmCell.strides;
  }

  get padding(): string {
    return this.convLstmCell.padding;
  }

  get dilationRate(): Cell['dilationRate'] {
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

  /** The input shape [batch, timeSteps, ...spatial, channels] from one shape or a list; errors name the layer. */
  private inputShapeOf(inputShape: Shape | Shape[]): Shape {
    const shape = firstInputShape(inputShape);
    if (shape.length !== this.rank + 3) {
      throw new ValueError(
        `Layer ${this.name}: expected input of rank ${this.rank + 3} [batch, timeSteps, ${spatialAxesText(this.rank)}, channels], received shape ${formatShape(shape)}.`,
      );
    }
    return shape;
  }

  /** [...outSpatial, filters] of the states for the input shape [batch, timeSteps, ...spatial, channels]. */
  private stateShapeFor(inputShape: Shape): Shape {
    const spatial = inputShape.slice(2, -1).map((d) => d ?? null);
    return [...convOutputSpatial(this.convLstmCell.convOptions, ...spatial), this.filters];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.inputShapeOf(inputShape);
    if (this.stateShapeFor(shape).some((d) => d !== null && d <= 0)) {
      throw new ValueError(
        `Layer ${this.name}: with padding '${this.padding}' the kernel ${formatShape(this.kernelSize)} (dilation ${formatShape(this.dilationRate)}) ` +
          `does not fit the input ${this.rank === 1 ? 'sequences' : 'images'} of shape ${formatShape(shape)}.`,
      );
    }
    // Undeclared, a stateful layer's input shape is the one it is built for (a graph input's, or the first eager
    // call's), as Keras 3 and tfjs.
    if (this.stateful && !this.batchInputShape) this.builtInputShape = shape.slice();
    super.build(shape);
  }

  /** The input shape a stateful layer without `batchInputShape` was built for. */
  private builtInputShape: Shape | null = null;

  /** The declared input shape, else the one the layer was built for. */
  private statefulInputShape(): Shape | null {
    return this.batchInputShape ?? this.builtInputShape;
  }

  /** The current states of a stateful layer ([h, c]; null before the first call / reset). */
  override get states(): Tensor[] | null {
    return this.convStates ? this.convStates.slice() : null;
  }

  private statefulBatch(): number {
    const b = this.statefulInputShape()?.[0];
    if (typeof b !== 'number') {
      const example = [4, 10, ...new Array<number>(this.rank).fill(16), 3];
      throw new ValueError(
        `Layer ${this.name}: a stateful ConvLSTM${this.rank}D needs a fixed batch size; pass batchInputShape (e.g. [${example.join(', ')}]) ` +
          `or inputShape with batchSize when creating the layer, or call it on an input with a batch size.`,
      );
    }
    return b;
  }

  /** The full state shape [batch, ...outSpatial, filters] of a stateful layer (needs the declared input shape). */
  private statefulStateShape(): number[] {
    const batch = this.statefulBatch();
    const s = this.statefulInputShape()!;
    const full = [batch, ...this.stateShapeFor(s)];
    if (full.some((d) => d === null)) {
      throw new ValueError(
        `Layer ${this.name}: a stateful ConvLSTM${this.rank}D needs the ${spatialAxesText(this.rank).replace(', ', ' and ')} of its input in batchInputShape, received ${formatShape(s)}.`,
      );
    }
    return full as number[];
  }

  /**
   * Resets the states of a stateful layer to zeros, or to `states` ([h, c], each
   * [batchSize, ...outSpatial, filters]).
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
          `Layer ${this.name}: ${what}[${i}] must have shape ${formatShape(shape)} ([batch, ${spatialAxesText(this.rank, 'out')}, filters]), received ${formatShape(s.shape)}.`,
        );
      }
      return s.dtype === 'float32' ? s : cast(s, 'float32');
    });
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const x = getExactlyOneTensor(this.name, inputs);
    this.inputShapeOf(x.shape);
    this.checkTimeSteps(x);
    if (kwargs.constants !== undefined && kwargs.constants !== null) {
      throw new NotImplementedError(`Layer ${this.name}: ConvLSTM${this.rank}D does not support constants.`);
    }
    const batch = x.shape[0];
    const stateShape = [batch, ...this.stateShapeFor(x.shape)] as number[];
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
          `Layer ${this.name}: this stateful ConvLSTM${this.rank}D was declared with batch size ${declared} but received input of shape ${formatShape(x.shape)}.`,
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
      // ([batch·time, ...spatial, channels], one convolution) and let the loop add the recurrent part.
      const [, time, ...frame] = x.shape;
      const projected = cell.projectInputs(reshape(x, [batch * time, ...frame]));
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
   * [batch, ...outSpatial, filters] (with `returnSequences` [batch, timeSteps, ...outSpatial, filters]),
   * followed with `returnState` by two [batch, ...outSpatial, filters] states.
   */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = this.inputShapeOf(inputShape);
    const batch = shape[0] ?? null;
    const state: Shape = [batch, ...this.stateShapeFor(shape)];
    const out: Shape = this.returnSequences ? [batch, shape[1] ?? null, ...state.slice(1)] : state;
    if (!this.returnState) return out;
    return [out, state.slice(), state.slice()];
  }
}
