/** `dropout(x, rate, noiseShape, seed)`: tfjs's dropout op (the Dropout layer's rule as a function). */
import { Tensor } from '../tensor';
import { convertToTensor, tensor, TensorLike } from '../convert';
import { formatShape, sizeFromShape } from '../shape';
import { generatorFor, RandomGenerator } from '../random';
import { ValueError } from '../errors';
import { mul } from './arithmetic';
import { clone } from './clone';

/**
 * The keep mask of dropout: for each of `shape`'s elements, 1/(1 − rate) with probability 1 − rate, else 0
 * (the element is kept when a uniform draw in [0, 1) is ≥ rate). Shared by the `dropout` op and the Dropout layer.
 */
export function dropoutKeepMask(rate: number, shape: number[], g: RandomGenerator): Tensor {
  const n = sizeFromShape(shape);
  const keep = new Float32Array(n);
  if (rate < 1) {
    const scale = 1 / (1 - rate);
    for (let i = 0; i < n; i++) keep[i] = g.next() >= rate ? scale : 0;
  }
  return tensor(keep, shape, 'float32');
}

/**
 * Zeroes each element of `x` (`[batch, timeSteps, features]` or any shape) with probability `rate` and scales the
 * kept ones by 1/(1 − rate). `noiseShape` (default `x.shape`) is the shape of the mask, broadcast against `x`: e.g.
 * `[batch, 1, features]` drops the same features at every time step. `seed` makes the mask reproducible.
 *
 * tfjs note: tfjs's mask comes from its own random stream, so the kept positions differ from tfjs's for the same
 * seed (the rule and the scale are the same); a seedless call draws from our global generator (`setSeed`).
 *
 * ```js
 * dropout(ones([2, 3, 4]), 0.5, [2, 1, 4], 7);   // entries 0 or 2, the same at each time step
 * ```
 */
export function dropout(x: TensorLike, rate: number, noiseShape?: (number | null)[], seed?: number | string): Tensor {
  const t = convertToTensor(x, 'x', 'dropout');
  if (t.dtype !== 'float32') throw new ValueError(`dropout: x must be a float32 tensor, received ${t.dtype}.`);
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ValueError(`dropout: rate must be a number in [0, 1), received ${String(rate)}.`);
  }
  if (seed !== undefined && typeof seed !== 'number') {
    // tfjs note: tfjs also takes a string seed (its seedrandom); our generator is seeded by numbers only.
    throw new ValueError(`dropout: seed must be a number, received ${typeof seed} ${String(seed)}.`);
  }
  const given = noiseShape ?? t.shape;
  // A null entry takes x's size (as tfjs's getNoiseShape).
  const shape = Array.isArray(given) ? given.map((d, i) => (d === null ? t.shape[i] : d)) : null;
  if (!shape || shape.length !== t.rank || shape.some((d, i) => d !== 1 && d !== t.shape[i])) {
    throw new ValueError(
      `dropout: noiseShape must have x's rank ${t.rank} with each entry 1, null or x's size (x ${formatShape(t.shape)}), ` +
        `received ${Array.isArray(given) ? formatShape(given) : String(given)}.`,
    );
  }
  if (rate === 0) return clone(t);
  return mul(t, dropoutKeepMask(rate, shape, generatorFor(seed)));
}
