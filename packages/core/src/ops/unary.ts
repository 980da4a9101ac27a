/**
 * Elementwise unary math: abs, square, sqrt, exp, log, ..., each with its backward beside it.
 * Transcendental ops return float32 (int32 input is read as numbers); integer-preserving ops
 * (abs, square, sign, floor, ceil, round) keep the input dtype as tfjs does.
 *
 * tfjs note: tfjs throws for int32 input to sqrt, log, sin, cos, floor, ceil, ...; we accept it
 * (float32 result, as tfjs's own `exp` does).
 */
import { record } from '../engine';
import { Tensor } from '../tensor';
import { TensorLike } from '../convert';
import { mapUnary, unaryGrad, unaryInput, unaryOp } from './op_utils';
import { zerosGrad } from './grad_utils';
import { ValueError } from '../errors';

/** |x|. */
export function abs(x: TensorLike): Tensor {
  // tfjs note: tfjs's gradient at x = 0 is -1; we use sign(x) (0 at 0), as TensorFlow and PyTorch do.
  return unaryOp('abs', x, Math.abs, (v) => Math.sign(v));
}

/** x². */
export function square(x: TensorLike): Tensor {
  return unaryOp(
    'square',
    x,
    (v) => v * v,
    (v) => 2 * v,
  );
}

/** √x (NaN for x < 0). */
export function sqrt(x: TensorLike): Tensor {
  return unaryOp('sqrt', x, Math.sqrt, (_, y) => 0.5 / y, 'float32');
}

/** 1/√x. */
export function rsqrt(x: TensorLike): Tensor {
  return unaryOp(
    'rsqrt',
    x,
    (v) => 1 / Math.sqrt(v),
    (v, y) => (-0.5 * y) / v,
    'float32',
  );
}

/** 1/x. */
export function reciprocal(x: TensorLike): Tensor {
  return unaryOp(
    'reciprocal',
    x,
    (v) => 1 / v,
    (_, y) => -y * y,
    'float32',
  );
}

/** eˣ. */
export function exp(x: TensorLike): Tensor {
  return unaryOp('exp', x, Math.exp, (_, y) => y, 'float32');
}

/** eˣ − 1, accurate for small x. */
export function expm1(x: TensorLike): Tensor {
  return unaryOp('expm1', x, Math.expm1, (_, y) => y + 1, 'float32');
}

/** Natural logarithm (−Infinity at 0, NaN below). */
export function log(x: TensorLike): Tensor {
  return unaryOp('log', x, Math.log, (v) => 1 / v, 'float32');
}

/** log(1 + x), accurate for small x. */
export function log1p(x: TensorLike): Tensor {
  return unaryOp('log1p', x, Math.log1p, (v) => 1 / (1 + v), 'float32');
}

/** sin x. */
export function sin(x: TensorLike): Tensor {
  return unaryOp('sin', x, Math.sin, (v) => Math.cos(v), 'float32');
}

/** cos x. */
export function cos(x: TensorLike): Tensor {
  return unaryOp('cos', x, Math.cos, (v) => -Math.sin(v), 'float32');
}

/** tan x. */
export function tan(x: TensorLike): Tensor {
  return unaryOp('tan', x, Math.tan, (_, y) => 1 + y * y, 'float32');
}

/** −1, 0 or 1 by the sign of x (gradient zero). */
export function sign(x: TensorLike): Tensor {
  const t = unaryInput('sign', x);
  const out = mapUnary(t, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0));
  record('sign', [t], [out], () => [zerosGrad(t)]);
  return out;
}

/** Largest integer ≤ x (gradient zero). */
export function floor(x: TensorLike): Tensor {
  const t = unaryInput('floor', x);
  const out = mapUnary(t, Math.floor);
  record('floor', [t], [out], () => [zerosGrad(t)]);
  return out;
}

/** Smallest integer ≥ x (gradient zero). */
export function ceil(x: TensorLike): Tensor {
  const t = unaryInput('ceil', x);
  const out = mapUnary(t, Math.ceil);
  record('ceil', [t], [out], () => [zerosGrad(t)]);
  return out;
}

/** Rounds half to even (banker's rounding, as tfjs): round(0.5) = 0, round(1.5) = 2, round(2.5) = 2. */
export function round(x: TensorLike): Tensor {
  const t = unaryInput('round', x);
  const out = mapUnary(t, (v) => {
    const f = Math.floor(v);
    const d = v - f;
    if (d < 0.5) return f;
    if (d > 0.5) return f + 1;
    return f % 2 === 0 ? f : f + 1;
  });
  record('round', [t], [out], () => [zerosGrad(t)]);
  return out;
}

/** True where x is NaN (bool result, no gradient). */
export function isNaN(x: TensorLike): Tensor {
  const t = unaryInput('isNaN', x);
  return mapUnary(t, (v) => (Number.isNaN(v) ? 1 : 0), 'bool');
}

/** True where x is finite (bool result, no gradient). */
export function isFinite(x: TensorLike): Tensor {
  const t = unaryInput('isFinite', x);
  return mapUnary(t, (v) => (Number.isFinite(v) ? 1 : 0), 'bool');
}

/** True where x is ±Infinity (bool result, no gradient). */
export function isInf(x: TensorLike): Tensor {
  const t = unaryInput('isInf', x);
  return mapUnary(t, (v) => (v === Infinity || v === -Infinity ? 1 : 0), 'bool');
}

/** x clipped to [clipValueMin, clipValueMax]; the gradient passes where min ≤ x ≤ max (as tfjs). */
export function clipByValue(x: TensorLike, clipValueMin: number, clipValueMax: number): Tensor {
  const t = unaryInput('clipByValue', x);
  if (!(clipValueMin <= clipValueMax)) {
    throw new ValueError(`clipByValue: clipValueMin (${clipValueMin}) must be less than or equal to clipValueMax (${clipValueMax}).`);
  }
  const out = mapUnary(t, (v) => (v < clipValueMin ? clipValueMin : v > clipValueMax ? clipValueMax : v));
  record('clipByValue', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (v) => (v >= clipValueMin && v <= clipValueMax ? 1 : 0))]);
  return out;
}

/** 1 where x > 0, else `alpha` (gradient zero), as tfjs's `step`. */
export function step(x: TensorLike, alpha = 0): Tensor {
  const t = unaryInput('step', x);
  const out = mapUnary(t, (v) => (Number.isNaN(v) ? NaN : v > 0 ? 1 : alpha), 'float32');
  record('step', [t], [out], () => [zerosGrad(t)]);
  return out;
}
