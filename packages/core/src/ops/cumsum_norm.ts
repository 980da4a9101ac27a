/**
 * `cumsum(x, axis, exclusive, reverse)` (tfjs semantics, with its backward: the reverse cumulative
 * sum of the upstream gradient) and `norm(x, ord, axis, keepDims)` built from differentiable ops.
 */
import { Tensor } from '../tensor';
import { TensorLike, convertToTensor } from '../convert';
import { formatShape, parseAxis } from '../shape';
import { record } from '../engine';
import { abs, sqrt, square } from './unary';
import { max, min, sum } from './reduction';
import { pow } from './binary_math';
import { reshape } from './reshape';
import { reducedShape } from './op_utils';
import { ValueError, NotImplementedError } from '../errors';

function cumsumValues(x: Tensor, axis: number, exclusive: boolean, reverse: boolean): Float32Array {
  const shape = x.shape;
  const n = shape[axis];
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  const v = x.values;
  const out = new Float32Array(x.size);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let acc = 0;
      for (let s = 0; s < n; s++) {
        const j = reverse ? n - 1 - s : s;
        const idx = base + j * inner;
        if (exclusive) {
          out[idx] = acc;
          acc += v[idx];
        } else {
          acc += v[idx];
          out[idx] = acc;
        }
      }
    }
  }
  return out;
}

/**
 * Cumulative sum along `axis` (default 0); `exclusive` leaves out the element itself, `reverse`
 * sums from the end (tfjs `tf.cumsum`).
 *
 * ```js
 * cumsum(tensor1d([1, 2, 3]));                // [1, 3, 6]
 * cumsum(tensor1d([1, 2, 3]), 0, true, true); // [5, 3, 0]
 * ```
 */
export function cumsum(x: TensorLike, axis = 0, exclusive = false, reverse = false): Tensor {
  const t = convertToTensor(x, 'x', 'cumsum');
  if (t.rank === 0) throw new ValueError(`cumsum: x must have at least one dimension, received a scalar.`);
  const ax = axis < 0 ? axis + t.rank : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= t.rank) {
    throw new ValueError(`cumsum: axis ${axis} is out of range for x of shape ${formatShape(t.shape)}.`);
  }
  const outValues = cumsumValues(t, ax, exclusive, reverse);
  const out = new Tensor(
    t.dtype === 'int32' ? Int32Array.from(outValues) : outValues,
    t.shape.slice(),
    t.dtype === 'int32' ? 'int32' : 'float32',
  );
  record('cumsum', [t], [out], ([dy]) => [new Tensor(cumsumValues(dy, ax, exclusive, !reverse), dy.shape.slice(), 'float32')]);
  return out;
}

/**
 * The norm of `x` (tfjs `tf.norm`): `ord` 'euclidean'/'fro' (default), 1, 2, Infinity, -Infinity,
 * or any p > 0, over all elements or `axis`; over two axes `[rowAxis, columnAxis]` a matrix norm: 'fro', 1 (largest
 * column sum of |x|), Infinity (largest row sum) or -Infinity (smallest row sum).
 *
 * ```js
 * norm(tensor1d([3, 4]));   // 5
 * ```
 */
export function norm(
  x: TensorLike,
  ord: number | 'euclidean' | 'fro' = 'euclidean',
  axis: number | number[] | null = null,
  keepDims = false,
): Tensor {
  const t = convertToTensor(x, 'x', 'norm');
  const ax = axis === null ? undefined : axis;
  if (Array.isArray(axis) && axis.length === 2 && ord !== 'euclidean' && ord !== 'fro') return matrixNorm(t, ord, axis, keepDims);
  if (ord === 'euclidean' || ord === 'fro' || ord === 2) {
    if (ord === 2 && Array.isArray(axis) && axis.length === 2)
      throw new NotImplementedError(`norm: the matrix 2-norm (ord 2 over two axes) is not supported; use 'fro'.`);
    return sqrt(sum(square(t), ax, keepDims));
  }
  if (ord === Infinity) return max(abs(t), ax, keepDims);
  if (ord === -Infinity) return min(abs(t), ax, keepDims);
  if (ord === 1) return sum(abs(t), ax, keepDims);
  if (typeof ord === 'number' && ord > 0 && Number.isFinite(ord)) return pow(sum(pow(abs(t), ord), ax, keepDims), 1 / ord);
  throw new ValueError(`norm: ord must be 'euclidean', 'fro', 1, 2, Infinity, -Infinity or a positive number, received ${String(ord)}.`);
}

/**
 * The matrix norms over two axes `[rowAxis, columnAxis]` (as numpy and tfjs): ord 1 is the largest column sum of |x|,
 * Infinity the largest row sum, -Infinity the smallest row sum.
 */
function matrixNorm(t: Tensor, ord: number, axis: number[], keepDims: boolean): Tensor {
  if (ord !== 1 && ord !== Infinity && ord !== -Infinity) {
    throw new NotImplementedError(
      `norm: ord ${String(ord)} over two axes ${formatShape(axis)} is not supported; expected 'euclidean', 'fro', 1, Infinity or -Infinity.`,
    );
  }
  const [rows, cols] = axis.map((a) => parseAxis('norm', a, t.rank));
  if (rows === cols) throw new ValueError(`norm: the two axes ${formatShape(axis)} of a matrix norm must differ (x has rank ${t.rank}).`);
  const [sumAxis, pickAxis] = ord === 1 ? [rows, cols] : [cols, rows];
  const sums = sum(abs(t), sumAxis, true);
  const picked = ord === -Infinity ? min(sums, pickAxis, true) : max(sums, pickAxis, true);
  return keepDims ? picked : reshape(picked, reducedShape(t.shape, [rows, cols], false));
}
