/**
 * fitDataset / evaluateDataset: tfjs parity (same weights, same batches → same weights and history),
 * epochs over a fresh iterator vs batchesPerEpoch across one iterator, validation, callbacks,
 * flat memory over a long generator, and bad batches (named, weights unchanged).
 */
import * as tf from '@tensorflow/tfjs';
import * as v8 from 'v8';
import * as vm from 'vm';
import { Tensor, randomNormal, tensor, zeros } from '@recurrent/core';
import { input, layers } from '@recurrent/layers';
import type { SymbolicTensor } from '@recurrent/layers';
import { model, sequential, Sequential, train } from '@recurrent/models';
import { data } from '../../src/data';
import { evaluateDataset, fitDataset } from '../../src/engine/fit_dataset';
import { copyWeights, expectHistoryClose, expectMoved, expectWeightsClose, lcgData, snapshot } from './parity_helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 10;
const T = 4;
const F = 3;

function samples() {
  const xv = lcgData(N * T * F, 11);
  const yv = Array.from({ length: N }, (_, i) => Math.tanh(xv[i * T * F] - xv[i * T * F + 5]));
  return { xv, yv };
}

function models() {
  const theirs = tf.sequential({
    layers: [tf.layers.lstm({ units: 5, inputShape: [T, F], recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: 1 })],
  });
  const ours = sequential({
    layers: [
      layers.lstm({ units: 5, inputShape: [T, F], recurrentActivation: 'sigmoid', unitForgetBias: false }),
      layers.dense({ units: 1 }),
    ],
  });
  copyWeights(theirs, ours);
  theirs.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError', metrics: ['mae'] });
  ours.compile({ optimizer: train.adam(0.02), loss: 'meanSquaredError', metrics: ['mae'] });
  return { theirs, ours };
}

describe('fitDataset matches tfjs', () => {
  test('a dataset of {xs, ys} batches (small last batch), 3 epochs, dataset validation', async () => {
    const { xv, yv } = samples();
    const { theirs, ours } = models();
    const initial = snapshot(theirs);
    const rows = (lib: 'tf' | 'r'): any[] =>
      Array.from({ length: N }, (_, i) => {
        const x = xv.slice(i * T * F, (i + 1) * T * F);
        return lib === 'tf'
          ? { xs: tf.tensor(x, [T, F]), ys: tf.tensor([yv[i]], [1]) }
          : { xs: tensor(x, [T, F]), ys: tensor([yv[i]], [1]) };
      });
    const tds = tf.data.array(rows('tf')).batch(4);
    const rds = data.array(rows('r')).batch(4);
    const th = await theirs.fitDataset(tds, { epochs: 3, verbose: 0, validationData: tf.data.array(rows('tf')).batch(3) });
    const oh = await fitDataset(ours, rds, { epochs: 3, verbose: 0, validationData: data.array(rows('r')).batch(3) });
    expectMoved(initial, ours);
    expectWeightsClose(theirs, ours);
    expectHistoryClose(th.history as any, oh.history, ['loss', 'mae', 'val_loss', 'val_mae']);
    expect(oh.epoch).toEqual([0, 1, 2]);
  });

  test("a seeded shuffle reshuffled every epoch gives tfjs's batches, so the same weights", async () => {
    const { xv, yv } = samples();
    const { theirs, ours } = models();
    const rows = (lib: 'tf' | 'r'): any[] =>
      Array.from({ length: N }, (_, i) => {
        const x = xv.slice(i * T * F, (i + 1) * T * F);
        return lib === 'tf'
          ? { xs: tf.tensor(x, [T, F]), ys: tf.tensor([yv[i]], [1]) }
          : { xs: tensor(x, [T, F]), ys: tensor([yv[i]], [1]) };
      });
    const th = await theirs.fitDataset(tf.data.array(rows('tf')).shuffle(6, 'fit-seed').batch(3), { epochs: 3, verbose: 0 });
    const oh = await fitDataset(ours, data.array(rows('r')).shuffle(6, 'fit-seed').batch(3), { epochs: 3, verbose: 0 });
    expectWeightsClose(theirs, ours);
    expectHistoryClose(th.history as any, oh.history, ['loss', 'mae']);
  });

  test('batchesPerEpoch runs one iterator across epochs; tensor validation data; evaluateDataset', async () => {
    const { xv, yv } = samples();
    const { theirs, ours } = models();
    const gen = (lib: 'tf' | 'r') =>
      function* () {
        for (let k = 0; k < 6; k++) {
          const i = (k * 3) % (N - 2);
          const x = xv.slice(i * T * F, (i + 2) * T * F);
          const y = yv.slice(i, i + 2);
          // tfjs takes only {xs, ys}; we also take [xs, ys].
          yield lib === 'tf' ? { xs: tf.tensor(x, [2, T, F]), ys: tf.tensor(y, [2, 1]) } : [tensor(x, [2, T, F]), tensor(y, [2, 1])];
        }
      };
    const th = await theirs.fitDataset(tf.data.generator(gen('tf') as any), {
      epochs: 3,
      batchesPerEpoch: 2,
      verbose: 0,
      validationData: [tf.tensor(xv, [N, T, F]), tf.tensor(yv, [N, 1])],
    });
    const oh = await fitDataset(ours, data.generator(gen('r')), {
      epochs: 3,
      batchesPerEpoch: 2,
      verbose: 0,
      validationData: [tensor(xv, [N, T, F]), tensor(yv, [N, 1])],
    });
    expectWeightsClose(theirs, ours);
    expectHistoryClose(th.history as any, oh.history, ['loss', 'mae', 'val_loss', 'val_mae']);
    const te = (await theirs.evaluateDataset(tf.data.generator(gen('tf') as any) as any, { batches: 4 })) as tf.Scalar[];
    const re = (await evaluateDataset(ours, data.generator(gen('r')), { batches: 4 })) as Tensor[];
    expectHistoryClose({ v: te.map((s) => s.dataSync()[0]) }, { v: re.map((s) => s.values[0] as number) }, ['v']);
  });
});

