/**
 * Losses added by layers (`layer.addLoss(tensor)` inside `call`, Keras's `self.add_loss`) as a Keras user ports them,
 * against Keras 3.15 from the same start weights (fixtures/keras/examples/add_loss.json, generate_add_loss.py beside
 * it; tolerances as fixture.ts says):
 * - keras.io's OCR captcha model with the page's own CTCLayer: the labels are a second model input, the layer adds
 *   the CTC loss of (labels, predictions) as a [batch, 1] column (summed into the total, as Keras 3) and returns the
 *   predictions; compiled without a loss, trained without y.
 * - a Dense layer followed by a layer adding an activity penalty, with a compiled 'mse' and validation data.
 */
import { add, cast, ctcLoss, expandDims, fill, log, mean, mul, scalar, square, Tensor, ValueError } from '@recurrent/core';
import { input, Layer, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import type { Shape } from '@recurrent/layers';
import { data, io, loadLayersModel, model, train } from '@recurrent/models';
import type { LayersModel, ModelArtifacts } from '@recurrent/models';
import { Enc, expectClose, expectHistory, expectWeightsClose, History, kerasWeightList, NamedWeight, readFixture, t } from './fixture';

interface Case {
  x: Enc;
  y: Enc;
  start_weights: NamedWeight[];
  loss_before: number;
  losses_after_call: Enc[];
  history: History;
  predict: Enc;
  trained_weights: NamedWeight[];
}
const REF = readFixture<{ ctc_layer: Case; penalty: Case & { x_val: Enc; y_val: Enc } }>('add_loss');

beforeEach(() => resetNameCounters());

/** The page's CTCLayer: adds the CTC loss of (labels, softmax predictions) and returns the predictions. */
class CTCLayer extends Layer {
  static override className = 'CTCLayer';
  override call(inputs: Tensor | Tensor[]): Tensor {
    const [yTrue, yPred] = inputs as Tensor[];
    const [batch, timeSteps, classes] = yPred.shape;
    const labelLength = fill([batch], yTrue.shape[1], 'int32');
    const inputLength = fill([batch], timeSteps, 'int32');
    // As the page's ctc_batch_cost (tf.compat.v1 ctc_loss): log(p + ε) as logits, the blank last.
    const loss = ctcLoss(cast(yTrue, 'int32'), log(add(yPred, scalar(1e-7))), labelLength, inputLength, { blankIndex: classes - 1 });
    this.addLoss(expandDims(loss, 1));
    return yPred;
  }
  override computeOutputShape(shapes: Shape | Shape[]): Shape {
    return (shapes as Shape[])[1];
  }
}

function ocrModel() {
  const [, imgWidth, imgHeight] = REF.ctc_layer.x.shape;
  const inputImg = input({ shape: [imgWidth, imgHeight, 1], name: 'image', dtype: 'float32' });
  const labels = input({ name: 'label', shape: [null], dtype: 'float32' });
  let x = layers
    .conv2d({ filters: 3, kernelSize: [3, 3], activation: 'relu', kernelInitializer: 'heNormal', padding: 'same', name: 'Conv1' })
    .apply(inputImg) as SymbolicTensor;
  x = layers.maxPooling2d({ poolSize: [2, 2], name: 'pool1' }).apply(x) as SymbolicTensor;
  x = layers.reshape({ targetShape: [imgWidth / 2, (imgHeight / 2) * 3], name: 'reshape' }).apply(x) as SymbolicTensor;
  x = layers.dense({ units: 6, activation: 'relu', name: 'dense1' }).apply(x) as SymbolicTensor;
  x = layers
    .bidirectional({ layer: layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }) })
    .apply(x) as SymbolicTensor;
  x = layers.dense({ units: 4 + 2, activation: 'softmax', name: 'dense2' }).apply(x) as SymbolicTensor;
  const output = new CTCLayer({ name: 'ctc_loss' }).apply([labels, x]) as SymbolicTensor;
  return model({ inputs: [inputImg, labels], outputs: output, name: 'ocr_model_v1' });
}

/** The OCR model from Keras's start weights, compiled as the page (no loss: the CTCLayer adds it), and its data. */
function compiledOcrModel() {
  const R = REF.ctc_layer;
  const m = ocrModel();
  m.setWeights(kerasWeightList(m.getWeights(), R.start_weights));
  m.compile({ optimizer: train.sgd(0.05) });
  return { R, m, x: t(R.x), y: t(R.y) };
}

