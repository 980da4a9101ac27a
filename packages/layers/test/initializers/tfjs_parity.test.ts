/**
 * Initializers against tfjs's: the deterministic ones value for value; the random ones (whose draws cannot match)
 * by their distribution's parameters on the same shapes, which checks the fans (rank 1, 2, conv ranks 3–5, rank 6),
 * the modes and the scale: a uniform's limit (its largest |draw|) and every variance, each within a few percent of
 * tfjs's. The truncated normals differ on purpose (variance_scaling.ts's tfjs note): tfjs's variance is the
 * truncated normal's 0.774·σ², ours (Keras) σ².
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@recurrent/core';
import { initializers } from '@recurrent/layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Variance of a N(0, 1) truncated at ±2: what tfjs's uncorrected truncated normal scales σ² by. */
const TRUNCATED_VARIANCE = 0.87962566103423978 ** 2;

function stats(v: ArrayLike<number>): { variance: number; maxAbs: number; mean: number } {
  let s = 0;
  let maxAbs = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i];
    maxAbs = Math.max(maxAbs, Math.abs(v[i]));
  }
  const mean = s / v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i] - mean) ** 2;
  return { variance: ss / v.length, maxAbs, mean };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ours = (name: string, args: object) => (shape: number[]) => ((initializers as any)[name](args).apply(shape) as Tensor).dataSync();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const theirs = (name: string, args: object) => (shape: number[]) =>
  (tf.initializers as any)[name](args).apply(shape).dataSync() as Float32Array;

describe('deterministic initializers equal tfjs value for value', () => {
  it.each([
    ['zeros', {}, [3, 4]],
    ['ones', {}, [2, 3, 2]],
    ['constant', { value: -1.25 }, [5]],
    ['identity', {}, [4, 4]],
    ['identity', { gain: 2.5 }, [3, 3]],
  ] as const)('%s %j on %j', (name, args, shape) => {
    expect(Array.from(ours(name, args)(shape.slice()))).toEqual(Array.from(theirs(name, args)(shape.slice())));
  });
});

/** Shapes of every fan rule, ~20 000 to 40 000 draws each. */
const SHAPES = [[30000], [150, 200], [3, 80, 120], [3, 3, 40, 60], [2, 2, 2, 30, 40], [4, 5, 6, 7, 8, 9]];

describe('random initializers: the same distribution parameters as tfjs on every fan rule', () => {
  const uniform: Array<[string, object]> = [
    ['glorotUniform', {}],
    ['heUniform', {}],
    ['leCunUniform', {}],
    ['varianceScaling', { scale: 3, mode: 'fanIn', distribution: 'uniform' }],
    ['varianceScaling', { scale: 0.5, mode: 'fanOut', distribution: 'uniform' }],
    ['varianceScaling', { scale: 2, mode: 'fanAvg', distribution: 'uniform' }],
    ['randomUniform', { minval: -0.3, maxval: 0.3 }],
  ];
  it.each(uniform.flatMap(([name, args]) => SHAPES.map((s) => [name, args, s] as const)))(
    '%s %j on %j: the same limit and variance',
    (name, args, shape) => {
      const a = stats(ours(name, { ...args, seed: 1 })(shape));
      const b = stats(theirs(name, { ...args, seed: 1 })(shape));
      expect({ limit: Math.abs(a.maxAbs / b.maxAbs - 1) < 0.003, variance: Math.abs(a.variance / b.variance - 1) < 0.04 }).toEqual({
        limit: true,
        variance: true,
      });
    },
  );

  const normal: Array<[string, object, number]> = [
    ['glorotNormal', {}, TRUNCATED_VARIANCE],
    ['heNormal', {}, TRUNCATED_VARIANCE],
    ['leCunNormal', {}, TRUNCATED_VARIANCE],
    ['varianceScaling', { scale: 3, mode: 'fanIn', distribution: 'normal' }, TRUNCATED_VARIANCE],
    ['varianceScaling', { scale: 0.5, mode: 'fanOut', distribution: 'normal' }, TRUNCATED_VARIANCE],
    ['randomNormal', { mean: 0, stddev: 0.2 }, 1],
    ['truncatedNormal', { mean: 0, stddev: 0.2 }, 1],
  ];
  it.each(normal.flatMap(([name, args, ratio]) => SHAPES.map((s) => [name, args, s, ratio] as const)))(
    '%s %j on %j: tfjs variance = ours × %f',
    (name, args, shape, ratio) => {
      const a = stats(ours(name, { ...args, seed: 2 })(shape));
      const b = stats(theirs(name, { ...args, seed: 2 })(shape));
      expect(Math.abs(b.variance / (a.variance * ratio) - 1)).toBeLessThan(0.04);
      // Both truncate at twice the stddev of the normal they draw from, sqrt(variance / 0.774).
      if (name !== 'randomNormal') {
        for (const { maxAbs, variance } of [a, b]) expect(maxAbs / Math.sqrt(variance / TRUNCATED_VARIANCE)).toBeLessThan(2.04);
      }
    },
  );
});
