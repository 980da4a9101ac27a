/**
 * Class checks that do not import the class: the models package asks of every model whether a layer is a
 * `TextVectorization` (texts as model input), a `Conv1D` or a `ConvLSTMCell` (streaming with `model.step`), and the recurrent layers
 * and streaming which built-in cell a layer runs (its fused and step kernels); with `instanceof` every
 * application would bundle all those classes, used or not. Each class answers through a getter keyed by its brand
 * below (on its prototype, so subclasses answer as `instanceof` would); the checks read it.
 *
 * ```ts
 * isTextVectorization(layers.textVectorization({maxTokens: 100})); // true
 * isConv1D(layers.dense({units: 2})); // false
 * ```
 */
import type { TextVectorization } from '../layers/preprocessing/text_vectorization';
import type { Conv1D } from '../layers/convolutional/conv1d';
import type { ConvLSTMCell } from '../cells/conv_lstm_cell';

/** The brand `TextVectorization` (and its subclasses) answer true to. */
export const TEXT_VECTORIZATION_BRAND: unique symbol = Symbol('TextVectorization');
/** The brand `Conv1D` (and its subclasses) answer true to. */
export const CONV1D_BRAND: unique symbol = Symbol('Conv1D');
/** The brand `ConvLSTMCell` (ConvLSTM1DCell, ConvLSTM2DCell and their subclasses) answer true to. */
export const CONV_LSTM_CELL_BRAND: unique symbol = Symbol('ConvLSTMCell');

/** The built-in cells with fused sequence and step kernels (`cellKindOf`). */
export type BuiltinCellKind = 'lstm' | 'gru' | 'simpleRNN' | 'stacked';
/** The brand LSTMCell, GRUCell, SimpleRNNCell and StackedRNNCells answer their `BuiltinCellKind` to. */
export const CELL_KIND_BRAND: unique symbol = Symbol('cellKind');

function branded(x: unknown, brand: symbol): boolean {
  return x !== null && typeof x === 'object' && (x as Record<symbol, unknown>)[brand] === true;
}

/** Whether `x` is a `TextVectorization` layer (as `instanceof`, without importing the class). */
export function isTextVectorization(x: unknown): x is TextVectorization {
  return branded(x, TEXT_VECTORIZATION_BRAND);
}

/** Whether `x` is a `Conv1D` layer (as `instanceof`, without importing the class). */
export function isConv1D(x: unknown): x is Conv1D {
  return branded(x, CONV1D_BRAND);
}

/** Whether `x` is a `ConvLSTMCell` (1-D or 2-D; as `instanceof`, without importing the class). */
export function isConvLSTMCell(x: unknown): x is ConvLSTMCell {
  return branded(x, CONV_LSTM_CELL_BRAND);
}

const CELL_KINDS: readonly unknown[] = ['lstm', 'gru', 'simpleRNN', 'stacked'] satisfies BuiltinCellKind[];

/**
 * Which built-in cell `x` is (as `instanceof`: a subclass of LSTMCell is 'lstm'), or null: LSTMCell 'lstm',
 * GRUCell 'gru', SimpleRNNCell 'simpleRNN', StackedRNNCells 'stacked'.
 */
export function cellKindOf(x: unknown): BuiltinCellKind | null {
  if (x === null || typeof x !== 'object') return null;
  const kind = (x as Record<symbol, unknown>)[CELL_KIND_BRAND];
  return CELL_KINDS.includes(kind) ? (kind as BuiltinCellKind) : null;
}

/** As `cellKindOf`, for the built-in class itself only (a subclass may override `call`): null for subclasses. */
export function exactCellKindOf(x: unknown): BuiltinCellKind | null {
  if (x === null || typeof x !== 'object') return null;
  return Object.prototype.hasOwnProperty.call(Object.getPrototypeOf(x), CELL_KIND_BRAND) ? cellKindOf(x) : null;
}
