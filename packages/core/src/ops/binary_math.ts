/**
 * Broadcasting binary math beyond + − × ÷: pow, maximum, minimum, squaredDifference, mod,
 * floorDiv, atan2 — each with its backward beside it.
 */
import { Tensor } from '../tensor';
import { TensorLike } from '../convert';
import { binaryOp } from './op_utils';

/** a^b elementwise with broadcasting (int32 stays int32, as tfjs). */
export function pow(base: TensorLike, exp: TensorLike): Tensor {
  return binaryOp(
    'pow',
    base,
    exp,
    Math.pow,
    (a, b) => (b === 0 ? 0 : b * Math.pow(a, b - 1)),
    // d/db a^b = a^b · ln a, taken as 0 where a ≤ 0 (as tfjs).
    (a, b) => (a > 0 ? Math.pow(a, b) * Math.log(a) : 0),
  );
}

/** max(a, b) elementwise; on ties the gradient goes to `a` (as tfjs). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(
    'maximum',
    a,
    b,
    (p, q) => (Number.isNaN(p) || Number.isNaN(q) ? NaN : p >= q ? p : q),
    (p, q) => (p >= q ? 1 : 0),
    (p, q) => (p < q ? 1 : 0),
  );
}

/** min(a, b) elementwise; on ties the gradient goes to `a` (as tfjs). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(
    'minimum',
    a,
    b,
    (p, q) => (Number.isNaN(p) || Number.isNaN(q) ? NaN : p <= q ? p : q),
    (p, q) => (p <= q ? 1 : 0),
    (p, q) => (p > q ? 1 : 0),
  );
}

/** (a − b)² elementwise with broadcasting. */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(
    'squaredDifference',
    a,
    b,
    (p, q) => (p - q) * (p - q),
    (p, q) => 2 * (p - q),
    (p, q) => -2 * (p - q),
  );
}

/** Floored modulo: the result has the sign of `b` (as tfjs's `mod`). */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(
    'mod',
    a,
    b,
    (p, q) => {
      const r = p % q;
      return r !== 0 && r < 0 !== q < 0 ? r + q : r;
    },
    () => 1,
    (p, q) => -Math.floor(p / q),
  );
}

/** floor(a / b) elementwise (int32 stays int32; gradient zero). */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(
    'floorDiv',
    a,
    b,
    (p, q) => Math.floor(p / q),
    () => 0,
    () => 0,
  );
}

/** atan2(a, b): the angle of the point (b, a), elementwise with broadcasting (float32 result). */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(
    'atan2',
    a,
    b,
    Math.atan2,
    (p, q) => q / (p * p + q * q),
    (p, q) => -p / (p * p + q * q),
    'float32',
  );
}
