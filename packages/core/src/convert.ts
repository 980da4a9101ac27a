/** Turning user values (numbers, nested arrays, typed arrays) into tensors, with clear errors. */
import { allocate, convertValues, DataType, isDataType, TypedArray } from './dtype';
import { assertValidShape, formatShape, sizeFromShape } from './shape';
import { makeTensor, Tensor } from './tensor';
import { ValueError } from './errors';

/** Anything an op accepts in place of a tensor. */
export type TensorLike = Tensor | number | boolean | TypedArray | readonly unknown[];

function isTypedArray(x: unknown): x is TypedArray | Uint8ClampedArray | Float64Array {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function inferDtype(values: unknown): DataType {
  if (values instanceof Float32Array || values instanceof Float64Array) return 'float32';
  if (values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint8ClampedArray) return 'int32';
  if (typeof values === 'boolean') return 'bool';
  if (Array.isArray(values)) {
    let v: unknown = values;
    while (Array.isArray(v) && v.length > 0) v = v[0];
    if (typeof v === 'boolean') return 'bool';
  }
  return 'float32';
}

/** The shape implied by nested arrays; throws for ragged nesting. */
function inferShape(op: string, values: unknown): number[] {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v) || isTypedArray(v)) {
    const arr = v as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0 || isTypedArray(v)) break;
    v = arr[0];
  }
  checkNesting(op, values, shape, 0, []);
  return shape;
}

function checkNesting(op: string, v: unknown, shape: number[], axis: number, path: number[]): void {
  if (axis === shape.length) {
    if (Array.isArray(v) || isTypedArray(v)) {
      throw new ValueError(`${op}: ragged nested array: element at [${path.join(',')}] is an array, expected a number.`);
    }
    return;
  }
  if (!(Array.isArray(v) || isTypedArray(v))) {
    throw new ValueError(
      `${op}: ragged nested array: element at [${path.join(',')}] is not an array, expected an array of length ${shape[axis]}.`,
    );
  }
  const arr = v as ArrayLike<unknown>;
  if (arr.length !== shape[axis]) {
    throw new ValueError(`${op}: ragged nested array: element at [${path.join(',')}] has length ${arr.length}, expected ${shape[axis]}.`);
  }
  if (isTypedArray(v)) return;
  for (let i = 0; i < arr.length; i++) checkNesting(op, arr[i], shape, axis + 1, [...path, i]);
}

function flatten(op: string, values: unknown, out: number[]): void {
  if (Array.isArray(values)) {
    for (const v of values) flatten(op, v, out);
  } else if (isTypedArray(values)) {
    for (let i = 0; i < values.length; i++) out.push(values[i]);
  } else if (typeof values === 'number') {
    out.push(values);
  } else if (typeof values === 'boolean') {
    out.push(values ? 1 : 0);
  } else {
    throw new ValueError(`${op}: values must be numbers or booleans, received ${typeof values} (${String(values)}).`);
  }
}

/**
 * Creates a tensor from nested arrays, a flat array or typed array plus `shape`, or a number.
 *
 * ```js
 * const x = tensor([[1, 2], [3, 4]]);          // shape [2, 2], float32
 * const y = tensor([1, 2, 3, 4], [2, 2], 'int32');
 * ```
 */
