/**
 * Edge cases of sample weights and weighted metrics: negative weights (Keras allows them; its weighted `Mean` is
 * Σ w·v / Σ w with divide_no_nan, so only Σ w = 0 gives 0), all-zero weights, and the loss, which is
 * Σ w·l / count per batch whatever the weights. Expected values are float64 formulas over the model's predictions.
 * The Keras 3.15 values quoted below come from fixtures/keras/weighted_edge/generate.py.
 */
import { Tensor, tensor } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { data, evaluateDataset, fitDataset, sequential, train } from '@recurrent/models';
import type { DatasetModel } from '@recurrent/models';

const X = [1, 2, 0.5, -1, 2, 0, -1, 1];
const Y = [1, 0, 3, 1];

function dense() {
  const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones', biasInitializer: 'zeros' })] });
  m.compile({ optimizer: train.sgd(0), loss: 'meanSquaredError', weightedMetrics: ['mae'] });
  return m;
}

/** [loss, weighted mae] in float64: the loss weighs batches by size, the metric is Σ w·|e| / Σ w (0 when Σ w = 0). */
function expected(pred: ArrayLike<number>, w: number[], batchSize: number): [number, number] {
  let loss = 0;
  for (let s = 0; s < 4; s += batchSize) {
    const e = Math.min(4, s + batchSize);
    let b = 0;
    for (let i = s; i < e; i++) b += w[i] * (pred[i] - Y[i]) ** 2;
    loss += b; // (b / size) · size
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < 4; i++) {
    num += w[i] * Math.abs(pred[i] - Y[i]);
    den += w[i];
  }
  return [loss / 4, den === 0 ? 0 : num / den];
}

