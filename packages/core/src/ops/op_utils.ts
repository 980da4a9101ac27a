/** Building blocks of the general ops: broadcasting loops, unary maps and gradient reduction. */
import { allocate, DataType, TypedArray } from '../dtype';
import { broadcastShapes, computeStrides, shapesEqual, sizeFromShape } from '../shape';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';

/** Converts both operands of a binary op; numbers adopt the other operand's dtype; mismatched tensor dtypes throw. */
export function binaryInputs(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const hintA = b instanceof Tensor ? b.dtype : undefined;
  const hintB = a instanceof Tensor ? a.dtype : undefined;
  const x = convertToTensor(a, 'a', op, typeof a === 'number' ? hintA : undefined);
  const y = convertToTensor(b, 'b', op, typeof b === 'number' ? hintB : undefined);
  if (x.dtype !== y.dtype) {
    throw new Error(`${op}: the dtypes of the first (${x.dtype}) and second (${y.dtype}) input must match.`);
  }
  return [x, y];
}

/**
 * Elementwise `f(a, b)` with numpy broadcasting into a new typed array of `outDtype`.
 * Fast paths: equal shapes, scalar operands, and a trailing-suffix operand (bias add).
 */
export function broadcastBinary(
  op: string,
  a: Tensor,
  b: Tensor,
  f: (x: number, y: number) => number,
  outDtype: DataType = a.dtype,
): Tensor {
  const outShape = broadcastShapes(op, a.shape, b.shape);
  const size = sizeFromShape(outShape);
  const out = allocate(outDtype, size);
  const av = a.values;
  const bv = b.values;
  if (av.length === size && bv.length === size) {
    for (let i = 0; i < size; i++) out[i] = f(av[i], bv[i]);
  } else if (bv.length === 1 && av.length === size) {
    const y = bv[0];
    for (let i = 0; i < size; i++) out[i] = f(av[i], y);
  } else if (av.length === 1 && bv.length === size) {
    const x = av[0];
    for (let i = 0; i < size; i++) out[i] = f(x, bv[i]);
  } else if (av.length === size && isSuffix(b.shape, outShape)) {
    const n = bv.length;
    for (let i = 0; i < size; i++) out[i] = f(av[i], bv[i % n]);
  } else if (bv.length === size && isSuffix(a.shape, outShape)) {
    const n = av.length;
    for (let i = 0; i < size; i++) out[i] = f(av[i % n], bv[i]);
  } else {
    const aIdx = broadcastIndexMap(a.shape, outShape);
    const bIdx = broadcastIndexMap(b.shape, outShape);
    for (let i = 0; i < size; i++) out[i] = f(av[aIdx[i]], bv[bIdx[i]]);
  }
  return makeTensor(out, outShape, outDtype);
}

/** True when `inner` equals the trailing dimensions of `outer` (ignoring leading 1s). */
function isSuffix(inner: readonly number[], outer: readonly number[]): boolean {
  let i = inner.length - 1;
  let j = outer.length - 1;
  while (i >= 0 && inner[i] === 1 && inner.length > outer.length) i--;
  for (; i >= 0; i--, j--) if (inner[i] !== outer[j]) return false;
  for (let k = 0; k <= i; k++) if (inner[k] !== 1) return false;
  return true;
}

/** For each flat index of `outShape`, the flat index into a tensor of `inShape` broadcast to it. */
export function broadcastIndexMap(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const size = sizeFromShape(outShape);
  const map = new Int32Array(size);
  const rank = outShape.length;
  const offset = rank - inShape.length;
  const inStrides = computeStrides(inShape);
  const effStrides = outShape.map((_, axis) => {
    const inAxis = axis - offset;
    return inAxis < 0 || inShape[inAxis] === 1 ? 0 : inStrides[inAxis];
  });
  const coord = new Array<number>(rank).fill(0);
  let idx = 0;
  for (let i = 0; i < size; i++) {
    map[i] = idx;
    for (let axis = rank - 1; axis >= 0; axis--) {
      coord[axis]++;
      idx += effStrides[axis];
      if (coord[axis] < outShape[axis]) break;
      idx -= effStrides[axis] * outShape[axis];
      coord[axis] = 0;
    }
  }
  return map;
}

/** Elementwise `f(x)` into a new tensor of the same shape. */
export function mapUnary(x: Tensor, f: (v: number) => number, outDtype: DataType = x.dtype): Tensor {
  const xv = x.values;
  const out = allocate(outDtype, xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = f(xv[i]);
  return makeTensor(out, x.shape.slice(), outDtype);
}

/** Sums a broadcast gradient back down to `shape` (the inverse of broadcasting). */
export function sumToShape(dy: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const size = sizeFromShape(shape);
  const out = new Float32Array(size);
  const idx = broadcastIndexMap(shape, dy.shape);
  const dv = dy.values;
  for (let i = 0; i < dv.length; i++) out[idx[i]] += dv[i];
  return makeTensor(out, shape.slice(), 'float32');
}

/** Throws unless `x` has a floating dtype (gradients and transcendental ops need one). */
export function assertFloat(op: string, x: Tensor, argName = 'x'): void {
  if (x.dtype !== 'float32') {
    throw new Error(`${op}: argument '${argName}' must be float32, received ${x.dtype}.`);
  }
}

/** A float32 copy of the values of any tensor. */
export function toFloat32(values: TypedArray): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}
