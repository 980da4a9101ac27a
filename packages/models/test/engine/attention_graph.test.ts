/**
 * A date-conversion-with-attention style model (the graph of tfjs's public example: a custom layer, Embedding,
 * LSTM encoder and decoder, `dot` attention, `activation` softmax, `concatenate`, TimeDistributed heads, `tf.model`)
 * written the tfjs way in both libraries — the custom layer subclasses the library's Layer — with the same weights:
 * predict agrees within 1e-5, and training with adam gives the same weights and losses.
 */
import * as tf from '@tensorflow/tfjs';
import { reshape, slice, Tensor, tensor } from '@recurrent/core';
import { input, Layer, layers, Shape, SymbolicTensor } from '@recurrent/layers';
import { model, train } from '@recurrent/models';
import { copyWeights, expectHistoryClose, expectWeightsClose, worstRatio } from './parity_helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const IN_VOCAB = 8;
const OUT_VOCAB = 6;
const IN_LEN = 5;
const OUT_LEN = 4;
const U = 6;

/** The last time step of a sequence: [batch, time, features] → [batch, features]. */
class GetLastTimestep extends Layer {
  static override className = 'GetLastTimestep';
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    return [s[0], s[2]];
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [b, t, f] = x.shape;
    return reshape(slice(x, [0, t - 1, 0], [b, 1, f]), [b, f]);
  }
}

class TfGetLastTimestep extends tf.layers.Layer {
  static className = 'GetLastTimestep';
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], s[2]];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [b, t, f] = x.shape;
    return tf.reshape(tf.slice(x, [0, t - 1, 0], [b, 1, f]), [b, f]);
  }
}

function tfModel(): tf.LayersModel {
  const encIn = tf.input({ shape: [IN_LEN] });
  const decIn = tf.input({ shape: [OUT_LEN] });
  let enc = tf.layers
    .embedding({ inputDim: IN_VOCAB, outputDim: U, inputLength: IN_LEN, maskZero: true })
    .apply(encIn) as tf.SymbolicTensor;
  enc = tf.layers.lstm({ units: U, returnSequences: true, recurrentActivation: 'sigmoid' }).apply(enc) as tf.SymbolicTensor;
  const encLast = new TfGetLastTimestep({ name: 'encLast' }).apply(enc) as tf.SymbolicTensor;
  let dec = tf.layers
    .embedding({ inputDim: OUT_VOCAB, outputDim: U, inputLength: OUT_LEN, maskZero: true })
    .apply(decIn) as tf.SymbolicTensor;
  dec = tf.layers
    .lstm({ units: U, returnSequences: true, recurrentActivation: 'sigmoid' })
    .apply(dec, { initialState: [encLast, encLast] }) as tf.SymbolicTensor;
  let attention = tf.layers.dot({ axes: [2, 2] }).apply([dec, enc]) as tf.SymbolicTensor;
  attention = tf.layers.activation({ activation: 'softmax', name: 'attention' }).apply(attention) as tf.SymbolicTensor;
  const context = tf.layers.dot({ axes: [2, 1], name: 'context' }).apply([attention, enc]) as tf.SymbolicTensor;
  const combined = tf.layers.concatenate().apply([context, dec]) as tf.SymbolicTensor;
  let out = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: U, activation: 'tanh' }) }).apply(combined) as tf.SymbolicTensor;
  out = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: OUT_VOCAB, activation: 'softmax' }) }).apply(out) as tf.SymbolicTensor;
  return tf.model({ inputs: [encIn, decIn], outputs: out });
}

