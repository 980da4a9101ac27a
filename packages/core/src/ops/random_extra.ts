/** tfjs's other random makers: `randomUniformInt`, `randomStandardNormal`, `rand`. */
import { allocate, DataType } from '../dtype';
import { assertValidShape, sizeFromShape } from '../shape';
import { makeTensor, Tensor } from '../tensor';
import { randomNormal, randomUniform } from '../creation';
import { ValueError } from '../errors';

/**
 * Integers drawn uniformly from [minval, maxval) (int32), e.g. random token ids for a test batch `[batch, timeSteps]`.
 *
 * tfjs note: the draws come from our seeded generator (`setSeed` or `seed`), not tfjs's stream, so the values differ
 * from tfjs's for the same seed; the range and the dtype are tfjs's.
 *
 * ```js
 * randomUniformInt([2, 5], 0, 100, 42);   // int32 ids in 0..99
 * ```
 */
export function randomUniformInt(shape: number[], minval: number, maxval: number, seed?: number): Tensor {
  if (!Number.isInteger(minval) || !Number.isInteger(maxval) || maxval <= minval) {
    throw new ValueError(
      `randomUniformInt: minval and maxval must be integers with minval < maxval, received minval ${minval}, maxval ${maxval}.`,
    );
  }
  const u = randomUniform(shape, 0, 1, 'float32', seed);
  const out = new Int32Array(u.size);
  const span = maxval - minval;
  for (let i = 0; i < out.length; i++) out[i] = minval + Math.min(span - 1, Math.floor(u.values[i] * span));
  return makeTensor(out, u.shape.slice(), 'int32');
}

/**
 * Draws from the standard normal distribution (mean 0, standard deviation 1); `randomNormal(shape, 0, 1, dtype, seed)`.
 *
 * ```js
 * randomStandardNormal([3, 4], 'float32', 7);
 * ```
 */
export function randomStandardNormal(shape: number[], dtype: 'float32' | 'int32' = 'float32', seed?: number): Tensor {
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new ValueError(`randomStandardNormal: dtype must be 'float32' or 'int32', received ${JSON.stringify(dtype)}.`);
  }
  return randomNormal(shape, 0, 1, dtype, seed);
}

/**
 * A tensor of `shape` whose elements are `randFunction()`'s values, called once per element in order.
 *
 * ```js
 * rand([2, 2], () => Math.random());
 * ```
 */
export function rand(shape: number[], randFunction: () => number, dtype: DataType = 'float32'): Tensor {
  assertValidShape('rand', shape);
  if (typeof randFunction !== 'function') {
    throw new ValueError(`rand: randFunction must be a function returning a number, received ${typeof randFunction}.`);
  }
  const out = allocate(dtype, sizeFromShape(shape));
  for (let i = 0; i < out.length; i++) out[i] = randFunction();
  return makeTensor(out, shape.slice(), dtype);
}
