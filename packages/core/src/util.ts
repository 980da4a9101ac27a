/**
 * The `util` namespace with tfjs's common helpers: `assert`, `shuffle`, `shuffleCombo`,
 * `assertShapesMatch`, `sizeFromShape`, `arraysEqual`, `flatten`, `inferShape`, `isTypedArray`,
 * `now`, `createShuffledIndices`, `encodeString`/`decodeString`, `isNumber`, `isString`, `isBoolean`, `isFunction`,
 * `isInt`, `clamp`, `fetch`.
 *
 * ```js
 * util.assert(x.rank === 2, () => `expected a matrix, got rank ${x.rank}`);
 * util.shuffle(indices);
 * ```
 */
import { formatShape, sizeFromShape } from './shape';
import { shuffleInPlace } from './random';
import { ValueError } from './errors';
import { clamp, fetch, isBoolean, isFunction, isInt, isNumber, isString } from './util_predicates';

/** Throws `Error(msg())` unless `condition` (tfjs takes the message as a function). */
function assert(condition: boolean, msg: string | (() => string)): asserts condition {
  if (!condition) throw new ValueError(typeof msg === 'function' ? msg() : msg);
}

/** Throws unless the two shapes are equal, with `errorMessagePrefix` before the message. */
function assertShapesMatch(shapeA: number[], shapeB: number[], errorMessagePrefix = ''): void {
  assert(arraysEqual(shapeA, shapeB), () =>
    `${errorMessagePrefix} Shapes ${formatShape(shapeA)} and ${formatShape(shapeB)} must match`.trimStart(),
  );
}

/** True when both arrays have equal length and elements. */
function arraysEqual(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Shuffles `array` in place (Fisher–Yates, core's global generator: `setSeed` makes it repeatable). */
function shuffle<T>(array: T[] | Int32Array | Float32Array | Uint8Array): void {
  shuffleInPlace(array as T[]);
}

/** Shuffles two arrays of the same length in place with the same permutation. */
function shuffleCombo<T, U>(array: T[] | Float32Array | Int32Array, array2: U[] | Float32Array | Int32Array): void {
  if (array.length !== array2.length) {
    throw new ValueError(`util.shuffleCombo: the arrays must have the same length, received ${array.length} and ${array2.length}.`);
  }
  const order = createShuffledIndices(array.length);
  const a = Array.from(array as ArrayLike<T>);
  const b = Array.from(array2 as ArrayLike<U>);
  for (let i = 0; i < order.length; i++) {
    (array as T[])[i] = a[order[i]];
    (array2 as U[])[i] = b[order[i]];
  }
}

/** `[0, n)` in a random order. */
function createShuffledIndices(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  shuffleInPlace(out as unknown as Int32Array);
  return out;
}

/** Flattens nested arrays (typed arrays spread too). */
function flatten<T>(arr: unknown, result: T[] = []): T[] {
  if (Array.isArray(arr) || ArrayBuffer.isView(arr)) {
    const a = arr as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) flatten(a[i], result);
  } else {
    result.push(arr as T);
  }
  return result;
}

/** The shape of a nested array (`[[1, 2], [3, 4]]` → `[2, 2]`). */
function inferShape(val: unknown): number[] {
  const shape: number[] = [];
  let v = val;
  while (Array.isArray(v) || ArrayBuffer.isView(v)) {
    shape.push((v as ArrayLike<unknown>).length);
    v = (v as ArrayLike<unknown>)[0];
  }
  return shape;
}

function isTypedArray(a: unknown): boolean {
  return a instanceof Float32Array || a instanceof Int32Array || a instanceof Uint8Array || a instanceof Uint8ClampedArray;
}

/** Milliseconds, high resolution where available. */
function now(): number {
  return typeof performance !== 'undefined' && performance.now ? performance.now() : Date.now();
}

/** UTF-8 bytes of a string. */
function encodeString(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A string from UTF-8 bytes. */
function decodeString(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** The type of {@link util}; declared so that `util.assert(...)` narrows (TypeScript requires an annotated target). */
export interface Util {
  assert: typeof assert;
  assertShapesMatch: typeof assertShapesMatch;
  arraysEqual: typeof arraysEqual;
  shuffle: typeof shuffle;
  shuffleCombo: typeof shuffleCombo;
  createShuffledIndices: typeof createShuffledIndices;
  sizeFromShape: typeof sizeFromShape;
  flatten: typeof flatten;
  inferShape: typeof inferShape;
  isTypedArray: typeof isTypedArray;
  now: typeof now;
  encodeString: typeof encodeString;
  decodeString: typeof decodeString;
  isNumber: typeof isNumber;
  isString: typeof isString;
  isBoolean: typeof isBoolean;
  isFunction: typeof isFunction;
  isInt: typeof isInt;
  clamp: typeof clamp;
  fetch: typeof fetch;
}

/** tfjs's `tf.util` helpers. */
export const util: Util = {
  assert,
  assertShapesMatch,
  arraysEqual,
  shuffle,
  shuffleCombo,
  createShuffledIndices,
  sizeFromShape,
  flatten,
  inferShape,
  isTypedArray,
  now,
  encodeString,
  decodeString,
  isNumber,
  isString,
  isBoolean,
  isFunction,
  isInt,
  clamp,
  fetch,
};
