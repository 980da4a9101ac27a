/**
 * keras.io "Timeseries forecasting for weather prediction" ported to recurrent as a Keras user writes it:
 * normalized features cut into training and validation windows with timeseriesDataset (samplingRate), an Input
 * shaped from the first batch, LSTM → Dense(1), Adam, mse, EarlyStopping(val_loss) and ModelCheckpoint(val_loss,
 * saveBestOnly), fitDataset with a validation dataset; then the best checkpoint's weights back and predictions on
 * validation batches. Shrunk (70 steps of 3 features, LSTM(5)) and compared with Keras 3.15 from the same start
 * weights (fixtures/keras/examples/weather.json, generate.py beside it). Adam's ε is 1e-10 there and here: Keras
 * adds ε before the bias correction, tfjs after (optimizers/adam.ts); with |g| ≫ ε both rules give the same steps.
 */
import { Tensor, tensor } from '@recurrent/core';
import { input, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { callbacks, io, LayersModel, loadLayersModel, model, timeseriesDataset, train } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { Enc, expectClose, expectHistory, expectWeightsClose, History, kerasWeightList, NamedWeight, readFixture, t } from './fixture';

const REF = readFixture<{
  features: Enc;
  train_split: number;
  past: number;
  future: number;
  step: number;
  sequence_length: number;
  batch_size: number;
  first_batch: { x: Enc; y: Enc };
  start_weights: NamedWeight[];
  history: History;
  stopped_epoch: number;
  last_weights: NamedWeight[];
  best_weights: NamedWeight[];
  predictions: { x: Enc; y: Enc; pred: Enc }[];
}>('weather');

beforeEach(() => resetNameCounters());

const { train_split: trainSplit, past, future, step, sequence_length: sequenceLength, batch_size: batchSize } = REF;
const features = t(REF.features);
const [steps, numFeatures] = features.shape;
const rows = (from: number, to: number): Tensor => features.slice([from, 0], [to - from, numFeatures]);
const column0 = (from: number, to: number): Tensor => features.slice([from, 0], [to - from, 1]);

function datasets() {
  const trainData = rows(0, trainSplit - 1);
  const valData = rows(trainSplit, steps);
  const start = past + future;
  const end = start + trainSplit;
  const datasetTrain = timeseriesDataset(trainData, column0(start, Math.min(end, steps)), {
    sequenceLength,
    samplingRate: step,
    batchSize,
  });
  const xEnd = valData.shape[0] - past - future;
  const labelStart = trainSplit + past + future;
  const datasetVal = timeseriesDataset(valData.slice([0, 0], [xEnd, numFeatures]), column0(labelStart, steps), {
    sequenceLength,
    samplingRate: step,
    batchSize,
  });
  return { datasetTrain, datasetVal };
}

test('timeseriesDataset windows the series as keras.preprocessing.timeseries_dataset_from_array (first batch)', async () => {
  const { datasetTrain } = datasets();
  const { value } = await (await datasetTrain.iterator()).next();
  const { xs, ys } = value as { xs: Tensor; ys: Tensor };
  expect(xs.shape).toEqual(REF.first_batch.x.shape);
  expect(ys.shape).toEqual(REF.first_batch.y.shape);
  expectClose(xs.dataSync(), REF.first_batch.x.values, 'inputs', 0, 0);
  expectClose(ys.dataSync(), REF.first_batch.y.values, 'targets', 0, 0);
});

test(`LSTM regression with EarlyStopping and ModelCheckpoint(saveBestOnly): history, stop epoch, best weights and predictions as Keras ${REF.keras_version}`, async () => {
  const { datasetTrain, datasetVal } = datasets();
  const { value } = await (await datasetTrain.iterator()).next();
  const inputs0 = (value as { xs: Tensor }).xs;

  const inputs = input({ shape: [inputs0.shape[1], inputs0.shape[2]] });
  // Keras 3's LSTM gates use 'sigmoid'; ours default to tfjs's 'hardSigmoid'.
  const lstmOut = layers.lstm({ units: 5, recurrentActivation: 'sigmoid' }).apply(inputs) as SymbolicTensor;
  const outputs = layers.dense({ units: 1 }).apply(lstmOut) as SymbolicTensor;
  const m = model({ inputs, outputs });
  m.setWeights(kerasWeightList(m.getWeights(), REF.start_weights));
  m.compile({ optimizer: train.adam(0.05, 0.9, 0.999, 1e-10), loss: 'mse' });

  // Keras writes the best weights to a file ('model_checkpoint.weights.h5'); here the checkpoint goes to memory.
  let best: ModelArtifacts | undefined;
  const checkpointTo = io.withSaveHandler(async (artifacts) => {
    best = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  });
  const esCallback = callbacks.earlyStopping({ monitor: 'val_loss', minDelta: 0, patience: 2 });
  const modelckptCallback = callbacks.modelCheckpoint(checkpointTo, { monitor: 'val_loss', saveBestOnly: true });
  // As the page: model.fit(dataset_train, epochs=..., validation_data=dataset_val, callbacks=[...]).
  const history = await m.fit(datasetTrain, {
    epochs: 12,
    validationData: datasetVal,
    callbacks: [esCallback, modelckptCallback],
    verbose: 0,
  });

  // 3 epochs of 5 Adam steps: Adam divides by sqrt(v̂) of the gradients, so float32 rounding differences of the
  // gradients pass into the steps at their relative size, over 15 steps: 1e-5 relative holds.
  expectHistory(history.history as { [k: string]: unknown[] }, REF.history, 'fit(dataset)');
  expect(history.epoch.length).toBe(REF.stopped_epoch + 1);
  expectWeightsClose(m.getWeights(), REF.last_weights);

  // model.load_weights(path_checkpoint): the best epoch's weights.
  const restored = (await loadLayersModel(io.fromMemory(best!))) as LayersModel;
  m.setWeights(restored.getWeights());
  expectWeightsClose(m.getWeights(), REF.best_weights);

  for (const [i, p] of REF.predictions.entries()) {
    expectClose((m.predict(tensor(p.x.values, p.x.shape)) as Tensor).dataSync(), p.pred.values, `prediction batch ${i}`);
  }
  let k = 0;
  await datasetVal.take(2).forEachAsync((b) => {
    const { xs, ys } = b as { xs: Tensor; ys: Tensor };
    expectClose(xs.dataSync(), REF.predictions[k].x.values, `validation batch ${k} inputs`, 0, 0);
    expectClose(ys.dataSync(), REF.predictions[k].y.values, `validation batch ${k} targets`, 0, 0);
    k++;
  });
  expect(k).toBe(2);
});
