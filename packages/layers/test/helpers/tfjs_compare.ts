/** Small helpers of the layer tests that compare against tfjs (`@tensorflow/tfjs`, cpu backend). */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@recurrent/core';

/** The same values and shape as a tfjs tensor (float32; a bool tensor becomes 0/1 floats). */
export function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(Array.from(t.dataSync()), t.shape);
}

/** Largest |a[i] − b[i]|, after expecting equal lengths. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
