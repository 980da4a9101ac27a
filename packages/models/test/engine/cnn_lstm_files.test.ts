/**
 * A CNN-LSTM over image sequences (TimeDistributed(Conv2D) → TimeDistributed(MaxPooling2D) →
 * TimeDistributed(Flatten) → LSTM → Dense), as tfjs users build it for video: built in tfjs and here with the
 * same weights → same predictions; saved by tfjs → loaded here (and saved here → loaded by tfjs) → same
 * predictions; one SGD fit epoch → the same weights as tfjs's. A second model with TimeDistributed(GlobalAveragePooling2D)
 * and AveragePooling2D.
 */
import * as tf from '@tensorflow/tfjs';
import { tensor } from '@recurrent/core';
import { layers, resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel, sequential, train } from '@recurrent/models';
import { copyWeights, expectMoved, expectWeightsClose, lcgData, snapshot } from './parity_helpers';
import { saveToMemory, values, maxAbsDiff } from '../serialization/helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

const TOL = 1e-5;
const [B, T, H, W, C] = [4, 3, 8, 7, 2];
const xValues = lcgData(B * T * H * W * C, 31);
const yValues = lcgData(B * 3, 32);
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

/** The CNN-LSTM with either library's `sequential`/`layers` (same layer names). */
function cnnLstm(lib: { sequential: any; layers: any }, kind: 'flatten' | 'global'): any {
  const L = lib.layers;
  const td = (layer: any, extra: object = {}) => L.timeDistributed({ layer, ...extra });
  const stack =
    kind === 'flatten'
      ? [
          td(L.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', name: 'conv2d' }), { inputShape: [T, H, W, C] }),
          td(L.maxPooling2d({ poolSize: 2, name: 'max_pooling2d' })),
          td(L.flatten({ name: 'flatten' })),
        ]
      : [
          td(L.conv2d({ filters: 4, kernelSize: [3, 2], strides: [1, 2], padding: 'same', activation: 'tanh', name: 'conv2d' }), {
            inputShape: [T, H, W, C],
          }),
          td(L.averagePooling2d({ poolSize: 2, strides: 1, name: 'average_pooling2d' })),
          td(L.globalAveragePooling2d({ name: 'global_average_pooling2d' })),
        ];
  return lib.sequential({
    layers: [...stack, L.lstm({ units: 5, recurrentActivation: 'sigmoid', name: 'lstm' }), L.dense({ units: 3, name: 'dense' })],
  });
}
const tfLib = { sequential: tf.sequential, layers: tf.layers };
const ourLib = { sequential, layers };

function randomize(m: tf.LayersModel, seed: number): void {
  m.setWeights(
    m.weights.map((w, i) => {
      const shape = w.shape as number[];
      const v = lcgData(
        shape.reduce((p, q) => p * q, 1),
        seed + i,
      );
      return tf.tensor(
        Array.from(v, (e) => e * 0.6),
        shape,
      );
    }),
  );
}

describe.each(['flatten', 'global'] as const)('CNN-LSTM over image sequences (%s)', (kind) => {
  test('built here with the same weights as tfjs: same predictions', () => {
    const theirs = cnnLstm(tfLib, kind) as tf.LayersModel;
    randomize(theirs, 40);
    const ours = cnnLstm(ourLib, kind);
    expect(ours.outputShape).toEqual(theirs.outputShape);
    copyWeights(theirs, ours);
    const x = tensor(xValues, [B, T, H, W, C]);
    const tx = tf.tensor(xValues, [B, T, H, W, C]);
    expect(maxAbsDiff(values(ours.predict(x)), values(theirs.predict(tx)))).toBeLessThanOrEqual(TOL);
  });

  test('saved by tfjs, loaded here: same weights and predictions', async () => {
    const theirs = cnnLstm(tfLib, kind) as tf.LayersModel;
    randomize(theirs, 50);
    const artifacts = await saveToMemory(theirs, tf.io);
    const ours = await loadLayersModel(io.fromMemory(artifacts));
    expect(ours.layers.map((l) => l.getClassName())).toEqual(theirs.layers.map((l) => l.getClassName()));
    expect(ours.weights.map((w) => w.originalName)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
    ours.weights.forEach((w: any, i: number) => expect(values(w)).toEqual(values(theirs.weights[i].read())));
    const x = tensor(xValues, [B, T, H, W, C]);
    const tx = tf.tensor(xValues, [B, T, H, W, C]);
    expect(maxAbsDiff(values(ours.predict(x)), values(theirs.predict(tx)))).toBeLessThanOrEqual(TOL);
  });

  test('built and saved here, loaded by tfjs: same predictions', async () => {
    const ours = cnnLstm(ourLib, kind);
    ours.setWeights(
      ours.weights.map((w: any, i: number) =>
        tensor(
          Array.from(
            lcgData(
              w.shape.reduce((p: number, q: number) => p * q, 1),
              70 + i,
            ),
            (e) => e * 0.6,
          ),
          w.shape,
        ),
      ),
    );
    const x = tensor(xValues, [B, T, H, W, C]);
    const expected = values(ours.predict(x));
    const artifacts = await saveToMemory(ours, io);
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts as any));
    expect(theirs.layers.map((l) => l.getClassName())).toEqual(ours.layers.map((l: any) => l.getClassName()));
    expect(maxAbsDiff(values(theirs.predict(tf.tensor(xValues, [B, T, H, W, C])) as tf.Tensor), expected)).toBeLessThanOrEqual(TOL);
  });

  test('one SGD fit epoch (batch 2) gives the same weights as tfjs', async () => {
    const theirs = cnnLstm(tfLib, kind) as tf.LayersModel;
    randomize(theirs, 60);
    const ours = cnnLstm(ourLib, kind);
    copyWeights(theirs, ours);
    const initial = snapshot(theirs);
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    ours.compile({ optimizer: train.sgd(0.1), loss: 'meanSquaredError' });
    await theirs.fit(tf.tensor(xValues, [B, T, H, W, C]), tf.tensor(yValues, [B, 3]), {
      epochs: 1,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
    });
    await ours.fit(tensor(xValues, [B, T, H, W, C]), tensor(yValues, [B, 3]), { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 });
    expectMoved(initial, ours);
    expectWeightsClose(theirs, ours);
  });
});
