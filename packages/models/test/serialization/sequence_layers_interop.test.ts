/**
 * Model files with the layers real sequence models put around their recurrences (issue #16), both ways:
 * CNN-LSTM (Conv1D → MaxPooling1D → LSTM → Dense), Conv1D 'causal' → GRU, GRU → BatchNormalization → Dense.
 * Built and saved by tfjs (tf.io.withSaveHandler) → loaded here, predicting as tfjs (1e-5); saved here →
 * loaded by tfjs (tf.loadLayersModel(tf.io.fromMemory(...))), predicting the same. Also fit() parity with
 * tfjs on a Conv1D → BatchNormalization → MaxPooling1D → GRU → Dense model (the moving statistics are
 * updated by fit's training-mode calls, as in tfjs).
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import { layers, resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel, sequential, train } from '@recurrent/models';
import { copyWeights, expectWeightsClose, lcgData, pair } from '../engine/parity_helpers';
import { maxAbsDiff, saveToMemory, values } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

const TOL = 1e-5;
const B = 3;
const T = 12;
const F = 4;
const xValues = Array.from({ length: B * T * F }, (_, i) => Math.sin(0.37 * i + 0.1) * 1.3);
const ourX = () => tensor(xValues, [B, T, F]);
const tfX = () => tf.tensor(xValues, [B, T, F]);

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

/** Random values for every weight of a tfjs model (moving variances positive), so BatchNormalization's moving statistics matter. */
function randomizeTf(m: tf.Sequential, seed: number): void {
  const ws = m.weights.map((w, i) => {
    const v = lcgData(
      (w.shape as number[]).reduce((a, b) => a * b, 1),
      seed + i,
    );
    const positive = w.name.includes('moving_variance'); // tfjs may suffix a reused name ('..._1')
    return tf.tensor(
      Array.from(v, (e) => (positive ? 0.5 + Math.abs(e) : e * 0.8)),
      w.shape as number[],
    );
  });
  m.setWeights(ws);
}

interface FileCase {
  title: string;
  build: (L: any) => any[];
  /** tfjs cannot run the model itself ('causal' Conv1D): predictions come from this twin with the same weights on `twinInput`. */
  twin?: (L: any) => any[];
  twinInput?: (x: tf.Tensor) => tf.Tensor;
  /** Integer token ids (vocab 7, trailing zeros masked) instead of the float input. */
  ids?: boolean;
}

/** [B, T] ids in 1..6 with the last 3 steps of row 0 and the last 5 of row 2 set to 0 (padding). */
const idValues = Array.from({ length: B * T }, (_, i) => {
  const [b, t] = [Math.floor(i / T), i % T];
  return (b === 0 && t >= T - 3) || (b === 2 && t >= T - 5) ? 0 : 1 + ((i * 5 + 3) % 6);
});
const caseInput = (c: FileCase, lib: 'ours' | 'tf'): any =>
  c.ids ? (lib === 'ours' ? tensor(idValues, [B, T], 'int32') : tf.tensor(idValues, [B, T], 'int32')) : lib === 'ours' ? ourX() : tfX();

