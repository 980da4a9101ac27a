/**
 * keras.io "Video Classification with a CNN-RNN Architecture", its sequence model, ported to recurrent as a Keras
 * user writes it: the frame features and a bool frame mask as two inputs, the mask given to the first GRU
 * (`apply(x, {mask})`, Keras's `GRU(...)(x, mask=mask_input)`) and carried on to the second, Dropout, Dense relu,
 * Dense softmax; sparse categorical crossentropy with 'accuracy', validationSplit, Adam. Shrunk and compared with
 * Keras 3.15 from the same start weights (fixtures/keras/examples/video_classification.json, generate.py beside it).
 * Dropout rate 0 and Adam's ε 1e-16 there and here (random masks cannot match; Keras adds ε before the bias
 * correction, tfjs after: optimizers/adam.ts).
 */
import { Tensor } from '@recurrent/core';
import { input, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { model, train } from '@recurrent/models';
import { Enc, expectClose, expectHistory, expectWeightsClose, History, kerasWeightList, NamedWeight, readFixture, t } from './fixture';

const REF = readFixture<{
  frame_features: Enc;
  frame_masks: Enc;
  labels: Enc;
  start_weights: NamedWeight[];
  history: History;
  trained_weights: NamedWeight[];
  predict: Enc;
}>('video_classification');

beforeEach(() => resetNameCounters());

test(`two inputs, the frame mask given to a GRU: fit with validationSplit and predict as Keras ${REF.keras_version}`, async () => {
  const [, maxSeqLength, numFeatures] = REF.frame_features.shape;
  const frameFeaturesInput = input({ shape: [maxSeqLength, numFeatures] });
  const maskInput = input({ shape: [maxSeqLength], dtype: 'bool' });
  // Keras 3's GRU: resetAfter true and 'sigmoid' gates; ours default to tfjs's GRU (resetAfter false, 'hardSigmoid').
  const gru = (units: number, returnSequences = false) =>
    layers.gru({ units, returnSequences, resetAfter: true, recurrentActivation: 'sigmoid' });
  let x = gru(5, true).apply(frameFeaturesInput, { mask: maskInput }) as SymbolicTensor;
  x = gru(4).apply(x) as SymbolicTensor;
  x = layers.dropout({ rate: 0 }).apply(x) as SymbolicTensor;
  x = layers.dense({ units: 4, activation: 'relu' }).apply(x) as SymbolicTensor;
  const output = layers.dense({ units: 3, activation: 'softmax' }).apply(x) as SymbolicTensor;
  const rnnModel = model({ inputs: [frameFeaturesInput, maskInput], outputs: output });
  rnnModel.setWeights(kerasWeightList(rnnModel.getWeights(), REF.start_weights));
  rnnModel.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: train.adam(0.02, 0.9, 0.999, 1e-16), metrics: ['accuracy'] });

  const features = t(REF.frame_features);
  const masks = t(REF.frame_masks).cast('bool');
  const h = await rnnModel.fit([features, masks], t(REF.labels), {
    validationSplit: 0.3,
    epochs: 3,
    batchSize: 2,
    shuffle: false,
    verbose: 0,
  });
  expectHistory(h.history as { [k: string]: unknown[] }, REF.history, 'fit');
  expectWeightsClose(rnnModel.getWeights(), REF.trained_weights);
  expectClose((rnnModel.predict([features, masks]) as Tensor).dataSync(), REF.predict.values, 'predict');
});
