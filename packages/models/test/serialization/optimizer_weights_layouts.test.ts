/**
 * Optimizer state in model files for models beyond a plain stack, against tfjs 4.22 (cpu): non-trainable weights
 * (BatchNormalization's moving statistics) and a frozen layer, whose weights have no optimizer state (tfjs lays the
 * state out by position over the trainable weights only); a file saved before any step (tfjs writes only 'iter');
 * and save → load → save giving the same bytes.
 */
import * as tf from '@tensorflow/tfjs';
import { tensor } from '@recurrent/core';
import { resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel } from '@recurrent/models';
import { maxAbsDiff, saveToMemory, values } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

const X = Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i * 0.7) * 0.8);
const Y = Array.from({ length: 6 * 2 }, (_, i) => Math.cos(i * 0.3));

/** Dense → BatchNormalization → frozen Dense → Dense, same names in both libraries. */
function build(lib: any): any {
  const L = lib.layers;
  const m = lib.sequential({
    layers: [
      L.dense({ units: 5, inputShape: [4], name: 'd1', activation: 'tanh' }),
      L.batchNormalization({ name: 'bn' }),
      L.dense({ units: 3, name: 'frozen', trainable: false }),
      L.dense({ units: 2, name: 'd2' }),
    ],
  });
  return m;
}

async function steps(lib: any, m: any, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await m.trainOnBatch(lib.tensor(X, [6, 4]), lib.tensor(Y, [6, 2]));
}

const weightsOf = (m: any): number[] => m.getWeights().flatMap((w: any) => values(w));

