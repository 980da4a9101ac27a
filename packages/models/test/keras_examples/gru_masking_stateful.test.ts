/**
 * Two more recurrent patterns of the Keras guides ("Working with RNNs", "Understanding masking & padding") ported
 * to recurrent as a Keras user writes them, compared with Keras 3.15 from the same start weights
 * (fixtures/keras/examples/gru_masking.json and stateful_lstm.json, generate.py beside them):
 * - Embedding(maskZero) → GRU → Dense softmax on post-, pre- and mid-padded rows, sparse categorical crossentropy;
 * - a stateful LSTM on `Input(batchShape)`, trained in order with the layer's `resetStates()` between epochs (a
 *   callback), then predicted chunk by chunk carrying the state, and after `resetStates()`.
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
