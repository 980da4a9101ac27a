/** Building blocks of the general ops: broadcasting loops, unary maps and gradient reduction. */
import { record } from '../engine';
import { allocate, DataType, TypedArray } from '../dtype';
import { broadcastShapes, computeStrides, shapesEqual, sizeFromShape } from '../shape';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { cast } from './cast';
import { ValueError } from '../errors';

/**
 * True when a number operand `v` can take `dtype` (the other operand's): float32 always, int32 for an int32 integer,
 * bool never (arithmetic on bools leaves {0, 1}; the logical ops convert their numbers themselves).
 */
function isValueOf(v: number, dtype: DataType): boolean {
  if (dtype === 'bool') return false;
  return dtype !== 'int32' || (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31);
}

/**
 * Converts both operands of a binary op; mismatched tensor dtypes throw. A number adopts an int32 operand's dtype
 * when it is an integer (`add(intTensor, 1)` stays int32); otherwise (`mul(intTensor, 0.5)`, NaN, any number with a
 * bool tensor) both operands become float32, as tfjs computes them, rather than the number being truncated.
 * tfjs note: tfjs makes every number float32, so `add(intTensor, 1)` is float32 there.
 */
export function binaryInputs(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const other = typeof a === 'number' ? b : typeof b === 'number' ? a : null;
  const num = typeof a === 'number' ? a : b;
  if (other instanceof Tensor && other.dtype !== 'float32' && typeof num === 'number' && !isValueOf(num, other.dtype)) {
    const t = cast(convertToTensor(other, other === a ? 'a' : 'b', op), 'float32');
    return typeof a === 'number' ? [convertToTensor(a, 'a', op, 'float32'), t] : [t, convertToTensor(num, 'b', op, 'float32')];
  }
  const hintA = b instanceof Tensor ? b.dtype : undefined;
  const hintB = a instanceof Tensor ? a.dtype : undefined;
  const x = convertToTensor(a, 'a', op, typeof a === 'number' ? hintA : undefined);
  const y = convertToTensor(b, 'b', op, typeof b === 'number' ? hintB : undefined);
  if (x.dtype !== y.dtype) {
    throw new ValueError(`${op}: the dtypes of the first (${x.dtype}) and second (${y.dtype}) input must match.`);
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
    throw new ValueError(`${op}: argument '${argName}' must be float32, received ${x.dtype}.`);
  }
}

/** A float32 copy of the values of any tensor. */
export function toFloat32(values: TypedArray): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/**
 * The gradient of an elementwise unary op: `dx[i] = dy[i] · d(x[i], y[i])` as float32, where `y` is the op's
 * output. Works for any input dtype (the derivative is computed from the values).
 */
export function unaryGrad(dy: Tensor, x: Tensor, y: Tensor, d: (x: number, y: number) => number): Tensor {
  const dv = dy.values;
  const xv = x.values;
  const yv = y.values;
  const out = new Float32Array(xv.length);
  for (let i = 0; i < out.length; i++) out[i] = dv[i] * d(xv[i], yv[i]);
  return makeTensor(out, x.shape.slice(), 'float32');
}

/**
 * The gradients of a broadcasting binary op from its partial derivatives: each output element `i`
 * (with operands `p = a[..]`, `q = b[..]`) adds `dy[i]·da(p, q)` to `a`'s gradient and `dy[i]·db(p, q)` to `b`'s,
 * summing over broadcast dimensions. Pass `null` for an operand that gets no gradient.
 */
export function broadcastGrads(
  dy: Tensor,
  a: Tensor,
  b: Tensor,
  da: ((p: number, q: number) => number) | null,
  db: ((p: number, q: number) => number) | null,
): [Tensor | null, Tensor | null] {
  const dv = dy.values;
  const av = a.values;
  const bv = b.values;
  const aIdx = broadcastIndexMap(a.shape, dy.shape);
  const bIdx = broadcastIndexMap(b.shape, dy.shape);
  const ga = da ? new Float32Array(av.length) : null;
  const gb = db ? new Float32Array(bv.length) : null;
  for (let i = 0; i < dv.length; i++) {
    const ia = aIdx[i];
    const ib = bIdx[i];
    const p = av[ia];
    const q = bv[ib];
    if (ga) ga[ia] += dv[i] * da!(p, q);
    if (gb) gb[ib] += dv[i] * db!(p, q);
  }
  return [ga ? makeTensor(ga, a.shape.slice(), 'float32') : null, gb ? makeTensor(gb, b.shape.slice(), 'float32') : null];
}

/** Converts a unary op's argument; errors name the op. */
export function unaryInput(op: string, x: TensorLike, argName = 'x'): Tensor {
  return convertToTensor(x, argName, op);
}

/**
 * The broadcasting binary op `op`: out = f(a, b) (of dtype `outDtype`, default a's), recorded with the partial
 * derivatives `da(p, q)`, `db(p, q)` for backprop (`broadcastGrads`).
 */