const CASES: FileCase[] = [
  {
    title: 'CNN-LSTM: Conv1D → MaxPooling1D → LSTM → Dense',
    build: (L) => [
      L.conv1d({ filters: 5, kernelSize: 3, activation: 'relu', inputShape: [T, F], name: 'conv1d' }),
      L.maxPooling1d({ poolSize: 2, name: 'max_pooling1d' }),
      L.lstm({ units: 4, name: 'lstm' }),
      L.dense({ units: 2, name: 'dense' }),
    ],
  },
  {
    title: "Conv1D 'causal' (dilation 2) → GRU",
    build: (L) => [
      L.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'causal', activation: 'tanh', inputShape: [T, F], name: 'conv1d' }),
      L.gru({ units: 4, resetAfter: false, returnSequences: true, name: 'gru' }),
    ],
    // tfjs's Conv1D does not run 'causal': the same conv 'valid' on the input padded by (k − 1)·dilation = 4 steps.
    twin: (L) => [
      L.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2, activation: 'tanh', inputShape: [T + 4, F], name: 'conv1d' }),
      L.gru({ units: 4, resetAfter: false, returnSequences: true, name: 'gru' }),
    ],
    twinInput: (x) =>
      tf.pad(x, [
        [0, 0],
        [4, 0],
        [0, 0],
      ]),
  },
  {
    title: 'Embedding(maskZero) → LSTM → BatchNormalization → LeakyReLU → GRU → Dense (the mask passes BN and LeakyReLU)',
    ids: true,
    build: (L) => [
      L.embedding({ inputDim: 7, outputDim: 4, maskZero: true, inputLength: T, name: 'embedding' }),
      L.lstm({ units: 4, returnSequences: true, name: 'lstm' }),
      L.batchNormalization({ name: 'batch_normalization' }),
      L.leakyReLU({ name: 'leaky_re_lu' }),
      L.gru({ units: 3, resetAfter: false, name: 'gru' }),
      L.dense({ units: 2, name: 'dense' }),
    ],
  },
  {
    title: 'GRU → BatchNormalization → Dense',
    build: (L) => [
      L.gru({ units: 5, resetAfter: false, inputShape: [T, F], name: 'gru' }),
      L.batchNormalization({ name: 'batch_normalization' }),
      L.dense({ units: 3, activation: 'softmax', name: 'dense' }),
    ],
  },
];

/** tfjs's prediction for a (tfjs) model of the case, through the twin when tfjs cannot run the model. */
function tfPredict(c: FileCase, m: tf.Sequential): number[] {
  if (!c.twin) return values(m.predict(caseInput(c, 'tf')));
  const twin = tf.sequential({ layers: c.twin(tf.layers) });
  twin.setWeights(m.getWeights());
  return values(twin.predict(c.twinInput!(tfX())));
}

