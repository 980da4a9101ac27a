/** `diag(x)`: the tensor with `x` on its diagonal (tfjs's diag), with its backward. */
import { record } from '../engine';
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { ValueError } from '../errors';

/**
 * For `x` of shape `[d1, .., dk]` (k = 1..4), the tensor of shape `[d1, .., dk, d1, .., dk]` whose element at
 * `[i1, .., ik, i1, .., ik]` is `x[i1, .., ik]`, zero elsewhere (a 1-D `x` gives the diagonal matrix).
 *
 * tfjs note: tfjs's diag has no gradient; ours takes the diagonal of dy.
 *
 * ```js
 * diag(tensor1d([1, 2]));   // [[1, 0], [0, 2]]
 * ```
 */
export function diag(x: TensorLike): Tensor {
  const t = convertToTensor(x, 'x', 'diag');
  if (t.rank < 1 || t.rank > 4) {
    throw new ValueError(`diag: x must have rank 1 to 4, received shape ${formatShape(t.shape)} (rank ${t.rank}).`);
  }
  const n = t.size;
  const out = allocate(t.dtype, n * n);
  // The flat element [i, i] of the n × n view is the element [i1..ik, i1..ik].
  for (let i = 0; i < n; i++) out[i * n + i] = t.values[i];
  const y = makeTensor(out, [...t.shape, ...t.shape], t.dtype);
  record('diag', [t], [y], ([dy]) => {
    const dx = new Float32Array(n);
    for (let i = 0; i < n; i++) dx[i] = dy.values[i * n + i];
    return [makeTensor(dx, t.shape.slice(), 'float32')];
  });
  return y;
}