export function binaryOp(
  op: string,
  a: TensorLike,
  b: TensorLike,
  f: (p: number, q: number) => number,
  da: (p: number, q: number) => number,
  db: (p: number, q: number) => number,
  outDtype?: DataType,
): Tensor {
  const [x, y] = binaryInputs(op, a, b);
  const out = broadcastBinary(op, x, y, f, outDtype);
  record(op, [x, y], [out], ([dy]) => broadcastGrads(dy, x, y, da, db));
  return out;
}

/**
 * The elementwise op `op`: y = f(x) (of dtype `outDtype`, default x's), recorded with the derivative `d(x, y)` for
 * backprop. The body of the unary math ops and the activations.
 */
export function unaryOp(
  op: string,
  x: TensorLike,
  f: (v: number) => number,
  d: (x: number, y: number) => number,
  outDtype?: DataType,
): Tensor {
  const t = unaryInput(op, x);
  const out = mapUnary(t, f, outDtype);
  record(op, [t], [out], ([dy]) => [unaryGrad(dy, t, out, d)]);
  return out;
}

/** The permutation that moves `axes` (sorted) to the end, keeping the order of the other axes. */
export function axesToEndPerm(rank: number, axes: readonly number[]): number[] {
  const rest: number[] = [];
  for (let i = 0; i < rank; i++) if (!axes.includes(i)) rest.push(i);
  return [...rest, ...axes];
}

/** True when the sorted `axes` are consecutive (so a reduction over them is one contiguous block per outer index). */
export function axesAreContiguous(axes: readonly number[]): boolean {
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1] + 1) return false;
  return true;
}

/**
 * The loop shape of a reduction over consecutive axes `[first..last]` of `shape`:
 * element `(o, r, k)` lives at `(o·reduce + r)·inner + k`, and its result at `o·inner + k`.
 */
export function reductionLoops(shape: readonly number[], axes: readonly number[]): { outer: number; reduce: number; inner: number } {
  if (axes.length === 0) return { outer: sizeFromShape(shape), reduce: 1, inner: 1 };
  const first = axes[0];
  const last = axes[axes.length - 1];
  return {
    outer: sizeFromShape(shape.slice(0, first)),
    reduce: sizeFromShape(shape.slice(first, last + 1)),
    inner: sizeFromShape(shape.slice(last + 1)),
  };
}

/** The shape after reducing `axes`: those dimensions become 1 (keepDims) or are dropped. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/**
 * Strided gather: walks `shape` in row-major order and, for element `i` at coordinates `c`, reads
 * `src[offset + Σ c[k]·strides[k]]` into `dst[i]`. Strides may be 0 (broadcast) or negative (reverse).
 * Slice, broadcastTo, reverse and tile are all this one loop.
 */
export function stridedGather(
  src: ArrayLike<number>,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  dst: TypedArray,
): void {
  const rank = shape.length;
  const size = sizeFromShape(shape);
  const coord = new Array<number>(rank).fill(0);
  let j = offset;
  for (let i = 0; i < size; i++) {
    dst[i] = src[j];
    for (let axis = rank - 1; axis >= 0; axis--) {
      coord[axis]++;
      j += strides[axis];
      if (coord[axis] < shape[axis]) break;
      j -= strides[axis] * shape[axis];
      coord[axis] = 0;
    }
  }
}

/**
 * The transpose of `stridedGather`: element `i` of `src` (walked over `shape`) is added to (or, with
 * `assign`, written to) `dst[offset + Σ c[k]·strides[k]]`. Gradients of gathers are this scatter.
 */
export function stridedScatter(
  src: ArrayLike<number>,
  dst: TypedArray,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  assign = false,
): void {
  const rank = shape.length;
  const size = sizeFromShape(shape);
  const coord = new Array<number>(rank).fill(0);
  let j = offset;
  for (let i = 0; i < size; i++) {
    if (assign) dst[j] = src[i];
    else dst[j] += src[i];
    for (let axis = rank - 1; axis >= 0; axis--) {
      coord[axis]++;
      j += strides[axis];
      if (coord[axis] < shape[axis]) break;
      j -= strides[axis] * shape[axis];
      coord[axis] = 0;
    }
  }
}

/**
 * An index argument given as a plain (nested) array or typed array, as int32: every value must be an integer (a
 * fractional, NaN or infinite index is refused rather than truncated to another index). Tensors pass unchanged
 * (the op checks their dtype).
 */
export function indexArgument(op: string, argName: string, x: TensorLike): Tensor {
  const t = convertToTensor(x, argName, op);
  if (x instanceof Tensor || t.dtype === 'int32') return t;
  const v = t.values;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i]) || Math.abs(v[i]) >= 2 ** 31) {
      throw new ValueError(`${op}: argument '${argName}' must hold integers, received ${v[i]} at flat position ${i}.`);
    }
  }
  return cast(t, 'int32');
}