export function tensor(values: TensorLike, shape?: number[], dtype?: DataType): Tensor {
  const op = 'tensor';
  if (values instanceof Tensor) {
    return makeTensor(convertValues(values.values, dtype ?? values.dtype), shape ?? values.shape.slice(), dtype ?? values.dtype);
  }
  if (dtype !== undefined && !isDataType(dtype)) {
    throw new ValueError(`${op}: unknown dtype '${String(dtype)}'; expected 'float32', 'int32' or 'bool'.`);
  }
  if (values === null || values === undefined || typeof values === 'string') {
    throw new ValueError(`${op}: values must be a number, boolean, array or typed array, received ${String(values)}.`);
  }
  const inferred = inferShape(op, values);
  const flat: number[] = [];
  flatten(op, values, flat);
  const finalDtype = dtype ?? inferDtype(values);
  let finalShape = inferred;
  if (shape !== undefined) {
    assertValidShape(op, shape);
    const expected = sizeFromShape(shape);
    if (expected !== flat.length) {
      if (inferred.length > 1) {
        throw new ValueError(
          `${op}: the shape of the values ${formatShape(inferred)} does not match the requested shape ${formatShape(shape)}.`,
        );
      }
      throw new ValueError(
        `${op}: based on the provided shape ${formatShape(shape)}, the tensor should have ${expected} values but has ${flat.length}.`,
      );
    }
    finalShape = shape.slice();
  }
  return makeTensor(convertValues(flat, finalDtype), finalShape, finalDtype);
}

/** Rank-checked creation helper shared by tensor1d..tensor6d. */
function tensorOfRank(rank: number, values: TensorLike, shape?: number[], dtype?: DataType): Tensor {
  const t = tensor(values, shape, dtype);
  if (t.rank !== rank) throw new ValueError(`tensor${rank}d() requires values of rank ${rank}, received rank ${t.rank}.`);
  return t;
}

/** A scalar (rank-0) tensor. */
export function scalar(value: number | boolean, dtype?: DataType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new ValueError(`scalar: value must be a number or boolean, received ${typeof value}.`);
  }
  return tensor(value, [], dtype);
}
/** A rank-1 tensor. */
export const tensor1d = (values: TensorLike, dtype?: DataType) => tensorOfRank(1, values, undefined, dtype);
/** A rank-2 tensor. */
export const tensor2d = (values: TensorLike, shape?: number[], dtype?: DataType) => tensorOfRank(2, values, shape, dtype);
/** A rank-3 tensor. */
export const tensor3d = (values: TensorLike, shape?: number[], dtype?: DataType) => tensorOfRank(3, values, shape, dtype);
/** A rank-4 tensor. */
export const tensor4d = (values: TensorLike, shape?: number[], dtype?: DataType) => tensorOfRank(4, values, shape, dtype);
/** A rank-5 tensor. */
export const tensor5d = (values: TensorLike, shape?: number[], dtype?: DataType) => tensorOfRank(5, values, shape, dtype);
/** A rank-6 tensor. */
export const tensor6d = (values: TensorLike, shape?: number[], dtype?: DataType) => tensorOfRank(6, values, shape, dtype);

/**
 * Converts an op argument to a tensor; numbers take `dtypeHint` (so `add(intTensor, 1)` stays int32).
 * Errors name the op and argument.
 */
export function convertToTensor(x: TensorLike, argName: string, opName: string, dtypeHint?: DataType): Tensor {
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new ValueError(`${opName}: argument '${argName}' is a disposed tensor.`);
    return x;
  }
  if (x === null || x === undefined) {
    throw new ValueError(`${opName}: argument '${argName}' must be a Tensor or TensorLike, but got ${String(x)}.`);
  }
  if (typeof x === 'number' || typeof x === 'boolean') {
    return makeTensor(convertValues([Number(x)], dtypeHint ?? inferDtype(x)), [], dtypeHint ?? inferDtype(x));
  }
  if (typeof x !== 'object') {
    throw new ValueError(`${opName}: argument '${argName}' must be a Tensor or TensorLike, but got ${typeof x}.`);
  }
  try {
    return tensor(x as TensorLike);
  } catch (e) {
    throw new ValueError(`${opName}: argument '${argName}': ${(e as Error).message}`);
  }
}

/** Allocates a zero tensor of `shape` (no copy of anything). */
export function emptyLike(shape: number[], dtype: DataType): Tensor {
  return makeTensor(allocate(dtype, sizeFromShape(shape)), shape, dtype);
}
