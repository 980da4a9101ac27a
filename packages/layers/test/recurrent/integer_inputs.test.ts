/**
 * Recurrent layers take integer inputs as tfjs does: tfjs-examples feed `tf.oneHot(...)` (int32) straight into an
 * LSTM, and tfjs computes in float32 (its matMul upcasts). Dense and Conv1D already did so here; the RNN layers
 * refused with "rnn: inputs must be float32".
 */
import * as tf from '@tensorflow/tfjs';
import { oneHot, Tensor, tensor, tensor2d } from '@recurrent/core';
import { Layer, layers } from '@recurrent/layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const IDS = [
  [0, 1, 3],
  [2, 2, 0],
];

const CASES: Array<[string, () => Layer, () => tf.layers.Layer]> = [
  ['simpleRNN', () => layers.simpleRNN({ units: 3 }), () => tf.layers.simpleRNN({ units: 3 })],
  ['gru', () => layers.gru({ units: 3, returnSequences: true }), () => tf.layers.gru({ units: 3, returnSequences: true })],
  ['lstm', () => layers.lstm({ units: 3 }), () => tf.layers.lstm({ units: 3 })],
  [
    'bidirectional lstm',
    () => layers.bidirectional({ layer: layers.lstm({ units: 2 }) }),
    () => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as tf.RNN }),
  ],
];

test.each(CASES)('%s on int32 one-hot input computes as on float32, as in tfjs', (_name, ours, theirs) => {
  const t = theirs();
  const tOut = t.apply(tf.oneHot(tf.tensor2d(IDS, [2, 3], 'int32'), 4)) as tf.Tensor;
  const r = ours();
  const rIds = oneHot(tensor2d(IDS, [2, 3], 'int32'), 4);
  expect(rIds.dtype).toBe('int32');
  r.apply(rIds.toFloat()); // builds
  r.setWeights(t.getWeights().map((w) => tensor(Float32Array.from(w.dataSync()), w.shape)));
  const rOut = r.apply(rIds) as Tensor;
  expect(rOut.dtype).toBe('float32');
  expect(rOut.shape).toEqual(tOut.shape);
  // Same weights, same inputs as float32: tfjs's float32 sums in another order, so 1e-6 absolute.
  const a = rOut.dataSync();
  const b = tOut.dataSync();
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-6);
  // And exactly what the float32 input gives here.
  expect(Array.from(a)).toEqual(Array.from((r.apply(rIds.toFloat()) as Tensor).dataSync()));
});
