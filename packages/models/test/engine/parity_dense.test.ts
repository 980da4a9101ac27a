/**
 * fit() parity with tfjs on Dense models: same initial weights, same data, no shuffling, no dropout.
 * After several epochs the weights agree within 1e-4 relative and the per-epoch logs agree.
 */
import * as tf from '@tensorflow/tfjs';
import { layers, regularizers } from '@recurrent/layers';
import { Scalar } from '@recurrent/core';
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

const N = 20;
const FEATURES = 3;
const OPTS: OptName[] = ['sgd', 'momentum', 'adam', 'rmsprop'];

function data() {
  const xv = lcgData(N * FEATURES, 1);
  const x = pair(xv, [N, FEATURES]);
  // Classes from the data, so the task is learnable.
  const labels = Array.from({ length: N }, (_, i) => (xv[i * 3] + 0.5 * xv[i * 3 + 1] > 0 ? 1 : 0) + (xv[i * 3 + 2] > 0.5 ? 1 : 0));
  const yClass = pair(oneHotFrom(labels, 3), [N, 3]);
  const yReg = pair(
    Array.from({ length: N * 2 }, (_, k) => Math.sin(xv[Math.floor(k / 2) * 3] * 2 + k)),
    [N, 2],
  );
  return { x, yClass, yReg };
}

describe.each(OPTS)('Dense model, %s', (opt) => {
  test('relu → softmax, categoricalCrossentropy with accuracy and validationSplit', async () => {
    const { x, yClass } = data();
    const theirs = tf.sequential();
    theirs.add(tf.layers.dense({ units: 5, inputShape: [FEATURES], activation: 'relu' }));
    theirs.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
    const ours = sequential();
    ours.add(layers.dense({ units: 5, inputShape: [FEATURES], activation: 'relu' }));
    ours.add(layers.dense({ units: 3, activation: 'softmax' }));
    copyWeights(theirs, ours);
    const initial = snapshot(theirs);
    const o = optimizers(opt);
    theirs.compile({ optimizer: o.t, loss: 'categoricalCrossentropy', metrics: ['acc'] });
    ours.compile({ optimizer: o.r, loss: 'categoricalCrossentropy', metrics: ['acc'] });
    const args = { epochs: 6, batchSize: 6, shuffle: false, verbose: 0, validationSplit: 0.2 };
    const th = await theirs.fit(x.t, yClass.t, args);
    const oh = await ours.fit(x.r, yClass.r, args);
    expect(oh.epoch).toEqual(th.epoch);
    expectHistoryClose(th.history as never, oh.history, ['loss', 'acc', 'val_loss', 'val_acc']);
    expectWeightsClose(theirs, ours);
    expectMoved(initial, ours);
    // evaluate and predict agree too.
    const te = theirs.evaluate(x.t, yClass.t, { batchSize: 7 }) as tf.Scalar[];
    const oe = ours.evaluate(x.r, yClass.r, { batchSize: 7 }) as Scalar[];
    expect(oe[0].dataSync()[0]).toBeCloseTo(te[0].dataSync()[0], 4);
    expect(oe[1].dataSync()[0]).toBeCloseTo(te[1].dataSync()[0], 5);
    const tp = (theirs.predict(x.t) as tf.Tensor).dataSync();
    const op = ours.predict(x.r, { batchSize: 7 }).dataSync();
    for (let i = 0; i < tp.length; i++) expect(op[i]).toBeCloseTo(tp[i], 5);
  });

  test('tanh → linear, meanSquaredError, batch not dividing the samples', async () => {
    const { x, yReg } = data();
    const theirs = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [FEATURES], activation: 'tanh' }), tf.layers.dense({ units: 2 })],
    });
    const ours = sequential({
      layers: [layers.dense({ units: 4, inputShape: [FEATURES], activation: 'tanh' }), layers.dense({ units: 2 })],
    });
    copyWeights(theirs, ours);
    const initial = snapshot(theirs);
    const o = optimizers(opt);
    theirs.compile({ optimizer: o.t, loss: 'meanSquaredError' });
    ours.compile({ optimizer: o.r, loss: 'meanSquaredError' });
    const args = { epochs: 5, batchSize: 8, shuffle: false, verbose: 0 };
    const th = await theirs.fit(x.t, yReg.t, args);
    const oh = await ours.fit(x.r, yReg.r, args);
    expectHistoryClose(th.history as never, oh.history, ['loss']);
    expectWeightsClose(theirs, ours);
    expectMoved(initial, ours);
  });
});

