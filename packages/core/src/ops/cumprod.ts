/** `cumprod(x, axis, exclusive, reverse)` (tfjs semantics) and its backward, exact where x has zeros. */
import { record } from '../engine';
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape, sizeFromShape } from '../shape';
import { ValueError } from '../errors';

/** Calls `line(pos)` for every line along `axis`; `pos(s)` is the flat index of the s-th element in scan order. */
function forEachLine(
  shape: readonly number[],
  axis: number,
  reverse: boolean,
  line: (pos: (s: number) => number, n: number) => void,
): void {
  const n = shape[axis];
  const inner = sizeFromShape(shape.slice(axis + 1));
  const outer = sizeFromShape(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      line((s) => base + (reverse ? n - 1 - s : s) * inner, n);
    }
  }
}

/**
 * Cumulative product along `axis` (default 0); `exclusive` leaves out the element itself (starting from 1),
 * `reverse` runs from the end. int32 stays int32. The backward is exact at zeros (no division by x).
 * tfjs note: a negative axis counts from the end here; tfjs's cumprod returns an empty tensor for axis -1.
 *
 * ```js
 * cumprod(tensor1d([1, 2, 3]));                 // [1, 2, 6]
 * cumprod(tensor1d([1, 2, 3]), 0, true, true);  // [6, 3, 1]
 * ```
 */
export function cumprod(x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor {
  const t = convertToTensor(x, 'x', 'cumprod');
  if (t.rank === 0) throw new ValueError('cumprod: x must have at least one dimension, received a scalar.');
  if (t.dtype === 'bool') throw new ValueError('cumprod: x must be float32 or int32, received bool.');
  const ax = axis < 0 ? axis + t.rank : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= t.rank) {
    throw new ValueError(`cumprod: axis ${axis} is out of range for x of shape ${formatShape(t.shape)}.`);
  }
  const xv = t.values;
  const out = allocate(t.dtype, t.size);
  forEachLine(t.shape, ax, reverse, (pos, n) => {
    let acc = 1;
    for (let s = 0; s < n; s++) {
      const i = pos(s);
      if (exclusive) {
        out[i] = acc;
        acc *= xv[i];
      } else {
        acc *= xv[i];
        out[i] = acc;
      }
    }
  });
  const result = makeTensor(out, t.shape.slice(), t.dtype);
  record('cumprod', [t], [result], ([dy]) => {
    // In scan order with E_j = Π_{k<j} x_k: inclusive g_j = E_j·S_j with S_j = dy_j + x_{j+1}·S_{j+1};
    // exclusive g_j = E_j·T_j with T_j = dy_{j+1} + x_{j+1}·T_{j+1} (T_{n-1} = 0).
    const dv = dy.values;
    const g = new Float32Array(t.size);
    forEachLine(t.shape, ax, reverse, (pos, n) => {
      let acc = 0;
      for (let s = n - 1; s >= 0; s--) {
        const i = pos(s);
        if (exclusive) {
          g[i] = acc;
          acc = s > 0 ? dv[i] + xv[i] * acc : 0;
        } else {
          acc = s < n - 1 ? dv[i] + xv[pos(s + 1)] * acc : dv[i];
          g[i] = acc;
        }
      }
      let e = 1;
      for (let s = 0; s < n; s++) {
        const i = pos(s);
        g[i] *= e;
        e *= xv[i];
      }
    });
    return [makeTensor(g, t.shape.slice(), 'float32')];
  });
  return result;
}