test(`keras.io OCR's CTCLayer (add_loss, compile without a loss, fit without y) gives Keras ${REF.keras_version}'s losses and weights`, async () => {
  const { R, m, x, y } = compiledOcrModel();
  expectClose([(m.evaluate({ image: x, label: y }) as Tensor).dataSync()[0]], [R.loss_before], 'evaluate before training');

  // model.losses holds the losses of the last call, as Keras ([batch, 1] here).
  m.apply([x.slice([0], [2]), y.slice([0], [2])]);
  expect(m.losses.map((l) => l.shape)).toEqual(R.losses_after_call.map((e) => e.shape));
  m.losses.forEach((l, i) => expectClose(l.dataSync(), R.losses_after_call[i].values, 'model.losses after a call'));
  // The next call replaces them (no leak between calls).
  m.apply([x.slice([0], [3]), y.slice([0], [3])]);
  expect(m.losses.map((l) => l.shape)).toEqual([[3, 1]]);

  const h = await m.fit({ image: x, label: y }, null, { batchSize: 3, epochs: 3, shuffle: false, verbose: 0 });
  expectHistory(h.history as { [k: string]: unknown[] }, R.history, 'fit');
  expectWeightsClose(m.getWeights(), R.trained_weights);

  // The page's prediction model; predict ignores the losses.
  const predictionModel = model({ inputs: (m.input as SymbolicTensor[])[0], outputs: m.getLayer('dense2').output as SymbolicTensor });
  expectClose((predictionModel.predict(x) as Tensor).dataSync(), R.predict.values, 'prediction model');
  expectClose((m.predict({ image: x, label: y }) as Tensor).dataSync(), R.predict.values, 'predict of the training model');
});

test(`the same OCR model trained as the page does, fit(dataset) of {image, label} batches, gives Keras ${REF.keras_version}'s numbers`, async () => {
  const { R, m, x, y } = compiledOcrModel();
  // The page's tf.data pipeline yields {"image": ..., "label": ...} batches; here 2 batches of 3, in order.
  const batchesOf = (size: number) =>
    data.array([0, 1].slice(0, 6 / size)).map((b) => ({
      image: x.slice([b * size], [size]),
      label: y.slice([b * size], [size]),
    }));
  expectClose([((await m.evaluate(batchesOf(6))) as Tensor).dataSync()[0]], [R.loss_before], 'evaluate(dataset) before training');
  const h = await m.fit(batchesOf(3), { epochs: 3, verbose: 0 });
  expectHistory(h.history as { [k: string]: unknown[] }, R.history, 'fit(dataset)');
  expectWeightsClose(m.getWeights(), R.trained_weights);
  expectClose(((await m.predict(batchesOf(3))) as Tensor).dataSync(), R.predict.values, 'predict(dataset)');
});

/** Adds rate · mean(x²) and passes x on (the Keras guide's activity-regularization layer). */
class ActivityPenalty extends Layer {
  static override className = 'ActivityPenalty';
  constructor(
    private readonly rate: number,
    args: { name?: string } = {},
  ) {
    super(args);
  }
  override call(x: Tensor | Tensor[]): Tensor {
    const t0 = x as Tensor;
    this.addLoss(mul(scalar(this.rate), mean(square(t0))));
    return t0;
  }
}

function penaltyModel() {
  const inp = input({ shape: [3] });
  let h = layers.dense({ units: 4, activation: 'tanh', name: 'hidden' }).apply(inp) as SymbolicTensor;
  h = new ActivityPenalty(0.5, { name: 'penalty' }).apply(h) as SymbolicTensor;
  return model({ inputs: inp, outputs: layers.dense({ units: 1, name: 'out' }).apply(h) as SymbolicTensor });
}

test(`an activity penalty added in call plus a compiled mse: evaluate, fit (loss, val_loss) and weights as Keras ${REF.keras_version}`, async () => {
  const R = REF.penalty;
  const m = penaltyModel();
  m.setWeights(kerasWeightList(m.getWeights(), R.start_weights));
  m.compile({ optimizer: train.adam(0.05, 0.9, 0.999, 1e-10), loss: 'mse' });
  expectClose([(m.evaluate(t(R.x), t(R.y)) as Tensor).dataSync()[0]], [R.loss_before], 'evaluate before training');
  m.apply(t(R.x).slice([0], [4]));
  expect(m.losses.length).toBe(1);
  expectClose(m.losses[0].dataSync(), R.losses_after_call[0].values, 'model.losses after a call');
  const h = await m.fit(t(R.x), t(R.y), { batchSize: 4, epochs: 3, shuffle: false, verbose: 0, validationData: [t(R.x_val), t(R.y_val)] });
  expectHistory(h.history as { [k: string]: unknown[] }, R.history, 'fit');
  expectWeightsClose(m.getWeights(), R.trained_weights);
  expectClose((m.predict(t(R.x_val)) as Tensor).dataSync(), R.predict.values, 'predict');
});

test('trainingLoss (what fit differentiates) is the compiled mse plus the penalty added in call', () => {
  const R = REF.penalty;
  const m = penaltyModel();
  m.setWeights(kerasWeightList(m.getWeights(), R.start_weights));
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = t(R.x);
  const y = t(R.y);
  const total = m.trainingLoss(x, y).dataSync()[0];
  const pred = m.predict(x) as Tensor;
  const mse = mean(square(pred.sub(y))).dataSync()[0];
  const hidden = model({ inputs: m.inputs, outputs: m.getLayer('hidden').output as SymbolicTensor }).predict(x) as Tensor;
  const penalty = 0.5 * mean(square(hidden)).dataSync()[0];
  expect(total).toBeCloseTo(mse + penalty, 5);
});

