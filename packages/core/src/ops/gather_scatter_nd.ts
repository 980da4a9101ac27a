/**
 * N-dimensional index ops (tfjs semantics): `gatherND` reads slices of `x` at index tuples, `scatterND` sums updates
 * into zeros, `tensorScatterUpdate` replaces slices of a tensor. Index tuples are the last dimension of `indices`.
 */
import { record } from '../engine';
import { allocate, DataType } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { assertValidShape, computeStrides, formatShape, shapesEqual, sizeFromShape } from '../shape';
import { ValueError } from '../errors';
import { indexArgument } from './op_utils';

/** Plain arrays of integer indices parse as int32 (as tfjs; fractions are refused); tensors must already be int32. */
function indexTensor(op: string, indices: TensorLike): Tensor {
  const idx = indexArgument(op, 'indices', indices);
  if (idx.dtype !== 'int32') throw new ValueError(`${op}: argument 'indices' must be an int32 tensor, received ${idx.dtype}.`);
  if (idx.rank === 0) throw new ValueError(`${op}: argument 'indices' must have rank >= 1, received a scalar.`);
  return idx;
}

/**
 * The flat offset (in units of `sliceSize` elements) of each index tuple of `idx` into `shape`; a negative or
 * out-of-range index throws a ValueError naming the op, the tuple and the shape.
 */
function tupleOffsets(op: string, idx: Tensor, shape: readonly number[], shapeName: string): { offsets: Int32Array; sliceSize: number } {
  const depth = idx.shape[idx.rank - 1];
  if (depth > shape.length) {
    throw new ValueError(
      `${op}: the last dimension of 'indices' (shape ${formatShape(idx.shape)}) must be at most the rank of ${shapeName} ` +
        `${formatShape(shape)}, received ${depth}.`,
    );
  }
  const count = depth === 0 ? sizeFromShape(idx.shape.slice(0, -1)) : idx.size / depth;
  const strides = computeStrides(shape.slice(0, depth));
  const iv = idx.values;
  const offsets = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    let off = 0;
    for (let d = 0; d < depth; d++) {
      const v = iv[n * depth + d];
      if (v < 0 || v >= shape[d]) {
        const tuple = Array.from(iv.subarray(n * depth, (n + 1) * depth));
        throw new ValueError(
          `${op}: index ${formatShape(tuple)} (row ${n} of 'indices') is out of range for ${shapeName} ${formatShape(shape)}: ` +
            `expected 0 <= index[${d}] < ${shape[d]}, received ${v}.`,
        );
      }
      off += v * strides[d];
    }
    offsets[n] = off;
  }
  return { offsets, sliceSize: sizeFromShape(shape.slice(depth)) };
}

/**
 * Slices of `x` at the index tuples in the last dimension of `indices` (int32, depth ≤ rank of x): the result has
 * shape `indices.shape[:-1] + x.shape[depth:]`.
 * tfjs note: tfjs has no gradient for gatherND; ours scatter-adds the upstream gradient.
 *
 * ```js
 * gatherND(tensor2d([[1, 2], [3, 4]]), [[1, 0], [0, 1]]);   // [3, 2]
 * ```
 */
export function gatherND(x: TensorLike, indices: TensorLike): Tensor {
  const t = convertToTensor(x, 'x', 'gatherND');
  const idx = indexTensor('gatherND', indices);
  const { offsets, sliceSize } = tupleOffsets('gatherND', idx, t.shape, 'x of shape');
  const outShape = [...idx.shape.slice(0, -1), ...t.shape.slice(idx.shape[idx.rank - 1])];
  assertValidShape('gatherND', outShape);
  const out = allocate(t.dtype, offsets.length * sliceSize);
  const xv = t.values;
  for (let n = 0; n < offsets.length; n++) {
    const src = offsets[n] * sliceSize;
    for (let k = 0; k < sliceSize; k++) out[n * sliceSize + k] = xv[src + k];
  }
  const result = makeTensor(out, outShape, t.dtype);
  record('gatherND', [t, idx], [result], ([dy]) => [scatterValues(dy.values, offsets, sliceSize, t.shape, 'float32', null, true), null]);
  return result;
}

/** Writes (sum) or assigns the slices of `src` at `offsets` into a copy of `base` (or zeros) of `shape`. */
function scatterValues(
  src: ArrayLike<number>,
  offsets: Int32Array,
  sliceSize: number,
  shape: readonly number[],
  dtype: DataType,
  base: Tensor | null,
  sum: boolean,
): Tensor {
  const out = allocate(dtype, sizeFromShape(shape));
  if (base) out.set(base.values);
  for (let n = 0; n < offsets.length; n++) {
    const dst = offsets[n] * sliceSize;
    for (let k = 0; k < sliceSize; k++) {
      if (sum) out[dst + k] += src[n * sliceSize + k];
      else out[dst + k] = src[n * sliceSize + k];
    }
  }
  return makeTensor(out, shape.slice(), dtype);
}

