/**
 * Per-time-step sample weights (Keras's `sample_weight_mode='temporal'`): a [batch, timeSteps] weight multiplies the
 * [batch, timeSteps] per-sample loss of a sequence output, and the loss is Σ w·l / (batch · timeSteps) (Keras's
 * 'sum_over_batch_size'). Checked against a float64 hand computation and one SGD step of tfjs on the same loss.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { sequential, Sequential, train } from '@recurrent/models';
import { combineWeights } from '../../src/trainers/fit';
import { copyWeights, lcgData, pair } from './parity_helpers';

const B = 6;
const T = 4;
const F = 2;
const U = 2;

function ourModel(lr: number): Sequential {
  const m = sequential({
    layers: [
      layers.lstm({ units: 3, returnSequences: true, inputShape: [T, F] }),
      layers.timeDistributed({ layer: layers.dense({ units: U }) }),
    ],
  });
  m.compile({ optimizer: train.sgd(lr), loss: 'meanSquaredError' });
  return m;
}

function tfModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.lstm({ units: 3, returnSequences: true, inputShape: [T, F] }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: U }) }),
    ],
  });
}

const xv = lcgData(B * T * F, 3);
const yv = lcgData(B * T * U, 11);
// Padded sequences: later steps weigh 0; a few other weights to make the weighting visible.
const wv = Float32Array.from([1, 1, 1, 0, 1, 1, 0, 0, 2, 1, 1, 1, 1, 0, 0, 0, 0.5, 0.5, 1, 1, 1, 1, 1, 3]);

/** Σ w·mse(b,t) / (B·T) in float64 from the model's predictions. */
function handLoss(pred: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      let l = 0;
      for (let u = 0; u < U; u++) {
        const d = pred[(b * T + t) * U + u] - y[(b * T + t) * U + u];
        l += d * d;
      }
      s += w[b * T + t] * (l / U);
    }
  }
  return s / (B * T);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('per-time-step sampleWeight', () => {
  test('fit (shuffled, in batches), evaluate and trainingLoss give Σ w·l / count, computed in float64', async () => {
    const m = ourModel(0);
    const x = tensor(xv, [B, T, F]);
    const y = tensor(yv, [B, T, U]);
    const w = tensor(wv, [B, T]);
    const expected = handLoss((m.predict(x) as Tensor).dataSync(), yv, wv);
    // Not Σ w·l / Σ w: the weights here do not sum to B·T, so the two differ.
    let sumW = 0;
    for (const v of wv) sumW += v;
    expect(Math.abs(sumW - B * T)).toBeGreaterThan(1);
    // With lr 0 the epoch loss is Σ_batches size · batchLoss / n = Σ w·l / (n·T), whatever the order, as long as
    // each weight row travels with its sample.
    const h = await m.fit(x, y, { sampleWeight: w, batchSize: 2, shuffle: true, seed: 5, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(expected, 5);
    expect((m.evaluate(x, y, { sampleWeight: w, batchSize: 4 }) as Tensor).dataSync()[0]).toBeCloseTo(expected, 5);
    expect(m.trainingLoss(x, y, w, false).dataSync()[0]).toBeCloseTo(expected, 5);
    // validationSplit slices the weight rows with the data: train on the first 4 samples only.
    const h2 = await m.fit(x, y, { sampleWeight: w, batchSize: 3, validationSplit: 2 / 6, verbose: 0 });
    const pred = (m.predict(x) as Tensor).dataSync();
    let s = 0;
    for (let b = 0; b < 4; b++) {
      for (let t = 0; t < T; t++) {
        let l = 0;
        for (let u = 0; u < U; u++) l += (pred[(b * T + t) * U + u] - yv[(b * T + t) * U + u]) ** 2;
        s += wv[b * T + t] * (l / U);
      }
    }
    expect(h2.history.loss[0]).toBeCloseTo(s / (4 * T), 5);
  });

  test('a [batch] weight still scales every time step of a sample', async () => {
    const m = ourModel(0);
    const x = tensor(xv, [B, T, F]);
    const y = tensor(yv, [B, T, U]);
    const perSample = [1, 0, 2, 0.5, 1, 3];
    const expanded = Float32Array.from({ length: B * T }, (_, i) => perSample[Math.floor(i / T)]);
    const expected = handLoss((m.predict(x) as Tensor).dataSync(), yv, expanded);
    expect((m.evaluate(x, y, { sampleWeight: tensor(perSample, [B]) }) as Tensor).dataSync()[0]).toBeCloseTo(expected, 5);
  });

  test('one SGD step with trainOnBatch(x, y, w) and with fit matches tfjs minimizing the same weighted loss', async () => {
    const tm = tfModel();
    const initial = tm.getWeights().map((t) => Float32Array.from(t.dataSync()));
    const ours = ourModel(0.1);
    copyWeights(tm, ours);
    const ours2 = ourModel(0.1);
    copyWeights(tm, ours2);
    const x = pair(xv, [B, T, F]);
    const y = pair(yv, [B, T, U]);
    const w = pair(wv, [B, T]);
    const opt = tf.train.sgd(0.1);
    const tfLoss = opt.minimize(() => {
      const pred = tm.apply(x.t, { training: true }) as tf.Tensor;
      const perStep = tf.mean(tf.square(tf.sub(pred, y.t)), -1);
      return tf.mean(tf.mul(perStep, w.t)) as tf.Scalar;
    }, true) as tf.Scalar;
    const loss = (await ours.trainOnBatch(x.r, y.r, w.r)) as number;
    expect(loss).toBeCloseTo(tfLoss.dataSync()[0], 5);
    await ours2.fit(x.r, y.r, { sampleWeight: w.r, batchSize: B, shuffle: false, verbose: 0 });
    const theirs = tm.getWeights();
    for (const m of [ours, ours2]) {
      m.getWeights().forEach((v, i) => {
        const a = v.dataSync();
        const b = theirs[i].dataSync();
        for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-5);
      });
    }
    // The step moved the weights (so the comparison is not of untouched initial values).
    const moved = theirs.map((t, i) => {
      const a = t.dataSync();
      let d = 0;
      for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - initial[i][k]));
      return d;
    });
    expect(Math.max(...moved)).toBeGreaterThan(1e-3);
  });

  test('trainOnBatch takes one weight per output (array or by name)', async () => {
    const m = ourModel(0);
    const x = tensor(xv, [B, T, F]);
    const y = tensor(yv, [B, T, U]);
    const w = tensor(wv, [B, T]);
    const expected = handLoss((m.predict(x) as Tensor).dataSync(), yv, wv);
    expect((await m.trainOnBatch(x, y, [w])) as number).toBeCloseTo(expected, 5);
    expect((await m.trainOnBatch(x, y, { [m.outputNames[0]]: w })) as number).toBeCloseTo(expected, 5);
  });

  test('bad weights name the argument and both shapes', async () => {
    const m = ourModel(0.1);
    const x = tensor(xv, [B, T, F]);
    const y = tensor(yv, [B, T, U]);
    const before = m.getWeights().map((v) => Array.from(v.dataSync()));
    await expect(m.fit(x, y, { sampleWeight: tensor(new Float32Array(B * 5), [B, 5]), verbose: 0 })).rejects.toThrow(
      /fit: sampleWeight has shape \[6,5\] \(one weight per time step\), but y has shape \[6,4,2\]/,
    );
    expect(() => m.evaluate(x, y, { sampleWeight: tensor(new Float32Array(B * T * 2), [B, T, 2]) })).toThrow(
      /evaluate: sampleWeight must be a Tensor of shape \[6\] \(one weight per sample\) or \[6, timeSteps\].*received shape \[6,4,2\]/,
    );
    await expect(m.trainOnBatch(x, y, tensor(new Float32Array(5 * T), [5, T]))).rejects.toThrow(
      /trainOnBatch: sampleWeight must be a Tensor of shape \[6\].*received shape \[5,4\]/,
    );
    await expect(m.trainOnBatch(x, y, [w2(), w2()])).rejects.toThrow(
      /trainOnBatch: sampleWeight is an array of 2, but the model has 1 output/,
    );
    m.getWeights().forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(before[i]));

    // A [batch, 2] weight on a non-sequence output whose targets happen to be [batch, 2]: the loss is [batch].
    const d = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] });
    d.compile({ optimizer: train.sgd(0.1), loss: 'meanSquaredError' });
    const dBefore = d.getWeights().map((v) => Array.from(v.dataSync()));
    await expect(
      d.fit(tensor(lcgData(12, 1), [4, 3]), tensor(lcgData(8, 2), [4, 2]), {
        sampleWeight: tensor(new Float32Array(8).fill(1), [4, 2]),
        verbose: 0,
      }),
    ).rejects.toThrow(
      /fit: sampleWeight has shape \[4,2\] \(one weight per time step\), but the per-sample loss of output '.*' has shape \[4\]/,
    );
    d.getWeights().forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(dBefore[i]));
  });
});

function w2(): Tensor {
  return tensor(wv, [B, T]);
}

test('class weights [n] combine with per-time-step weights [n, T] row by row', () => {
  const out = combineWeights(Float32Array.from([2, 0.5]), tensor([1, 2, 3, 4, 5, 6], [2, 3]));
  expect(out.shape).toEqual([2, 3]);
  expect(Array.from(out.dataSync())).toEqual([2, 4, 6, 2, 2.5, 3]);
  expect(Array.from(combineWeights(Float32Array.from([2, 0.5]), null).dataSync())).toEqual([2, 0.5]);
});
