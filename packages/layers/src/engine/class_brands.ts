/**
 * Class checks that do not import the class: the models package asks of every model whether a layer is a
 * `TextVectorization` (texts as model input) or a `Conv1D` (streaming with `model.step`); with `instanceof` every
 * application would bundle both classes, used or not. Each class answers through a getter keyed by its brand
 * below (on its prototype, so subclasses answer as `instanceof` would); the checks read it.
 *
 * ```ts
 * isTextVectorization(layers.textVectorization({maxTokens: 100})); // true
 * isConv1D(layers.dense({units: 2})); // false
 * ```
 */
import type { TextVectorization } from '../layers/preprocessing/text_vectorization';
import type { Conv1D } from '../layers/convolutional/conv1d';

/** The brand `TextVectorization` (and its subclasses) answer true to. */
export const TEXT_VECTORIZATION_BRAND: unique symbol = Symbol('TextVectorization');
/** The brand `Conv1D` (and its subclasses) answer true to. */
export const CONV1D_BRAND: unique symbol = Symbol('Conv1D');

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
