/**
 * Helpers of the merge-layer tests: run our layer and the tfjs layer on the same inputs and compare
 * the outputs and the gradients w.r.t. every input (tfjs's `tf.grads`, with the same random dy).
 */
import * as tf from '@tensorflow/tfjs';
import { grads, RandomGenerator, Tensor, tensor } from '@recurrent/core';
import type { Layer } from '@recurrent/layers';

tf.setBackend('cpu');

/** A seeded uniform float32 tensor in [lo, hi). */
export function uniform(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const rng = new RandomGenerator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.uniform(lo, hi);
  return tensor(v, shape, 'float32');
}

/** The same values as a tfjs float32 tensor. */
export function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(Array.from(t.dataSync()), t.shape.slice(), 'float32');
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}

/** What {@link compareWithTfjs} measured. */
export interface TfjsComparison {
  outputShape: number[];
  valueDiff: number;
  gradDiffs: number[];
}

/**
 * Applies `ours` and `theirs` (a tfjs layer, or a function of tfjs tensors) to the same inputs; expects
 * equal output shapes and returns the largest output difference and, per input, the largest difference
 * of d(Σ dy ⊙ out)/d input (empty when `withGrads` is false).
 */
export function compareWithTfjs(
  ours: Layer,
  theirs: tf.layers.Layer | ((xs: tf.Tensor[]) => tf.Tensor),
  inputs: Tensor[],
  withGrads = true,
  seed = 7,
): TfjsComparison {
  const theirFn = typeof theirs === 'function' ? theirs : (xs: tf.Tensor[]) => theirs.apply(xs) as tf.Tensor;
  const out = ours.apply(inputs) as Tensor;
  const tfInputs = inputs.map(toTf);
  const tfOut = theirFn(tfInputs);
  expect(out.shape).toEqual(tfOut.shape);
  const valueDiff = maxAbs(out.dataSync(), tfOut.dataSync());
  if (!withGrads) return { outputShape: out.shape.slice(), valueDiff, gradDiffs: [] };
  const dy = uniform(out.shape.slice(), seed, 0.5, 1.5);
  const ourGrads = grads((...xs: Tensor[]) => ours.apply(xs) as Tensor)(
    inputs.map((x) => x.clone()),
    dy,
  );
  const theirGrads = tf.grads((...xs: tf.Tensor[]) => theirFn(xs))(tfInputs, toTf(dy));
  const gradDiffs = inputs.map((x, i) => {
    expect(ourGrads[i].shape).toEqual(x.shape);
    expect(theirGrads[i].shape).toEqual(x.shape);
    return maxAbs(ourGrads[i].dataSync(), theirGrads[i].dataSync());
  });
  return { outputShape: out.shape.slice(), valueDiff, gradDiffs };
}

/** The values of a mask, after expecting it to be a bool tensor (1 = keep, 0 = masked). */
export function maskValues(m: Tensor | Tensor[] | null): unknown {
  expect(m).not.toBeNull();
  const t = m as Tensor;
  expect(t.dtype).toBe('bool');
  return t.arraySync();
}

/** A bool tensor from 0/1 rows. */
export function boolMask(rows: number[][]): Tensor {
  return tensor(
    rows.flat().map((v) => (v ? 1 : 0)),
    [rows.length, rows[0].length],
    'bool',
  );
}
