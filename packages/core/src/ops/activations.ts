/**
 * Activation functions as ops: sigmoid, tanh, relu, relu6, elu, selu, softplus, softsign,
 * leakyRelu, prelu, hardSigmoid, logSigmoid — each with its backward beside it.
 */
import { record } from '../engine';
import { Tensor } from '../tensor';
import { TensorLike } from '../convert';
import { binaryInputs, broadcastBinary, broadcastGrads, mapUnary, unaryGrad, unaryInput, unaryOp } from './op_utils';

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
  return unaryOp('sigmoid', x, sigmoidScalar, (_, y) => y * (1 - y), 'float32');
}

/** log(sigmoid(x)) = −softplus(−x), stable for large |x|. */
export function logSigmoid(x: TensorLike): Tensor {
  return unaryOp(
    'logSigmoid',
    x,
    (v) => -softplusScalar(-v),
    (v) => sigmoidScalar(-v),
    'float32',
  );
}

/**
 * The piecewise-linear sigmoid of Keras/tfjs-layers: clip(0.2·x + 0.5, 0, 1).
 * (tfjs-core has no such op; tfjs-layers' 'hard_sigmoid' activation computes exactly this.)
 * tfjs note: at the kinks x = ±2.5 the gradient is 0 here (as the fused kernels and PyTorch's hardsigmoid);
 * tfjs's clipByValue passes 0.2 there.
 */
export function hardSigmoid(x: TensorLike): Tensor {
  // tfjs note: at the corners x = ±2.5 the gradient is 0 (slope strictly inside, as the fused kernels, and as
  // Keras 3's hard_sigmoid and TensorFlow's relu6 at theirs); tfjs-layers' clipByValue passes 0.2 there.
  return unaryOp(
    'hardSigmoid',
    x,
    (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)),
    (v) => (v > -2.5 && v < 2.5 ? 0.2 : 0),
    'float32',
  );
}

/** Hyperbolic tangent. */
export function tanh(x: TensorLike): Tensor {
  return unaryOp('tanh', x, Math.tanh, (_, y) => 1 - y * y, 'float32');
}

/** max(x, 0); keeps int32 (gradient 0 at x = 0, as tfjs); NaN stays NaN (as tfjs). */
export function relu(x: TensorLike): Tensor {
  return unaryOp(
    'relu',
    x,
    (v) => (v < 0 ? 0 : v),
    (v) => (v > 0 ? 1 : 0),
  );
}

/** min(max(x, 0), 6); NaN stays NaN (as tfjs). */
export function relu6(x: TensorLike): Tensor {
  // tfjs note: the gradient at x = 6 is 0, as TensorFlow's and PyTorch's (tf.relu6's is 1 there); at 0 it is 0 in all.
  return unaryOp(
    'relu6',
    x,
    (v) => (v < 0 ? 0 : v > 6 ? 6 : v),
    (v) => (v > 0 && v < 6 ? 1 : 0),
  );
}

/** x for x > 0, else eˣ − 1. */
export function elu(x: TensorLike): Tensor {
  return unaryOp(
    'elu',
    x,
    (v) => (v > 0 ? v : Math.expm1(v)),
    (v, y) => (v > 0 ? 1 : y + 1),
    'float32',
  );
}

/** SELU constants (Klambauer et al. 2017), as tfjs. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** scale · (x for x > 0, else α(eˣ − 1)). */
export function selu(x: TensorLike): Tensor {
  return unaryOp(
    'selu',
    x,
    (v) => (v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v)),
    (v) => (v > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(v)),
    'float32',
  );
}

/** log(1 + eˣ), computed without overflow. */
export function softplus(x: TensorLike): Tensor {
  return unaryOp('softplus', x, softplusScalar, (v) => sigmoidScalar(v), 'float32');
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
  return unaryOp(
    'leakyRelu',
    x,
    (v) => (v > 0 ? v : alpha * v),
    (v) => (v > 0 ? 1 : alpha),
    'float32',
  );
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