test('errors: no loss at all, y missing with a compiled loss or metrics, weights without targets, addLoss of a non-tensor', async () => {
  const inp = input({ shape: [3] });
  const m = model({ inputs: inp, outputs: layers.dense({ units: 1 }).apply(inp) as SymbolicTensor });
  const x = t(REF.penalty.x);
  m.compile({ optimizer: 'sgd' });
  await expect(m.fit(x, null, { verbose: 0 })).rejects.toThrow(
    /fit: no loss to compute: the model was compiled without a loss and no layer added one \(layer.addLoss in call\)/,
  );
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  await expect(m.fit(x, null, { verbose: 0 })).rejects.toThrow(
    /fit: y is missing, but the compiled loss needs targets for output\(s\) dense/,
  );
  expect(() => m.evaluate(x)).toThrow(ValueError);
  m.compile({ optimizer: 'sgd', metrics: ['mae'] });
  expect(() => m.evaluate(x)).toThrow(/evaluate: y is missing, but the compiled metrics need targets/);

  const p = penaltyModel();
  p.compile({ optimizer: 'sgd' });
  await expect(p.fit(x, null, { verbose: 0, sampleWeight: fill([10], 1) })).rejects.toThrow(
    /fit: sampleWeight weighs the compiled loss, but y is absent/,
  );
  await expect(p.fit(x, null, { verbose: 0, classWeight: { 0: 1 } })).rejects.toThrow(/fit: classWeight weighs the compiled loss/);
  // Without a compiled loss the penalty alone is trained and logged.
  const h = await p.fit(x, undefined, { verbose: 0, epochs: 1, validationData: [x] });
  expect(Object.keys(h.history).sort()).toEqual(['loss', 'val_loss']);

  const bad = new ActivityPenalty(1);
  expect(() => bad.addLoss(3 as unknown as Tensor)).toThrow(
    /Layer activity_penalty(_\d+)?: addLoss: the loss must be a Tensor computed in call\(\) \(Keras add_loss\) or a function returning one \(tfjs\), received number/,
  );
  expect(() => bad.addLoss(inp as unknown as Tensor)).toThrow(/received a symbolic tensor/);
});

test("tfjs's addLoss(fn): a function is kept and computed each time the losses are read", () => {
  const layer = layers.dense({ units: 2 });
  layer.apply(fill([1, 3], 1));
  let calls = 0;
  layer.addLoss(() => {
    calls++;
    return scalar(0.25);
  });
  layer.apply(fill([1, 3], 1));
  expect(layer.losses.map((l) => l.dataSync()[0])).toEqual([0.25]);
  expect(calls).toBe(1);
});

test('a layer shared within one model call keeps the losses of both calls; the next call replaces them (Keras)', () => {
  const shared = new ActivityPenalty(1, { name: 'shared_penalty' });
  const a = input({ shape: [2] });
  const b = input({ shape: [2] });
  const out = layers.add().apply([shared.apply(a) as SymbolicTensor, shared.apply(b) as SymbolicTensor]) as SymbolicTensor;
  const m = model({ inputs: [a, b], outputs: out });
  const xa = fill([1, 2], 2);
  const xb = fill([1, 2], 3);
  m.predict([xa, xb]);
  expect(m.losses.map((l) => l.dataSync()[0])).toEqual([4, 9]); // mean(x²) of each call
  m.predict([xb, xa]);
  expect(m.losses.map((l) => l.dataSync()[0])).toEqual([9, 4]);
  // Applying the layer alone is an outermost call of its own: its losses are that call's.
  shared.apply(fill([1, 2], 1));
  expect(shared.losses.map((l) => l.dataSync()[0])).toEqual([1]);
});

test('a model compiled without a loss saves its training config with loss null and loads back compiled without one', async () => {
  const inp = input({ shape: [3] });
  const m = model({ inputs: inp, outputs: layers.dense({ units: 1 }).apply(inp) as SymbolicTensor });
  m.compile({ optimizer: train.adam(0.01) });
  let saved: ModelArtifacts | undefined;
  await m.save(
    io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  expect((saved!.trainingConfig as { loss: unknown }).loss).toBeNull();
  const back = (await loadLayersModel(io.fromMemory(saved!))) as LayersModel;
  expect(back.compiled).toBe(true);
  expect(back.loss).toBeNull();
});

test('losses added inside a wrapper (TimeDistributed) count once per call and do not pile up across calls', () => {
  const inp = input({ shape: [3, 2] });
  const td = layers.timeDistributed({ layer: new ActivityPenalty(1, { name: 'inner' }) }).apply(inp) as SymbolicTensor;
  const m = model({ inputs: inp, outputs: layers.globalAveragePooling1d().apply(td) as SymbolicTensor });
  const x = fill([2, 3, 2], 2);
  m.predict(x);
  const first = m.losses.map((l) => l.dataSync()[0]);
  expect(first.length).toBeGreaterThan(0);
  expect(first.every((v) => v === 4)).toBe(true); // mean(x²) of every slice the inner layer saw
  m.predict(x);
  m.predict(x);
  expect(m.losses.map((l) => l.dataSync()[0])).toEqual(first);
});
