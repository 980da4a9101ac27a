/**
 * Layer parity against tfjs: the same weights in both layers, then outputs, input gradients and weight
 * gradients of L = Σ dy ⊙ layer(x) (dy fixed, random) compared element by element.
 *
 * ```ts
 * expectTfjsParity(layers.conv1d({filters: 4, kernelSize: 3}), tf.layers.conv1d({filters: 4, kernelSize: 3}), randomNormal([2, 9, 3]));
 * ```
 *
 * Adapters cover layers tfjs has only in another rank (DepthwiseConv1D as DepthwiseConv2D on [b, 1, steps, c]):
 * the values are the same in the same element order, only the shapes differ.
 */
import * as tf from '@tensorflow/tfjs';
import { grads, mul, randomNormal, sum, Tensor, variableGrads } from '@recurrent/core';
import type { CallKwargs, Layer } from '@recurrent/layers';
import { maxDiff, toTf } from './tfjs_compare';

export interface TfjsParityOptions {
  /** kwargs of both applies (default {}); `training: true` is passed to tfjs's `apply` as `{training: true}`. */
  kwargs?: CallKwargs;
  /** Largest allowed difference (default 1e-5). */
  tol?: number;
  /** Maps our input to tfjs's (default: same shape); differentiable in tfjs (reshape, pad), input gradients are taken through it. */
  input?: (x: tf.Tensor) => tf.Tensor;
  /** Maps each of our weights (by index) to tfjs's shape (default: same shape). */
  weight?: (w: tf.Tensor, i: number) => tf.Tensor;
  /** Whether to compare gradients (default true). */
  gradients?: boolean;
}

/** Sets tfjs's layer to our weights and asserts equal outputs and gradients; returns the largest difference seen. */
export function expectTfjsParity(ours: Layer, theirs: tf.layers.Layer, x: Tensor, opts: TfjsParityOptions = {}): number {
  const { kwargs = {}, tol = 1e-5, gradients = true } = opts;
  const mapIn = opts.input ?? ((t: tf.Tensor) => t);
  const mapW = opts.weight ?? ((t: tf.Tensor) => t);
  const tx0 = toTf(x);
  const tx = mapIn(tx0);
  const y = ours.apply(x, kwargs) as Tensor;
  theirs.apply(tx, kwargs);
  theirs.setWeights(ours.getWeights().map((w, i) => mapW(toTf(w), i)));
  const ty = theirs.apply(tx, kwargs) as tf.Tensor;
  let worst = maxDiff(y.dataSync(), ty.dataSync());
  expect(worst).toBeLessThanOrEqual(tol);
  if (!gradients) return worst;

  const dy = randomNormal(y.shape, 0, 1, 'float32', 77);
  const tdy = toTf(dy).reshape(ty.shape);
  const [gx] = grads((a: Tensor) => sum(mul(ours.apply(a, kwargs) as Tensor, dy)))([x]);
  const tgx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(theirs.apply(mapIn(a), kwargs) as tf.Tensor, tdy)))(tx0);
  worst = Math.max(worst, maxDiff(gx.dataSync(), tgx.dataSync()));
  expect(maxDiff(gx.dataSync(), tgx.dataSync())).toBeLessThanOrEqual(tol);

  const params = ours.trainableWeights;
  if (params.length === 0) return worst;
  const { grads: ourGrads } = variableGrads(() => sum(mul(ours.apply(x, kwargs) as Tensor, dy)), params);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const tvars = theirs.trainableWeights.map((w) => (w as any).read() as tf.Variable);
  const { grads: theirGrads } = tf.variableGrads(() => tf.sum(tf.mul(theirs.apply(tx, kwargs) as tf.Tensor, tdy)) as tf.Scalar, tvars);
  expect(tvars.length).toBe(params.length);
  params.forEach((p, i) => {
    const d = maxDiff(ourGrads[p.name].dataSync(), theirGrads[tvars[i].name].dataSync());
    if (!(d <= tol)) throw new Error(`gradient of ${p.originalName} differs from tfjs's by ${d}`);
    worst = Math.max(worst, d);
  });
  return worst;
}