function ourModel() {
  const encIn = input({ shape: [IN_LEN] });
  const decIn = input({ shape: [OUT_LEN] });
  let enc = layers.embedding({ inputDim: IN_VOCAB, outputDim: U, inputLength: IN_LEN, maskZero: true }).apply(encIn) as SymbolicTensor;
  enc = layers.lstm({ units: U, returnSequences: true, recurrentActivation: 'sigmoid' }).apply(enc) as SymbolicTensor;
  const encLast = new GetLastTimestep({ name: 'encLast' }).apply(enc) as SymbolicTensor;
  let dec = layers.embedding({ inputDim: OUT_VOCAB, outputDim: U, inputLength: OUT_LEN, maskZero: true }).apply(decIn) as SymbolicTensor;
  dec = layers
    .lstm({ units: U, returnSequences: true, recurrentActivation: 'sigmoid' })
    .apply(dec, { initialState: [encLast, encLast] }) as SymbolicTensor;
  let attention = layers.dot({ axes: [2, 2] }).apply([dec, enc]) as SymbolicTensor;
  attention = layers.activation({ activation: 'softmax', name: 'attention' }).apply(attention) as SymbolicTensor;
  const context = layers.dot({ axes: [2, 1], name: 'context' }).apply([attention, enc]) as SymbolicTensor;
  const combined = layers.concatenate().apply([context, dec]) as SymbolicTensor;
  let out = layers.timeDistributed({ layer: layers.dense({ units: U, activation: 'tanh' }) }).apply(combined) as SymbolicTensor;
  out = layers.timeDistributed({ layer: layers.dense({ units: OUT_VOCAB, activation: 'softmax' }) }).apply(out) as SymbolicTensor;
  return model({ inputs: [encIn, decIn], outputs: out });
}

function data(n: number) {
  const enc: number[] = [];
  const dec: number[] = [];
  const y = new Float32Array(n * OUT_LEN * OUT_VOCAB);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < IN_LEN; t++) enc.push(1 + ((i * 3 + t * 5) % (IN_VOCAB - 1)));
    for (let t = 0; t < OUT_LEN; t++) {
      const k = 1 + ((i + t * 2) % (OUT_VOCAB - 1));
      dec.push(t === 0 ? 1 : 1 + ((i + (t - 1) * 2) % (OUT_VOCAB - 1)));
      y[(i * OUT_LEN + t) * OUT_VOCAB + k] = 1;
    }
  }
  return {
    t: [tf.tensor(enc, [n, IN_LEN]), tf.tensor(dec, [n, OUT_LEN])],
    r: [tensor(enc, [n, IN_LEN]), tensor(dec, [n, OUT_LEN])],
    yt: tf.tensor(y, [n, OUT_LEN, OUT_VOCAB]),
    yr: tensor(y, [n, OUT_LEN, OUT_VOCAB]),
  };
}

test('predict and adam training agree with tfjs', async () => {
  const theirs = tfModel();
  const ours = ourModel();
  copyWeights(theirs, ours);
  const d = data(8);
  const p = ours.predict(d.r) as Tensor;
  expect(p.shape).toEqual([8, OUT_LEN, OUT_VOCAB]);
  expect(worstRatio(p.dataSync(), (theirs.predict(d.t) as tf.Tensor).dataSync(), 0, 1e-5)).toBeLessThanOrEqual(1);
  theirs.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  ours.compile({ optimizer: train.adam(0.01), loss: 'categoricalCrossentropy' });
  const args = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 };
  const th = await theirs.fit(d.t, d.yt, args);
  const oh = await ours.fit(d.r, d.yr, args);
  expectHistoryClose(th.history as never, oh.history, ['loss']);
  expectWeightsClose(theirs, ours);
  // The attention weights of each decoder step sum to 1 over the encoder steps.
  const att = model({ inputs: ours.inputs, outputs: ours.getLayer('attention').output as SymbolicTensor }).predict(d.r) as Tensor;
  const a = att.dataSync();
  for (let r = 0; r < 8 * OUT_LEN; r++) {
    let s = 0;
    for (let k = 0; k < IN_LEN; k++) s += a[r * IN_LEN + k];
    expect(s).toBeCloseTo(1, 5);
  }
}, 60000);
