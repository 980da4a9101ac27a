/**
 * Shared helpers of the recurrent tests: conversion to/from tfjs, weighted-sum losses, gradients of a
 * layer w.r.t. its input, initial states and weights, and max-difference assertions.
 */
import * as tf from '@tensorflow/tfjs';
import { grads, mul, RandomGenerator, sum, Tensor, tensor, variableGrads } from '@recurrent/core';
import type { CallKwargs, Layer } from '../../src';

/** A seeded uniform float32 tensor. */
export function uniform(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const rng = new RandomGenerator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.uniform(lo, hi);
  return tensor(v, shape, 'float32');
}

export function toTf(t: Tensor): tf.Tensor {
  return tf.tensor(Array.from(t.dataSync()), t.shape.slice(), t.dtype === 'bool' ? 'bool' : 'float32');
}

export function asList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

/** Largest |a − b| over equal-shaped arrays (shapes must match). */
export function maxDiff(a: Tensor | tf.Tensor, b: Tensor | tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const av = a.dataSync();
  const bv = b.dataSync();
  let worst = 0;
  for (let i = 0; i < av.length; i++) {
    const d = Math.abs(av[i] - bv[i]);
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}

/** Largest |a − b| / max(1, |b|) (relative for large values). */
export function maxRelDiff(a: Tensor | tf.Tensor, b: Tensor | tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const av = a.dataSync();
  const bv = b.dataSync();
  let worst = 0;
  for (let i = 0; i < av.length; i++) {
    const d = Math.abs(av[i] - bv[i]) / Math.max(1, Math.abs(bv[i]));
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  }
  return worst;
}

/** Fixed loss weights, one array per output shape. */
export function lossWeights(shapes: number[][], seed: number): Float32Array[] {
  const rng = new RandomGenerator(seed);
  return shapes.map((s) => {
    const v = new Float32Array(s.reduce((a, b) => a * b, 1));
    for (let i = 0; i < v.length; i++) v[i] = rng.uniform(0.5, 1.5);
    return v;
  });
}

/** Σ_k Σ w_k ⊙ outputs_k on our side. */
export function weightedLoss(outputs: Tensor[], w: Float32Array[]): Tensor {
  return outputs.map((o, k) => sum(mul(o, tensor(w[k], o.shape.slice(), 'float32')))).reduce((a, b) => a.add(b));
}

/** Σ_k Σ w_k ⊙ outputs_k on the tfjs side. */
export function weightedLossTf(outputs: tf.Tensor[], w: Float32Array[]): tf.Scalar {
  return outputs.map((o, k) => tf.sum(tf.mul(o, tf.tensor(w[k], o.shape)))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
}

/** Outputs and gradients (input, each initial state, each trainable weight) of one of our layers. */
export function oursWithGrads(
  layer: Layer,
  x: Tensor,
  kwargs: CallKwargs,
  states: Tensor[],
  w: Float32Array[],
): { outputs: Tensor[]; dInputs: Tensor[]; dWeights: Tensor[] } {
  const run = (xx: Tensor, ss: Tensor[]): Tensor[] => asList(layer.apply(xx, ss.length ? { ...kwargs, initialState: ss } : kwargs));
  const outputs = run(x, states);
  const dInputs = grads((xx: Tensor, ...ss: Tensor[]) => weightedLoss(run(xx, ss), w))([x, ...states]);
  const vars = layer.trainableWeights;
  const vg = variableGrads(() => weightedLoss(run(x, states), w), vars);
  return { outputs, dInputs, dWeights: vars.map((v) => vg.grads[v.name]) };
}

/** The same for a tfjs layer. */
export function theirsWithGrads(
  layer: tf.layers.Layer,
  x: tf.Tensor,
  kwargs: Record<string, unknown>,
  states: tf.Tensor[],
  w: Float32Array[],
): { outputs: tf.Tensor[]; dInputs: tf.Tensor[]; dWeights: tf.Tensor[] } {
  const run = (xx: tf.Tensor, ss: tf.Tensor[]): tf.Tensor[] =>
    asList(layer.apply(xx, ss.length ? { ...kwargs, initialState: ss } : kwargs) as tf.Tensor | tf.Tensor[]);
  const outputs = run(x, states);
  const dInputs = tf.grads((...args: tf.Tensor[]) => weightedLossTf(run(args[0], args.slice(1)), w))([x, ...states]);
  const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  const vg = tf.variableGrads(() => weightedLossTf(run(x, states), w), vars);
  return { outputs, dInputs, dWeights: vars.map((v) => vg.grads[v.name]) };
}
