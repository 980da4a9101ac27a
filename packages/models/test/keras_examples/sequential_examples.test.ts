/**
 * Two Sequential recurrent examples of keras.io ported to recurrent as a Keras user writes them, shrunk and
 * compared with Keras 3.15 from the same start weights (fixtures/keras/examples/addition_rnn.json and
 * text_generation.json, generate.py beside them):
 * - "Sequence to sequence learning for performing number addition": [input, LSTM, RepeatVector, LSTM(returnSequences)
 *   × 2, Dense softmax per step], categorical crossentropy with 'accuracy', validationData, Adam with ε 1e-16 on both
 *   sides: Keras adds ε before the bias correction, tfjs after (optimizers/adam.ts), and some first-layer gradients
 *   are ~4e-8 here, so ε = 1e-10 already moved weights by 2e-3 (SGD on this model agrees with Keras to 5e-8);
 * - "Character-level text generation with LSTM": [input, LSTM, Dense softmax], RMSprop(learning rate 0.01) (Keras's
 *   RMSprop is tfjs's rule), then the page's generation loop with argmax instead of its temperature sampling.
 */
import { argMax, Tensor, tensor } from '@recurrent/core';
import { input, layers, resetNameCounters } from '@recurrent/layers';
import { sequential, train } from '@recurrent/models';
import { Enc, expectClose, expectHistory, expectWeightsClose, History, kerasWeightList, NamedWeight, readFixture, t } from './fixture';

beforeEach(() => resetNameCounters());

test('addition_rnn: LSTM → RepeatVector → LSTM × 2 → Dense, fit with validationData, as Keras', async () => {
  const REF = readFixture<{
    chars: string[];
    x: Enc;
    y: Enc;
    start_weights: NamedWeight[];
    history: History;
    trained_weights: NamedWeight[];
    val_argmax: Enc;
  }>('addition_rnn');
  const [n, maxlen, numChars] = REF.x.shape;
  const digits = REF.y.shape[1] - 1;
  const numLayers = 2;
  const model = sequential();
  model.add(input({ shape: [maxlen, numChars] }));
  // Keras 3's LSTM gates use 'sigmoid'; ours default to tfjs's 'hardSigmoid'.
  model.add(layers.lstm({ units: 6, recurrentActivation: 'sigmoid' }));
  model.add(layers.repeatVector({ n: digits + 1 }));
  for (let i = 0; i < numLayers; i++) model.add(layers.lstm({ units: 5, returnSequences: true, recurrentActivation: 'sigmoid' }));
  model.add(layers.dense({ units: numChars, activation: 'softmax' }));
  model.setWeights(kerasWeightList(model.getWeights(), REF.start_weights));
  model.compile({ loss: 'categoricalCrossentropy', optimizer: train.adam(0.02, 0.9, 0.999, 1e-16), metrics: ['accuracy'] });
  const x = t(REF.x);
  const y = t(REF.y);
  const split = 8;
  const [xTrain, xVal] = [x.slice([0, 0, 0], [split, -1, -1]), x.slice([split, 0, 0], [n - split, -1, -1])];
  const [yTrain, yVal] = [y.slice([0, 0, 0], [split, -1, -1]), y.slice([split, 0, 0], [n - split, -1, -1])];
  const h = await model.fit(xTrain, yTrain, { batchSize: 4, epochs: 3, validationData: [xVal, yVal], shuffle: false, verbose: 0 });
  expectHistory(h.history as { [k: string]: unknown[] }, REF.history, 'fit');
  expectWeightsClose(model.getWeights(), REF.trained_weights);
  expect(Array.from(argMax(model.predict(xVal) as Tensor, -1).dataSync())).toEqual(REF.val_argmax.values);
});

test('text generation: LSTM → Dense softmax with RMSprop(0.01), then next characters one at a time, as Keras', async () => {
  const REF = readFixture<{
    text: string;
    chars: string[];
    maxlen: number;
    x: Enc;
    y: Enc;
    start_weights: NamedWeight[];
    history: History;
    trained_weights: NamedWeight[];
    probs: Enc[];
    generated: string;
  }>('text_generation');
  const { text, chars, maxlen } = REF;
  const charIndices = new Map(chars.map((c, i) => [c, i]));
  const model = sequential({
    layers: [
      input({ shape: [maxlen, chars.length] }),
      layers.lstm({ units: 6, recurrentActivation: 'sigmoid' }),
      layers.dense({ units: chars.length, activation: 'softmax' }),
    ],
  });
  model.setWeights(kerasWeightList(model.getWeights(), REF.start_weights));
  model.compile({ loss: 'categoricalCrossentropy', optimizer: train.rmsprop(0.01) });
  const h = await model.fit(t(REF.x), t(REF.y), { batchSize: 5, epochs: 2, shuffle: false, verbose: 0 });
  expectHistory(h.history as { [k: string]: unknown[] }, REF.history, 'fit');
  expectWeightsClose(model.getWeights(), REF.trained_weights);

  let sentence = text.slice(0, maxlen);
  let generated = '';
  for (const want of REF.probs) {
    const xPred = new Array<number>(maxlen * chars.length).fill(0);
    [...sentence].forEach((c, i) => (xPred[i * chars.length + charIndices.get(c)!] = 1));
    const preds = model.predict(tensor(xPred, [1, maxlen, chars.length])) as Tensor;
    expectClose(preds.dataSync(), want.values, `probabilities after '${sentence}'`);
    const nextChar = chars[argMax(preds.reshape([chars.length])).dataSync()[0]];
    sentence = sentence.slice(1) + nextChar;
    generated += nextChar;
  }
  expect(generated).toBe(REF.generated);
});
