/**
 * Activation functions as ops: sigmoid, tanh, relu, relu6, elu, selu, softplus, softsign,
 * leakyRelu, prelu, hardSigmoid, logSigmoid — each with its backward beside it.
 */
import { record } from '../engine';
import { Tensor } from '../tensor';
import { TensorLike } from '../convert';
import { binaryInputs, broadcastBinary, broadcastGrads, mapUnary, unaryGrad, unaryInput } from './op_utils';

/** A numerically stable logistic function: never evaluates exp of a large positive number. */
export function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** log(1 + eˣ) without overflow: max(x, 0) + log1p(e^−|x|). */
export function softplusScalar(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/** 1 / (1 + e^−x). */
export function sigmoid(x: TensorLike): Tensor {
  const t = unaryInput('sigmoid', x);
  const out = mapUnary(t, sigmoidScalar, 'float32');
  record('sigmoid', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (_, y) => y * (1 - y))]);
  return out;
}

/** log(sigmoid(x)) = −softplus(−x), stable for large |x|. */
export function logSigmoid(x: TensorLike): Tensor {
  const t = unaryInput('logSigmoid', x);
  const out = mapUnary(t, (v) => -softplusScalar(-v), 'float32');
  record('logSigmoid', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (v) => sigmoidScalar(-v))]);
  return out;
}

/**
 * The piecewise-linear sigmoid of Keras/tfjs-layers: clip(0.2·x + 0.5, 0, 1).
 * (tfjs-core has no such op; tfjs-layers' 'hard_sigmoid' activation computes exactly this.)
 */
export function hardSigmoid(x: TensorLike): Tensor {
  const t = unaryInput('hardSigmoid', x);
  const out = mapUnary(t, (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)), 'float32');
  record('hardSigmoid', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (v) => (v > -2.5 && v < 2.5 ? 0.2 : 0))]);
  return out;
}

/** Hyperbolic tangent. */
export function tanh(x: TensorLike): Tensor {
  const t = unaryInput('tanh', x);
  const out = mapUnary(t, Math.tanh, 'float32');
  record('tanh', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (_, y) => 1 - y * y)]);
  return out;
}

/** max(x, 0); keeps int32 (gradient 0 at x = 0, as tfjs). */
export function relu(x: TensorLike): Tensor {
  const t = unaryInput('relu', x);
  const out = mapUnary(t, (v) => (v > 0 ? v : 0));
  record('relu', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (v) => (v > 0 ? 1 : 0))]);
  return out;
}

/** min(max(x, 0), 6). */
export function relu6(x: TensorLike): Tensor {
  const t = unaryInput('relu6', x);
  const out = mapUnary(t, (v) => (v > 0 ? (v < 6 ? v : 6) : 0));
  record('relu6', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (v) => (v > 0 && v < 6 ? 1 : 0))]);
  return out;
}

/** x for x > 0, else eˣ − 1. */
export function elu(x: TensorLike): Tensor {
  const t = unaryInput('elu', x);
  const out = mapUnary(t, (v) => (v > 0 ? v : Math.expm1(v)), 'float32');
  record('elu', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (v, y) => (v > 0 ? 1 : y + 1))]);
  return out;
}

/** SELU constants (Klambauer et al. 2017), as tfjs. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** scale · (x for x > 0, else α(eˣ − 1)). */
export function selu(x: TensorLike): Tensor {
  const t = unaryInput('selu', x);
  const out = mapUnary(t, (v) => (v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v)), 'float32');
  record('selu', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (v) => (v > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(v)))]);
  return out;
}

/** log(1 + eˣ), computed without overflow. */
export function softplus(x: TensorLike): Tensor {
  const t = unaryInput('softplus', x);
  const out = mapUnary(t, softplusScalar, 'float32');
  record('softplus', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (v) => sigmoidScalar(v))]);
  return out;
}

/** x / (1 + |x|). */
export function softsign(x: TensorLike): Tensor {
  const t = unaryInput('softsign', x);
  const out = mapUnary(t, (v) => v / (1 + Math.abs(v)), 'float32');
  record('softsign', [t], [out], ([dy]) => [
    unaryGrad(dy, t, out, (v) => {
      const d = 1 + Math.abs(v);
      return 1 / (d * d);
    }),
  ]);
  return out;
}

/** x for x > 0, else alpha·x (tfjs default alpha 0.2). */
export function leakyRelu(x: TensorLike, alpha = 0.2): Tensor {
  const t = unaryInput('leakyRelu', x);
  const out = mapUnary(t, (v) => (v > 0 ? v : alpha * v), 'float32');
  record('leakyRelu', [t], [out], ([dy]) => [unaryGrad(dy, t, out, (v) => (v > 0 ? 1 : alpha))]);
  return out;
}

/** Parametric ReLU: x for x > 0, else alpha·x, with a learned `alpha` that broadcasts against x. */
export function prelu(x: TensorLike, alpha: TensorLike): Tensor {
  const [t, a] = binaryInputs('prelu', x, alpha);
  const out = broadcastBinary('prelu', t, a, (v, k) => (v > 0 ? v : k * v));
  record('prelu', [t, a], [out], ([dy]) =>
    broadcastGrads(
      dy,
      t,
      a,
      (v, k) => (v > 0 ? 1 : k),
      (v) => (v > 0 ? 0 : v),
    ),
  );
  return out;
}
