import { ValueError } from './errors';
/** Element types a Tensor can hold. `bool` is stored as 0/1 bytes, as in tfjs. */
export type DataType = 'float32' | 'int32' | 'bool';

/** The typed array that backs a tensor of a given dtype. */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** Values accepted where a tensor is expected: a Tensor, a number, or (nested) arrays of numbers/booleans. */
export type NumericArray = number[] | number[][] | number[][][] | number[][][][] | number[][][][][] | number[][][][][][];

/** Nested JS arrays as returned by `arraySync()`. */
export type NestedArray = number | NestedArray[];

/** Allocates a zero-filled typed array for `dtype`. */
export function allocate(dtype: DataType, size: number): TypedArray {
  // Backstop: every op checks its output size by name first (assertValidShape); this keeps a missed check
  // from surfacing as a bare 'Invalid typed array length' or a 16 GiB allocation.
  if (!(Number.isInteger(size) && size >= 0 && size < 2 ** 31)) {
    throw new ValueError(`allocate: cannot allocate ${size} ${dtype} elements; a tensor holds an integer number of elements below 2^31.`);
  }
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
    default:
      throw new ValueError(`Unknown dtype '${dtype as string}': expected 'float32', 'int32' or 'bool'.`);
  }
}

/** Converts values to the typed array of `dtype` (int32 truncates toward zero like tfjs's cast). */
export function convertValues(values: ArrayLike<number>, dtype: DataType): TypedArray {
  const out = allocate(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  } else if (dtype === 'int32') {
    for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i]);
  } else {
    out.set(values);
  }
  return out;
}

/** True when `x` is one of the dtype names. */
export function isDataType(x: unknown): x is DataType {
  return x === 'float32' || x === 'int32' || x === 'bool';
}

/** The dtype tfjs infers for a result of two operands (float32 wins over int32 wins over bool). */
export function upcastType(a: DataType, b: DataType): DataType {
  if (a === 'float32' || b === 'float32') return 'float32';
  if (a === 'int32' || b === 'int32') return 'int32';
  return 'bool';
}
