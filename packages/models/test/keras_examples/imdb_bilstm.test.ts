/**
 * keras.io "Bidirectional LSTM on IMDB" ported to recurrent as a Keras user writes it: an int32 Input of any
 * length, Embedding, two Bidirectional LSTMs (the first returning sequences), Dense sigmoid; reviews padded with
 * padSequences(maxlen), binary crossentropy with 'accuracy', validationData. Shrunk (vocabulary 20, 4-d
 * embedding, 3 units) and compared with Keras 3.15 from the same start weights
 * (fixtures/keras/examples/imdb_bilstm.json, generate.py beside it). SGD instead of the page's 'adam': Keras puts
 * Adam's ε elsewhere than tfjs (optimizers/adam.ts says so; pinned in engine/keras_train_step.test.ts).
 */
import { Tensor } from '@recurrent/core';
import { input, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { model, padSequences, train } from '@recurrent/models';
import {
  Enc,
  expectClose,
  expectHistory,
  expectWeightsClose,
  History,
  kerasWeightList,
  NamedWeight,
  ourKey,
  readFixture,
  t,
} from './fixture';

type Ref = {
  sequences: number[][];
  labels: number[];
  maxlen: number;
  max_features: number;
  x_train: Enc;
  x_val: Enc;
  start_weights: NamedWeight[];
  history: History;
  evaluate: { [k: string]: number };
  predict: Enc;
  trained_weights: NamedWeight[];
};
const REF = readFixture<Ref>('imdb_bilstm');
const MASKED = readFixture<Ref>('imdb_bilstm_masked');

beforeEach(() => resetNameCounters());

test('padSequences(maxlen) pads and truncates the reviews as keras.utils.pad_sequences', () => {
  const xTrain = padSequences(REF.sequences.slice(0, 8), { maxlen: REF.maxlen });
  const xVal = padSequences(REF.sequences.slice(8), { maxlen: REF.maxlen });
  expect(xTrain.dtype).toBe('int32');
  expect(xTrain.shape).toEqual(REF.x_train.shape);
  expect(Array.from(xTrain.dataSync())).toEqual(REF.x_train.values);
  expect(Array.from(xVal.dataSync())).toEqual(REF.x_val.values);
});

test.each([
  ['Embedding', REF, false],
  ['Embedding(maskZero) (the padding masked through both Bidirectional layers)', MASKED, true],
] as const)(
  `%s → Bidirectional(LSTM, sequences) → Bidirectional(LSTM) → Dense: fit, evaluate and predict as Keras ${REF.keras_version}`,
  async (_what, REF, maskZero) => {
    const maxFeatures = REF.max_features;
    const inputs = input({ shape: [null], dtype: 'int32' });
    let x = layers.embedding({ inputDim: maxFeatures, outputDim: 4, maskZero }).apply(inputs) as SymbolicTensor;
    // Keras 3's LSTM gates use 'sigmoid'; ours default to tfjs's 'hardSigmoid'.
    x = layers
      .bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }) })
      .apply(x) as SymbolicTensor;
    x = layers.bidirectional({ layer: layers.lstm({ units: 3, recurrentActivation: 'sigmoid' }) }).apply(x) as SymbolicTensor;
    const outputs = layers.dense({ units: 1, activation: 'sigmoid' }).apply(x) as SymbolicTensor;
    const m = model({ inputs, outputs });
    m.setWeights(kerasWeightList(m.getWeights(), REF.start_weights));
    m.compile({ optimizer: train.sgd(0.5), loss: 'binaryCrossentropy', metrics: ['accuracy'] });

    const xTrain = padSequences(REF.sequences.slice(0, 8), { maxlen: REF.maxlen });
    const xVal = padSequences(REF.sequences.slice(8), { maxlen: REF.maxlen });
    const yTrain = t({ shape: [8], dtype: 'int32', values: REF.labels.slice(0, 8) });
    const yVal = t({ shape: [4], dtype: 'int32', values: REF.labels.slice(8) });
    const h = await m.fit(xTrain, yTrain, { batchSize: 4, epochs: 2, validationData: [xVal, yVal], shuffle: false, verbose: 0 });
    expectHistory(h.history as { [k: string]: unknown[] }, REF.history, 'fit');
    expectWeightsClose(m.getWeights(), REF.trained_weights);

    const ev = m.evaluate(xVal, yVal) as Tensor[];
    m.metricsNames.forEach((name, i) => {
      const kerasName = Object.keys(REF.evaluate).find((k) => ourKey(k) === name)!;
      expectClose(ev[i].dataSync(), [REF.evaluate[kerasName]], `evaluate ${name}`);
    });
    expectClose((m.predict(xVal) as Tensor).dataSync(), REF.predict.values, 'predict');
  },
);
