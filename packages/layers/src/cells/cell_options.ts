/**
 * Options shared by the built-in cells (SimpleRNNCell, GRUCell, LSTMCell) and their layers:
 * the typed args, their defaults (set once, here), and their tfjs-shaped config entries.
 */
import { describeArg, describeValue } from '../engine/args';
import {
  formatShape,
  KERNEL_ACTIVATION_NAMES,
  KernelActivationName,
  matMul,
  mul,
  reshape,
  SequenceKernel,
  SequenceKernelOptions,
  slice,
  split,
  Tensor,
  ValueError,
} from '@recurrent/core';
import { BUILTIN_ACTIVATIONS, getActivation, serializeActivation } from '../activations';
import type { ActivationIdentifier } from '../activations';
import { ActivationFn } from '../activations/activation_fn';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints';
import { Constraint } from '../constraints/constraint';
import { firstInputShape } from '../engine/layer';
import type { CallKwargs, Layer, LayerArgs, Shape } from '../engine/layer';
import type { RNNCell } from './rnn_cell';
import type { LayerVariable } from '../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { Initializer } from '../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';
import { Regularizer } from '../regularizers/regularizer';
import { getRegisteredClass } from '../serialization/registry';
import type { ConfigDict, SerializedObject } from '../serialization/registry';

/** An activation as the cells accept it. */
export type CellActivation = ActivationIdentifier | ActivationFn | ((x: Tensor) => Tensor) | SerializedObject | null;
/** An initializer as the cells accept it. */
export type CellInitializer = InitializerIdentifier | Initializer | SerializedObject;
/** A regularizer as the cells accept it. */
export type CellRegularizer = RegularizerIdentifier | Regularizer | SerializedObject | null;
/** A constraint as the cells accept it. */
export type CellConstraint = ConstraintIdentifier | Constraint | SerializedObject | null;

/** Args common to SimpleRNNCell, GRUCell and LSTMCell (tfjs names and defaults). */
export interface BaseRNNCellArgs extends LayerArgs {
  /** Size of the output and of each state (positive integer). */
  units: number;
  /** Activation of the output/candidate (default 'tanh'; null = linear). */
  activation?: CellActivation;
  /** Whether to add biases (default true). */
  useBias?: boolean;
  /** Initializer of `kernel` [inputDim, G·units] (default 'glorotUniform'). */
  kernelInitializer?: CellInitializer;
  /** Initializer of `recurrent_kernel` [units, G·units] (default 'orthogonal'). */
  recurrentInitializer?: CellInitializer;
  /** Initializer of `bias` (default 'zeros'). */
  biasInitializer?: CellInitializer;
  /** Regularizer of `kernel` (default none). */
  kernelRegularizer?: CellRegularizer;
  /** Regularizer of `recurrent_kernel` (default none). */
  recurrentRegularizer?: CellRegularizer;
  /** Regularizer of `bias` (default none). */
  biasRegularizer?: CellRegularizer;
  /** Regularizer of the output (applied by the RNN layer to its outputs; default none). */
  activityRegularizer?: CellRegularizer;
  /** Constraint of `kernel` (default none). */
  kernelConstraint?: CellConstraint;
  /** Constraint of `recurrent_kernel` (default none). */
  recurrentConstraint?: CellConstraint;
  /** Constraint of `bias` (default none). */
  biasConstraint?: CellConstraint;
  /** Fraction of the inputs dropped during training, one mask per sequence (default 0). */
  dropout?: number;
  /** Fraction of the recurrent state dropped during training, one mask per sequence (default 0). */
  recurrentDropout?: number;
  /**
   * Seed of the cell's dropout-mask generator (default null: the global generator, see `setSeed`).
   * tfjs note: tfjs cells have no seed (Keras 3 does); it appears in the config only when set.
   */
  seed?: number | null;
}

/** The resolved common options. */
export interface ResolvedCellOptions {
  units: number;
  activation: ActivationFn;
  useBias: boolean;
  kernelInitializer: Initializer;
  recurrentInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer: Regularizer | null;
  recurrentRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
  activityRegularizer: Regularizer | null;
  kernelConstraint: Constraint | null;
  recurrentConstraint: Constraint | null;
  biasConstraint: Constraint | null;
}

/** Throws naming the class unless `args` is an object with a positive integer `units`. */
export function checkCellArgs(className: string, args: unknown): void {
  if (typeof args === 'number') throw new ValueError(numberArgsMessage(className, `{units: ${args}}`, args));
  if (!args || typeof args !== 'object') {
    throw new ValueError(`${className}: expected an args object like {units: 8}, received ${describeValue(args)}.`);
  }
  const units = (args as { units?: unknown }).units;
  if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0) {
    throw new ValueError(`${className}: units must be a positive integer, received ${describeArg(args, 'units')}.`);
  }
}

