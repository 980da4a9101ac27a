/**
 * BaseRNN: the recurrent layer over a cell instance, the base of `RNN` (any cell, also given as an array or
 * serialized: rnn.ts) and of SimpleRNN/GRU/LSTM/ConvLSTM2D (their own cell). It owns the time axis, masking,
 * direction and state, builds a one-step function from the cell and hands it to core `rnn()`; for built-in cells
 * it attaches the cell's fused whole-sequence kernel so `rnn()` runs one tape node instead of a loop.
 * Apart from `RNN` so that a layer with its own cell does not import every cell class (a serialized cell may
 * name any): an app loading an LSTM model does not bundle them. `x instanceof RNN` is true for every BaseRNN.
 */
import { checkBoolArg, internalArgs } from '../engine/args';
import { describeArg, describeValue } from '../engine/args';
import { cast, formatShape, rnn, RnnStepFunction, Tensor, zeros, ValueError } from '@recurrent/core';
import { numberArgsMessage } from '../cells/cell_options';
import { InputSpec } from '../engine/input_spec';
import { CallKwargs, firstInputShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import type { ConfigDict, SerializedObject } from '../serialization/registry';
import { buildCellInScope, isRecurrentCell, outputSizeOf, RecurrentCell, RNNCell, stateSizesOf } from '../cells/rnn_cell';
import { oneStepApply, releaseCellKernels, sequenceApply } from './step_kernel';
import { zeroMaskedOutput } from './zero_masked_output';

/**
 * `apply([x, ...initialStates], kwargs)` → `[x, {...kwargs, initialState}]`, as tfjs/Keras accept initial states
 * in the input list (recurrent layers and Bidirectional); other inputs pass through. Throws naming the layer on
 * an empty list, or when states come both in the list and as `initialState`.
 */
export function statesFromInputList(layerName: string, inputs: Tensor | Tensor[], kwargs: CallKwargs): [Tensor | Tensor[], CallKwargs] {
  let kw = kwargs ?? {};
  let x = inputs;
  if (Array.isArray(inputs)) {
    if (inputs.length === 0) throw new ValueError(`Layer ${layerName}: apply() received an empty input list.`);
    if (inputs.length > 1) {
      if (kw.initialState)
        throw new ValueError(`Layer ${layerName}: initial states were given both in the input list and as initialState.`);
      kw = { ...kw, initialState: inputs.slice(1) };
    }
    x = inputs[0];
  }
  return [x, kw];
}

/** Options of every recurrent layer (tfjs `BaseRNNLayerArgs` without the cell). */
export interface RNNLayerOptions {
  /** Return the output of every step [batch, timeSteps, units] instead of the last [batch, units] (default false). */
  returnSequences?: boolean;
  /** Also return the final states: `[output, ...states]` (default false). */
  returnState?: boolean;
  /** Process the sequence from last to first; per-step outputs are then in processing order (default false). */
  goBackwards?: boolean;
  /**
   * Keep the final states of a call as the initial states of the next (default false). Needs a fixed
   * batch size: give `batchInputShape` (or `inputShape` with `batchSize`). `resetStates()` zeroes them.
   */
  stateful?: boolean;
  /** Accepted for compatibility; the time loop is never unrolled (default false). */
  unroll?: boolean;
  /**
   * Keras's `zero_output_for_mask`: with a mask, masked steps output zeros instead of repeating the previous
   * output, and the last output is zeros when the last processed step is masked (default false). Keras's
   * Bidirectional sets it on its copies when they return sequences, so Keras files carry it.
   * tfjs note: tfjs has no such option (always the previous output).
   */
  zeroOutputForMask?: boolean;
  /** Shorthand for `inputShape: [inputLength, inputDim]` (tfjs). */
  inputDim?: number;
  /** Number of time steps, used with `inputDim` (tfjs). */
  inputLength?: number;
}

/**
 * Optional hooks of a cell that reads `constants` (e.g. `BahdanauAttentionCell`): with `buildsWithConstants`
 * the RNN layer builds it with `[stepShape, ...constantShapes]`; `prepareConstants` runs once per sequence
 * (inside the same gradient scope) and its result is what every step receives as `kwargs.constants`.
 */
export interface ConstantsAwareCell {
  readonly buildsWithConstants?: boolean;
  prepareConstants?(constants: Tensor[], kwargs: CallKwargs): Tensor[];
}

/** Args of `RNN` (tfjs `RNNLayerArgs`). */
export interface RNNArgs extends LayerArgs, RNNLayerOptions {
  /**
   * The cell: a recurrent cell (a Layer with `stateSize` and a one-step `call`), an array of cells
   * (stacked into a `StackedRNNCells`), or a serialized `{className, config}`.
   */
  cell: RecurrentCell | RecurrentCell[] | SerializedObject;
}

/** The error for a `cell` that is not a recurrent cell (nor, for `RNN`, an array of cells or a serialized one). */
export function badCellError(cell: unknown, args: unknown): ValueError {
  return new ValueError(
    `RNN: cell must be a recurrent cell (a Layer with a numeric stateSize and a one-step call), an array of cells, ` +
      `or a serialized {className, config}; received ${cell === undefined ? describeArg(args, 'cell') : cell === null ? 'null' : typeof cell}.`,
  );
}

function layerBaseArgs(args: RNNArgs): LayerArgs {
  const base: LayerArgs = { ...args };
  if (args.batchInputShape == null && args.inputShape == null && args.inputDim != null) {
    base.inputShape = [args.inputLength ?? null, args.inputDim];
  }
  return base;
}

/**
 * Runs a cell instance over the time axis of `[batch, timeSteps, ...features]` inputs: the base of `RNN` and of
 * the recurrent layers with their own cell (use `RNN`, `layers.rnn`, for a cell of yours).
 *
 * - `apply(x, {mask, initialState, constants, training})`: `mask` [batch, timeSteps] (bool or 0/1) skips steps
 *   (states carry over, the output repeats); `initialState` one tensor per state; `constants` are passed to
 *   every step of the cell as `kwargs.constants` (tfjs note: tfjs throws NotImplemented; Keras supports it).
 *   `apply([x, ...initialStates])` works too.
 * - Built-in cells run the fused whole-sequence kernel (one autograd node, hand-written BPTT) unless
 *   `useFusedKernel` is false or constants are given; custom cells run step by step through `cell.call`.
 *
 * ```js
 * const layer = layers.rnn({cell: [layers.lstmCell({units: 8}), layers.gruCell({units: 4})], returnSequences: true});
 * const y = layer.apply(x);   // [batch, timeSteps, 4]
 * ```
 */
export class BaseRNN extends Layer {
  static override className = 'RNN';
  /** `zeroOutputForMask` is in `getConfig()` only when true (files stay readable by tfjs): accepted here. */
  static readonly extraArgKeys: readonly string[] = ['zeroOutputForMask'];
  readonly cell: RecurrentCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  /**
   * Run the cell's fused whole-sequence kernel when it has one (default true). Set false to force the
   * op-by-op path (`cell.call` per step); both give the same numbers. Not serialized.
   */
  useFusedKernel = true;
  private states_: Tensor[] | null = null;
  /** Shapes of the `constants` of the `apply` that is building the layer (for ConstantsAwareCell). */
  private pendingConstantShapes: Shape[] = [];

  constructor(args: RNNArgs) {
    if (typeof args === 'number') throw new ValueError(numberArgsMessage('RNN', '{cell}', args));
    if (!args || typeof args !== 'object')
      throw new ValueError(`RNN: expected an args object like {cell}, received ${describeValue(args)}.`);
    const cell = args.cell;
    if (!isRecurrentCell(cell)) throw badCellError(cell, args);
    super(layerBaseArgs(args));
    this.cell = cell;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
    checkBoolArg(this.getClassName(), 'zeroOutputForMask', args.zeroOutputForMask);
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
    this.supportsMasking = true;
    this.inputSpec = [new InputSpec({ minNdim: 3 })];
  }

  /** The current states of a stateful layer (null before the first call / reset). */
  get states(): Tensor[] | null {
    return this.states_ ? this.states_.slice() : null;
  }

  /** The batch size a stateful layer was declared with, or null. */
  private declaredBatchSize(): number | null {
    const b = this.batchInputShape?.[0];
    return typeof b === 'number' ? b : this.inputBatchSize;
  }

  /**
   * The batch size a stateful layer was built for when not declared: a graph input's fixed batch size
   * (`input({batchShape})`, a Sequential's `inputLayer({batchInputShape})`) or the first eager call's, as Keras 3
   * and tfjs; null before the build (or for a graph input without one).
   */
  private inputBatchSize: number | null = null;

  private requireStatefulBatch(inputShape?: Shape): number {
    const b = this.declaredBatchSize();
    if (b === null) {
      throw new ValueError(
        `Layer ${this.name}: a stateful RNN needs a fixed batch size; pass batchInputShape (e.g. [32, 10, 8]) or ` +
          `inputShape with batchSize when creating the layer, or call it on an input with a batch size (input({batchShape: [32, 10, 8]})) ` +
          `(received batchInputShape ${this.batchInputShape ? formatShape(this.batchInputShape) : 'none'}` +
          `${inputShape ? `, input shape ${formatShape(inputShape)}` : ''}).`,
      );
    }
    return b;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = firstInputShape(inputShape);
    if (shape.length < 3) {
      throw new ValueError(
        `Layer ${this.name}: expected input of rank ≥ 3 [batch, timeSteps, ...features], received shape ${formatShape(shape)}.`,
      );
    }
    if (this.stateful && typeof shape[0] === 'number') this.inputBatchSize = shape[0];
    if (this.stateful) this.requireStatefulBatch(shape);
    const stepShape: Shape = [shape[0], ...shape.slice(2)];
    // A cell that reads constants (ConstantsAwareCell) is built with [stepShape, ...constantShapes], as Keras 2's RNN does.
    const constShapes = this.pendingConstantShapes;
    const wantsConstants = (this.cell as Partial<ConstantsAwareCell>).buildsWithConstants === true;
    buildCellInScope(this.cell, null, wantsConstants && constShapes.length > 0 ? [stepShape, ...constShapes] : stepShape);
    this.pendingConstantShapes = [];
    this.inputSpec = [new InputSpec({ shape: [null, null, ...shape.slice(2)] })];
    this.built = true;
    if (this.stateful && this.states_ === null) this.resetStates();
  }

  /**
   * Resets the states of a stateful layer to zeros, or to `states` (one tensor [batchSize, stateSize]
   * per state, in `cell.stateSize` order).
   */
  resetStates(states?: Tensor | Tensor[]): void {
    if (!this.stateful) throw new ValueError(`Layer ${this.name}: resetStates() can only be called on a stateful RNN (stateful: true).`);
    const batch = this.requireStatefulBatch();
    const sizes = stateSizesOf(this.cell);
    if (states === undefined || states === null) {
      this.states_ = sizes.map((s) => zeros([batch, s]));
      return;
    }
    this.states_ = this.checkStates(Array.isArray(states) ? states : [states], batch, 'resetStates');
  }

  /**
   * Checks `states` against the cell's state sizes: their number, and each one's shape [batch, stateSize]. Concrete
   * states must be Tensors of exactly that shape (returned as float32); symbolic ones (a graph being built) are
   * checked at apply, as tfjs does, where a rank-2 state's size is known.
   */
  private checkStates(states: Tensor[], batch: number | null, what: string, symbolic = false): Tensor[] {
    const sizes = stateSizesOf(this.cell);
    if (states.length !== sizes.length) {
      throw new ValueError(
        `Layer ${this.name}: ${what} expects ${sizes.length} state tensor(s) of shapes ${sizes.map((s) => formatShape([batch, s])).join(', ')}, ` +
          `received ${states.length}.`,
      );
    }
    return states.map((s, i) => {
      if (!symbolic && !(s instanceof Tensor))
        throw new ValueError(`Layer ${this.name}: ${what}[${i}] must be a Tensor, received ${s === null ? 'null' : typeof s}.`);
      const shape: Shape = s.shape;
      const wrong = symbolic
        ? shape.length === 2 && shape[1] !== null && shape[1] !== sizes[i]
        : shape.length !== 2 || shape[0] !== batch || shape[1] !== sizes[i];
      if (wrong) {
        throw new ValueError(
          `Layer ${this.name}: ${what}[${i}] must have shape ${formatShape([batch, sizes[i]])} ([batch, stateSize]), received ${formatShape(shape)}.`,
        );
      }
      return symbolic || s.dtype === 'float32' ? s : cast(s, 'float32');
    });
  }

  /** Accepts `apply([x, ...initialStates])` as tfjs/Keras do. */
  protected override standardizeCallArgs(inputs: Tensor | Tensor[], kwargs: CallKwargs): [Tensor | Tensor[], CallKwargs] {
    // A constants-aware cell builds with the constants' shapes (read before the layer builds).
    const consts = kwargs?.constants;
    if (!this.built && consts !== undefined && consts !== null) {
      this.pendingConstantShapes = (Array.isArray(consts) ? consts : [consts]).map((c) => c.shape.slice() as Shape);
    }
    const [x, kw] = statesFromInputList(this.name, inputs, kwargs);
    // Symbolic initial states (a graph being built) are checked here, as tfjs does at apply; concrete ones in call.
    const given = kw.initialState;
    const states = given === undefined || given === null ? [] : Array.isArray(given) ? given : [given];
    const xShape = (x as unknown as { shape?: Shape }).shape; // x: a SymbolicTensor when not a Tensor
    if (!(x instanceof Tensor) && Array.isArray(xShape) && states.length > 0 && states.every((st) => Array.isArray(st?.shape))) {
      this.checkStates(states, xShape[0], 'initialState', true);
    }
    return [x, kw];
  }

  /** Throws naming the layer when `x` [batch, timeSteps, ...] has no time steps (there is no last output to give). */
  protected checkTimeSteps(x: Tensor): void {
    if (x.shape[1] === 0) {
      throw new ValueError(`Layer ${this.name}: the input has 0 time steps (shape ${formatShape(x.shape)}); at least one is needed.`);
    }
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    let x = getExactlyOneTensor(this.name, inputs);
    // Integer or bool sequences compute in float32, as tfjs (its ops upcast) and this package's Dense and Conv1D.
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    this.checkTimeSteps(x);
    const batch = x.shape[0];
    const mask = Array.isArray(kwargs.mask) ? (kwargs.mask[0] ?? null) : (kwargs.mask ?? null);
    const training = kwargs.training;

    // null: zero states, made as tensors only where a path needs them (the batch-1 sequence path reads shared zeros).
    let initial: Tensor[] | null;
    if (kwargs.initialState !== undefined && kwargs.initialState !== null) {
      const given = Array.isArray(kwargs.initialState) ? kwargs.initialState : [kwargs.initialState];
      initial = this.checkStates(given, batch, 'initialState');
    } else if (this.stateful) {
      if (this.states_ === null) this.resetStates();
      const declared = this.requireStatefulBatch();
      if (batch !== declared) {
        throw new ValueError(
          `Layer ${this.name}: this stateful RNN was declared with batch size ${declared} but received input of shape ${formatShape(x.shape)}.`,
        );
      }
      initial = this.states_!;
    } else {
      initial = null;
    }
    const initialStates = (): Tensor[] => initial ?? (initial = stateSizesOf(this.cell).map((s) => zeros([batch, s])));
    let constants =
      kwargs.constants === undefined || kwargs.constants === null
        ? []
        : Array.isArray(kwargs.constants)
          ? kwargs.constants
          : [kwargs.constants];

    const cell = this.cell;
    // Streaming fast path: one time step in inference runs the lean step kernel (step_kernel.ts) instead of
    // the fused sequence kernel, whose per-sequence setup dominates at T = 1. Same numbers, same tape node.
    if (x.shape[1] === 1 && !training && mask === null && constants.length === 0 && this.useFusedKernel) {
      const fast = oneStepApply(cell, x, initialStates());
      if (fast) return this.finishCall(fast[0], fast[1], fast[2]);
    }
    // Short sequences at small batch in inference (predict on one sequence): the same step kernel, step
    // after step inside wasm, with the weights kept packed between calls (step_kernel.ts, sequenceApply).
    if (!training && mask === null && constants.length === 0 && this.useFusedKernel && x.shape[1] > 1) {
      const fast = sequenceApply(cell, x, initial, this.goBackwards, this.returnSequences);
      if (fast) return this.finishCall(fast[0], fast[1], fast[2]);
    }
    (cell as Partial<RNNCell>).resetDropoutMasks?.call(cell);
    const cellKwargs: CallKwargs = { training };
    // Per-sequence work on the constants (e.g. an attention cell projecting the encoder outputs once).
    const prepare = (cell as Partial<ConstantsAwareCell>).prepareConstants;
    if (constants.length > 0 && typeof prepare === 'function') constants = prepare.call(cell, constants, cellKwargs);
    const step: RnnStepFunction = (xt, states, consts) => {
      const out = cell.call([xt, ...states], consts.length > 0 ? { ...cellKwargs, constants: consts } : cellKwargs);
      const list = Array.isArray(out) ? out : [out];
      return [list[0], list.slice(1)];
    };
    if (this.useFusedKernel && constants.length === 0 && cell instanceof RNNCell) {
      const kernel = cell.sequenceKernel(cellKwargs);
      if (kernel) step.sequenceKernel = kernel;
    }
    const [last0, outputs0, states] = rnn(step, x, initialStates(), this.goBackwards, mask, constants, this.unroll, this.returnSequences);
    let last = last0;
    let outputs: Tensor | null = this.returnSequences ? outputs0 : null;
    if (this.zeroOutputForMask && mask !== null) [last, outputs] = zeroMaskedOutput(last, outputs, mask, this.goBackwards);
    return this.finishCall(last, outputs, states);
  }

  /**
   * The end of every path of `call`: keeps the final `states` of a stateful layer and returns the per-step outputs
   * (with `returnSequences`, else `last`), followed by the states with `returnState`.
   */
  private finishCall(last: Tensor, sequence: Tensor | null, states: Tensor[]): Tensor | Tensor[] {
    if (this.stateful) this.states_ = states;
    const output = this.returnSequences ? (sequence as Tensor) : last;
    return this.returnState ? [output, ...states] : output;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = firstInputShape(inputShape);
    const batch = shape[0] ?? null;
    const units = outputSizeOf(this.cell);
    const out: Shape = this.returnSequences ? [batch, shape[1] ?? null, units] : [batch, units];
    if (!this.returnState) return out;
    return [out, ...stateSizesOf(this.cell).map((s) => [batch, s] as Shape)];
  }

  /** The input mask when `returnSequences` (else null); with `returnState` the states get null masks. */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | Tensor[] | null {
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const outputMask = this.returnSequences ? m : null;
    if (!this.returnState) return outputMask;
    return [outputMask, ...stateSizesOf(this.cell).map(() => null)] as unknown as Tensor[];
  }

  // The layer's weights are its cell's.
  override get trainableWeights(): LayerVariable[] {
    return this.trainable ? this.cell.trainableWeights : [];
  }

  override get nonTrainableWeights(): LayerVariable[] {
    return this.trainable ? this.cell.nonTrainableWeights : this.cell.weights;
  }

  override get trainable(): boolean {
    return this.trainable_;
  }

  override set trainable(value: boolean) {
    this.trainable_ = value;
    if (this.cell) this.cell.trainable = value;
  }

  /** The cell's penalties. tfjs note: tfjs's RNN layers do not collect them (tfjs trains without them); Keras does. */
  override regularizationLosses(): Tensor[] {
    return this.cell.regularizationLosses();
  }

  /** The losses the cell added (`addLoss` in its call, once per step) count as the layer's, as Keras's sublayers'. */
  override ownAddedLosses(): Tensor[] {
    return [...super.ownAddedLosses(), ...this.cell.ownAddedLosses()];
  }

  override clearAddedLosses(): void {
    super.clearAddedLosses();
    this.cell.clearAddedLosses();
  }

  override dispose(): void {
    releaseCellKernels(this.cell);
    this.cell.dispose();
  }

  /**
   * tfjs's layout: the cell's config merged at the top level, then the layer's own keys; the generic
   * `RNN` also stores `cell: {className, config}` (rnn.ts; the subclasses SimpleRNN/GRU/LSTM do not).
   */
  override getConfig(): ConfigDict {
    const cellConfig = this.cell.getConfig();
    const config: ConfigDict = {
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
    };
    // tfjs note: written only when true, so that files saved without it stay loadable by tfjs.
    if (this.zeroOutputForMask) config.zeroOutputForMask = true;
    return { ...cellConfig, ...super.getConfig(), ...config };
  }
}

/** Keys of a layer's args that belong to the layer, not to the cell it creates (SimpleRNN/GRU/LSTM). */
const LAYER_ONLY_KEYS = [
  'name',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'weights',
  'inputDim',
  'inputLength',
  'trainable',
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
  'zeroOutputForMask',
  'cell',
];

/** The cell args inside a SimpleRNN/GRU/LSTM layer's args (the layer's own keys removed). */
export function cellArgsOf<T extends object>(args: T): T {
  const out = { ...args } as Record<string, unknown>;
  for (const k of LAYER_ONLY_KEYS) delete out[k];
  return internalArgs(out) as T; // the layer validates the user's keys (with its own name in the message)
}
