/**
 * A two-input, two-output functional model trained as Keras 3 trains it (fixtures/keras/functional_training,
 * written by generate.py with Keras 3.15 on TensorFlow 2.21 CPU): same graph, same starting weights, SGD with
 * shuffle off, so every epoch log and every weight after training is Keras's number. Per-output losses with
 * `lossWeights`, per-output metrics, one `sampleWeight` for both outputs, `validationSplit` then `validationData`,
 * evaluate (with and without sample weights), predict and trainOnBatch; and `classWeight` on a one-output model.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor, tensor } from '@recurrent/core';
import { input, layers, regularizers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { LayersModel, model, train } from '@recurrent/models';

interface Enc {
  shape: number[];
  values: number[];
}
type Logs = { [key: string]: number };
type History = { [key: string]: number[] };
type Weights = { [path: string]: Enc };

const REF = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras/functional_training/reference.json'), 'utf8')) as {
  keras_version: string;
  two_heads: {
    start_weights: Weights;
    x: Enc[];
    y: Enc[];
    sample_weight: Enc;
    fit_split: { history: History; weights_after: Weights };
    x_val: Enc[];
    y_val: Enc[];
    fit_valdata: { history: History; weights_after: Weights };
    evaluate: Logs;
    val_sample_weight: Enc;
    evaluate_sample_weight: Logs;
    evaluate_batches_4_1: Logs;
    predict: Enc[];
    train_on_batch: { logs: Logs; weights_after: Weights };
  };
  regularized: { start_weights: Weights; x: Enc[]; y: Enc[]; history: History; weights_after: Weights; evaluate: Logs };
  class_weight: { start_weights: Weights; x: Enc; y: Enc; class_weight: { [k: string]: number }; history: History; weights_after: Weights };
};

const t = (e: Enc): Tensor => tensor(e.values, e.shape);

/** Keras's weight paths of each of our layers, in our layer's weight order. */
const KERAS_PATHS: { [layer: string]: string[] } = {
  lstm: ['lstm/lstm_cell/kernel', 'lstm/lstm_cell/recurrent_kernel', 'lstm/lstm_cell/bias'],
  da: ['da/kernel', 'da/bias'],
  out1: ['out1/kernel', 'out1/bias'],
  out2: ['out2/kernel', 'out2/bias'],
  hidden: ['hidden/kernel', 'hidden/bias'],
  trunk: ['trunk/kernel', 'trunk/bias'],
  reg1: ['reg1/kernel', 'reg1/bias'],
  reg2: ['reg2/kernel', 'reg2/bias'],
  probs: ['probs/kernel', 'probs/bias'],
};

function setKerasWeights(m: LayersModel, w: Weights): void {
  for (const layer of m.layers) {
    const paths = KERAS_PATHS[layer.name];
    if (paths) layer.setWeights(paths.map((p) => t(w[p])));
  }
}

/** Worst |ours − Keras| / (atol + rtol·|Keras|) over every weight; ≤ 1 passes. */
function expectWeights(m: LayersModel, w: Weights, rtol = 1e-5, atol = 1e-6): void {
  for (const layer of m.layers) {
    const paths = KERAS_PATHS[layer.name];
    if (!paths) continue;
    layer.getWeights().forEach((ours, i) => expectClose(Array.from(ours.dataSync()), w[paths[i]].values, `${paths[i]}`, rtol, atol));
  }
}

function expectClose(got: ArrayLike<number>, want: number[], what: string, rtol = 1e-5, atol = 1e-6): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (atol + rtol * Math.abs(want[i])));
  if (!(worst <= 1))
    throw new Error(`${what} differs from Keras (worst ratio ${worst}):\n got  ${Array.from(got).join(', ')}\n want ${want.join(', ')}`);
}

/**
 * Keras's log key in our name. Deliberate (compile.ts): logs name a metric as tfjs does, by the identifier given
 * ('categoricalAccuracy'); Keras 3 by the metric's snake_case name ('categorical_accuracy'). The rest is Keras's.
 */
const ourKey = (kerasKey: string) => kerasKey.replace('categorical_accuracy', 'categoricalAccuracy');

function expectLogs(ours: { [k: string]: number | number[] }, keras: { [k: string]: number | number[] }, what: string): void {
  expect(Object.keys(ours).sort()).toEqual(Object.keys(keras).map(ourKey).sort());
  for (const k of Object.keys(keras))
    expectClose(([] as number[]).concat(ours[ourKey(k)]), ([] as number[]).concat(keras[k]), `${what} ${k}`);
}

