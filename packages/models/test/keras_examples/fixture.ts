/**
 * Reading the Keras 3.15 references of fixtures/keras/examples (generate.py there) and comparing with them.
 * Tolerances: the fixtures hold Keras's float32 results; ours are float32 too, with sums in other orders
 * (fused kernels, other gemm blocking), so single values agree to a few float32 ulps and training (2–3 epochs
 * of SGD/RMSprop/Adam on these tiny models) grows that to ~1e-7 relative in the weights: relative 1e-5 with an
 * absolute floor of 1e-6 (as the other Keras training tests) holds for every log, weight and prediction here, and
 * still fails on a real difference (tfjs's 'hardSigmoid' gates, Adam's ε placement at ε = 1e-10 on addition_rnn:
 * 2e-3 in the weights). Token ids, argmax results and decoded labels are compared exactly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor, tensor } from '@recurrent/core';

export interface Enc {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}
export interface NamedWeight extends Enc {
  path: string;
}
export type History = { [key: string]: number[] };

export function readFixture<T>(name: string): T & { keras_version: string } {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras/examples', `${name}.json`), 'utf8')) as T & {
    keras_version: string;
  };
}

export const t = (e: Enc): Tensor => tensor(e.values, e.shape, e.dtype);

/** Keras's weights in Keras's order: their shapes must be ours, in our order (that is part of what is checked). */
export function kerasWeightList(ours: Tensor[], keras: NamedWeight[]): Tensor[] {
  expect(ours.map((w) => w.shape)).toEqual(keras.map((w) => w.shape));
  return keras.map(t);
}

/** Worst |got − want| / (atol + rtol·|want|) must be ≤ 1. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol = 1e-5, atol = 1e-6): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const diff = Math.abs(got[i] - want[i]);
    worst = Math.max(worst, diff === 0 ? 0 : diff / (atol + rtol * Math.abs(want[i])));
  }
  if (!(worst <= 1))
    throw new Error(
      `${what} differs from Keras (worst ratio ${worst}):\n got  ${Array.from(got).join(', ')}\n want ${Array.from(want).join(', ')}`,
    );
}

export function expectWeightsClose(ours: Tensor[], keras: NamedWeight[], rtol = 1e-5, atol = 1e-6): void {
  expect(ours.length).toBe(keras.length);
  ours.forEach((w, i) => expectClose(w.dataSync(), keras[i].values, keras[i].path, rtol, atol));
}

/**
 * Keras's log key in our name. Deliberate (trainers/compile.ts): logs name metrics as tfjs does, so the metric
 * 'accuracy' logs as 'acc' (and 'val_acc'); Keras 3 logs 'accuracy'.
 */
export const ourKey = (kerasKey: string): string => kerasKey.replace(/(^|_)accuracy$/, '$1acc');

/** Every Keras history key against ours (under our names). */
export function expectHistory(ours: { [k: string]: unknown[] }, keras: History, what: string, rtol = 1e-5, atol = 1e-6): void {
  expect(Object.keys(ours).sort()).toEqual(Object.keys(keras).map(ourKey).sort());
  for (const k of Object.keys(keras)) expectClose(ours[ourKey(k)] as number[], keras[k], `${what} ${k}`, rtol, atol);
}