function checkUpdates(op: string, idx: Tensor, upd: Tensor, shape: readonly number[]): void {
  const expected = [...idx.shape.slice(0, -1), ...shape.slice(idx.shape[idx.rank - 1])];
  if (!shapesEqual(upd.shape, expected)) {
    throw new ValueError(
      `${op}: 'updates' must have shape indices.shape[:-1] + shape[depth:] = ${formatShape(expected)} ` +
        `(indices ${formatShape(idx.shape)}, shape ${formatShape(shape)}), received ${formatShape(upd.shape)}.`,
    );
  }
}

/**
 * A tensor of `shape` that is zero except at the index tuples of `indices`, where the slices of `updates` are
 * summed (repeated tuples add up). The gradient gathers the upstream gradient at the tuples.
 *
 * ```js
 * scatterND([[1], [3]], tensor1d([9, 10]), [4]);   // [0, 9, 0, 10]
 * ```
 */
export function scatterND(indices: TensorLike, updates: TensorLike, shape: number[]): Tensor {
  const idx = indexTensor('scatterND', indices);
  const upd = convertToTensor(updates, 'updates', 'scatterND');
  if (!Array.isArray(shape)) throw new ValueError(`scatterND: argument 'shape' must be an array of integers, received ${typeof shape}.`);
  assertValidShape('scatterND', shape);
  const { offsets, sliceSize } = tupleOffsets('scatterND', idx, shape, 'the output shape');
  checkUpdates('scatterND', idx, upd, shape);
  const result = scatterValues(upd.values, offsets, sliceSize, shape, upd.dtype, null, true);
  record('scatterND', [idx, upd], [result], ([dy]) => [null, gatherSlices(dy, offsets, sliceSize, upd.shape)]);
  return result;
}

function gatherSlices(dy: Tensor, offsets: Int32Array, sliceSize: number, shape: number[]): Tensor {
  const g = new Float32Array(offsets.length * sliceSize);
  const dv = dy.values;
  for (let n = 0; n < offsets.length; n++) for (let k = 0; k < sliceSize; k++) g[n * sliceSize + k] = dv[offsets[n] * sliceSize + k];
  return makeTensor(g, shape.slice(), 'float32');
}

/**
 * A copy of `x` whose slices at the index tuples of `indices` are replaced by `updates` (dtype of x; for a
 * repeated tuple the last update wins, as tfjs's cpu backend). Gradients: to `x` where not overwritten, to the
 * updates at their tuples.
 *
 * ```js
 * tensorScatterUpdate(tensor1d([1, 2, 3]), [[0], [2]], tensor1d([7, 9]));   // [7, 2, 9]
 * ```
 */
export function tensorScatterUpdate(x: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  const t = convertToTensor(x, 'tensor', 'tensorScatterUpdate');
  const idx = indexTensor('tensorScatterUpdate', indices);
  const upd = convertToTensor(updates, 'updates', 'tensorScatterUpdate', t.dtype);
  if (upd.dtype !== t.dtype) {
    throw new ValueError(`tensorScatterUpdate: 'updates' must have the dtype of 'tensor' (${t.dtype}), received ${upd.dtype}.`);
  }
  if (t.rank === 0) throw new ValueError(`tensorScatterUpdate: argument 'tensor' must have rank >= 1, received a scalar.`);
  const { offsets, sliceSize } = tupleOffsets('tensorScatterUpdate', idx, t.shape, "'tensor' of shape");
  checkUpdates('tensorScatterUpdate', idx, upd, t.shape);
  const result = scatterValues(upd.values, offsets, sliceSize, t.shape, t.dtype, t, false);
  record('tensorScatterUpdate', [t, idx, upd], [result], ([dy]) => {
    const dx = new Float32Array(dy.values);
    const du = new Float32Array(upd.size);
    // The update that landed at each slice is the last one written there; earlier duplicates get no gradient.
    const winner = new Map<number, number>();
    for (let n = 0; n < offsets.length; n++) winner.set(offsets[n], n);
    for (const [off, n] of winner) {
      for (let k = 0; k < sliceSize; k++) {
        du[n * sliceSize + k] = dx[off * sliceSize + k];
        dx[off * sliceSize + k] = 0;
      }
    }
    return [makeTensor(dx, t.shape.slice(), 'float32'), null, makeTensor(du, upd.shape.slice(), 'float32')];
  });
  return result;
}