function twoHeads(): LayersModel {
  const a = input({ shape: [4], name: 'in_a' });
  const b = input({ shape: [3, 2], name: 'in_b' });
  const h = layers.lstm({ units: 3, recurrentActivation: 'sigmoid', name: 'lstm' }).apply(b) as SymbolicTensor;
  const g = layers.dense({ units: 3, activation: 'tanh', name: 'da' }).apply(a) as SymbolicTensor;
  const c = layers.concatenate({ name: 'cat' }).apply([g, h]) as SymbolicTensor;
  const out1 = layers.dense({ units: 2, name: 'out1' }).apply(c) as SymbolicTensor;
  const out2 = layers.dense({ units: 3, activation: 'softmax', name: 'out2' }).apply(c) as SymbolicTensor;
  const m = model({ inputs: [a, b], outputs: [out1, out2], name: 'two_heads' });
  setKerasWeights(m, REF.two_heads.start_weights);
  m.compile({
    optimizer: train.sgd(0.1),
    loss: { out1: 'meanSquaredError', out2: 'categoricalCrossentropy' },
    lossWeights: { out1: 1, out2: 0.5 },
    metrics: { out1: ['mae'], out2: ['mae', 'categoricalAccuracy'] },
  });
  return m;
}

beforeEach(() => resetNameCounters());

describe(`a two-input, two-output functional model trained as Keras ${REF.keras_version}`, () => {
  const R = REF.two_heads;
  const x = R.x.map(t);
  const y = R.y.map(t);
  const xVal = R.x_val.map(t);
  const yVal = R.y_val.map(t);

  test('fit with sampleWeight and validationSplit, then validationData: epoch logs and weights after', async () => {
    const m = twoHeads();
    const h1 = await m.fit(x, y, {
      sampleWeight: t(R.sample_weight),
      epochs: 3,
      batchSize: 4,
      shuffle: false,
      validationSplit: 0.2,
      verbose: 0,
    });
    expectLogs(h1.history as History, R.fit_split.history, 'fit (validationSplit)');
    expectWeights(m, R.fit_split.weights_after);
    const h2 = await m.fit(x, y, { epochs: 2, batchSize: 5, shuffle: false, validationData: [xVal, yVal], verbose: 0 });
    expectLogs(h2.history as History, R.fit_valdata.history, 'fit (validationData)');
    expectWeights(m, R.fit_valdata.weights_after);
  });
});

describe(`evaluate, predict and trainOnBatch on the trained model as Keras ${REF.keras_version}`, () => {
  const R = REF.two_heads;
  const xVal = R.x_val.map(t);
  const yVal = R.y_val.map(t);

  function trained(): LayersModel {
    const m = twoHeads();
    setKerasWeights(m, R.fit_valdata.weights_after);
    return m;
  }
  /** evaluate's list in metricsNames order, as a dict. */
  const asDict = (m: LayersModel, outs: Tensor | Tensor[]): Logs =>
    Object.fromEntries(m.metricsNames.map((k, i) => [k, ([] as Tensor[]).concat(outs)[i].dataSync()[0]]));

  test('evaluate in one batch, with and without sampleWeight (metrics stay unweighted, as Keras `metrics`)', () => {
    const m = trained();
    expectLogs(asDict(m, m.evaluate(xVal, yVal, { batchSize: 5 })), R.evaluate, 'evaluate');
    expectLogs(
      asDict(m, m.evaluate(xVal, yVal, { batchSize: 5, sampleWeight: t(R.val_sample_weight) })),
      R.evaluate_sample_weight,
      'evaluate sampleWeight',
    );
  });

  test("in batches of 4 and 1 the loss and metrics are Keras's; per-output losses weigh batches by size (Keras: each batch once)", () => {
    const m = trained();
    const ours = asDict(m, m.evaluate(xVal, yVal, { batchSize: 4 }));
    const keras = R.evaluate_batches_4_1;
    for (const k of ['loss', 'out1_mae', 'out2_mae', 'out2_categorical_accuracy'])
      expectClose([ours[ourKey(k)]], [keras[k]], `evaluate ${k}`);
    // Deliberate: our per-output losses are the sample means (the one-batch values), so that
    // loss = out1_loss + 0.5·out2_loss holds; Keras 3 averages its per-output loss trackers over batches unweighted.
    expectClose([ours.out1_loss, ours.out2_loss], [R.evaluate.out1_loss, R.evaluate.out2_loss], 'evaluate per-output losses');
    expect(Math.abs(ours.out1_loss - keras.out1_loss)).toBeGreaterThan(0.01);
    expectClose([ours.out1_loss + 0.5 * ours.out2_loss], [keras.loss], 'loss as the weighted sum');
  });

  test('predict', () => {
    const m = trained();
    const outs = m.predict(xVal, { batchSize: 4 }) as Tensor[];
    outs.forEach((o, i) => expectClose(Array.from(o.dataSync()), R.predict[i].values, `predict output ${i}`));
  });

  test('trainOnBatch with sampleWeight: the logs (before the step) and the weights after', async () => {
    const m = trained();
    const logs = (await m.trainOnBatch(xVal, yVal, t(R.val_sample_weight))) as number[];
    expectLogs(Object.fromEntries(m.metricsNames.map((k, i) => [k, logs[i]])), R.train_on_batch.logs, 'trainOnBatch');
    expectWeights(m, R.train_on_batch.weights_after);
  });
});

