/** gather: picking slices of a tensor by integer indices; its gradient scatter-adds. */
import { record } from '../engine';
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, tensor, TensorLike } from '../convert';
import { formatShape, parseAxis, sizeFromShape } from '../shape';
import { ValueError } from '../errors';

/**
 * Slices of `x` along `axis` at `indices` (int32): the result has shape
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. An embedding lookup is `gather(table, ids)`.
 *
 * ```js
 * gather(tensor2d([[1, 2], [3, 4], [5, 6]]), tensor1d([2, 0], 'int32'));   // [[5, 6], [1, 2]]
 * ```
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const t = convertToTensor(x, 'x', 'gather');
  // Plain arrays of indices parse as int32 (as tfjs); tensors must already be int32.
  const idx =
    indices instanceof Tensor || !Array.isArray(indices)
      ? convertToTensor(indices, 'indices', 'gather', 'int32')
      : convertToTensor(tensor(indices, undefined, 'int32'), 'indices', 'gather');
  if (idx.dtype !== 'int32') {
    throw new ValueError(`gather: argument 'indices' must be an int32 tensor, received ${idx.dtype}.`);
  }
  if (t.rank === 0) throw new ValueError('gather: x must have rank >= 1, received a scalar.');
  const ax = parseAxis('gather', axis, t.rank);
  const dim = t.shape[ax];
  const iv = idx.values;
  for (let i = 0; i < iv.length; i++) {
    if (iv[i] < 0 || iv[i] >= dim) {
      throw new ValueError(
        `gather: index ${iv[i]} (at flat position ${i} of indices) is out of range [0, ${dim}) for axis ${ax} of x with shape ${formatShape(t.shape)}.`,
      );
    }
  }
  const outer = sizeFromShape(t.shape.slice(0, ax));
  const inner = sizeFromShape(t.shape.slice(ax + 1));
  const n = iv.length;
  const outShape = [...t.shape.slice(0, ax), ...idx.shape, ...t.shape.slice(ax + 1)];
  const out = allocate(t.dtype, outer * n * inner);
  const xv = t.values;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const src = (o * dim + iv[j]) * inner;
      const dst = (o * n + j) * inner;
      for (let k = 0; k < inner; k++) out[dst + k] = xv[src + k];
    }
  }
  const result = makeTensor(out, outShape, t.dtype);
  record('gather', [t, idx], [result], ([dy]) => {
    const g = new Float32Array(t.size);
    const dv = dy.values;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < n; j++) {
        const dst = (o * dim + iv[j]) * inner;
        const src = (o * n + j) * inner;
        for (let k = 0; k < inner; k++) g[dst + k] += dv[src + k];
      }
    }
    return [makeTensor(g, t.shape.slice(), 'float32'), null];
  });
  return result;
}
