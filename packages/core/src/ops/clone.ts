/** `clone(x)`: a new tensor with the same values (tfjs's identity op), with the identity gradient. */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';

/**
 * A copy of `x` (same shape, dtype and values) that the tape records as an identity op, so gradients flow through.
 *
 * ```js
 * const y = clone(tensor1d([1, 2]));   // [1, 2]
 * ```
 */
export function clone(x: TensorLike): Tensor {
  const t = convertToTensor(x, 'x', 'clone');
  const out = makeTensor(t.values, t.shape.slice(), t.dtype);
  record('clone', [t], [out], ([dy]) => [dy]);
  return out;
}