/** Resolves the common options with their defaults (the one place they are set). */
export function resolveCellOptions(args: BaseRNNCellArgs): ResolvedCellOptions {
  return {
    units: args.units,
    activation: getActivation(args.activation === undefined ? 'tanh' : args.activation),
    useBias: args.useBias ?? true,
    kernelInitializer: getInitializer(args.kernelInitializer ?? 'glorotUniform'),
    recurrentInitializer: getInitializer(args.recurrentInitializer ?? 'orthogonal'),
    biasInitializer: getInitializer(args.biasInitializer ?? 'zeros'),
    kernelRegularizer: getRegularizer(args.kernelRegularizer),
    recurrentRegularizer: getRegularizer(args.recurrentRegularizer),
    biasRegularizer: getRegularizer(args.biasRegularizer),
    activityRegularizer: getRegularizer(args.activityRegularizer),
    kernelConstraint: getConstraint(args.kernelConstraint),
    recurrentConstraint: getConstraint(args.recurrentConstraint),
    biasConstraint: getConstraint(args.biasConstraint),
  };
}

/**
 * The gate activation of LSTM, GRU and ConvLSTM2D cells from their `recurrentActivation` arg (default 'hardSigmoid', as tfjs).
 * tfjs note: Keras 3's default is 'sigmoid', so a Keras model rebuilt with this API (not loaded from its file, which
 * names the activation) passes `recurrentActivation: 'sigmoid'` to give Keras's numbers (test/keras_examples/ in models).
 */
export function resolveRecurrentActivation(recurrentActivation: CellActivation | undefined): ActivationFn {
  return getActivation(recurrentActivation === undefined ? 'hardSigmoid' : recurrentActivation);
}

/** The config entries of the common options, as tfjs's cells serialize them. */
export function cellOptionsConfig(
  o: ResolvedCellOptions,
  dropout: number,
  recurrentDropout: number,
  seed: number | null,
  recurrentActivation?: ActivationFn,
): ConfigDict {
  const config: ConfigDict = { units: o.units, activation: serializeActivation(o.activation) };
  if (recurrentActivation) config.recurrentActivation = serializeActivation(recurrentActivation);
  Object.assign(config, {
    useBias: o.useBias,
    kernelInitializer: serializeInitializer(o.kernelInitializer),
    recurrentInitializer: serializeInitializer(o.recurrentInitializer),
    biasInitializer: serializeInitializer(o.biasInitializer),
    kernelRegularizer: serializeRegularizer(o.kernelRegularizer),
    recurrentRegularizer: serializeRegularizer(o.recurrentRegularizer),
    biasRegularizer: serializeRegularizer(o.biasRegularizer),
    activityRegularizer: serializeRegularizer(o.activityRegularizer),
    kernelConstraint: serializeConstraint(o.kernelConstraint),
    recurrentConstraint: serializeConstraint(o.recurrentConstraint),
    biasConstraint: serializeConstraint(o.biasConstraint),
    dropout,
    recurrentDropout,
  });
  if (seed !== null) config.seed = seed;
  return config;
}

/** The weights of a built-in cell (`bias` is null without `useBias`). */
export interface CellWeights {
  kernel: LayerVariable;
  recurrentKernel: LayerVariable;
  bias: LayerVariable | null;
}

/**
 * Adds a built-in cell's weights, in this order: 'kernel' [inputDim, gates·units], 'recurrent_kernel'
 * [units, gates·units] and, with `useBias`, 'bias' of `bias.shape` (default [gates·units]) initialized by
 * `bias.initializer` (default the `biasInitializer` option). `inputShape` is x's shape or `[x, ...states]` shapes.
 * Throws naming the layer unless the last dimension of x is known.
 */
export function addCellWeights(
  cell: Layer,
  o: ResolvedCellOptions,
  inputShape: Shape | Shape[],
  gates: number,
  bias: { shape?: number[]; initializer?: Initializer } = {},
): CellWeights {
  const shape = firstInputShape(inputShape);
  const inputDim = shape[shape.length - 1];
  if (typeof inputDim !== 'number') {
    throw new ValueError(`Layer ${cell.name}: the last dimension of the input must be known, received input shape ${formatShape(shape)}.`);
  }
  const cols = gates * o.units;
  return addWeightsOfShapes(cell, o, [inputDim, cols], [o.units, cols], bias.shape ?? [cols], bias.initializer);
}

/**
 * Adds a cell's weights 'kernel' of `kernelShape`, 'recurrent_kernel' of `recurrentShape` and, with `useBias`, 'bias'
 * of `biasShape` initialized by `biasInitializer` (default the `biasInitializer` option); each with its option's
 * initializer, regularizer and constraint (the built-in cells, and ConvLSTM2DCell with its convolution kernels).
 */
export function addWeightsOfShapes(
  cell: Layer,
  o: ResolvedCellOptions,
  kernelShape: number[],
  recurrentShape: number[],
  biasShape: number[],
  biasInitializer: Initializer = o.biasInitializer,
): CellWeights {
  return {
    kernel: cell.addWeight('kernel', kernelShape, undefined, o.kernelInitializer, o.kernelRegularizer, true, o.kernelConstraint),
    recurrentKernel: cell.addWeight(
      'recurrent_kernel',
      recurrentShape,
      undefined,
      o.recurrentInitializer,
      o.recurrentRegularizer,
      true,
      o.recurrentConstraint,
    ),
    bias: o.useBias ? cell.addWeight('bias', biasShape, undefined, biasInitializer, o.biasRegularizer, true, o.biasConstraint) : null,
  };
}