describe('weighted metrics with negative or zero weights (Keras: Σ w·v / Σ w, 0 only when Σ w = 0)', () => {
  test.each([
    ['all negative (Σ w < 0)', [-1, -1, -1, -1]],
    ['all zero', [0, 0, 0, 0]],
    ['mixed signs, Σ w > 0 in every batch', [2, -1, 0.5, 1]],
    ['negative in one batch only', [1, 1, -0.5, -1]],
    ['mixed signs, Σ w = 0 in the first batch of 2 only', [1, -1, 0.5, 0.5]],
  ])('%s: evaluate in batches of 1, 2 and 4', async (_name, w) => {
    const m = dense();
    const x = tensor(X, [4, 2]);
    const y = tensor(Y, [4, 1]);
    const pred = (m.predict(x) as Tensor).dataSync();
    for (const batchSize of [1, 2, 4]) {
      const [loss, mae] = expected(pred, w, batchSize);
      const ev = m.evaluate(x, y, { batchSize, sampleWeight: tensor(w, [4]) }) as Tensor[];
      expect(ev[0].dataSync()[0]).toBeCloseTo(loss, 5);
      expect(ev[1].dataSync()[0]).toBeCloseTo(mae, 5);
    }
  });

  test('fit: the epoch weighted metric with all-negative weights is Σ w·v / Σ w, not 0', async () => {
    const m = dense();
    const x = tensor(X, [4, 2]);
    const y = tensor(Y, [4, 1]);
    const w = [-1, -2, -1, -0.5];
    const pred = (m.predict(x) as Tensor).dataSync();
    const [loss, mae] = expected(pred, w, 2);
    const h = await m.fit(x, y, { sampleWeight: tensor(w, [4]), batchSize: 2, shuffle: false, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(loss, 5);
    expect(h.history.mae[0]).toBeCloseTo(mae, 5);
  });
});

describe('a batch whose weights sum to 0 but whose Σ w·v is not 0 counts in the epoch mean (Σ_b Σ w·v / Σ_b Σ w, as Keras)', () => {
  const w = [1, -1, 0.5, 0.5]; // batches of 2: Σ w = 0, then 1
  const batches = () =>
    data.array(
      [0, 2].map((s) => [tensor(X.slice(2 * s, 2 * s + 4), [2, 2]), tensor(Y.slice(s, s + 2), [2, 1]), tensor(w.slice(s, s + 2), [2])]),
    );

  test('evaluate, fit, evaluateDataset and fitDataset (Keras 3.15: loss 1.1875, weighted mae 2.5)', async () => {
    const m = dense();
    const x = tensor(X, [4, 2]);
    const y = tensor(Y, [4, 1]);
    const [loss, mae] = expected((m.predict(x) as Tensor).dataSync(), w, 2);
    expect(loss).toBeCloseTo(1.1875, 6);
    expect(mae).toBeCloseTo(2.5, 6);
    const ev = m.evaluate(x, y, { batchSize: 2, sampleWeight: tensor(w, [4]) }) as Tensor[];
    expect(ev[0].dataSync()[0]).toBeCloseTo(loss, 5);
    expect(ev[1].dataSync()[0]).toBeCloseTo(mae, 5);
    const h = await m.fit(x, y, { sampleWeight: tensor(w, [4]), batchSize: 2, shuffle: false, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(loss, 5);
    expect(h.history.mae[0]).toBeCloseTo(mae, 5);
    const evd = (await evaluateDataset(m, batches())) as Tensor[];
    expect(evd[0].dataSync()[0]).toBeCloseTo(loss, 5);
    expect(evd[1].dataSync()[0]).toBeCloseTo(mae, 5);
    const hd = await m.fitDataset(batches(), { epochs: 1, verbose: 0 });
    expect(hd.history.loss[0]).toBeCloseTo(loss, 5);
    expect(hd.history.mae[0]).toBeCloseTo(mae, 5);
  });

  test('a custom DatasetModel with only the tfjs-style methods: called with 3 arguments, each value weighs its batch size', async () => {
    const m = dense();
    const calls: number[] = [];
    const returned: number[][] = [];
    const custom: DatasetModel = {
      get metricsNames() {
        return m.metricsNames;
      },
      stopTraining: false,
      isTraining: false,
      getWeights: () => m.getWeights(),
      setWeights: (ws) => m.setWeights(ws),
      async trainOnBatch(...args: Parameters<DatasetModel['trainOnBatch']>) {
        calls.push(args.length);
        const r = (await m.trainOnBatch(...args)) as number[];
        returned.push(r);
        return r;
      },
      evaluate(...args: Parameters<DatasetModel['evaluate']>) {
        calls.push(args.length);
        return m.evaluate(...args);
      },
    };
    const h = await fitDataset(custom, batches(), { epochs: 1, verbose: 0 });
    expect(calls).toEqual([3, 3]);
    expect(returned.length).toBe(2);
    // Without the model's internal sums, each batch value weighs its 2 samples (the first batch's mae is 0: Σ w = 0).
    expect(returned[0][1]).toBe(0);
    expect(h.history.mae[0]).toBeCloseTo((returned[0][1] + returned[1][1]) / 2, 12);
    expect(h.history.loss[0]).toBeCloseTo((returned[0][0] + returned[1][0]) / 2, 12);
    const ev = (await evaluateDataset(custom, batches())) as Tensor[];
    expect(calls).toEqual([3, 3, 3, 3]);
    expect(ev[1].dataSync()[0]).toBeCloseTo((returned[0][1] + returned[1][1]) / 2, 5);
  });
});

describe('a [n, 1] sample weight on an output whose loss is per sample (Keras squeezes it to [n])', () => {
  test('evaluate and fit weigh as with the [n] weight (Keras 3.15: loss 1.25, weighted mae 1.0 for these numbers)', async () => {
    const m = dense();
    const x = tensor(X, [4, 2]);
    const y = tensor(Y, [4, 1]);
    const w = [1, 2, 0.5, 0];
    const pred = (m.predict(x) as Tensor).dataSync();
    const [loss, mae] = expected(pred, w, 2);
    const ev = m.evaluate(x, y, { batchSize: 2, sampleWeight: tensor(w, [4, 1]) }) as Tensor[];
    expect(ev[0].dataSync()[0]).toBeCloseTo(loss, 5);
    expect(ev[1].dataSync()[0]).toBeCloseTo(mae, 5);
    const h = await m.fit(x, y, { sampleWeight: tensor(w, [4, 1]), batchSize: 2, shuffle: true, seed: 3, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(loss, 5);
    expect(h.history.mae[0]).toBeCloseTo(mae, 5);
  });
});

describe('a [n, 1] sample weight on a sequence output (Keras broadcasts it over the time steps)', () => {
  test('evaluate: loss Σ_b mean(w·l) per batch, weighted mae Σ w·mean_t|e| / Σ w (Keras 3.15: 1.6083, 1.0524)', () => {
    const m = sequential({
      layers: [layers.dense({ units: 1, inputShape: [3, 2], kernelInitializer: 'ones', biasInitializer: 'zeros' })],
    });
    m.compile({ optimizer: train.sgd(0), loss: 'meanSquaredError', weightedMetrics: ['mae'] });
    const x = tensor(
      Array.from({ length: 24 }, (_, i) => i / 10),
      [4, 3, 2],
    );
    const yv = Array.from({ length: 12 }, (_, i) => (i % 5) / 4);
    const w = [1, 2, 0.5, 0];
    const p = (m.predict(x) as Tensor).dataSync();
    let loss = 0;
    let num = 0;
    for (let i = 0; i < 4; i++) {
      for (let t = 0; t < 3; t++) {
        const e = p[i * 3 + t] - yv[i * 3 + t];
        loss += (w[i] * e * e) / 6 / 2; // mean over a batch of 2 × 3 steps, then over 2 batches
        num += (w[i] * Math.abs(e)) / 3;
      }
    }
    const ev = m.evaluate(x, tensor(yv, [4, 3, 1]), { batchSize: 2, sampleWeight: tensor(w, [4, 1]) }) as Tensor[];
    expect(ev[0].dataSync()[0]).toBeCloseTo(loss, 5);
    expect(ev[1].dataSync()[0]).toBeCloseTo(num / 3.5, 5);
    expect(loss).toBeCloseTo(1.6083332, 5);
    expect(num / 3.5).toBeCloseTo(1.0523809, 5);
  });
});
