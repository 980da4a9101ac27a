/**
 * `classWeight` per output of a two-output functional model against tfjs 4.22 (cpu), which takes one class-weight
 * map per output (array or `{outputName: map}`; Keras 3 refuses class weights on multi-output models): the same
 * weights, data and SGD steps give tfjs's history (per-output losses) and weights, also with one output weighted and
 * `validationSplit` (class weights weigh the training rows only).
 */
import * as tf from '@tensorflow/tfjs';
import { input, layers, SymbolicTensor } from '@recurrent/layers';
import { model, train } from '@recurrent/models';
import { copyWeights, expectHistoryClose, expectWeightsClose, lcgData, oneHotFrom, pair } from './parity_helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 12;
const F = 3;

function twoHeads(): { theirs: tf.LayersModel; ours: ReturnType<typeof model> } {
  const tIn = tf.input({ shape: [F], name: 'x' });
  const tH = tf.layers.dense({ units: 4, activation: 'tanh', name: 'hidden' }).apply(tIn) as tf.SymbolicTensor;
  const tA = tf.layers.dense({ units: 3, activation: 'softmax', name: 'a' }).apply(tH) as tf.SymbolicTensor;
  const tB = tf.layers.dense({ units: 2, activation: 'softmax', name: 'b' }).apply(tH) as tf.SymbolicTensor;
  const theirs = tf.model({ inputs: tIn, outputs: [tA, tB] });
  const oIn = input({ shape: [F], name: 'x' });
  const oH = layers.dense({ units: 4, activation: 'tanh', name: 'hidden' }).apply(oIn) as SymbolicTensor;
  const oA = layers.dense({ units: 3, activation: 'softmax', name: 'a' }).apply(oH) as SymbolicTensor;
  const oB = layers.dense({ units: 2, activation: 'softmax', name: 'b' }).apply(oH) as SymbolicTensor;
  const ours = model({ inputs: oIn, outputs: [oA, oB] });
  copyWeights(theirs, ours);
  theirs.compile({ optimizer: tf.train.sgd(0.2), loss: ['categoricalCrossentropy', 'categoricalCrossentropy'] });
  ours.compile({ optimizer: train.sgd(0.2), loss: ['categoricalCrossentropy', 'categoricalCrossentropy'] });
  return { theirs, ours };
}

const x = pair(lcgData(N * F, 3), [N, F]);
const ya = pair(oneHotFrom([0, 1, 2, 2, 1, 0, 2, 2, 1, 0, 2, 1], 3), [N, 3]);
const yb = pair(oneHotFrom([1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1], 2), [N, 2]);
const cwA = { 0: 1, 1: 2.5, 2: 0.5 };
const cwB = { 0: 3, 1: 0.25 };
const KEYS = ['loss', 'a_loss', 'b_loss'];

describe('classWeight per output against tfjs', () => {
  test.each([
    ['an array, one map per output', [cwA, cwB]],
    ['{outputName: map}', { a: cwA, b: cwB }],
  ])('%s: history and weights after 3 epochs', async (_t, classWeight) => {
    const { theirs, ours } = twoHeads();
    const args = { epochs: 3, batchSize: 5, shuffle: false, verbose: 0 };
    const th = await theirs.fit(x.t, [ya.t, yb.t], { ...args, classWeight: classWeight as tf.ClassWeight[] });
    const oh = await ours.fit(x.r, [ya.r, yb.r], { ...args, classWeight });
    expectHistoryClose(th.history as never, oh.history, KEYS);
    expectWeightsClose(theirs, ours);
  });

  test('one output only (the other unweighted), with validationSplit: the validation losses are unweighted', async () => {
    const { theirs, ours } = twoHeads();
    const args = { epochs: 2, batchSize: 4, shuffle: false, verbose: 0, validationSplit: 0.25 };
    const th = await theirs.fit(x.t, [ya.t, yb.t], { ...args, classWeight: { b: cwB } as unknown as tf.ClassWeightMap });
    const oh = await ours.fit(x.r, [ya.r, yb.r], { ...args, classWeight: { b: cwB } });
    expectHistoryClose(th.history as never, oh.history, KEYS);
    expectWeightsClose(theirs, ours);
    // tfjs 4.22's evaluate of a two-output model returns 4 values for its 3 names (a_loss first, then loss, a_loss,
    // b_loss), so its val_* logs are shifted: the last epoch's validation values come from tfjs's evaluate of the
    // held-out rows (the last 3), with the weights both libraries ended with.
    const rows = (t: tf.Tensor) => t.slice([9, 0], [3, t.shape[1]!]);
    const te = (theirs.evaluate(rows(x.t), [rows(ya.t), rows(yb.t)]) as tf.Scalar[]).map((v) => v.dataSync()[0]);
    expect(te.length).toBe(4);
    const last = (k: string) => oh.history[k][1];
    [last('val_loss'), last('val_a_loss'), last('val_b_loss')].forEach((v, i) => expect(v).toBeCloseTo(te[i + 1], 5));
  });
});
