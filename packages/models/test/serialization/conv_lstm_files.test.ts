/**
 * ConvLSTM2D model files both ways with tfjs (issue #16): ConvLSTM2D → BatchNormalization → a Conv3D-free head
 * (Flatten → Dense, and global average pooling over space as Reshape → GlobalAveragePooling1D → Dense).
 * Built and saved by tfjs (tf.io.withSaveHandler) → loaded here, predicting as tfjs (1e-5); saved here after a
 * short fit (so BatchNormalization's moving statistics moved) → loaded by tfjs
 * (tf.loadLayersModel(tf.io.fromMemory(...))), predicting the same.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import { layers, resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel, sequential, train } from '@recurrent/models';
import { lcgData } from '../engine/parity_helpers';
import { maxAbsDiff, saveToMemory, values } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

const TOL = 1e-5;
const [B, T, H, W, C] = [2, 4, 5, 6, 2];
const xValues = Array.from({ length: B * T * H * W * C }, (_, i) => Math.sin(0.29 * i + 0.2) * 1.2);
const ourX = () => tensor(xValues, [B, T, H, W, C]);
const tfX = () => tf.tensor(xValues, [B, T, H, W, C]);

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

/** Random values for every weight of a tfjs model (moving variances positive), so the moving statistics matter. */
function randomizeTf(m: tf.Sequential, seed: number): void {
  m.setWeights(
    m.weights.map((w, i) => {
      const v = lcgData(
        (w.shape as number[]).reduce((a, b) => a * b, 1),
        seed + i,
      );
      const positive = w.name.includes('moving_variance');
      return tf.tensor(
        Array.from(v, (e) => (positive ? 0.5 + Math.abs(e) : e * 0.6)),
        w.shape as number[],
      );
    }),
  );
}

const CASES: { title: string; build: (L: any) => any[] }[] = [
  {
    title: "ConvLSTM2D ('same') → BatchNormalization → Flatten → Dense",
    build: (L) => [
      L.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same', inputShape: [T, H, W, C], name: 'conv_lstm2d' }),
      L.batchNormalization({ name: 'batch_normalization' }),
      L.flatten({ name: 'flatten' }),
      L.dense({ units: 2, name: 'dense' }),
    ],
  },
  {
    title:
      "ConvLSTM2D ('valid', strides 1, returnSequences false) → BatchNormalization → Reshape → GlobalAveragePooling1D (mean over space) → Dense",
    build: (L) => [
      L.convLstm2d({
        filters: 4,
        kernelSize: [3, 2],
        padding: 'valid',
        recurrentActivation: 'sigmoid',
        inputShape: [T, H, W, C],
        name: 'conv_lstm2d',
      }),
      L.batchNormalization({ momentum: 0.9, name: 'batch_normalization' }),
      L.reshape({ targetShape: [(H - 2) * (W - 1), 4], name: 'reshape' }),
      L.globalAveragePooling1d({ name: 'global_average_pooling1d' }),
      L.dense({ units: 3, activation: 'softmax', name: 'dense' }),
    ],
  },
];

describe('ConvLSTM2D files: tfjs → recurrent', () => {
  CASES.forEach((c, k) => {
    it(`${c.title}: saved by tfjs, loads here and predicts the same`, async () => {
      const theirs = tf.sequential({ layers: c.build(tf.layers) });
      randomizeTf(theirs, 20 + k);
      const expected = values(theirs.predict(tfX()) as tf.Tensor);
      const artifacts = await saveToMemory(theirs, tf.io);
      expect((artifacts.modelTopology as any).config.layers[0].class_name).toBe('ConvLSTM2D');
      const m = await loadLayersModel(io.fromMemory(artifacts));
      expect(m.loadReport!.matched.map((w) => w.source)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
      m.weights.forEach((w: any, i: number) => expect(values(w)).toEqual(values(theirs.weights[i].read())));
      expect(maxAbsDiff(values(m.predict(ourX())), expected)).toBeLessThanOrEqual(TOL);
    });
  });
});

describe('ConvLSTM2D files: recurrent → tfjs', () => {
  CASES.forEach((c, k) => {
    it(`${c.title}: saved here (after fit, so the moving statistics moved), loads in tfjs and predicts the same`, async () => {
      const m = sequential({ layers: c.build(layers) });
      m.compile({ optimizer: train.sgd(0.05), loss: 'meanSquaredError' });
      const out = m.predict(ourX()) as Tensor;
      const y = tensor(lcgData(out.size, 50 + k), out.shape);
      const before = m.getWeights().map((w: Tensor) => values(w));
      // Batches of 2: with 1 sample, training-mode BN then a mean over space would give beta alone (no gradient upstream).
      await m.fit(ourX(), y, { epochs: 3, batchSize: 2, verbose: 0, shuffle: false });
      m.getWeights().forEach((w: Tensor, i: number) => expect(maxAbsDiff(values(w), before[i])).toBeGreaterThan(1e-6));
      const expected = values(m.predict(ourX()));
      const artifacts = await saveToMemory(m);
      const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts as any));
      expect(theirs.layers.map((l) => l.getClassName())).toEqual(m.layers.map((l: any) => l.getClassName()));
      expect(theirs.weights.map((w: any) => w.originalName)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
      expect(maxAbsDiff(values(theirs.predict(tfX()) as tf.Tensor), expected)).toBeLessThanOrEqual(TOL);
    });
  });
});