describe('optimizer state with non-trainable and frozen weights (tfjs: by position over the trainable weights)', () => {
  test('tfjs trains 3 Adam steps and saves; loaded here, 3 more steps equal tfjs continuing', async () => {
    const ours = await import('@recurrent/models');
    const oursLib = { ...ours, layers: (await import('@recurrent/layers')).layers, tensor };
    const theirs = build(tf);
    theirs.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    await steps(tf, theirs, 3);
    const a = await saveToMemory(theirs, tf.io, { includeOptimizer: true });
    const optNames = a.weightSpecs!.filter((s: any) => s.group === 'optimizer').map((s: any) => s.name);
    const loaded: any = await loadLayersModel(io.fromMemory(a));
    await steps(oursLib, loaded, 3);
    await steps(tf, theirs, 3);
    expect(maxAbsDiff(weightsOf(loaded), weightsOf(theirs))).toBeLessThan(1e-5);
    // And ours saves the same optimizer layout back.
    const b = await saveToMemory(loaded, io, { includeOptimizer: true });
    expect(b.weightSpecs!.filter((s: any) => s.group === 'optimizer').map((s: any) => s.name)).toEqual(optNames);
  });

  test('saved here after 3 steps, tfjs loads and continues as we do', async () => {
    const ours = await import('@recurrent/models');
    const oursLib = { ...ours, layers: (await import('@recurrent/layers')).layers, tensor };
    const m = build(oursLib);
    m.compile({ optimizer: ours.train.adam(0.05), loss: 'meanSquaredError' });
    await steps(oursLib, m, 3);
    const a = await saveToMemory(m, io, { includeOptimizer: true });
    const theirs: any = await tf.loadLayersModel(tf.io.fromMemory(a as any));
    await steps(tf, theirs, 3);
    await steps(oursLib, m, 3);
    expect(maxAbsDiff(weightsOf(m), weightsOf(theirs))).toBeLessThan(1e-5);
  });

  test('saved before any step: only iter 0 (as tfjs), and save → load → save gives the same bytes', async () => {
    const ours = await import('@recurrent/models');
    const oursLib = { ...ours, layers: (await import('@recurrent/layers')).layers, tensor };
    const theirs = build(tf);
    theirs.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const t = await saveToMemory(theirs, tf.io, { includeOptimizer: true });
    const m = build(oursLib);
    m.compile({ optimizer: ours.train.adam(0.05), loss: 'meanSquaredError' });
    const a = await saveToMemory(m, io, { includeOptimizer: true });
    const opt = (x: any) => x.weightSpecs.filter((s: any) => s.group === 'optimizer');
    expect(opt(a)).toEqual(opt(t));
    await steps(oursLib, m, 2);
    const b = await saveToMemory(m, io, { includeOptimizer: true });
    const loaded: any = await loadLayersModel(io.fromMemory(b));
    const c = await saveToMemory(loaded, io, { includeOptimizer: true });
    // The state's names are those of the variables, which the registry makes unique while the first model lives
    // ('d1/kernel_1/m'), as tfjs's; the layout is by position, so only the names differ.
    const unsuffixed = (specs: any[]) => specs.map((s) => ({ ...s, name: s.name.replace(/_\d+\//, '/') }));
    expect(unsuffixed(c.weightSpecs!)).toEqual(unsuffixed(b.weightSpecs!));
    expect(Buffer.from(c.weightData as ArrayBuffer).equals(Buffer.from(b.weightData as ArrayBuffer))).toBe(true);
    expect(c.modelTopology).toEqual(b.modelTopology);
    expect(c.trainingConfig).toEqual(b.trainingConfig);
  });
});

describe('optimizer state of a Sequential nested in a functional model', () => {
  function nested(lib: any): any {
    const L = lib.layers;
    const inner = lib.sequential({
      name: 'inner',
      layers: [L.dense({ units: 4, inputShape: [4], name: 'i1', activation: 'tanh' }), L.dense({ units: 3, name: 'i2' })],
    });
    const x = lib.input({ shape: [4], name: 'x' });
    const h = L.dense({ units: 3, name: 'pre' }).apply(x);
    const y = L.dense({ units: 2, name: 'head' }).apply(L.concatenate({ name: 'cat' }).apply([inner.apply(x), h]));
    return lib.model({ inputs: x, outputs: y });
  }

  test('tfjs trains 3 RMSprop steps and saves; loaded here, 3 more steps equal tfjs continuing, and back', async () => {
    const ours = await import('@recurrent/models');
    const oursLib = { ...ours, layers: (await import('@recurrent/layers')).layers, tensor };
    const theirs = nested(tf);
    theirs.compile({ optimizer: tf.train.rmsprop(0.02, 0.9, 0.3), loss: 'meanSquaredError' });
    await steps(tf, theirs, 3);
    const a = await saveToMemory(theirs, tf.io, { includeOptimizer: true });
    const loaded: any = await loadLayersModel(io.fromMemory(a));
    await steps(oursLib, loaded, 3);
    await steps(tf, theirs, 3);
    expect(maxAbsDiff(weightsOf(loaded), weightsOf(theirs))).toBeLessThan(1e-5);
    const b = await saveToMemory(loaded, io, { includeOptimizer: true });
    const back: any = await tf.loadLayersModel(tf.io.fromMemory(b as any));
    await steps(tf, back, 2);
    await steps(oursLib, loaded, 2);
    expect(maxAbsDiff(weightsOf(loaded), weightsOf(back))).toBeLessThan(1e-5);
  });
});

describe('optimizer state of a functional model with a shared layer (its weights once in the layout)', () => {
  function shared(lib: any): any {
    const L = lib.layers;
    const a = lib.input({ shape: [4], name: 'a' });
    const b = lib.input({ shape: [4], name: 'b' });
    const d = L.dense({ units: 3, name: 'shared', activation: 'tanh' });
    const y = L.dense({ units: 2, name: 'head' }).apply(L.add({ name: 'sum' }).apply([d.apply(a), d.apply(b)]));
    return lib.model({ inputs: [a, b], outputs: y });
  }
  const B2 = Array.from({ length: 6 * 4 }, (_, i) => Math.cos(i * 0.9) * 0.7);
  async function steps2(lib: any, m: any, n: number): Promise<void> {
    for (let i = 0; i < n; i++) await m.trainOnBatch([lib.tensor(X, [6, 4]), lib.tensor(B2, [6, 4])], lib.tensor(Y, [6, 2]));
  }

  test('tfjs trains 3 Adam steps and saves; loaded here, 3 more steps equal tfjs continuing', async () => {
    const ours = await import('@recurrent/models');
    const oursLib = { ...ours, layers: (await import('@recurrent/layers')).layers, tensor };
    const theirs = shared(tf);
    theirs.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    await steps2(tf, theirs, 3);
    const a = await saveToMemory(theirs, tf.io, { includeOptimizer: true });
    const loaded: any = await loadLayersModel(io.fromMemory(a));
    await steps2(oursLib, loaded, 3);
    await steps2(tf, theirs, 3);
    expect(maxAbsDiff(weightsOf(loaded), weightsOf(theirs))).toBeLessThan(1e-5);
    const b = await saveToMemory(loaded, io, { includeOptimizer: true });
    const names = (x: any) => x.weightSpecs.filter((s: any) => s.group === 'optimizer').map((s: any) => s.name.replace(/_\d+\//, '/'));
    expect(names(b)).toEqual(names(a));
  });
});

describe('training configs tfjs refuses (the tfjs note of model_save.ts)', () => {
  test('weightedMetrics or lossWeights saved with includeOptimizer: tfjs 4.22 refuses the file, we load it compiled', async () => {
    const ours = await import('@recurrent/models');
    const oursLib = { ...ours, layers: (await import('@recurrent/layers')).layers, tensor };
    for (const [extra, message] of [
      [{ weightedMetrics: ['mae'] }, /weight_metrics is not supported/],
      [{ lossWeights: [0.5] }, /loss_weights is not supported/],
    ] as const) {
      resetNameCounters();
      const m = build(oursLib);
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError', ...extra });
      const a = await saveToMemory(m, io, { includeOptimizer: true });
      await expect(tf.loadLayersModel(tf.io.fromMemory(a as any))).rejects.toThrow(message);
      const loaded: any = await loadLayersModel(io.fromMemory(a));
      expect(loaded.metricsNames).toEqual(m.metricsNames);
    }
  });
});
