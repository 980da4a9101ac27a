/**
 * Two more recurrent patterns of the Keras guides ("Working with RNNs", "Understanding masking & padding") ported
 * to recurrent as a Keras user writes them, compared with Keras 3.15 from the same start weights
 * (fixtures/keras/examples/gru_masking.json and stateful_lstm.json, generate.py beside them):
 * - Embedding(maskZero) → GRU → Dense softmax on post-, pre- and mid-padded rows, sparse categorical crossentropy;
 * - a stateful LSTM on `Input(batchShape)`, trained in order with the layer's `resetStates()` between epochs (a
 *   callback), then predicted chunk by chunk carrying the state, and after `resetStates()`;
 * - the "Working with RNNs" guide's cross-batch statefulness: a stateful LSTM called eagerly on paragraphs in turn
 *   (no batch size declared: the first call fixes it, as Keras and tfjs), `resetStates()`, and its `states` given as
 *   `initialState` to a new LSTM.
 */
import { Tensor } from '@recurrent/core';
import { input, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { CustomCallback, model, train } from '@recurrent/models';
import { Enc, expectClose, expectHistory, expectWeightsClose, History, kerasWeightList, NamedWeight, readFixture, t } from './fixture';

beforeEach(() => resetNameCounters());

test('Embedding(maskZero) → GRU → Dense: fit history, weights and predictions as Keras', async () => {
  const REF = readFixture<{ x: Enc; y: Enc; start_weights: NamedWeight[]; history: History; predict: Enc; trained_weights: NamedWeight[] }>(
    'gru_masking',
  );
  const inputs = input({ shape: [null], dtype: 'int32' });
  const e = layers.embedding({ inputDim: 8, outputDim: 3, maskZero: true }).apply(inputs) as SymbolicTensor;
  // Keras 3's GRU: resetAfter true and 'sigmoid' gates; ours default to tfjs's GRU (resetAfter false, 'hardSigmoid').
  const g = layers.gru({ units: 4, resetAfter: true, recurrentActivation: 'sigmoid' }).apply(e) as SymbolicTensor;
  const out = layers.dense({ units: 3, activation: 'softmax' }).apply(g) as SymbolicTensor;
  const m = model({ inputs, outputs: out });
  m.setWeights(kerasWeightList(m.getWeights(), REF.start_weights));
  m.compile({ optimizer: train.sgd(0.3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const h = await m.fit(t(REF.x), t(REF.y), { batchSize: 3, epochs: 3, shuffle: false, verbose: 0 });
  expectHistory(h.history as { [k: string]: unknown[] }, REF.history, 'fit');
  expectWeightsClose(m.getWeights(), REF.trained_weights);
  expectClose((m.predict(t(REF.x)) as Tensor).dataSync(), REF.predict.values, 'predict');
});

test('a stateful LSTM: training in order with resetStates between epochs, then predict carrying the state, as Keras', async () => {
  const REF = readFixture<{
    x: Enc;
    y: Enc;
    start_weights: NamedWeight[];
    history: History;
    trained_weights: NamedWeight[];
    chunks: Enc[];
    after_reset: Enc;
  }>('stateful_lstm');
  const batch = 2;
  const inputs = input({ batchShape: [batch, 3, 2] });
  const lstm = layers.lstm({ units: 4, stateful: true, recurrentActivation: 'sigmoid' });
  const out = layers.dense({ units: 1 }).apply(lstm.apply(inputs) as SymbolicTensor) as SymbolicTensor;
  const m = model({ inputs, outputs: out });
  m.setWeights(kerasWeightList(m.getWeights(), REF.start_weights));
  m.compile({ optimizer: train.sgd(0.1), loss: 'mse' });
  const x = t(REF.x);
  const resetStates = new CustomCallback({ onEpochEnd: async () => lstm.resetStates() });
  const h = await m.fit(x, t(REF.y), { batchSize: batch, epochs: 2, shuffle: false, verbose: 0, callbacks: [resetStates] });
  expectHistory(h.history as { [k: string]: unknown[] }, REF.history, 'fit');
  expectWeightsClose(m.getWeights(), REF.trained_weights);
  REF.chunks.forEach((c, i) => {
    const chunk = x.slice([i * batch, 0, 0], [batch, -1, -1]);
    expectClose((m.predict(chunk, { batchSize: batch }) as Tensor).dataSync(), c.values, `predict chunk ${i}`);
  });
  lstm.resetStates();
  expectClose(
    (m.predict(x.slice([0, 0, 0], [batch, -1, -1]), { batchSize: batch }) as Tensor).dataSync(),
    REF.after_reset.values,
    'after reset',
  );
});

test("the RNN guide's cross-batch statefulness: eager calls on a stateful LSTM, resetStates, states reused as initialState, as Keras", () => {
  const REF = readFixture<{
    paragraphs: Enc[];
    start_weights: NamedWeight[];
    outputs: Enc[];
    states: Enc[];
    after_reset: Enc;
    reused: Enc;
  }>('stateful_guide');
  const [paragraph1, paragraph2, paragraph3] = REF.paragraphs.map(t);
  const lstmLayer = layers.lstm({ units: 4, stateful: true, recurrentActivation: 'sigmoid' });
  lstmLayer.build(paragraph1.shape);
  lstmLayer.setWeights(kerasWeightList(lstmLayer.getWeights(), REF.start_weights));
  [paragraph1, paragraph2, paragraph3].forEach((p, i) =>
    expectClose((lstmLayer.apply(p) as Tensor).dataSync(), REF.outputs[i].values, `output on paragraph ${i + 1}`),
  );
  const existingState = lstmLayer.states!;
  existingState.forEach((s, i) => expectClose(s.dataSync(), REF.states[i].values, `state ${i}`));
  lstmLayer.resetStates();
  expectClose((lstmLayer.apply(paragraph1) as Tensor).dataSync(), REF.after_reset.values, 'after resetStates');
  const newLstmLayer = layers.lstm({ units: 4, recurrentActivation: 'sigmoid' });
  newLstmLayer.build(paragraph3.shape);
  newLstmLayer.setWeights(lstmLayer.getWeights());
  expectClose((newLstmLayer.apply(paragraph3, { initialState: existingState }) as Tensor).dataSync(), REF.reused.values, 'states reused');

  // The guide's own form: no build first, the first eager call fixes the batch size (Keras 3 and tfjs 4.22 do);
  // another batch size afterwards is refused.
  const eager = layers.lstm({ units: 4, stateful: true, recurrentActivation: 'sigmoid' });
  eager.apply(paragraph1);
  eager.setWeights(lstmLayer.getWeights());
  eager.resetStates();
  expectClose((eager.apply(paragraph1) as Tensor).dataSync(), REF.outputs[0].values, 'eager first call');
  expect(() => eager.apply(paragraph1.slice([0, 0, 0], [2, -1, -1]))).toThrow(/batch size 3 but received input of shape \[2,4,2\]/);
});
