/**
 * `stridedSlice(x, begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask)`: numpy-style
 * `x[b:e:s, ...]` with TensorFlow's bit masks (tfjs semantics), and its backward (scatter into zeros).
 */
import { record } from '../engine';
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { computeStrides, formatShape, sizeFromShape } from '../shape';
import { ValueError } from '../errors';
import { stridedGather, stridedScatter } from './op_utils';

/** One input axis of the slice: where it starts, how many elements, the step; `shrink` drops it from the output. */
interface AxisSlice {
  begin: number;
  size: number;
  step: number;
  shrink: boolean;
}

function checkIntArray(name: string, v: unknown, len?: number): number[] {
  if (!Array.isArray(v) || !v.every((e) => Number.isInteger(e)) || (len !== undefined && v.length !== len)) {
    throw new ValueError(
      `stridedSlice: argument '${name}' must be an array of ${len === undefined ? '' : `${len} `}integers, received ${JSON.stringify(v)}.`,
    );
  }
  return v as number[];
}

/**
 * `x[begin:end:strides]` per axis. Bit i of a mask refers to entry i of `begin`/`end`/`strides`: `beginMask` /
 * `endMask` ignore that begin / end (the full range in the step's direction), `ellipsisMask` (one bit at most) makes
 * entry i stand for all the axes not otherwise named, `newAxisMask` inserts an axis of size 1, `shrinkAxisMask`
 * takes the single element `begin[i]` and drops the axis. Negative begin/end count from the end; out-of-range ones
 * clamp (as numpy); axes past the entries are taken whole.
 * tfjs note: where begin lies past end in the step's direction the axis is empty here (numpy, TensorFlow); tfjs
 * throws ("Negative size values should be exactly -1") there. A shrunk axis takes element begin[i] whatever
 * strides[i] says (TensorFlow); tfjs 4.22 takes other elements when axes are shrunk and a stride is not 1 (begin
 * `[1, 0]`, strides `[1, 2]`, both axes shrunk: x[0, 1] in tfjs, x[1, 0] here).
 *
 * ```js
 * stridedSlice(tensor1d([0, 1, 2, 3, 4]), [1], [5], [2]);              // [1, 3]
 * stridedSlice(x, [0, -1], [0, 0], [1, 1], 1, 0, 0, 0, 2);             // x[:, -1]: the last step of [batch, time]
 * ```
 */
export function stridedSlice(
  x: TensorLike,
  begin: number[],
  end: number[],
  strides?: number[],
  beginMask = 0,
  endMask = 0,
  ellipsisMask = 0,
  newAxisMask = 0,
  shrinkAxisMask = 0,
): Tensor {
  const t = convertToTensor(x, 'x', 'stridedSlice');
  const b = checkIntArray('begin', begin);
  const e = checkIntArray('end', end, b.length);
  const s = strides === undefined ? b.map(() => 1) : checkIntArray('strides', strides, b.length);
  for (const [name, m] of Object.entries({ beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask })) {
    if (!Number.isInteger(m) || m < 0)
      throw new ValueError(`stridedSlice: argument '${name}' must be a non-negative integer bit mask, received ${m}.`);
  }
  if (ellipsisMask & (ellipsisMask - 1)) {
    throw new ValueError(`stridedSlice: argument 'ellipsisMask' may have at most one bit set, received ${ellipsisMask}.`);
  }
  const bit = (mask: number, i: number): boolean => ((mask >> i) & 1) === 1;
  // The entries that name an input axis (not the ellipsis, not a new axis).
  let named = 0;
  for (let i = 0; i < b.length; i++) if (!bit(ellipsisMask, i) && !bit(newAxisMask, i)) named++;
  if (named > t.rank) {
    throw new ValueError(`stridedSlice: ${named} axes are sliced but x has rank ${t.rank} (shape ${formatShape(t.shape)}).`);
  }
  const axes: AxisSlice[] = [];
  const outShape: number[] = [];
  const full = (): void => {
    const dim = t.shape[axes.length];
    axes.push({ begin: 0, size: dim, step: 1, shrink: false });
    outShape.push(dim);
  };
  for (let i = 0; i < b.length; i++) {
    if (bit(ellipsisMask, i)) {
      for (let k = 0; k < t.rank - named; k++) full();
    } else if (bit(newAxisMask, i)) {
      outShape.push(1);
    } else {
      const axis = axes.length;
      const a = sliceAxis(t.shape[axis], axis, b[i], e[i], s[i], bit(beginMask, i), bit(endMask, i), bit(shrinkAxisMask, i));
      axes.push(a);
      if (!a.shrink) outShape.push(a.size);
    }
  }
  while (axes.length < t.rank) full();

  const inStrides = computeStrides(t.shape);
  let offset = 0;
  axes.forEach((a, i) => (offset += a.size > 0 ? a.begin * inStrides[i] : 0));
  const walkShape = axes.map((a) => a.size);
  const walkStrides = axes.map((a, i) => a.step * inStrides[i]);
  const out = allocate(t.dtype, sizeFromShape(walkShape));
  if (out.length > 0) stridedGather(t.values, offset, walkShape, walkStrides, out);
  const result = makeTensor(out, outShape, t.dtype);
  record('stridedSlice', [t], [result], ([dy]) => {
    const g = new Float32Array(t.size);
    if (dy.size > 0) stridedScatter(dy.values, g, offset, walkShape, walkStrides);
    return [makeTensor(g, t.shape.slice(), 'float32')];
  });
  return result;
}

function sliceAxis(
  dim: number,
  axis: number,
  begin: number,
  end: number,
  step: number,
  ignoreBegin: boolean,
  ignoreEnd: boolean,
  shrink: boolean,
): AxisSlice {
  if (shrink) {
    const i = begin < 0 ? begin + dim : begin;
    if (i < 0 || i >= dim) {
      throw new ValueError(
        `stridedSlice: shrinkAxisMask takes index ${begin} of axis ${axis}, expected it in [${-dim}, ${dim}) (size ${dim}).`,
      );
    }
    return { begin: i, size: 1, step: 1, shrink: true };
  }
  if (step === 0) throw new ValueError(`stridedSlice: strides[${axis}] must be non-zero, received 0.`);
  // numpy's clamping: forward steps run in [0, dim], backward ones in [-1, dim - 1].
  const lo = step > 0 ? 0 : -1;
  const hi = step > 0 ? dim : dim - 1;
  const clamp = (v: number): number => Math.min(hi, Math.max(lo, v < 0 ? v + dim : v));
  const from = ignoreBegin ? (step > 0 ? lo : hi) : clamp(begin);
  const to = ignoreEnd ? (step > 0 ? hi : lo) : clamp(end);
  const size = Math.max(0, Math.ceil((to - from) / step));
  return { begin: from, size, step, shrink: false };
}