// (L1 on a zero-initialized bias would differ by design: tfjs's |x| gradient at 0 is -1, ours 0.)
test('trainOnBatch, classWeight, L1/L2 regularization and validationData agree with tfjs', async () => {
  const { x, yClass } = data();
  const xv = pair(lcgData(8 * FEATURES, 7), [8, FEATURES]);
  const yv = pair(oneHotFrom([0, 1, 2, 0, 1, 2, 0, 1], 3), [8, 3]);
  const theirs = tf.sequential();
  theirs.add(
    tf.layers.dense({ units: 4, inputShape: [FEATURES], activation: 'sigmoid', kernelRegularizer: tf.regularizers.l2({ l2: 0.05 }) }),
  );
  theirs.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelRegularizer: tf.regularizers.l1l2({ l1: 0.01, l2: 0.02 }) }));
  const ours = sequential();
  ours.add(layers.dense({ units: 4, inputShape: [FEATURES], activation: 'sigmoid', kernelRegularizer: regularizers.l2({ l2: 0.05 }) }));
  ours.add(layers.dense({ units: 3, activation: 'softmax', kernelRegularizer: regularizers.l1l2({ l1: 0.01, l2: 0.02 }) }));
  copyWeights(theirs, ours);
  const initial = snapshot(theirs);
  const o = optimizers('adam');
  theirs.compile({ optimizer: o.t, loss: 'categoricalCrossentropy', metrics: ['acc'] });
  ours.compile({ optimizer: o.r, loss: 'categoricalCrossentropy', metrics: ['acc'] });

  const tb = (await theirs.trainOnBatch(x.t, yClass.t)) as number[];
  const ob = (await ours.trainOnBatch(x.r, yClass.r)) as number[];
  expect(ob[0]).toBeCloseTo(tb[0], 5);
  expect(ob[1]).toBeCloseTo(tb[1], 6);

  const classWeight = { 0: 1, 1: 2.5, 2: 0.5 };
  const args = { epochs: 4, batchSize: 5, shuffle: false, verbose: 0, classWeight };
  // tfjs's val_loss leaves the regularization penalty out; ours (as Keras 3) counts it: add it, computed by hand
  // from tfjs's weights at each epoch's end.
  const penalties: number[] = [];
  const penalty = () => {
    const [k1, , k2] = theirs.getWeights().map((w) => Array.from(w.dataSync()));
    let p = 0;
    for (const v of k1) p += 0.05 * v * v;
    for (const v of k2) p += 0.01 * Math.abs(v) + 0.02 * v * v;
    return p;
  };
  const th = await theirs.fit(x.t, yClass.t, {
    ...args,
    validationData: [xv.t, yv.t],
    callbacks: { onEpochEnd: async () => void penalties.push(penalty()) },
  });
  const oh = await ours.fit(x.r, yClass.r, { ...args, validationData: [xv.r, yv.r] });
  const tfHistory = { ...th.history, val_loss: th.history.val_loss.map((v, e) => (v as number) + penalties[e]) };
  expect(penalties[0]).toBeGreaterThan(0.01);
  expectHistoryClose(tfHistory as never, oh.history, ['loss', 'acc', 'val_loss', 'val_acc']);
  expectWeightsClose(theirs, ours);
  expectMoved(initial, ours);
});