describe('an iterator whose last next() returns a batch with done: true', () => {
  // tfjs-examples jena-weather's getNextBatchFunction ends this way: {value: lastPartialBatch, done: true}. tfjs's
  // fitDataset (without batchesPerEpoch) trains on that batch and its evaluateDataset counts it, directly or
  // through prefetch; forEachAsync/toArray leave it out (the iterator protocol), in tfjs and here.
  const iteratorFn = (lib: 'tf' | 'r') => () => {
    const { xv, yv } = samples();
    let start = 0;
    return {
      next: () => {
        const n = Math.min(4, N - start);
        const x = xv.slice(start * T * F, (start + n) * T * F);
        const y = yv.slice(start, start + n);
        start += n;
        const value =
          lib === 'tf' ? { xs: tf.tensor(x, [n, T, F]), ys: tf.tensor(y, [n, 1]) } : { xs: tensor(x, [n, T, F]), ys: tensor(y, [n, 1]) };
        return { value, done: start >= N };
      },
    };
  };

  test('fitDataset trains on it and validation counts it, as tfjs', async () => {
    const { theirs, ours } = models();
    const initial = snapshot(theirs);
    const th = await theirs.fitDataset(tf.data.generator(iteratorFn('tf') as any), {
      epochs: 2,
      verbose: 0,
      validationData: tf.data.generator(iteratorFn('tf') as any).prefetch(2),
    });
    const oh = await fitDataset(ours, data.generator(iteratorFn('r')), {
      epochs: 2,
      verbose: 0,
      validationData: data.generator(iteratorFn('r')).prefetch(2),
    });
    expectMoved(initial, ours);
    expectWeightsClose(theirs, ours);
    expectHistoryClose(th.history as any, oh.history, ['loss', 'mae', 'val_loss', 'val_mae']);
  });

  test('evaluateDataset counts it, as tfjs; forEachAsync and toArray leave it out, as tfjs', async () => {
    const { theirs, ours } = models();
    const te = (await theirs.evaluateDataset(tf.data.generator(iteratorFn('tf') as any) as any, {})) as tf.Scalar[];
    const re = (await evaluateDataset(ours, data.generator(iteratorFn('r')))) as Tensor[];
    expectHistoryClose({ v: te.map((s) => s.dataSync()[0]) }, { v: re.map((s) => s.values[0] as number) }, ['v']);
    const sizes = async (ds: any) => {
      const out: number[] = [];
      await ds.forEachAsync((b: any) => void out.push(b.xs.shape[0]));
      return [out, (await ds.toArray()).map((b: any) => b.xs.shape[0])];
    };
    expect(await sizes(tf.data.generator(iteratorFn('tf') as any))).toEqual([
      [4, 4],
      [4, 4],
    ]);
    expect(await sizes(data.generator(iteratorFn('r')))).toEqual([
      [4, 4],
      [4, 4],
    ]);
  });
});