describe('tfjs → recurrent', () => {
  CASES.forEach((c, k) => {
    it(`${c.title}: saved by tfjs, loads here and predicts the same`, async () => {
      const theirs = tf.sequential({ layers: c.build(tf.layers) });
      randomizeTf(theirs, 10 + k);
      const expected = tfPredict(c, theirs);
      const artifacts = await saveToMemory(theirs, tf.io);
      const m = await loadLayersModel(io.fromMemory(artifacts));
      expect(m.loadReport!.matched.map((w) => w.source)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
      m.weights.forEach((w: any, i: number) => expect(values(w)).toEqual(values(theirs.weights[i].read())));
      expect(maxAbsDiff(values(m.predict(caseInput(c, 'ours'))), expected)).toBeLessThanOrEqual(TOL);
    });
  });
});

describe('recurrent → tfjs', () => {
  CASES.forEach((c, k) => {
    it(`${c.title}: saved here (after fit, so BatchNormalization's moving statistics moved), loads in tfjs and predicts the same`, async () => {
      const model = sequential({ layers: c.build(layers) });
      model.compile({ optimizer: train.sgd(0.05), loss: 'meanSquaredError' });
      const out = model.predict(caseInput(c, 'ours')) as Tensor;
      const y = tensor(lcgData(out.size, 40 + k), out.shape);
      const before = model.getWeights().map((w: Tensor) => values(w));
      await model.fit(caseInput(c, 'ours'), y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
      // Every weight moved (the moving statistics by the training-mode calls).
      model.getWeights().forEach((w: Tensor, i: number) => expect(maxAbsDiff(values(w), before[i])).toBeGreaterThan(1e-6));
      const expected = values(model.predict(caseInput(c, 'ours')));
      const artifacts = await saveToMemory(model);
      const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts as any));
      expect(theirs.weights.map((w: any) => w.originalName)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
      expect(maxAbsDiff(tfPredict(c, theirs as tf.Sequential), expected)).toBeLessThanOrEqual(TOL);
    });
  });
});

describe('Embedding(maskZero) → Conv1D → GRU (a Keras 3 text CNN-RNN)', () => {
  it('the mask stops at the Conv1D (warning, as Keras 3): predictions equal the same model without maskZero', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const build = (maskZero: boolean) =>
        sequential({
          layers: [
            layers.embedding({ inputDim: 7, outputDim: 4, maskZero, inputLength: T, name: 'embedding' }),
            layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same', name: 'conv1d' }),
            layers.gru({ units: 2, resetAfter: false, name: 'gru' }),
          ],
        });
      const a = build(true);
      const b = build(false);
      b.setWeights(a.getWeights());
      const ids = tensor(idValues, [B, T], 'int32');
      expect(values(a.predict(ids))).toEqual(values(b.predict(ids)));
      // The model's executor, as tfjs's, gives no mask to a layer that does not support masking: none goes past it.
      expect(a.getLayer('conv1d').supportsMasking).toBe(false);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('fit() parity with tfjs: Conv1D → BatchNormalization → MaxPooling1D → GRU → Dense (SGD)', () => {
  it('weights, including the moving statistics, agree after 2 epochs of 3 batches', async () => {
    const build = (L: any) => [
      L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [T, F] }),
      L.batchNormalization({ momentum: 0.8 }),
      L.maxPooling1d({ poolSize: 2 }),
      L.gru({ units: 3, resetAfter: false }),
      L.dense({ units: 2 }),
    ];
    const theirs = tf.sequential({ layers: build(tf.layers) });
    const ours = sequential({ layers: build(layers) });
    randomizeTf(theirs, 3);
    copyWeights(theirs, ours as any);
    const x = pair(lcgData(6 * T * F, 5), [6, T, F]);
    const y = pair(lcgData(12, 6), [6, 2]);
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    ours.compile({ optimizer: train.sgd(0.1), loss: 'meanSquaredError' });
    const args = { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 };
    const movingBefore = values(ours.getWeights()[4]);
    await theirs.fit(x.t, y.t, args);
    await ours.fit(x.r, y.r, args);
    expect(maxAbsDiff(values(ours.getWeights()[4]), movingBefore)).toBeGreaterThan(1e-3);
    expectWeightsClose(theirs, ours as any);
  });
});

describe('a Keras 3 file (tensorflowjs_converter layout) with the new layers', () => {
  const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  const init = (cls: string) => ({ module: 'keras.initializers', class_name: cls, config: {}, registered_name: null });
  const layer = (cls: string, config: any) => ({
    module: 'keras.layers',
    class_name: cls,
    config: { trainable: true, dtype: policy, ...config },
    registered_name: null,
  });
  const topology = {
    keras_version: '3.3.3',
    backend: 'tensorflow',
    model_config: {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        trainable: true,
        dtype: policy,
        layers: [
          {
            module: 'keras.layers',
            class_name: 'InputLayer',
            config: { batch_shape: [null, T, F], dtype: 'float32', sparse: false, name: 'input_layer' },
            registered_name: null,
          },
          layer('Conv1D', {
            name: 'conv1d',
            filters: 4,
            kernel_size: [3],
            strides: [1],
            padding: 'causal',
            data_format: 'channels_last',
            dilation_rate: [1],
            groups: 1,
            activation: 'linear',
            use_bias: true,
            kernel_initializer: init('GlorotUniform'),
            bias_initializer: init('Zeros'),
            kernel_regularizer: null,
            bias_regularizer: null,
            activity_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          }),
          layer('BatchNormalization', {
            name: 'batch_normalization',
            axis: -1,
            momentum: 0.99,
            epsilon: 0.001,
            center: true,
            scale: true,
            beta_initializer: init('Zeros'),
            gamma_initializer: init('Ones'),
            moving_mean_initializer: init('Zeros'),
            moving_variance_initializer: init('Ones'),
            beta_regularizer: null,
            gamma_regularizer: null,
            beta_constraint: null,
            gamma_constraint: null,
            synchronized: true,
          }),
          layer('LeakyReLU', { name: 'leaky_re_lu', negative_slope: 0.2 }),
          layer('MaxPooling1D', { name: 'max_pooling1d', pool_size: [2], padding: 'valid', strides: [2], data_format: 'channels_last' }),
          layer('SeparableConv1D', {
            name: 'separable_conv1d',
            filters: 3,
            kernel_size: [2],
            strides: [1],
            padding: 'same',
            data_format: 'channels_last',
            dilation_rate: [1],
            depth_multiplier: 2,
            activation: 'relu',
            use_bias: true,
            depthwise_initializer: init('GlorotUniform'),
            pointwise_initializer: init('GlorotUniform'),
            bias_initializer: init('Zeros'),
            depthwise_regularizer: null,
            pointwise_regularizer: null,
            bias_regularizer: null,
            activity_regularizer: null,
            depthwise_constraint: null,
            pointwise_constraint: null,
            bias_constraint: null,
          }),
          layer('GaussianNoise', { name: 'gaussian_noise', stddev: 0.1, seed: null }),
          layer('GlobalAveragePooling1D', { name: 'global_average_pooling1d', data_format: 'channels_last', keepdims: false }),
          layer('Dense', {
            name: 'dense',
            units: 2,
            activation: 'softmax',
            use_bias: true,
            kernel_initializer: init('GlorotUniform'),
            bias_initializer: init('Zeros'),
            kernel_regularizer: null,
            bias_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          }),
        ],
      },
    },
  };
  const specs = [
    ['conv1d/kernel', [3, F, 4]],
    ['conv1d/bias', [4]],
    ['batch_normalization/gamma', [4]],
    ['batch_normalization/beta', [4]],
    ['batch_normalization/moving_mean', [4]],
    ['batch_normalization/moving_variance', [4]],
    ['separable_conv1d/depthwise_kernel', [2, 4, 2]],
    ['separable_conv1d/pointwise_kernel', [1, 8, 3]],
    ['separable_conv1d/bias', [3]],
    ['dense/kernel', [3, 2]],
    ['dense/bias', [2]],
  ].map(([name, shape]) => ({ name: name as string, shape: shape as number[], dtype: 'float32' as const }));

  it('loads (Keras 3 keys: groups, data_format, synchronized (in the load report), negative_slope, axis) and predicts as the same model built here', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const weights = specs.map((s, i) => {
        const v = lcgData(
          s.shape.reduce((a, b) => a * b, 1),
          60 + i,
        );
        return tensor(
          Array.from(v, (e) => (s.name.endsWith('moving_variance') ? 0.5 + Math.abs(e) : e)),
          s.shape,
        );
      });
      const { data } = io.encodeWeights(specs.map((s, i) => ({ name: s.name, tensor: weights[i] })));
      const m = await loadLayersModel(
        io.fromMemory({
          modelTopology: topology as any,
          weightSpecs: specs,
          weightData: data,
          format: 'layers-model',
          generatedBy: 'keras v3.3.3',
        }),
      );
      expect(m.loadReport!.missing).toEqual([]);
      expect(m.loadReport!.extra).toEqual([]);
      // The loader drops Keras's batch-norm keys it does not implement and reports those that matter.
      expect(m.loadReport!.warnings).toContainEqual(
        expect.stringMatching(/batch_normalization.*synchronized ignored: training uses plain batch statistics/),
      );
      const byHand = sequential({
        layers: [
          layers.conv1d({ filters: 4, kernelSize: 3, padding: 'causal', inputShape: [T, F] }),
          layers.batchNormalization(),
          layers.leakyReLU({ alpha: 0.2 }),
          layers.maxPooling1d({ poolSize: 2 }),
          layers.separableConv1d({ filters: 3, kernelSize: 2, padding: 'same', depthMultiplier: 2, activation: 'relu' }),
          layers.gaussianNoise({ stddev: 0.1 }),
          layers.globalAveragePooling1d(),
          layers.dense({ units: 2, activation: 'softmax' }),
        ],
      });
      // Model weights are trainable then non-trainable (as tfjs): set them by name.
      const byName = new Map(specs.map((sp, i) => [sp.name, weights[i]]));
      byHand.setWeights(byHand.weights.map((w: any) => byName.get(w.originalName)!));
      const p = values(m.predict(ourX()));
      expect(maxAbsDiff(p, values(byHand.predict(ourX())))).toBeLessThanOrEqual(1e-6);
      // Saved here, it loads here again to the same predictions (tfjs has no SeparableConv1D class to read it).
      const again = await loadLayersModel(io.fromMemory(await saveToMemory(m)));
      expect(values(again.predict(ourX()))).toEqual(p);
    } finally {
      warn.mockRestore();
    }
  });
});
