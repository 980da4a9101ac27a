/** Cutting and joining along axes: slice, split, unstack, concat, stack — with backwards beside them. */
import { record } from '../engine';
import { allocate, DataType, upcastType } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { computeStrides, formatShape, parseAxis, shapesEqual, sizeFromShape } from '../shape';
import { stridedGather, stridedScatter } from './op_utils';
import { reshape, expandDims } from './reshape';
import { ValueError } from '../errors';

/** One axis of a range slice: `[start, end]` (end exclusive; negative counts from the end; null = open), `[start]`, or null (all). */
export type SliceRange = [number | null, (number | null)?] | null;

/** True when `begin` is the per-axis range form (deepbox / lucid): some entry is an array or null. */
function isRangeForm(begin: unknown): begin is SliceRange[] {
  return Array.isArray(begin) && begin.some((e) => e === null || Array.isArray(e));
}

/** Converts per-axis `[start, end]` ranges to begin/size, Python-style: negatives from the end, clamped to the axis. */
function rangesToBeginSize(x: Tensor, ranges: SliceRange[]): { begin: number[]; size: number[] } {
  if (ranges.length > x.rank) {
    throw new ValueError(`slice: ${ranges.length} ranges for x with shape ${formatShape(x.shape)} (rank ${x.rank}).`);
  }
  const begin: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const r = i < ranges.length ? ranges[i] : null;
    const n = x.shape[i];
    if (r !== null && (!Array.isArray(r) || r.length < 1 || r.length > 2)) {
      throw new ValueError(
        `slice: range ${i} must be [start, end], [start] or null, received ${JSON.stringify(r)} (x has shape ${formatShape(x.shape)}).`,
      );
    }
    const [s0, e0] = r === null ? [null, null] : [r[0], r.length > 1 ? r[1] : null];
    for (const v of [s0, e0]) {
      if (v !== null && v !== undefined && !Number.isInteger(v)) {
        throw new ValueError(`slice: range ${i} must hold integers or null, received ${JSON.stringify(r)}.`);
      }
    }
    const norm = (v: number | null | undefined, dflt: number) =>
      v === null || v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    const start = norm(s0, 0);
    const end = Math.max(norm(e0, n), start);
    begin.push(start);
    size.push(end - start);
  }
  return { begin, size };
}

/** Completes `begin`/`size` as tfjs does: missing begins are 0, missing or -1 sizes run to the end. */
function parseSliceParams(
  x: Tensor,
  begin: number | number[] | SliceRange[],
  size?: number | number[],
): { begin: number[]; size: number[] } {
  if (isRangeForm(begin)) {
    if (size !== undefined && size !== null)
      throw new ValueError(`slice: with per-axis [start, end] ranges, size must be omitted, received ${JSON.stringify(size)}.`);
    return rangesToBeginSize(x, begin);
  }
  const rank = x.rank;
  const b = typeof begin === 'number' ? [begin] : Array.isArray(begin) ? begin.slice() : null;
  if (b === null) throw new ValueError(`slice: begin must be a number or an array of numbers, received ${String(begin)}.`);
  if (b.length > rank) {
    throw new ValueError(`slice: begin ${formatShape(b)} has more entries than the rank of x (shape ${formatShape(x.shape)}).`);
  }
  while (b.length < rank) b.push(0);
  const s = size === undefined || size === null ? [] : typeof size === 'number' ? [size] : size.slice();
  if (s.length > rank) {
    throw new ValueError(`slice: size ${formatShape(s)} has more entries than the rank of x (shape ${formatShape(x.shape)}).`);
  }
  while (s.length < rank) s.push(-1);
  const sz = s.map((d, i) => (d === -1 ? x.shape[i] - b[i] : d));
  for (let i = 0; i < rank; i++) {
    if (!Number.isInteger(b[i]) || !Number.isInteger(sz[i]) || b[i] < 0 || sz[i] < 0 || b[i] + sz[i] > x.shape[i]) {
      throw new ValueError(
        `slice: begin ${formatShape(b)} and size ${formatShape(s)} are out of bounds for x with shape ${formatShape(x.shape)} (axis ${i}).`,
      );
    }
  }
  return { begin: b, size: sz };
}

