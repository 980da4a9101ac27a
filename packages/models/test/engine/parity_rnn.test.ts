/**
 * fit() parity with tfjs on recurrent models: LSTM, GRU, SimpleRNN and stacked recurrent layers with
 * a Dense head, trained from identical weights on identical data, without shuffling or dropout,
 * with sgd, momentum, adam and rmsprop. Weights agree within 1e-4 relative after several epochs,
 * and so do the per-epoch losses.
 */
import * as tf from '@tensorflow/tfjs';
import { Layer, layers } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import {
  copyWeights,
  expectHistoryClose,
  expectMoved,
  snapshot,
  expectWeightsClose,
  lcgData,
  oneHotFrom,
  optimizers,
  OptName,
  pair,
} from './parity_helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 12;
const T = 5;
const F = 3;
const OPTS: OptName[] = ['sgd', 'momentum', 'adam', 'rmsprop'];

function data() {
  const xv = lcgData(N * T * F, 3);
  const x = pair(xv, [N, T, F]);
  // The class depends on the first and last steps, so the model must carry information through time.
  const labels = Array.from({ length: N }, (_, i) => (xv[i * T * F] > 0 ? 1 : 0) + (xv[i * T * F + (T - 1) * F + 1] > 0.3 ? 1 : 0));
  const yClass = pair(oneHotFrom(labels, 3), [N, 3]);
  const yReg = pair(
    Array.from({ length: N }, (_, i) => Math.tanh(xv[i * T * F] + xv[i * T * F + 4])),
    [N, 1],
  );
  return { x, yClass, yReg };
}

interface Case {
  name: string;
  theirs: () => tf.layers.Layer[];
  ours: () => Layer[];
  loss: string;
  classification: boolean;
}

const CASES: Case[] = [
  {
    name: 'LSTM → Dense softmax, categoricalCrossentropy',
    theirs: () => [
      tf.layers.lstm({ units: 4, inputShape: [T, F], recurrentActivation: 'sigmoid' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
    ours: () => [
      layers.lstm({ units: 4, inputShape: [T, F], recurrentActivation: 'sigmoid', unitForgetBias: false }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    loss: 'categoricalCrossentropy',
    classification: true,
  },
  {
    name: 'GRU → Dense, meanSquaredError',
    theirs: () => [tf.layers.gru({ units: 4, inputShape: [T, F], recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: 1 })],
    ours: () => [
      layers.gru({ units: 4, inputShape: [T, F], recurrentActivation: 'sigmoid', resetAfter: false }),
      layers.dense({ units: 1 }),
    ],
    loss: 'meanSquaredError',
    classification: false,
  },
  {
    name: 'SimpleRNN → Dense softmax, categoricalCrossentropy',
    theirs: () => [tf.layers.simpleRNN({ units: 4, inputShape: [T, F] }), tf.layers.dense({ units: 3, activation: 'softmax' })],
    ours: () => [layers.simpleRNN({ units: 4, inputShape: [T, F] }), layers.dense({ units: 3, activation: 'softmax' })],
    loss: 'categoricalCrossentropy',
    classification: true,
  },
  {
    name: 'stacked LSTM (returnSequences) → GRU → Dense, meanSquaredError',
    theirs: () => [
      tf.layers.lstm({ units: 4, inputShape: [T, F], returnSequences: true, recurrentActivation: 'sigmoid' }),
      tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid' }),
      tf.layers.dense({ units: 1 }),
    ],
    ours: () => [
      layers.lstm({ units: 4, inputShape: [T, F], returnSequences: true, recurrentActivation: 'sigmoid', unitForgetBias: false }),
      layers.gru({ units: 3, recurrentActivation: 'sigmoid', resetAfter: false }),
      layers.dense({ units: 1 }),
    ],
    loss: 'meanSquaredError',
    classification: false,
  },
  {
    name: 'LSTM with tfjs default hardSigmoid → Dense, meanSquaredError',
    theirs: () => [tf.layers.lstm({ units: 3, inputShape: [T, F] }), tf.layers.dense({ units: 1 })],
    ours: () => [layers.lstm({ units: 3, inputShape: [T, F], unitForgetBias: false }), layers.dense({ units: 1 })],
    loss: 'meanSquaredError',
    classification: false,
  },
  {
    name: 'Bidirectional(LSTM) → Dense softmax, categoricalCrossentropy',
    theirs: () => [
      tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid' }) as tf.RNN, inputShape: [T, F] }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
    ours: () => [
      layers.bidirectional({ layer: layers.lstm({ units: 3, recurrentActivation: 'sigmoid', unitForgetBias: false }), inputShape: [T, F] }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    loss: 'categoricalCrossentropy',
    classification: true,
  },
];

describe.each(CASES)('$name', (c) => {
  test.each(OPTS)('%s: weights and per-epoch losses match tfjs', async (opt) => {
    const { x, yClass, yReg } = data();
    const y = c.classification ? yClass : yReg;
    const theirs = tf.sequential({ layers: c.theirs() });
    const ours = sequential({ layers: c.ours() });
    copyWeights(theirs, ours);
    const initial = snapshot(theirs);
    const o = optimizers(opt);
    theirs.compile({ optimizer: o.t, loss: c.loss, metrics: c.classification ? ['acc'] : [] });
    ours.compile({ optimizer: o.r, loss: c.loss, metrics: c.classification ? ['acc'] : [] });
    const args = { epochs: 4, batchSize: 5, shuffle: false, verbose: 0, validationSplit: 0.25 };
    const th = await theirs.fit(x.t, y.t, args);
    const oh = await ours.fit(x.r, y.r, args);
    expectHistoryClose(th.history as never, oh.history, c.classification ? ['loss', 'acc', 'val_loss', 'val_acc'] : ['loss', 'val_loss']);
    expectWeightsClose(theirs, ours);
    expectMoved(initial, ours);
  });
});
