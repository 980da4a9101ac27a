/**
 * The hyperbolic, inverse trigonometric and error functions of tfjs (sinh, cosh, asin, acos, atan, asinh, acosh,
 * atanh, erf), each with its derivative beside it. They return float32 (int32 input is read as numbers).
 * tfjs note: tfjs keeps int32 for int32 input of all but erf (sinh(int32 1) is int32 1 there, truncated); ours is
 * float32, as our other transcendental ops.
 */
import { Tensor } from '../tensor';
import { TensorLike } from '../convert';
import { unaryOp } from './op_utils';

/** sinh x, elementwise. `sinh(tensor1d([0, 1]))` → [0, 1.1752]. */
export function sinh(x: TensorLike): Tensor {
  return unaryOp('sinh', x, Math.sinh, (v) => Math.cosh(v), 'float32');
}

/** cosh x, elementwise. `cosh(tensor1d([0, 1]))` → [1, 1.5431]. */
export function cosh(x: TensorLike): Tensor {
  return unaryOp('cosh', x, Math.cosh, (v) => Math.sinh(v), 'float32');
}

/** arcsin x (NaN outside [−1, 1]). `asin(tensor1d([0, 1]))` → [0, π/2]. */
export function asin(x: TensorLike): Tensor {
  return unaryOp('asin', x, Math.asin, (v) => 1 / Math.sqrt(1 - v * v), 'float32');
}

/** arccos x (NaN outside [−1, 1]). `acos(tensor1d([1, 0]))` → [0, π/2]. */
export function acos(x: TensorLike): Tensor {
  return unaryOp('acos', x, Math.acos, (v) => -1 / Math.sqrt(1 - v * v), 'float32');
}

/** arctan x. `atan(tensor1d([0, 1]))` → [0, π/4]. */
export function atan(x: TensorLike): Tensor {
  return unaryOp('atan', x, Math.atan, (v) => 1 / (1 + v * v), 'float32');
}

/** arsinh x. `asinh(tensor1d([0, 1]))` → [0, 0.8814]. */
export function asinh(x: TensorLike): Tensor {
  return unaryOp('asinh', x, Math.asinh, (v) => 1 / Math.sqrt(1 + v * v), 'float32');
}

/** arcosh x (NaN below 1). `acosh(tensor1d([1, 2]))` → [0, 1.3170]. */
export function acosh(x: TensorLike): Tensor {
  return unaryOp('acosh', x, Math.acosh, (v) => 1 / Math.sqrt(v * v - 1), 'float32');
}

/** artanh x (±Infinity at ±1, NaN beyond). `atanh(tensor1d([0, 0.5]))` → [0, 0.5493]. */
export function atanh(x: TensorLike): Tensor {
  return unaryOp('atanh', x, Math.atanh, (v) => 1 / (1 - v * v), 'float32');
}

/**
 * The Gauss error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, by Abramowitz & Stegun 7.1.26 (absolute error below
 * 1.5e-7, float32's resolution near 1; tfjs uses the same approximation). `erf(tensor1d([0, 1]))` → [0, 0.8427].
 */
export function erf(x: TensorLike): Tensor {
  return unaryOp('erf', x, erfValue, (v) => (2 / Math.sqrt(Math.PI)) * Math.exp(-v * v), 'float32');
}

function erfValue(v: number): number {
  const s = Math.sign(v);
  const a = Math.abs(v);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return s * (1 - poly * Math.exp(-a * a));
}
