/** `unique(x, axis)`: the distinct slices of x along an axis, in order of first appearance (tfjs semantics). */
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { parseAxis, sizeFromShape } from '../shape';
import { ValueError } from '../errors';

/**
 * The distinct slices of `x` along `axis` (default 0), in the order they first appear (`values`, dtype of x), and
 * for each slice of x the position of its value in `values` (`indices`, int32 of shape [x.shape[axis]]). Slices
 * compare by value: NaN equals NaN and −0 equals 0, as tfjs. Not differentiable (as tfjs).
 *
 * ```js
 * unique(tensor1d([1, 1, 2, 4, 4, 4, 7, 8, 8]));   // values [1, 2, 4, 7, 8], indices [0, 0, 1, 2, 2, 2, 3, 4, 4]
 * ```
 */
export function unique(x: TensorLike, axis = 0): { values: Tensor; indices: Tensor } {
  const t = convertToTensor(x, 'x', 'unique');
  if (t.rank === 0) throw new ValueError('unique: x must have rank >= 1, received a scalar.');
  const ax = parseAxis('unique', axis, t.rank);
  const outer = sizeFromShape(t.shape.slice(0, ax));
  const n = t.shape[ax];
  const inner = sizeFromShape(t.shape.slice(ax + 1));
  const xv = t.values;
  const sliceValues = (j: number): number[] => {
    const s: number[] = [];
    for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) s.push(xv[(o * n + j) * inner + k]);
    return s;
  };
  const seen = new Map<string, number>();
  const firsts: number[] = [];
  const indices = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const key = sliceValues(j).join(',');
    let pos = seen.get(key);
    if (pos === undefined) {
      pos = firsts.length;
      seen.set(key, pos);
      firsts.push(j);
    }
    indices[j] = pos;
  }
  const u = firsts.length;
  const out = allocate(t.dtype, outer * u * inner);
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < u; p++) {
      for (let k = 0; k < inner; k++) out[(o * u + p) * inner + k] = xv[(o * n + firsts[p]) * inner + k];
    }
  }
  const shape = t.shape.slice();
  shape[ax] = u;
  return { values: makeTensor(out, shape, t.dtype), indices: makeTensor(indices, [n], 'int32') };
}