describe('fitDataset behaviour', () => {
  function tiny() {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    return m;
  }
  const batches = (n: number, rows = 2) =>
    data.generator(function* () {
      for (let i = 0; i < n; i++) yield { xs: zeros([rows, 2]).add(i), ys: zeros([rows, 1]) };
    });

  test('callbacks see epochs and batches; stopTraining stops after the batch', async () => {
    const m = tiny();
    const events: string[] = [];
    const h = await fitDataset(m, batches(5), {
      epochs: 4,
      verbose: 0,
      callbacks: {
        onEpochBegin: async (e) => void events.push(`E${e}`),
        onBatchEnd: async (b, logs) => {
          events.push(`b${b}:${logs!.size}`);
          if (b === 2 && events.filter((x) => x === 'E1').length === 1) m.stopTraining = true;
        },
      },
    });
    expect(events).toEqual(['E0', 'b0:2', 'b1:2', 'b2:2', 'b3:2', 'b4:2', 'E1', 'b0:2', 'b1:2', 'b2:2']);
    expect(h.epoch).toEqual([0, 1]);
    expect(m.isTraining).toBe(false);
  });

  test('the progress bar shows the step count when known and a running count otherwise', async () => {
    const { ProgbarLogger } = await import('../../src/callbacks/progress_bar');
    for (const [ds, expected] of [
      [data.array([0, 1, 2]).map((i) => ({ xs: zeros([1, 2]).add(i), ys: zeros([1, 1]) })), /3\/3 \[=+\]/],
      [batches(3, 1), /^\s+3\/Unknown - /m],
    ] as const) {
      let out = '';
      const bar = new ProgbarLogger({ write: (s) => void (out += s), live: true, intervalMs: 0 });
      await fitDataset(tiny(), ds as any, { epochs: 1, verbose: 0, callbacks: [bar] });
      expect(out).toMatch(expected);
    }
  });

  test('a generator of 10^5 sequences streams with a bounded heap', async () => {
    const m = sequential({ layers: [layers.simpleRNN({ units: 2, inputShape: [3, 1] }), layers.dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const n = 100_000;
    let made = 0;
    const ds = data
      .generator(function* () {
        for (let i = 0; i < n; i++) {
          made++;
          yield { xs: tensor([i % 3, 1, 0], [3, 1]), ys: tensor([1], [1]) };
        }
      })
      .batch(500);
    // A real collection before each reading, so the heap measures live objects only.
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heap: number[] = [];
    const h = await fitDataset(m, ds, {
      epochs: 1,
      verbose: 0,
      callbacks: {
        onBatchEnd: async (b) => {
          if (b % 20 === 0) {
            gc();
            heap.push(process.memoryUsage().heapUsed);
          }
        },
      },
    });
    expect(made).toBe(n);
    expect(heap.length).toBe(10);
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    // The 10^5 samples held as tensors would take tens of MB; streamed, the live heap stays where it began.
    expect(Math.max(...heap) - heap[0]).toBeLessThan(8 * 2 ** 20);
  });
});

describe('bad input', () => {
  function tiny() {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    return m;
  }

  test('a batch of the wrong shape mid-epoch names it; weights stay as after the last good batch', async () => {
    const m = tiny();
    let after: number[] = [];
    const ds = data.generator(function* () {
      yield { xs: randomNormal([2, 2]), ys: zeros([2, 1]) };
      yield { xs: randomNormal([2, 3]), ys: zeros([2, 1]) };
    });
    await expect(
      fitDataset(m, ds, {
        epochs: 1,
        verbose: 0,
        callbacks: { onBatchEnd: async () => void (after = m.getWeights().flatMap((w) => Array.from(w.values as Float32Array))) },
      }),
    ).rejects.toThrow(
      /^fitDataset: batch 1 of epoch 1: trainOnBatch: x has shape \[2,3\], but the model expects inputs of shape \[null,2\]/,
    );
    expect(m.getWeights().flatMap((w) => Array.from(w.values as Float32Array))).toEqual(after);
    expect(m.isTraining).toBe(false);
  });

  test('a generator that throws names the batch; the model can train again', async () => {
    const m = tiny();
    const ds = data.generator(function* () {
      yield { xs: zeros([2, 2]), ys: zeros([2, 1]) };
      throw new Error('source unavailable');
    });
    await expect(fitDataset(m, ds, { epochs: 1, verbose: 0 })).rejects.toThrow(
      'fitDataset: reading batch 1 of epoch 1: data.generator: the generator threw while producing element 1: source unavailable',
    );
    await fitDataset(m, data.array([{ xs: zeros([2, 2]), ys: zeros([2, 1]) }]), { epochs: 1, verbose: 0 });
  });

  test('elements that are not batches, unbatched datasets, and options', async () => {
    const m = tiny();
    await expect(fitDataset(m, data.array([1, 2]), { epochs: 1, verbose: 0 })).rejects.toThrow(
      'fitDataset: batch 0: the dataset must yield {xs, ys} or [xs, ys] (batch the dataset first, e.g. .batch(32)), received a number.',
    );
    await expect(fitDataset(m, data.array([{ xs: [1], ys: zeros([1, 1]) }]), { epochs: 1, verbose: 0 })).rejects.toThrow(
      'fitDataset: batch 0: xs must be a Tensor, an array of Tensors or a map of name to Tensor, received an array of 1.',
    );
    await expect(fitDataset(m, data.array([1]).repeat(), { epochs: 1 })).rejects.toThrow(/infinite .* batchesPerEpoch is required/);
    await expect(fitDataset(m, data.array([1]), {} as any)).rejects.toThrow(/epochs is required/);
    await expect(fitDataset(m, data.array([1]), { epochs: 1, batchSize: 3 } as any)).rejects.toThrow(/unknown option 'batchSize'/);
    await expect(fitDataset(m, [1] as any, { epochs: 1 })).rejects.toThrow(/expected a Dataset/);
    await expect(evaluateDataset(m, data.array([]))).rejects.toThrow('evaluateDataset: the dataset yielded no batches.');
  });
});

describe('fitDataset with classWeight', () => {
  const C = 3;
  const labels = Array.from({ length: N }, (_, i) => (i * 7) % C);
  const classWeight = { 0: 1, 1: 3, 2: 0.25 };

  function classifier(): Sequential {
    const m = sequential({ layers: [layers.lstm({ units: 4, inputShape: [T, F] }), layers.dense({ units: C, activation: 'softmax' })] });
    m.compile({ optimizer: train.sgd(0.5), loss: 'categoricalCrossentropy', metrics: ['acc'] });
    return m;
  }

  function oneHotRows(): Float32Array {
    const out = new Float32Array(N * C);
    labels.forEach((k, i) => (out[i * C + k] = 1));
    return out;
  }

  test("weights each batch by its targets' classes: same weights and history as fit with the same classWeight and batches", async () => {
    const { xv } = samples();
    const yv = oneHotRows();
    const viaFit = classifier();
    const viaDataset = classifier();
    viaDataset.setWeights(viaFit.getWeights());
    const unweighted = classifier();
    unweighted.setWeights(viaFit.getWeights());
    const rows = Array.from({ length: N }, (_, i) => ({
      xs: tensor(xv.slice(i * T * F, (i + 1) * T * F), [T, F]),
      ys: tensor(yv.slice(i * C, (i + 1) * C), [C]),
    }));
    const fh = await viaFit.fit(tensor(xv, [N, T, F]), tensor(yv, [N, C]), {
      epochs: 3,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
      classWeight,
    });
    const dh = await fitDataset(viaDataset, data.array(rows).batch(4), { epochs: 3, verbose: 0, classWeight });
    await fitDataset(unweighted, data.array(rows).batch(4), { epochs: 3, verbose: 0 });
    const a = viaFit.getWeights().map((w) => Array.from(w.dataSync()));
    const b = viaDataset.getWeights().map((w) => Array.from(w.dataSync()));
    const u = unweighted.getWeights().map((w) => Array.from(w.dataSync()));
    let diff = 0;
    let moved = 0;
    a.forEach((ws, i) =>
      ws.forEach((v, k) => {
        diff = Math.max(diff, Math.abs(v - b[i][k]));
        moved = Math.max(moved, Math.abs(v - u[i][k]));
      }),
    );
    expect(diff).toBeLessThan(1e-6);
    expect(moved).toBeGreaterThan(1e-3); // the class weights changed the training
    fh.history.loss.forEach((v, e) => expect(dh.history.loss[e]).toBeCloseTo(v as number, 6));
  });

  test('per-output classWeight by name on a two-output model; a class missing from classWeight names the batch', async () => {
    const { xv } = samples();
    const yv = oneHotRows();
    const inp = input({ shape: [T, F] });
    const h = layers.lstm({ units: 4 }).apply(inp) as SymbolicTensor;
    const outA = layers.dense({ units: C, activation: 'softmax', name: 'a' }).apply(h) as SymbolicTensor;
    const outB = layers.dense({ units: 1, name: 'b' }).apply(h) as SymbolicTensor;
    const make = () => {
      const m = model({ inputs: inp, outputs: [outA, outB] });
      m.compile({ optimizer: train.sgd(0.5), loss: ['categoricalCrossentropy', 'meanSquaredError'] });
      return m;
    };
    const viaFit = make();
    const init = viaFit.getWeights().map((w) => tensor(Float32Array.from(w.dataSync()), w.shape));
    const yb = lcgData(N, 5);
    await viaFit.fit(tensor(xv, [N, T, F]), [tensor(yv, [N, C]), tensor(yb, [N, 1])], {
      epochs: 2,
      batchSize: 5,
      shuffle: false,
      verbose: 0,
      classWeight: { a: classWeight },
    });
    const fitted = viaFit.getWeights().map((w) => Array.from(w.dataSync()));
    viaFit.setWeights(init);
    const rows = Array.from({ length: N }, (_, i) => ({
      xs: tensor(xv.slice(i * T * F, (i + 1) * T * F), [T, F]),
      ys: { a: tensor(yv.slice(i * C, (i + 1) * C), [C]), b: tensor([yb[i]], [1]) },
    }));
    await fitDataset(viaFit, data.array(rows).batch(5), { epochs: 2, verbose: 0, classWeight: { a: classWeight } });
    viaFit.getWeights().forEach((w, i) => w.dataSync().forEach((v, k) => expect(Math.abs(v - fitted[i][k])).toBeLessThan(1e-6)));

    const before = viaFit.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(
      fitDataset(viaFit, data.array(rows).batch(5), { epochs: 1, verbose: 0, classWeight: { a: { 0: 1, 1: 2 } } }),
    ).rejects.toThrow(/fitDataset: batch 0 of epoch 1: fitDataset: classWeight must contain all classes in the training data; class 2/);
    await expect(fitDataset(viaFit, data.array(rows).batch(5), { epochs: 1, verbose: 0, classWeight: { c: classWeight } })).rejects.toThrow(
      /fitDataset: unknown output 'c' in classWeight; the model's outputs are: a, b/,
    );
    viaFit.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(before[i]));
  });
});