/**
 * A built-in cell's fused sequence kernel: `run` calls the cell's core op with the options every op takes (the
 * activation names, `recurrentActivation`'s when given, and the sequence's dropout masks). Null before the cell is
 * built or when an activation has no kernel twin (the layer then runs `call` step by step).
 */
export function fusedSequenceKernel(
  cell: RNNCell & { readonly units: number; readonly options: ResolvedCellOptions },
  kwargs: CallKwargs,
  recurrentActivation: ActivationFn | null,
  run: (inputs: Tensor, states: Tensor[], options: SequenceKernelOptions) => [Tensor, Tensor, Tensor[]],
): SequenceKernel | null {
  const activation = kernelActivationName(cell.options.activation);
  const recurrent = recurrentActivation ? kernelActivationName(recurrentActivation) : undefined;
  if (!activation || recurrent === null || !cell.built) return null;
  const training = kwargs.training;
  return (inputs, states, args) => {
    const [batch, , inputDim] = inputs.shape;
    const inputDropoutMasks = cell.getDropoutMasks(batch, inputDim, training);
    const recurrentDropoutMasks = cell.getRecurrentDropoutMasks(batch, cell.units, training);
    return run(inputs, states, {
      activation,
      recurrentActivation: recurrent,
      goBackwards: args.goBackwards,
      returnSequences: args.needPerStepOutputs,
      mask: args.mask,
      inputDropoutMasks,
      recurrentDropoutMasks,
      maskedOutputInit: 'zeros',
    });
  };
}

/**
 * The fused-kernel name of an activation, or null when the kernels do not implement it (or it is a
 * user function that merely shares a built-in's name): the layer then runs the op-by-op path.
 */
export function kernelActivationName(activation: ActivationFn): KernelActivationName | null {
  const name = activation.getClassName();
  if (!(KERNEL_ACTIVATION_NAMES as string[]).includes(name)) return null;
  return getRegisteredClass(name, 'activation', BUILTIN_ACTIVATIONS) === activation.constructor ? (name as KernelActivationName) : null;
}

/**
 * The products `x_g · W_g` of gates `first .. first+count−1` (each [batch, units]) of a weight
 * [rows, G·units], where `x_g = x ⊙ masks[g]` when per-gate dropout masks are given. One matMul
 * when there is no mask or all gates share one; one per gate otherwise (op-by-op step path).
 */
export function gateProducts(x: Tensor, w: Tensor, masks: Tensor[] | null, G: number, units: number, first = 0, count = G): Tensor[] {
  const rows = w.shape[0];
  const cols = (g0: number, n: number): Tensor => (g0 === 0 && n === G ? w : slice(w, [0, g0 * units], [rows, n * units]));
  const shared = !masks || masks.every((m) => m === masks[0]);
  if (shared) {
    const xm = masks ? mul(x, masks[0]) : x;
    const p = matMul(xm, cols(first, count));
    return count === 1 ? [p] : split(p, count, 1);
  }
  const out: Tensor[] = [];
  for (let g = first; g < first + count; g++) out.push(matMul(mul(x, masks[masks.length === 1 ? 0 : g]), cols(g, 1)));
  return out;
}

/** `b[g·units : (g+1)·units]` of a bias row (or of row `row` of a [2, G·units] bias). */
export function biasSlice(bias: Tensor, g: number, units: number, row?: number): Tensor {
  if (row === undefined) return slice(bias, [g * units], [units]);
  return reshape(slice(bias, [row, g * units], [1, units]), [units]);
}

/** The nn module a PyTorch user probably meant when passing numbers to a Keras-style class. */
const NN_EQUIVALENT: { [className: string]: string } = {
  LSTM: 'nn.LSTM(inputSize, hiddenSize)',
  GRU: 'nn.GRU(inputSize, hiddenSize)',
  SimpleRNN: 'nn.RNN(inputSize, hiddenSize)',
  RNN: 'nn.RNN(inputSize, hiddenSize)',
  LSTMCell: 'nn.LSTMCell(inputSize, hiddenSize)',
  GRUCell: 'nn.GRUCell(inputSize, hiddenSize)',
  SimpleRNNCell: 'nn.RNNCell(inputSize, hiddenSize)',
  Dense: 'nn.Linear(inFeatures, outFeatures)',
  Embedding: 'nn.Embedding(numEmbeddings, embeddingDim)',
};

/**
 * The message for `new LSTM(10, 20)`-style calls (numbers where the Keras-style class takes an args object): names
 * the args object expected and the PyTorch-style module the caller probably meant.
 */
export function numberArgsMessage(className: string, example: string, received: unknown): string {
  const nn = NN_EQUIVALENT[className];
  return `${className}: expected an args object like ${example}, received the number ${String(received)}.${nn ? ` The top-level ${className} is the Keras-style layer; did you mean ${nn}? (PyTorch-style modules live in the nn namespace.)` : ''}`;
}
