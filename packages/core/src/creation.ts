/** Tensors made from a shape: zeros, ones, fill, eye, range, linspace, oneHot, random draws. */
import { allocate, DataType, isDataType } from './dtype';
import { assertValidShape, formatShape, sizeFromShape } from './shape';
import { makeTensor, Tensor } from './tensor';
import { convertToTensor, tensor, TensorLike } from './convert';
import { generatorFor, RandomGenerator } from './random';
import { ValueError, NotImplementedError } from './errors';

/** A tensor of `shape` filled with `value`. */
export function fill(shape: number[], value: number, dtype: DataType = 'float32'): Tensor {
  assertValidShape('fill', shape);
  const out = allocate(dtype, sizeFromShape(shape));
  out.fill(dtype === 'bool' ? (value ? 1 : 0) : value);
  return makeTensor(out, shape.slice(), dtype);
}

/** All zeros. */
export function zeros(shape: number[], dtype: DataType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

/** All ones. */
export function ones(shape: number[], dtype: DataType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: TensorLike): Tensor {
  const t = convertToTensor(x, 'x', 'zerosLike');
  return zeros(t.shape, t.dtype);
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: TensorLike): Tensor {
  const t = convertToTensor(x, 'x', 'onesLike');
  return ones(t.shape, t.dtype);
}

/** Identity matrix [numRows, numColumns] (optionally batched by `batchShape`). */
export function eye(numRows: number, numColumns = numRows, batchShape: number[] = [], dtype: DataType = 'float32'): Tensor {
  assertValidShape('eye', [...batchShape, numRows, numColumns]);
  const per = numRows * numColumns;
  const batch = sizeFromShape(batchShape);
  const out = allocate(dtype, batch * per);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < Math.min(numRows, numColumns); i++) out[b * per + i * numColumns + i] = 1;
  }
  return makeTensor(out, [...batchShape, numRows, numColumns], dtype);
}

/** Numbers from `start` up to (not including) `stop` in steps of `step`; `range(n)` is 0..n-1. */
export function range(start: number, stop?: number, step = 1, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (step === 0) throw new ValueError('range: step cannot be 0.');
  if (![start, stop, step].every(Number.isFinite)) {
    throw new ValueError(`range: start, stop and step must be finite numbers, received ${start}, ${stop}, ${step}.`);
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (n >= 2 ** 31) throw new ValueError(`range: start ${start}, stop ${stop}, step ${step} give ${n} values, over the limit of 2^31.`);
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return makeTensor(out, [n], dtype);
}

/** `num` evenly spaced numbers from `start` to `stop`, both included. */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num <= 0) throw new ValueError(`linspace: num must be a positive integer, received ${num}.`);
  if (num >= 2 ** 31) throw new ValueError(`linspace: num ${num} is over the limit of 2^31 values.`);
  const out = new Float32Array(num);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  return makeTensor(out, [num], 'float32');
}

/**
 * One-hot encoding of int32 `indices` [...] → [..., depth] of `dtype` (default int32, as tfjs);
 * out-of-range indices give a row of `offValue` (as tfjs).
 */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0, dtype: DataType = 'int32'): Tensor {
  // Plain arrays parse as int32 (as tfjs); tensors must already be int32.
  const t = Array.isArray(indices)
    ? convertToTensor(tensor(indices, undefined, 'int32'), 'indices', 'oneHot')
    : convertToTensor(indices, 'indices', 'oneHot', 'int32');
  if (t.dtype !== 'int32') throw new ValueError(`oneHot: indices must be int32, received ${t.dtype}.`);
  if (!Number.isInteger(depth) || depth < 1) throw new ValueError(`oneHot: depth must be a positive integer, received ${depth}.`);
  if (!isDataType(dtype)) throw new ValueError(`oneHot: unknown dtype '${String(dtype)}'; expected 'float32', 'int32' or 'bool'.`);
  assertValidShape(`oneHot (indices ${formatShape(t.shape)}, depth ${depth})`, [...t.shape, depth]);
  const iv = t.values;
  const out = allocate(dtype, iv.length * depth);
  out.fill(offValue);
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i];
    if (k >= 0 && k < depth) out[i * depth + k] = onValue;
  }
  return makeTensor(out, [...t.shape, depth], dtype);
}

function randomTensor(
  op: string,
  shape: number[],
  dtype: DataType,
  seed: number | undefined,
  draw: (g: RandomGenerator) => number,
): Tensor {
  assertValidShape(op, shape);
  if (dtype === 'bool') throw new NotImplementedError(`${op}: dtype bool is not supported.`);
  const g = generatorFor(seed);
  const out = allocate(dtype, sizeFromShape(shape));
  for (let i = 0; i < out.length; i++) out[i] = draw(g);
  return makeTensor(out, shape.slice(), dtype);
}

/** Normal draws with `mean`, `stdDev`; pass a seed for reproducibility. */
export function randomNormal(shape: number[], mean = 0, stdDev = 1, dtype: 'float32' | 'int32' = 'float32', seed?: number): Tensor {
  return randomTensor('randomNormal', shape, dtype, seed, (g) => g.normal(mean, stdDev));
}

/** Uniform draws in [minval, maxval). */
export function randomUniform(shape: number[], minval = 0, maxval = 1, dtype: DataType = 'float32', seed?: number): Tensor {
  return randomTensor('randomUniform', shape, dtype, seed, (g) => g.uniform(minval, maxval));
}

/** Normal draws truncated to two standard deviations. */
export function truncatedNormal(shape: number[], mean = 0, stdDev = 1, dtype: 'float32' | 'int32' = 'float32', seed?: number): Tensor {
  return randomTensor('truncatedNormal', shape, dtype, seed, (g) => g.truncatedNormal(mean, stdDev));
}
