/** Broadcasting binary arithmetic: add, sub, mul, div, each with its backward beside it. */
import { record } from '../engine';
import { Tensor } from '../tensor';
import { TensorLike } from '../convert';
import { binaryInputs, broadcastBinary, sumToShape } from './op_utils';

/** a + b, elementwise with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('add', a, b);
  const out = broadcastBinary('add', x, y, (p, q) => p + q);
  record('add', [x, y], [out], ([dy]) => [sumToShape(dy, x.shape), sumToShape(dy, y.shape)]);
  return out;
}

/** a - b, elementwise with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('sub', a, b);
  const out = broadcastBinary('sub', x, y, (p, q) => p - q);
  record('sub', [x, y], [out], ([dy]) => [sumToShape(dy, x.shape), sumToShape(neg(dy), y.shape)]);
  return out;
}

/** a * b, elementwise with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('mul', a, b);
  const out = broadcastBinary('mul', x, y, (p, q) => p * q);
  record('mul', [x, y], [out], ([dy]) => [sumToShape(mul(dy, y), x.shape), sumToShape(mul(dy, x), y.shape)]);
  return out;
}

/**
 * a / b, elementwise with broadcasting; int32 inputs divide to float32.
 * tfjs note: tfjs's `div` of two int32 tensors floors to int32 (7 / 2 = 3, −7 / 2 = −4); use `floorDiv` for that.
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('div', a, b);
  const out = broadcastBinary('div', x, y, (p, q) => p / q, 'float32');
  record('div', [x, y], [out], ([dy]) => [sumToShape(div(dy, y), x.shape), sumToShape(neg(div(mul(dy, x), mul(y, y))), y.shape)]);
  return out;
}

/** -x. */
export function neg(x: TensorLike): Tensor {
  return mul(x, -1);
}
