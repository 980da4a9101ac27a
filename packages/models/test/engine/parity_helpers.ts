/**
 * Helpers for training the same model in tfjs and in recurrent from identical weights and data.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import { LayersModel, Optimizer, train } from '@recurrent/models';

/** Deterministic data in [-1, 1) (an LCG, independent of both libraries' generators). */
export function lcgData(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/**
 * tfjs draws initial weights (and dropout masks, shuffles) from generators seeded by Math.random: seeded here, so a
 * parity test starts from the same weights on every run. Unseeded, one run in a few dozen put a sample within a
 * float32 rounding of a class boundary, where an accuracy comparison flips (parity_dense: 'acc' 5/16 vs 6/16).
 * Each test file runs in its own context, so this affects only the files that import these helpers.
 */
let mathRandomState = 0x2545f491;
Math.random = () => {
  mathRandomState = (Math.imul(mathRandomState, 1664525) + 1013904223) >>> 0;
  return mathRandomState / 2 ** 32;
};

/** The same values as a tfjs tensor and a recurrent tensor. */
export function pair(values: Float32Array | number[], shape: number[]): { t: tf.Tensor; r: Tensor } {
  const v = Float32Array.from(values);
  return { t: tf.tensor(v, shape), r: tensor(v, shape) };
}

/** One-hot rows of `classes` classes from labels derived from the data (deterministic). */
export function oneHotFrom(labels: number[], classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((k, i) => (out[i * classes + k] = 1));
  return out;
}

/** Copies tfjs's initial weights into our model (both in tfjs's getWeights order). */
export function copyWeights(from: tf.LayersModel, to: LayersModel): void {
  const ws = from.getWeights();
  const ours = to.getWeights();
  expect(ours.map((w) => w.shape)).toEqual(ws.map((w) => w.shape));
  to.setWeights(ws.map((w) => tensor(w.dataSync() as Float32Array, w.shape)));
}

export type OptName = 'sgd' | 'momentum' | 'adam' | 'rmsprop';

/** The same optimizer in both libraries. */
export function optimizers(name: OptName): { t: tf.Optimizer; r: Optimizer } {
  switch (name) {
    case 'sgd':
      return { t: tf.train.sgd(0.1), r: train.sgd(0.1) };
    case 'momentum':
      return { t: tf.train.momentum(0.05, 0.9), r: train.momentum(0.05, 0.9) };
    case 'adam':
      return { t: tf.train.adam(0.01), r: train.adam(0.01) };
    case 'rmsprop':
      return { t: tf.train.rmsprop(0.01), r: train.rmsprop(0.01) };
  }
}

/** Largest |a - b| / (atol/rtol + |b|)-style violation: returns the worst ratio err / (atol + rtol·|b|) (≤ 1 passes). */
export function worstRatio(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const r = Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i]));
    if (!(r <= worst)) worst = Number.isNaN(r) ? Infinity : Math.max(worst, r);
  }
  return worst;
}

/** Expects every weight of `ours` to match tfjs's within rtol (plus a tiny atol for values near 0). */
export function expectWeightsClose(theirs: tf.LayersModel, ours: LayersModel, rtol = 1e-4, atol = 1e-5): void {
  const tw = theirs.getWeights();
  const rw = ours.getWeights();
  expect(rw.length).toBe(tw.length);
  tw.forEach((w, i) => {
    const ratio = worstRatio(rw[i].dataSync(), w.dataSync(), rtol, atol);
    if (ratio > 1)
      throw new Error(
        `weight ${i} (${ours.weights[i].name}) differs from tfjs beyond rtol ${rtol}: worst ratio ${ratio}; ours ${Array.from(rw[i].dataSync())} vs tfjs ${Array.from(w.dataSync())}`,
      );
  });
}

/** Expects per-epoch history values to agree. */
export function expectHistoryClose(
  theirs: { [k: string]: (number | tf.Tensor)[] },
  ours: { [k: string]: number[] },
  keys: string[],
  rtol = 1e-4,
): void {
  for (const k of keys) {
    expect(ours[k]).toBeDefined();
    const t = theirs[k].map((v) => (typeof v === 'number' ? v : (v.dataSync()[0] as number)));
    const ratio = worstRatio(ours[k], t, rtol, 1e-6);
    if (ratio > 1) throw new Error(`history '${k}' differs from tfjs: ours ${ours[k].join(', ')} vs tfjs ${t.join(', ')}`);
  }
}

/** Expects training to have moved the weights by more than `minChange` (so agreement is not vacuous). */
export function expectMoved(initial: { dataSync(): ArrayLike<number> }[], ours: LayersModel, minChange = 1e-3): void {
  let maxChange = 0;
  ours.getWeights().forEach((w, i) => {
    const a = w.dataSync();
    const b = initial[i].dataSync();
    for (let k = 0; k < a.length; k++) maxChange = Math.max(maxChange, Math.abs(a[k] - b[k]));
  });
  expect(maxChange).toBeGreaterThan(minChange);
}

/** Copies of a tfjs model's current weight values (tfjs's getWeights returns the live variables). */
export function snapshot(model: tf.LayersModel): { dataSync(): Float32Array }[] {
  return model.getWeights().map((w) => {
    const d = Float32Array.from(w.dataSync());
    return { dataSync: () => d };
  });
}
