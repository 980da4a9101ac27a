/**
 * keras.io "OCR model for reading Captchas" ported to recurrent as a Keras user writes it, shrunk: images
 * (width, height, 1) with width as the time axis, Conv2D(relu, 'same', heNormal) + MaxPooling2D twice, Reshape to
 * (width / 4, (height / 4) · filters), Dense relu, Dropout, two Bidirectional LSTMs returning sequences, Dense
 * softmax named 'dense2'; CTC loss, the prediction model `model.input → getLayer('dense2').output`, and greedy
 * ctcDecode. Compared with Keras 3.15 from the same start weights (fixtures/keras/examples/ocr_ctc.json,
 * generate.py beside it).
 *
 * Two departures from the page, both in generate.py too:
 * - the page adds the loss with a CTCLayer (`self.add_loss(...)` inside the graph, the labels as a second model
 *   input, `compile()` without a loss; that form, with `addLoss`, is add_loss.test.ts). Here the CTC is the compiled loss ('ctc',
 *   Keras 3's `keras.losses.CTC`: blank 0, log-softmax inside), the labels are `y`, and the prediction model is
 *   the trained model itself; the page's CTCLayer also puts its blank last (tf.compat.v1 ctc_loss) where
 *   `keras.losses.CTC` and ours put it at 0.
 * - dropout rates are 0 so the training is determined (random masks cannot match Keras's); they change nothing at
 *   inference.
 */
import { ctcDecode, Tensor, tensor } from '@recurrent/core';
import { input, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { model, train } from '@recurrent/models';
import { Enc, expectClose, expectHistory, expectWeightsClose, History, kerasWeightList, NamedWeight, readFixture, t } from './fixture';

const REF = readFixture<{
  x: Enc;
  y: Enc;
  start_weights: NamedWeight[];
  loss_before: number;
  history: History;
  predict: Enc;
  decoded: Enc;
  trained_weights: NamedWeight[];
}>('ocr_ctc');

beforeEach(() => resetNameCounters());

const [, imgWidth, imgHeight] = REF.x.shape;
const numClasses = 4 + 1; // 4 characters + the blank
const maxLength = REF.y.shape[1];

function buildModel(dropout = 0, lstmDropout = 0) {
  const inputImg = input({ shape: [imgWidth, imgHeight, 1], name: 'image', dtype: 'float32' });
  let x = layers
    .conv2d({ filters: 3, kernelSize: [3, 3], activation: 'relu', kernelInitializer: 'heNormal', padding: 'same', name: 'Conv1' })
    .apply(inputImg) as SymbolicTensor;
  x = layers.maxPooling2d({ poolSize: [2, 2], name: 'pool1' }).apply(x) as SymbolicTensor;
  x = layers
    .conv2d({ filters: 4, kernelSize: [3, 3], activation: 'relu', kernelInitializer: 'heNormal', padding: 'same', name: 'Conv2' })
    .apply(x) as SymbolicTensor;
  x = layers.maxPooling2d({ poolSize: [2, 2], name: 'pool2' }).apply(x) as SymbolicTensor;
  const newShape = [Math.floor(imgWidth / 4), Math.floor(imgHeight / 4) * 4];
  x = layers.reshape({ targetShape: newShape, name: 'reshape' }).apply(x) as SymbolicTensor;
  x = layers.dense({ units: 6, activation: 'relu', name: 'dense1' }).apply(x) as SymbolicTensor;
  x = layers.dropout({ rate: dropout }).apply(x) as SymbolicTensor;
  // Keras 3's LSTM gates use 'sigmoid'; ours default to tfjs's 'hardSigmoid'.
  x = layers
    .bidirectional({ layer: layers.lstm({ units: 5, returnSequences: true, dropout: lstmDropout, recurrentActivation: 'sigmoid' }) })
    .apply(x) as SymbolicTensor;
  x = layers
    .bidirectional({ layer: layers.lstm({ units: 4, returnSequences: true, dropout: lstmDropout, recurrentActivation: 'sigmoid' }) })
    .apply(x) as SymbolicTensor;
  const output = layers.dense({ units: numClasses, activation: 'softmax', name: 'dense2' }).apply(x) as SymbolicTensor;
  return model({ inputs: inputImg, outputs: output, name: 'ocr_model_v1' });
}

test(`CNN + BiLSTM trained with the CTC loss: loss before, per-epoch loss, weights, predictions and greedy decoding as Keras ${REF.keras_version}`, async () => {
  const m = buildModel();
  m.setWeights(kerasWeightList(m.getWeights(), REF.start_weights));
  m.compile({ optimizer: train.sgd(0.2), loss: 'ctc' });
  const x = t(REF.x);
  const y = t(REF.y);
  expectClose((m.evaluate(x, y) as Tensor).dataSync(), [REF.loss_before], 'loss before training');
  const h = await m.fit(x, y, { batchSize: 3, epochs: 3, shuffle: false, verbose: 0 });
  expectHistory(h.history as { [k: string]: unknown[] }, REF.history, 'fit');
  expectWeightsClose(m.getWeights(), REF.trained_weights);

  const predictionModel = model({ inputs: m.input, outputs: m.getLayer('dense2').output });
  const pred = predictionModel.predict(x) as Tensor;
  expectClose(pred.dataSync(), REF.predict.values, 'prediction model');
  const [batch, timeSteps] = pred.shape;
  const inputLen = tensor(new Array<number>(batch).fill(timeSteps), [batch], 'int32');
  const [decoded] = ctcDecode(pred, inputLen, { strategy: 'greedy' });
  const firstPath = decoded.reshape([batch, timeSteps]).slice([0, 0], [batch, maxLength]);
  expect(Array.from(firstPath.dataSync())).toEqual(REF.decoded.values);
});

test("with the page's dropout rates (0.2, LSTM 0.25): inference equals Keras's (dropout off), and training runs", async () => {
  const m = buildModel(0.2, 0.25);
  m.setWeights(kerasWeightList(m.getWeights(), REF.trained_weights));
  m.compile({ optimizer: train.sgd(0.2), loss: 'ctc' });
  expectClose((m.predict(t(REF.x)) as Tensor).dataSync(), REF.predict.values, 'predict with dropout layers');
  const h = await m.fit(t(REF.x), t(REF.y), { batchSize: 3, epochs: 1, verbose: 0 });
  const loss = (h.history.loss as number[])[0];
  expect(Number.isFinite(loss)).toBe(true);
  expect(Math.abs(loss - REF.history.loss[2])).toBeLessThan(1); // a sanity bound only: the random masks move the loss
});