describe(`classWeight on a one-output model as Keras ${REF.keras_version}`, () => {
  test('fit with classWeight and validationSplit (class weights weigh training only): logs and weights after', async () => {
    const C = REF.class_weight;
    const xIn = input({ shape: [3], name: 'x' });
    const hidden = layers.dense({ units: 4, activation: 'tanh', name: 'hidden' }).apply(xIn) as SymbolicTensor;
    const probs = layers.dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(hidden) as SymbolicTensor;
    const m = model({ inputs: xIn, outputs: probs, name: 'one_head' });
    setKerasWeights(m, C.start_weights);
    m.compile({ optimizer: train.sgd(0.2), loss: 'categoricalCrossentropy', metrics: ['categoricalAccuracy'] });
    const classWeight = Object.fromEntries(Object.entries(C.class_weight).map(([k, v]) => [Number(k), v]));
    // 9 training samples in batches of 4, 4 and 1: the epoch loss weighs batches by size, as Keras's.
    const h = await m.fit(t(C.x), t(C.y), { classWeight, epochs: 2, batchSize: 4, shuffle: false, validationSplit: 0.25, verbose: 0 });
    expectLogs(h.history as History, C.history, 'fit classWeight');
    expectWeights(m, C.weights_after);
  });
});

describe(`regularization penalties in a two-output model as Keras ${REF.keras_version}`, () => {
  test("kernel, bias and activity regularizers: in 'loss' and 'val_loss', not in the per-output losses; weights after", async () => {
    const R = REF.regularized;
    const a = input({ shape: [3], name: 'in_a' });
    const b = input({ shape: [2], name: 'in_b' });
    const c = layers.concatenate({ name: 'cat' }).apply([a, b]) as SymbolicTensor;
    const h = layers
      .dense({ units: 4, activation: 'tanh', kernelRegularizer: regularizers.l2({ l2: 0.05 }), name: 'trunk' })
      .apply(c) as SymbolicTensor;
    const out1 = layers.dense({ units: 1, biasRegularizer: regularizers.l1({ l1: 0.1 }), name: 'reg1' }).apply(h) as SymbolicTensor;
    const out2 = layers.dense({ units: 2, activityRegularizer: regularizers.l2({ l2: 0.02 }), name: 'reg2' }).apply(h) as SymbolicTensor;
    const m = model({ inputs: [a, b], outputs: [out1, out2], name: 'regularized' });
    setKerasWeights(m, R.start_weights);
    m.compile({ optimizer: train.sgd(0.1), loss: ['meanSquaredError', 'meanAbsoluteError'], lossWeights: [0.7, 1.3] });
    const x = R.x.map(t);
    const y = R.y.map(t);
    const h1 = await m.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, validationSplit: 0.2, verbose: 0 });
    expectLogs(h1.history as History, R.history, 'fit');
    expectWeights(m, R.weights_after);
    const ev = m.evaluate(x, y, { batchSize: 10 }) as Tensor[];
    expectLogs(Object.fromEntries(m.metricsNames.map((k, i) => [k, ev[i].dataSync()[0]])), R.evaluate, 'evaluate');
  });
});
