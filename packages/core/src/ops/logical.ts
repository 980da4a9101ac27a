/**
 * Comparisons and logic. Results are bool tensors (as tfjs) and have no gradient;
 * `where` selects between two tensors and passes gradients to the one selected.
 */
import { record } from '../engine';
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { broadcastShapes, sizeFromShape } from '../shape';
import { binaryInputs, broadcastBinary, broadcastIndexMap, mapUnary } from './op_utils';
import { ValueError } from '../errors';

/** a == b elementwise with broadcasting (bool result). */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('equal', a, b);
  return broadcastBinary('equal', x, y, (p, q) => (p === q ? 1 : 0), 'bool');
}

/** a != b elementwise with broadcasting (bool result). */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('notEqual', a, b);
  return broadcastBinary('notEqual', x, y, (p, q) => (p !== q ? 1 : 0), 'bool');
}

/** a > b elementwise with broadcasting (bool result). */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('greater', a, b);
  return broadcastBinary('greater', x, y, (p, q) => (p > q ? 1 : 0), 'bool');
}

/** a >= b elementwise with broadcasting (bool result). */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('greaterEqual', a, b);
  return broadcastBinary('greaterEqual', x, y, (p, q) => (p >= q ? 1 : 0), 'bool');
}

/** a < b elementwise with broadcasting (bool result). */
export function less(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('less', a, b);
  return broadcastBinary('less', x, y, (p, q) => (p < q ? 1 : 0), 'bool');
}

/** a <= b elementwise with broadcasting (bool result). */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('lessEqual', a, b);
  return broadcastBinary('lessEqual', x, y, (p, q) => (p <= q ? 1 : 0), 'bool');
}

function boolInputs(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  // Numbers and booleans are bool operands here (binaryInputs would make a number with a bool tensor float32).
  const asBool = (v: TensorLike, name: string) =>
    typeof v === 'number' || typeof v === 'boolean' ? convertToTensor(v, name, op, 'bool') : v;
  const [x, y] = binaryInputs(op, asBool(a, 'a'), asBool(b, 'b'));
  if (x.dtype !== 'bool') throw new ValueError(`${op}: arguments 'a' and 'b' must be bool tensors, received ${x.dtype}.`);
  return [x, y];
}

/** a AND b for bool tensors, with broadcasting. */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = boolInputs('logicalAnd', a, b);
  return broadcastBinary('logicalAnd', x, y, (p, q) => (p && q ? 1 : 0), 'bool');
}

/** a OR b for bool tensors, with broadcasting. */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = boolInputs('logicalOr', a, b);
  return broadcastBinary('logicalOr', x, y, (p, q) => (p || q ? 1 : 0), 'bool');
}

/** a XOR b for bool tensors, with broadcasting. */
export function logicalXor(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = boolInputs('logicalXor', a, b);
  return broadcastBinary('logicalXor', x, y, (p, q) => (!p !== !q ? 1 : 0), 'bool');
}

/** NOT x for a bool tensor. */
export function logicalNot(x: TensorLike): Tensor {
  const t = convertToTensor(x, 'x', 'logicalNot', 'bool');
  if (t.dtype !== 'bool') throw new ValueError(`logicalNot: argument 'x' must be a bool tensor, received ${t.dtype}.`);
  return mapUnary(t, (v) => (v ? 0 : 1), 'bool');
}

/**
 * Picks `a` where `condition` is true and `b` elsewhere; all three broadcast together.
 * The gradient flows to `a` where the condition holds and to `b` elsewhere (none to the condition).
 *
 * ```js
 * where(tensor1d([true, false]), tensor1d([1, 2]), tensor1d([3, 4]));   // [1, 4]
 * ```
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = convertToTensor(condition, 'condition', 'where', 'bool');
  if (c.dtype !== 'bool') throw new ValueError(`where: argument 'condition' must be a bool tensor, received ${c.dtype}.`);
  const [x, y] = binaryInputs('where', a, b);
  const outShape = broadcastShapes('where', c.shape, broadcastShapes('where', x.shape, y.shape));
  const size = sizeFromShape(outShape);
  const cIdx = broadcastIndexMap(c.shape, outShape);
  const xIdx = broadcastIndexMap(x.shape, outShape);
  const yIdx = broadcastIndexMap(y.shape, outShape);
  const cv = c.values;
  const xv = x.values;
  const yv = y.values;
  const out = allocate(x.dtype, size);
  for (let i = 0; i < size; i++) out[i] = cv[cIdx[i]] ? xv[xIdx[i]] : yv[yIdx[i]];
  const result = makeTensor(out, outShape, x.dtype);
  record('where', [c, x, y], [result], ([dy]) => {
    const dv = dy.values;
    const gx = new Float32Array(x.size);
    const gy = new Float32Array(y.size);
    for (let i = 0; i < size; i++) {
      if (cv[cIdx[i]]) gx[xIdx[i]] += dv[i];
      else gy[yIdx[i]] += dv[i];
    }
    return [null, makeTensor(gx, x.shape.slice(), 'float32'), makeTensor(gy, y.shape.slice(), 'float32')];
  });
  return result;
}
