/**
 * Broadcasting binary math beyond + − × ÷: pow, maximum, minimum, squaredDifference, mod,
 * floorDiv, atan2 — each with its backward beside it.
 */
import { record } from '../engine';
import { Tensor } from '../tensor';
import { TensorLike } from '../convert';
import { binaryInputs, broadcastBinary, broadcastGrads } from './op_utils';

/** a^b elementwise with broadcasting (int32 stays int32, as tfjs). */
export function pow(base: TensorLike, exp: TensorLike): Tensor {
  const [x, y] = binaryInputs('pow', base, exp);
  const out = broadcastBinary('pow', x, y, Math.pow);
  record('pow', [x, y], [out], ([dy]) =>
    broadcastGrads(
      dy,
      x,
      y,
      (a, b) => (b === 0 ? 0 : b * Math.pow(a, b - 1)),
      // d/db a^b = a^b · ln a, taken as 0 where a ≤ 0 (as tfjs).
      (a, b) => (a > 0 ? Math.pow(a, b) * Math.log(a) : 0),
    ),
  );
  return out;
}

/** max(a, b) elementwise; on ties the gradient goes to `a` (as tfjs). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('maximum', a, b);
  const out = broadcastBinary('maximum', x, y, (p, q) => (Number.isNaN(p) || Number.isNaN(q) ? NaN : p >= q ? p : q));
  record('maximum', [x, y], [out], ([dy]) =>
    broadcastGrads(
      dy,
      x,
      y,
      (p, q) => (p >= q ? 1 : 0),
      (p, q) => (p < q ? 1 : 0),
    ),
  );
  return out;
}

/** min(a, b) elementwise; on ties the gradient goes to `a` (as tfjs). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('minimum', a, b);
  const out = broadcastBinary('minimum', x, y, (p, q) => (Number.isNaN(p) || Number.isNaN(q) ? NaN : p <= q ? p : q));
  record('minimum', [x, y], [out], ([dy]) =>
    broadcastGrads(
      dy,
      x,
      y,
      (p, q) => (p <= q ? 1 : 0),
      (p, q) => (p > q ? 1 : 0),
    ),
  );
  return out;
}

/** (a − b)² elementwise with broadcasting. */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('squaredDifference', a, b);
  const out = broadcastBinary('squaredDifference', x, y, (p, q) => (p - q) * (p - q));
  record('squaredDifference', [x, y], [out], ([dy]) =>
    broadcastGrads(
      dy,
      x,
      y,
      (p, q) => 2 * (p - q),
      (p, q) => -2 * (p - q),
    ),
  );
  return out;
}

/** Floored modulo: the result has the sign of `b` (as tfjs's `mod`). */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('mod', a, b);
  const out = broadcastBinary('mod', x, y, (p, q) => {
    const r = p % q;
    return r !== 0 && r < 0 !== q < 0 ? r + q : r;
  });
  record('mod', [x, y], [out], ([dy]) =>
    broadcastGrads(
      dy,
      x,
      y,
      () => 1,
      (p, q) => -Math.floor(p / q),
    ),
  );
  return out;
}

/** floor(a / b) elementwise (int32 stays int32; gradient zero). */
export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('floorDiv', a, b);
  const out = broadcastBinary('floorDiv', x, y, (p, q) => Math.floor(p / q));
  record('floorDiv', [x, y], [out], ([dy]) =>
    broadcastGrads(
      dy,
      x,
      y,
      () => 0,
      () => 0,
    ),
  );
  return out;
}

/** atan2(a, b): the angle of the point (b, a), elementwise with broadcasting (float32 result). */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('atan2', a, b);
  const out = broadcastBinary('atan2', x, y, Math.atan2, 'float32');
  record('atan2', [x, y], [out], ([dy]) =>
    broadcastGrads(
      dy,
      x,
      y,
      (p, q) => q / (p * p + q * q),
      (p, q) => -p / (p * p + q * q),
    ),
  );
  return out;
}