/**
 * The block of `x` starting at `begin` with `size` (-1 or omitted: to the end of that axis).
 * `begin` may be a number for rank-1 input. Also accepts deepbox/lucid's per-axis ranges instead:
 * `[[start, end], ...]` with end exclusive, negative indices counting from the end and `null` for an open end
 * (or `null` for a whole axis); missing trailing axes are kept whole, and no axis is dropped.
 *
 * ```js
 * slice(tensor2d([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]);   // [[2, 3], [5, 6]]
 * hN.slice([[-1, null], [0, null], [0, null]]);              // the last layer's state, [1, batch, hidden]
 * ```
 */
export function slice(x: TensorLike, begin: number | number[] | SliceRange[], size?: number | number[]): Tensor {
  const t = convertToTensor(x, 'x', 'slice');
  const p = parseSliceParams(t, begin, size);
  const strides = computeStrides(t.shape);
  let offset = 0;
  p.begin.forEach((b, i) => (offset += b * strides[i]));
  const out = allocate(t.dtype, sizeFromShape(p.size));
  stridedGather(t.values, offset, p.size, strides, out);
  const result = makeTensor(out, p.size, t.dtype);
  record('slice', [t], [result], ([dy]) => {
    const g = new Float32Array(t.size);
    stridedScatter(dy.values, g, offset, p.size, strides);
    return [makeTensor(g, t.shape.slice(), 'float32')];
  });
  return result;
}

/**
 * Joins tensors along `axis`; all other dimensions must match. Mixed dtypes upcast (float32 over int32 over bool).
 * tfjs note: tfjs keeps the first tensor's dtype, so `concat([int32, float32])` truncates the floats there.
 *
 * ```js
 * concat([tensor1d([1, 2]), tensor1d([3])]);   // [1, 2, 3]
 * ```
 */
export function concat(tensors: TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ValueError('concat: tensors must be a non-empty array of tensors.');
  }
  const ts = tensors.map((t, i) => convertToTensor(t, `tensors[${i}]`, 'concat'));
  const first = ts[0];
  if (first.rank === 0) throw new ValueError('concat: cannot concatenate scalars (rank 0); use stack instead.');
  const ax = parseAxis('concat', axis, first.rank);
  let dtype: DataType = first.dtype;
  let axisTotal = 0;
  ts.forEach((t, i) => {
    const sameOtherDims = t.rank === first.rank && t.shape.every((d, k) => k === ax || d === first.shape[k]);
    if (!sameOtherDims) {
      throw new ValueError(
        `concat: all dimensions except the concatenation axis ${ax} must match, but tensors[0] has shape ${formatShape(first.shape)} ` +
          `and tensors[${i}] has shape ${formatShape(t.shape)}.`,
      );
    }
    dtype = upcastType(dtype, t.dtype);
    axisTotal += t.shape[ax];
  });
  const outShape = first.shape.slice();
  outShape[ax] = axisTotal;
  const outer = sizeFromShape(first.shape.slice(0, ax));
  const rowLength = sizeFromShape(outShape.slice(ax));
  const out = allocate(dtype, sizeFromShape(outShape));
  let colOffset = 0;
  for (const t of ts) {
    const chunk = sizeFromShape(t.shape.slice(ax));
    const tv = t.values;
    for (let o = 0; o < outer; o++) {
      const dst = o * rowLength + colOffset;
      const src = o * chunk;
      for (let k = 0; k < chunk; k++) out[dst + k] = tv[src + k];
    }
    colOffset += chunk;
  }
  const result = makeTensor(out, outShape, dtype);
  record('concat', ts, [result], ([dy]) => {
    let start = 0;
    return ts.map((t) => {
      const begin = new Array<number>(t.rank).fill(0);
      begin[ax] = start;
      start += t.shape[ax];
      return slice(dy, begin, t.shape);
    });
  });
  return result;
}

