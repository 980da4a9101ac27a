/** `divNoNan(a, b)`: a / b, and 0 where b is 0 (tfjs semantics), with its backward. */
import { Tensor } from '../tensor';
import { TensorLike } from '../convert';
import { binaryOp } from './op_utils';

/**
 * a / b elementwise with broadcasting, 0 where b = 0 (also for a = 0 or a = ±Infinity); float32.
 * tfjs note: tfjs floors int32 ÷ int32 to int32 (as its `div`); ours is float32, as our `div`. tfjs's gradient is
 * NaN at b = 0 (0 · ∞ through its `where`); ours is 0 there, the derivative of the constant 0.
 *
 * ```js
 * divNoNan(tensor1d([2, 3]), tensor1d([4, 0]));   // [0.5, 0]
 * ```
 */
export function divNoNan(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(
    'divNoNan',
    a,
    b,
    (p, q) => (q === 0 ? 0 : p / q),
    (_, q) => (q === 0 ? 0 : 1 / q),
    (p, q) => (q === 0 ? 0 : -p / (q * q)),
    'float32',
  );
}
