/**
 * A two-input, two-output functional model trained as Keras 3 trains it (fixtures/keras/functional_training,
 * written by generate.py with Keras 3.15 on TensorFlow 2.21 CPU): same graph, same starting weights, SGD with
 * shuffle off, so every epoch log and every weight after training is Keras's number. Per-output losses with
 * `lossWeights`, per-output metrics, one `sampleWeight` for both outputs, `validationSplit` then `validationData`,
 * evaluate (with and without sample weights), predict and trainOnBatch; and `classWeight` on a one-output model.
 * Then Keras's weighting features: `sampleWeight` per output (array with nulls, or by output name) in fit, evaluate,
 * trainOnBatch and fitDataset, `validationData` with sample weights (tensors and datasets), and `weightedMetrics`
 * (names, values, epoch means Σw·v/Σw, class weights in them, training config written and read).
 */
import * as fs from 'fs';
import * as path from 'path';
import { NotImplementedError, Tensor, tensor, ValueError } from '@recurrent/core';
import { input, layers, regularizers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { data, fitDataset, io, LayersModel, loadLayersModel, model, train } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';

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
  weighted: {
    start_weights: Weights;
    x: Enc[];
    y: Enc[];
    sw1: Enc;
    sw2: Enc;
    x_val: Enc[];
    y_val: Enc[];
    vsw1: Enc;
    vsw2: Enc;
    fit_valdata: { history: History; weights_after: Weights };
    fit_split: { history: History; weights_after: Weights };
    evaluate_list: Logs;
    evaluate_dict: Logs;
    train_on_batch: { logs: Logs; weights_after: Weights };
    fit_dataset: { history: History; weights_after: Weights };
    compile_weighted_metrics: { [output: string]: string[] };
  };
  temporal: {
    start_weights: Weights;
    x: Enc;
    y: Enc[];
    sample_weight: Enc;
    x_val: Enc;
    y_val: Enc[];
    val_sample_weight: Enc[];
    history: History;
    weights_after: Weights;
    evaluate: Logs;
  };
  weighted_one: {
    start_weights: Weights;
    x: Enc;
    y: Enc;
    class_weight: { [k: string]: number };
    history: History;
    weights_after: Weights;
    sample_weight: Enc;
    evaluate: Logs;
  };
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
  lstm_seq: ['lstm_seq/lstm_cell/kernel', 'lstm_seq/lstm_cell/recurrent_kernel', 'lstm_seq/lstm_cell/bias'],
  seq: ['seq/kernel', 'seq/bias'],
  last: ['last/kernel', 'last/bias'],
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

function twoHeads(weightedMetrics?: { [output: string]: string[] }, start: Weights = REF.two_heads.start_weights): LayersModel {
  const a = input({ shape: [4], name: 'in_a' });
  const b = input({ shape: [3, 2], name: 'in_b' });
  const h = layers.lstm({ units: 3, recurrentActivation: 'sigmoid', name: 'lstm' }).apply(b) as SymbolicTensor;
  const g = layers.dense({ units: 3, activation: 'tanh', name: 'da' }).apply(a) as SymbolicTensor;
  const c = layers.concatenate({ name: 'cat' }).apply([g, h]) as SymbolicTensor;
  const out1 = layers.dense({ units: 2, name: 'out1' }).apply(c) as SymbolicTensor;
  const out2 = layers.dense({ units: 3, activation: 'softmax', name: 'out2' }).apply(c) as SymbolicTensor;
  const m = model({ inputs: [a, b], outputs: [out1, out2], name: 'two_heads' });
  setKerasWeights(m, start);
  m.compile({
    optimizer: train.sgd(0.1),
    loss: { out1: 'meanSquaredError', out2: 'categoricalCrossentropy' },
    lossWeights: { out1: 1, out2: 0.5 },
    metrics: { out1: ['mae'], out2: ['mae', 'categoricalAccuracy'] },
    ...(weightedMetrics ? { weightedMetrics } : {}),
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

describe(`per-output sample weights, validation sample weights and weighted metrics as Keras ${REF.keras_version}`, () => {
  const W = REF.weighted;
  const x = W.x.map(t);
  const y = W.y.map(t);
  const xVal = W.x_val.map(t);
  const yVal = W.y_val.map(t);
  const [sw1, sw2, vsw1, vsw2] = [W.sw1, W.sw2, W.vsw1, W.vsw2].map(t);
  const WEIGHTED = { out1: ['mae'], out2: ['mse', 'categoricalAccuracy'] };
  const weighted = (start: Weights = W.start_weights) => twoHeads(WEIGHTED, start);
  const asDict = (m: LayersModel, outs: Tensor | Tensor[]): Logs =>
    Object.fromEntries(m.metricsNames.map((k, i) => [k, ([] as Tensor[]).concat(outs)[i].dataSync()[0]]));

  test("log names: a weighted metric is 'weighted_<name>' beside the same unweighted metric of its output, else '<name>'", () => {
    const m = weighted();
    // Keras 3: all unweighted metrics, then the weighted ones (its History sorts the keys; its compile metrics keep this order).
    expect(m.metricsNames).toEqual([
      'loss',
      'out1_loss',
      'out2_loss',
      'out1_mae',
      'out2_mae',
      'out2_categoricalAccuracy',
      'out1_weighted_mae',
      'out2_mse',
      'out2_weighted_categoricalAccuracy',
    ]);
    expect(m.metricsNames.slice().sort()).toEqual(Object.keys(W.evaluate_list).map(ourKey).sort());
  });

  test('fit with sampleWeight [w, null] and validationData [x, y, [w1, w2]], then {out1, out2} with validationSplit', async () => {
    const m = weighted();
    const h1 = await m.fit(x, y, {
      sampleWeight: [sw1, null],
      epochs: 2,
      batchSize: 4,
      shuffle: false,
      validationData: [xVal, yVal, [vsw1, vsw2]],
      verbose: 0,
    });
    expectLogs(h1.history as History, W.fit_valdata.history, 'fit (validationData with weights)');
    expectWeights(m, W.fit_valdata.weights_after);
    // The validation split takes the last rows of each output's weights.
    const h2 = await m.fit(x, y, {
      sampleWeight: { out1: sw1, out2: sw2 },
      epochs: 1,
      batchSize: 3,
      shuffle: false,
      validationSplit: 0.25,
      verbose: 0,
    });
    expectLogs(h2.history as History, W.fit_split.history, 'fit (validationSplit, weights by output name)');
    expectWeights(m, W.fit_split.weights_after);
  });

  test('evaluate with [null, w] in batches of 2 (weighted metrics: Σw·v/Σw over all samples) and with {out1, out2}', () => {
    const m = weighted(W.fit_split.weights_after);
    expectLogs(asDict(m, m.evaluate(xVal, yVal, { batchSize: 2, sampleWeight: [null, vsw2] })), W.evaluate_list, 'evaluate [null, w]');
    expectLogs(
      asDict(m, m.evaluate(xVal, yVal, { batchSize: 4, sampleWeight: { out1: vsw1, out2: vsw2 } })),
      W.evaluate_dict,
      'evaluate {out1, out2}',
    );
  });

  test('trainOnBatch with [w, null]: logs before the step, weights after', async () => {
    const m = weighted(W.fit_split.weights_after);
    const logs = (await m.trainOnBatch(xVal, yVal, [vsw1, null])) as number[];
    expectLogs(Object.fromEntries(m.metricsNames.map((k, i) => [k, logs[i]])), W.train_on_batch.logs, 'trainOnBatch');
    expectWeights(m, W.train_on_batch.weights_after);
  });

  test('fitDataset on [xs, ys, sampleWeight] batches with a validation dataset of {xs, ys, sampleWeight} batches', async () => {
    const m = weighted();
    const rows = (ts: Tensor[], s: number, e: number) =>
      ts.map((a) =>
        tensor(Array.from(a.dataSync()).slice((s * a.size) / a.shape[0], (e * a.size) / a.shape[0]), [e - s, ...a.shape.slice(1)]),
      );
    const batches = [0, 4].map((s) => [rows(x, s, s + 4), rows(y, s, s + 4), rows([sw1, sw2], s, s + 4)]);
    // Two validation batches whose weights sum differently: the weighted metrics are Σw·v/Σw over both, as Keras.
    const val = data.array(
      [0, 2].map((s) => ({ xs: rows(xVal, s, s + 2), ys: rows(yVal, s, s + 2), sampleWeight: rows([vsw1, vsw2], s, s + 2) })),
    );
    const h = await fitDataset(m, data.array(batches), { epochs: 2, verbose: 0, validationData: val });
    expectLogs(h.history as History, W.fit_dataset.history, 'fitDataset');
    expectWeights(m, W.fit_dataset.weights_after);
    // The same validation as [xVal, yVal, {out1, out2}] tensors (equal-size batches: the same means as Keras's).
    const m2 = weighted();
    const h2 = await fitDataset(m2, data.array(batches), {
      epochs: 2,
      verbose: 0,
      validationData: [xVal, yVal, { out1: vsw1, out2: vsw2 }],
      validationBatchSize: 2,
    });
    expectLogs(h2.history as History, W.fit_dataset.history, 'fitDataset (tensor validation data)');
  });

  test("weighted_metrics in the training config: written as Keras's compile config, read back compiled", async () => {
    const m = weighted(W.fit_split.weights_after);
    expect(m.getTrainingConfig().weighted_metrics).toEqual(W.compile_weighted_metrics);
    let saved: ModelArtifacts | undefined;
    await m.save(
      io.withSaveHandler(async (a: ModelArtifacts) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } } as never;
      }),
      { includeOptimizer: true },
    );
    const loaded = await loadLayersModel(io.fromMemory(saved!));
    expect(loaded.metricsNames).toEqual(m.metricsNames);
    expectLogs(
      asDict(loaded, loaded.evaluate(xVal, yVal, { batchSize: 2, sampleWeight: [null, vsw2] })),
      W.evaluate_list,
      'loaded evaluate',
    );
    // Without weighted metrics no key is written (as tfjs).
    expect('weighted_metrics' in twoHeads().getTrainingConfig()).toBe(false);
  });

  test('one output: class weights weigh the weighted metrics (epoch Σw·v/Σw); evaluate in batches 5, 5, 2 with weights', async () => {
    const C = REF.weighted_one;
    const xIn = input({ shape: [3], name: 'x' });
    const hidden = layers.dense({ units: 4, activation: 'tanh', name: 'hidden' }).apply(xIn) as SymbolicTensor;
    const probs = layers.dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(hidden) as SymbolicTensor;
    const m = model({ inputs: xIn, outputs: probs, name: 'one_head' });
    setKerasWeights(m, C.start_weights);
    m.compile({
      optimizer: train.sgd(0.2),
      loss: 'categoricalCrossentropy',
      metrics: ['categoricalAccuracy'],
      weightedMetrics: ['categoricalAccuracy', 'mae'],
    });
    expect(m.metricsNames).toEqual(['loss', 'categoricalAccuracy', 'weighted_categoricalAccuracy', 'mae']);
    const classWeight = Object.fromEntries(Object.entries(C.class_weight).map(([k, v]) => [Number(k), v]));
    const h = await m.fit(t(C.x), t(C.y), { classWeight, epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    expectLogs(h.history as History, C.history, 'fit classWeight');
    expectWeights(m, C.weights_after);
    const ev = m.evaluate(t(C.x), t(C.y), { batchSize: 5, sampleWeight: t(C.sample_weight) }) as Tensor[];
    expectLogs(Object.fromEntries(m.metricsNames.map((k, i) => [k, ev[i].dataSync()[0]])), C.evaluate, 'evaluate sampleWeight');
  });
});

describe(`per-time-step weights for one output of two as Keras ${REF.keras_version}`, () => {
  test('fit with sampleWeight [[batch, steps], null], validationData with [per-step, per-sample] weights; evaluate', async () => {
    const R = REF.temporal;
    const xIn = input({ shape: [4, 2], name: 'seq_in' });
    const hs = layers
      .lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid', name: 'lstm_seq' })
      .apply(xIn) as SymbolicTensor;
    const seq = layers.dense({ units: 2, name: 'seq' }).apply(hs) as SymbolicTensor;
    const cropped = layers.cropping1d({ cropping: [3, 0], name: 'crop' }).apply(hs) as SymbolicTensor;
    const last = layers.dense({ units: 1, name: 'last' }).apply(layers.flatten({ name: 'flat' }).apply(cropped)) as SymbolicTensor;
    const m = model({ inputs: xIn, outputs: [seq, last], name: 'temporal' });
    setKerasWeights(m, R.start_weights);
    m.compile({
      optimizer: train.sgd(0.1),
      loss: { seq: 'meanSquaredError', last: 'meanAbsoluteError' },
      weightedMetrics: { seq: ['mae'] },
    });
    const yVal = R.y_val.map(t);
    const valWeights = R.val_sample_weight.map(t);
    const h = await m.fit(t(R.x), R.y.map(t), {
      sampleWeight: [t(R.sample_weight), null],
      epochs: 2,
      batchSize: 3,
      shuffle: false,
      validationData: [t(R.x_val), yVal, valWeights],
      verbose: 0,
    });
    expectLogs(h.history as History, R.history, 'fit (per-step weights)');
    expectWeights(m, R.weights_after);
    const ev = m.evaluate(t(R.x_val), yVal, { batchSize: 2, sampleWeight: { seq: valWeights[0], last: valWeights[1] } }) as Tensor[];
    expectLogs(Object.fromEntries(m.metricsNames.map((k, i) => [k, ev[i].dataSync()[0]])), R.evaluate, 'evaluate (per-step weights)');
  });
});

describe('a per-sample weight on a sequence output (Keras 3 refuses it for the loss; we weigh each sample)', () => {
  test("the weighted metric is Σ_i w_i · mean_t(v_it) / Σ_i w_i (float64 hand formula from predict's outputs)", () => {
    const R = REF.temporal;
    const xIn = input({ shape: [4, 2] });
    const seq = layers.dense({ units: 2 }).apply(layers.lstm({ units: 3, returnSequences: true }).apply(xIn)) as SymbolicTensor;
    const m = model({ inputs: xIn, outputs: seq });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', weightedMetrics: ['mae'] });
    const x = t(R.x_val);
    const y = t(R.y_val[0]);
    const w = [0.5, 2, 0, 1, 3, 0.25];
    const ev = m.evaluate(x, y, { batchSize: 4, sampleWeight: tensor(w, [6]) }) as Tensor[];
    const p = m.predict(x) as Tensor;
    const [pv, yv] = [p.dataSync(), y.dataSync()];
    let num = 0;
    for (let i = 0; i < 6; i++) {
      let s = 0;
      for (let j = 0; j < 8; j++) s += Math.abs(pv[i * 8 + j] - yv[i * 8 + j]);
      num += w[i] * (s / 8);
    }
    expect(m.metricsNames).toEqual(['loss', 'mae']);
    expectClose([ev[1].dataSync()[0]], [num / w.reduce((a, b) => a + b, 0)], 'weighted mae');
  });
});

describe('bad sample weights, validation data and weighted metrics are refused naming the argument, output and expected', () => {
  const W = REF.weighted;
  const x = W.x.map(t);
  const y = W.y.map(t);
  const xVal = W.x_val.map(t);
  const yVal = W.y_val.map(t);
  const [sw1, vsw1] = [W.sw1, W.vsw1].map(t);
  const fitWith = (args: object) => twoHeads().fit(x, y, { epochs: 1, verbose: 0, ...args });

  test('sampleWeight: wrong count, unknown output, wrong length, temporal weights on a non-sequence output', async () => {
    await expect(fitWith({ sampleWeight: [sw1] })).rejects.toThrow(ValueError);
    await expect(fitWith({ sampleWeight: [sw1, null, sw1] })).rejects.toThrow(
      /^fit: sampleWeight is an array of 3, but the model has 2 output\(s\) \(out1, out2\); give one Tensor \(or null\) per output/,
    );
    expect(() => twoHeads().evaluate(xVal, yVal, { sampleWeight: { out3: vsw1 } })).toThrow(
      "evaluate: unknown output 'out3' in sampleWeight; the model's outputs are: out1, out2.",
    );
    await expect(fitWith({ sampleWeight: { out2: vsw1 } })).rejects.toThrow(
      "fit: sampleWeight['out2'] must be a Tensor of shape [8] (one weight per sample) or [8, timeSteps] (one per time step), received shape [4].",
    );
    await expect(twoHeads().trainOnBatch(xVal, yVal, [null, tensor([1, 2, 3, 4, 5, 6, 7, 8], [4, 2])])).rejects.toThrow(
      /^trainOnBatch: sampleWeight\['out2'\] has shape \[4,2\] \(one weight per time step\), but y\['out2'\] has shape \[4,3\]/,
    );
    await expect(fitWith({ sampleWeight: 'all' })).rejects.toThrow(/^fit: sampleWeight must be a Tensor, an array .* received string/);
  });

  test('validationData: its sample weights checked against the validation samples; four entries refused', async () => {
    await expect(fitWith({ validationData: [xVal, yVal, [sw1, null]] })).rejects.toThrow(
      "fit: validationData sampleWeight['out1'] must be a Tensor of shape [4] (one weight per sample) or [4, timeSteps] (one per time step), received shape [8].",
    );
    await expect(fitWith({ validationData: [xVal, yVal, { out9: vsw1 }] })).rejects.toThrow(
      "fit: unknown output 'out9' in validationData sampleWeight; the model's outputs are: out1, out2.",
    );
    await expect(fitWith({ validationData: [xVal, yVal, [vsw1], 1] })).rejects.toThrow(
      'fit: validationData must be [xVal, yVal] or [xVal, yVal, sampleWeightVal], received an array of 4.',
    );
  });

  test('fitDataset: bad weights of a batch name the batch; class weights with dataset sample weights refused (as Keras)', async () => {
    const ds = data.array([[xVal, yVal, [vsw1]]]);
    await expect(fitDataset(twoHeads(), ds, { epochs: 1, verbose: 0 })).rejects.toThrow(
      /^fitDataset: batch 0 of epoch 1: trainOnBatch: sampleWeight is an array of 1, but the model has 2 output\(s\)/,
    );
    const m = twoHeads();
    await expect(
      fitDataset(m, data.array([[xVal, yVal, [vsw1, null]]]), { epochs: 1, verbose: 0, classWeight: [{ 0: 1 }, { 0: 2 }] }),
    ).rejects.toThrow(/classWeight is set, but the dataset also yields sample weights; give one of them \(as Keras 3\)/);
    await expect(
      fitDataset(m, data.array([[xVal, yVal]]), { epochs: 1, verbose: 0, validationData: [xVal, yVal, [vsw1]] as never }),
    ).rejects.toThrow(/^evaluate: sampleWeight is an array of 1, but the model has 2 output/);
  });

  test('weightedMetrics: unknown output or metric at compile; a whole-batch metric cannot be weighted', async () => {
    const m = twoHeads();
    expect(() => m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', weightedMetrics: { nope: ['mae'] } })).toThrow(
      "compile: unknown output 'nope' in weightedMetrics; the model's outputs are: out1, out2.",
    );
    expect(() => m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', weightedMetrics: ['maeee'] })).toThrow(/^compile: .*maeee/);
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', weightedMetrics: { out2: ['precision'] } });
    expect(() => m.evaluate(xVal, [yVal[0], yVal[1]], { sampleWeight: [null, vsw1] })).toThrow(NotImplementedError);
    expect(() => m.evaluate(xVal, yVal, { sampleWeight: [null, vsw1] })).toThrow(
      "evaluate: weighted metric 'precision' of output 'out2' returned shape [], not one value per sample (or per time step) for the weights of shape [4]; only per-sample metrics can be weighted (put it in metrics instead).",
    );
    // Unweighted (no sample weights for that output) it is the plain metric.
    expect(m.evaluate(xVal, yVal, { sampleWeight: [vsw1, null] })).toHaveLength(4);
  });
});
