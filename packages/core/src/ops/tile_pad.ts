/** Index-mapping copies: broadcastTo, tile, pad, reverse — each a strided walk, with its backward beside it. */
import { record } from '../engine';
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { assertValidShape, computeStrides, formatShape, parseAxes, sizeFromShape } from '../shape';
import { stridedGather, stridedScatter, sumToShape } from './op_utils';
import { slice } from './slice_concat';
import { ValueError } from '../errors';

/**
 * Broadcasts `x` to `shape` (numpy rules: `x`'s dimensions, aligned to the right, must be 1 or equal).
 *
 * ```js
 * broadcastTo(tensor1d([1, 2]), [2, 2]);   // [[1, 2], [1, 2]]
 * ```
 */
export function broadcastTo(x: TensorLike, shape: number[]): Tensor {
  const t = convertToTensor(x, 'x', 'broadcastTo');
  assertValidShape('broadcastTo', shape);
  if (shape.length < t.rank) {
    throw new ValueError(`broadcastTo: cannot broadcast shape ${formatShape(t.shape)} to the lower-rank shape ${formatShape(shape)}.`);
  }
  const offset = shape.length - t.rank;
  const inStrides = computeStrides(t.shape);
  const strides = shape.map((d, i) => {
    if (i < offset) return 0;
    const di = t.shape[i - offset];
    if (di === d) return inStrides[i - offset];
    if (di === 1) return 0;
    throw new ValueError(`broadcastTo: cannot broadcast shape ${formatShape(t.shape)} to shape ${formatShape(shape)}.`);
  });
  const out = allocate(t.dtype, sizeFromShape(shape));
  stridedGather(t.values, 0, shape, strides, out);
  const result = makeTensor(out, shape.slice(), t.dtype);
  record('broadcastTo', [t], [result], ([dy]) => [sumToShape(dy, t.shape)]);
  return result;
}

/**
 * Repeats `x` `reps[i]` times along axis `i`.
 *
 * ```js
 * tile(tensor1d([1, 2]), [2]);   // [1, 2, 1, 2]
 * ```
 */
export function tile(x: TensorLike, reps: number[]): Tensor {
  const t = convertToTensor(x, 'x', 'tile');
  if (!Array.isArray(reps) || reps.length !== t.rank) {
    throw new ValueError(
      `tile: reps ${Array.isArray(reps) ? formatShape(reps) : String(reps)} must have one entry per dimension of x (shape ${formatShape(t.shape)}).`,
    );
  }
  reps.forEach((r) => {
    if (!Number.isInteger(r) || r < 0) throw new ValueError(`tile: reps ${formatShape(reps)} must be non-negative integers.`);
  });
  // View the output as [r0, s0, r1, s1, ...]: the rep axes have stride 0 into x.
  const inStrides = computeStrides(t.shape);
  const walkShape: number[] = [];
  const walkStrides: number[] = [];
  t.shape.forEach((d, i) => {
    walkShape.push(reps[i], d);
    walkStrides.push(0, inStrides[i]);
  });
  const outShape = t.shape.map((d, i) => d * reps[i]);
  assertValidShape(`tile (x ${formatShape(t.shape)}, reps ${formatShape(reps)})`, outShape);
  const out = allocate(t.dtype, sizeFromShape(outShape));
  stridedGather(t.values, 0, walkShape, walkStrides, out);
  const result = makeTensor(out, outShape, t.dtype);
  record('tile', [t], [result], ([dy]) => {
    const g = new Float32Array(t.size);
    stridedScatter(dy.values, g, 0, walkShape, walkStrides);
    return [makeTensor(g, t.shape.slice(), 'float32')];
  });
  return result;
}

/**
 * Pads `x` with `constantValue`: `paddings[i] = [before, after]` for axis `i`.
 *
 * ```js
 * pad(tensor1d([1, 2]), [[1, 2]]);   // [0, 1, 2, 0, 0]
 * ```
 */
export function pad(x: TensorLike, paddings: Array<[number, number]>, constantValue = 0): Tensor {
  const t = convertToTensor(x, 'x', 'pad');
  if (!Array.isArray(paddings) || paddings.length !== t.rank) {
    throw new ValueError(
      `pad: paddings must have one [before, after] pair per dimension of x (shape ${formatShape(t.shape)}), received ${JSON.stringify(paddings)}.`,
    );
  }
  paddings.forEach((p) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ValueError(`pad: paddings must be pairs of non-negative integers, received ${JSON.stringify(paddings)}.`);
    }
  });
  const outShape = t.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  assertValidShape(`pad (x ${formatShape(t.shape)}, paddings ${JSON.stringify(paddings)})`, outShape);
  const outStrides = computeStrides(outShape);
  const out = allocate(t.dtype, sizeFromShape(outShape));
  if (constantValue !== 0) out.fill(constantValue);
  let offset = 0;
  paddings.forEach(([before], i) => (offset += before * outStrides[i]));
  stridedScatter(t.values, out, offset, t.shape, outStrides, true);
  const result = makeTensor(out, outShape, t.dtype);
  record('pad', [t], [result], ([dy]) => [
    slice(
      dy,
      paddings.map((p) => p[0]),
      t.shape,
    ),
  ]);
  return result;
}

/**
 * Reverses `x` along `axis` (a number, a list, or all axes when omitted).
 *
 * ```js
 * reverse(tensor2d([[1, 2], [3, 4]]), 1);   // [[2, 1], [4, 3]]
 * ```
 */
export function reverse(x: TensorLike, axis?: number | number[]): Tensor {
  const t = convertToTensor(x, 'x', 'reverse');
  const axes = parseAxes('reverse', axis, t.rank);
  const strides = computeStrides(t.shape);
  let offset = 0;
  const walk = strides.map((s, i) => {
    if (!axes.includes(i)) return s;
    offset += (t.shape[i] - 1) * s;
    return -s;
  });
  const out = allocate(t.dtype, t.size);
  if (t.size > 0) stridedGather(t.values, offset, t.shape, walk, out);
  const result = makeTensor(out, t.shape.slice(), t.dtype);
  record('reverse', [t], [result], ([dy]) => [reverse(dy, axes)]);
  return result;
}