/**
 * Stacks same-shaped tensors along a new axis `axis`.
 *
 * ```js
 * stack([tensor1d([1, 2]), tensor1d([3, 4])]);   // [[1, 2], [3, 4]]
 * ```
 */
export function stack(tensors: TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ValueError('stack: tensors must be a non-empty array of tensors.');
  }
  const ts = tensors.map((t, i) => convertToTensor(t, `tensors[${i}]`, 'stack'));
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, ts[0].shape)) {
      throw new ValueError(
        `stack: all tensors must have the same shape, but tensors[0] has shape ${formatShape(ts[0].shape)} and tensors[${i}] has shape ${formatShape(t.shape)}.`,
      );
    }
    if (t.dtype !== ts[0].dtype) {
      throw new ValueError(
        `stack: all tensors must have the same dtype, but tensors[0] is ${ts[0].dtype} and tensors[${i}] is ${t.dtype}.`,
      );
    }
  });
  const ax = parseAxis('stack', axis, ts[0].rank + 1);
  return concat(
    ts.map((t) => expandDims(t, ax)),
    ax,
  );
}

/**
 * Splits `x` along `axis` into `x.shape[axis]` tensors of one rank less.
 *
 * ```js
 * unstack(tensor2d([[1, 2], [3, 4]]));   // [tensor1d([1, 2]), tensor1d([3, 4])]
 * ```
 */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = convertToTensor(x, 'x', 'unstack');
  if (t.rank === 0) throw new ValueError('unstack: x must have rank >= 1, received a scalar.');
  const ax = parseAxis('unstack', axis, t.rank);
  const outShape = t.shape.filter((_, i) => i !== ax);
  const size = t.shape.slice();
  size[ax] = 1;
  const out: Tensor[] = [];
  for (let i = 0; i < t.shape[ax]; i++) {
    const begin = new Array<number>(t.rank).fill(0);
    begin[ax] = i;
    out.push(reshape(slice(t, begin, size), outShape));
  }
  return out;
}

/**
 * Splits `x` along `axis` into `numOrSizeSplits` equal parts, or into parts of the given sizes
 * (one size may be -1: the rest).
 *
 * ```js
 * split(tensor1d([1, 2, 3, 4]), [1, -1]);   // [tensor1d([1]), tensor1d([2, 3, 4])]
 * ```
 */
export function split(x: TensorLike, numOrSizeSplits: number | number[], axis = 0): Tensor[] {
  const t = convertToTensor(x, 'x', 'split');
  if (t.rank === 0) throw new ValueError('split: x must have rank >= 1, received a scalar.');
  const ax = parseAxis('split', axis, t.rank);
  const dim = t.shape[ax];
  let sizes: number[];
  if (typeof numOrSizeSplits === 'number') {
    if (!Number.isInteger(numOrSizeSplits) || numOrSizeSplits <= 0 || dim % numOrSizeSplits !== 0) {
      throw new ValueError(
        `split: number of splits ${numOrSizeSplits} must evenly divide dimension ${ax} (size ${dim}) of x with shape ${formatShape(t.shape)}.`,
      );
    }
    sizes = new Array<number>(numOrSizeSplits).fill(dim / numOrSizeSplits);
  } else {
    sizes = numOrSizeSplits.slice();
    const unknown = sizes.filter((s) => s === -1).length;
    if (unknown > 1) throw new ValueError(`split: sizes ${formatShape(sizes)} can have at most one -1.`);
    const known = sizes.reduce((a, s) => (s === -1 ? a : a + s), 0);
    if (unknown === 1) sizes[sizes.indexOf(-1)] = dim - known;
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((a, s) => a + s, 0) !== dim) {
      throw new ValueError(
        `split: sizes ${formatShape(numOrSizeSplits)} must add up to dimension ${ax} (size ${dim}) of x with shape ${formatShape(t.shape)}.`,
      );
    }
  }
  let start = 0;
  return sizes.map((s) => {
    const begin = new Array<number>(t.rank).fill(0);
    begin[ax] = start;
    start += s;
    const size = t.shape.slice();
    size[ax] = s;
    return slice(t, begin, size);
  });
}
