/**
 * Functional ('Model') files with the layers of issue #16, both ways with tfjs and from Keras 3:
 * a two-branch CNN-LSTM (input → Conv1D → MaxPooling1D → LSTM and input → GRU, concatenate,
 * BatchNormalization, Dense) built in tfjs and here; saved by tfjs → loaded here, and saved here (after a fit, so
 * the moving statistics moved) → loaded by tfjs, predicting the same (1e-5). And a hand-written Keras 3
 * `Functional` topology (`{args, kwargs}` nodes with `__keras_tensor__`) with Conv1D ('causal'),
 * BatchNormalization, GRU and Concatenate, predicting as the same graph built with the API.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import { input, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { io, loadLayersModel, model, train } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { copyWeights, lcgData } from './parity_helpers';
import { saveToMemory, values, maxAbsDiff } from '../serialization/helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

const TOL = 1e-5;
const [B, T, F] = [3, 10, 4];
const xValues = lcgData(B * T * F, 81);
const ourX = () => tensor(xValues, [B, T, F]);
const tfX = () => tf.tensor(xValues, [B, T, F]);
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

/** The two-branch CNN-LSTM, built with either library's `input`/`layers`/`model` (same layer names). */
function cnnLstm(lib: { input: any; layers: any; model: any }): any {
  const L = lib.layers;
  const x = lib.input({ shape: [T, F], name: 'x' });
  const conv = L.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1d' }).apply(x);
  const pooled = L.maxPooling1d({ poolSize: 2, name: 'max_pooling1d' }).apply(conv);
  const a = L.lstm({ units: 4, recurrentActivation: 'sigmoid', name: 'lstm' }).apply(pooled);
  const b = L.gru({ units: 3, recurrentActivation: 'sigmoid', resetAfter: false, name: 'gru' }).apply(x);
  const cat = L.concatenate({ name: 'concatenate' }).apply([a, b]);
  const bn = L.batchNormalization({ momentum: 0.8, name: 'batch_normalization' }).apply(cat);
  const out = L.dense({ units: 2, activation: 'tanh', name: 'dense' }).apply(bn);
  return lib.model({ inputs: x, outputs: out, name: 'cnn_lstm' });
}
const tfLib = { input: tf.input, layers: tf.layers, model: tf.model };
const ourLib = { input, layers, model };

/** Random weights (moving variances positive, so the moving statistics matter). */
function randomWeights(m: any, seed: number): number[][] {
  return m.weights.map((w: any, i: number) => {
    const v = lcgData(
      (w.shape as number[]).reduce((p: number, q: number) => p * q, 1),
      seed + i,
    );
    return Array.from(v, (e) => ((w.originalName ?? w.name).includes('moving_variance') ? 0.5 + Math.abs(e) : e * 0.7));
  });
}

describe('functional CNN-LSTM with two branches (Conv1D → MaxPooling1D → LSTM | GRU → concatenate → BatchNormalization → Dense)', () => {
  test('built and saved by tfjs, loaded here: same weights and predictions', async () => {
    const theirs = cnnLstm(tfLib) as tf.LayersModel;
    theirs.setWeights(randomWeights(theirs, 90).map((v, i) => tf.tensor(v, theirs.weights[i].shape as number[])));
    const artifacts = await saveToMemory(theirs, tf.io);
    expect((artifacts.modelTopology as any).class_name).toBe('Model');
    const ours = await loadLayersModel(io.fromMemory(artifacts));
    expect(ours.getClassName()).toBe('Model');
    expect(ours.layers.map((l) => l.getClassName())).toEqual(theirs.layers.map((l) => l.getClassName()));
    expect(ours.layers.map((l) => l.getClassName()).sort()).toEqual([
      'BatchNormalization',
      'Concatenate',
      'Conv1D',
      'Dense',
      'GRU',
      'InputLayer',
      'LSTM',
      'MaxPooling1D',
    ]);
    ours.weights.forEach((w: any, i: number) => expect(values(w)).toEqual(values(theirs.weights[i].read())));
    expect(ours.loadReport!.matched.map((w) => w.source)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
    expect(maxAbsDiff(values(ours.predict(ourX())), values(theirs.predict(tfX())))).toBeLessThanOrEqual(TOL);
  });

  test('built here with the same weights as tfjs: same predictions (the graphs agree before any file)', () => {
    const theirs = cnnLstm(tfLib) as tf.LayersModel;
    theirs.setWeights(randomWeights(theirs, 95).map((v, i) => tf.tensor(v, theirs.weights[i].shape as number[])));
    const ours = cnnLstm(ourLib);
    copyWeights(theirs, ours);
    expect(maxAbsDiff(values(ours.predict(ourX())), values(theirs.predict(tfX())))).toBeLessThanOrEqual(TOL);
  });

  test('built here, fit (moving statistics move), saved here, loaded by tfjs: same predictions', async () => {
    const ours = cnnLstm(ourLib);
    ours.setWeights(randomWeights(ours, 100).map((v, i) => tensor(v, ours.weights[i].shape)));
    ours.compile({ optimizer: train.sgd(0.05), loss: 'meanSquaredError' });
    const y = tensor(lcgData(B * 2, 101), [B, 2]);
    const before = ours.getWeights().map((w: Tensor) => values(w));
    await ours.fit(ourX(), y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
    ours.getWeights().forEach((w: Tensor, i: number) => expect(maxAbsDiff(values(w), before[i])).toBeGreaterThan(1e-6));
    const expected = values(ours.predict(ourX()));
    const artifacts = await saveToMemory(ours, io);
    expect((artifacts.modelTopology as any).class_name).toBe('Model');
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts as any));
    expect(theirs.weights.map((w: any) => w.originalName)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
    expect(maxAbsDiff(values(theirs.predict(tfX()) as tf.Tensor), expected)).toBeLessThanOrEqual(TOL);
  });
});

// ------------------------------------------------------------------------------------------------------------
// A hand-written Keras 3 Functional topology (written from Keras 3's serialization format) with the new layers.

describe('a Keras 3 Functional file with Conv1D, BatchNormalization and GRU', () => {
  const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  const init = (cls: string) => ({ module: 'keras.initializers', class_name: cls, config: {}, registered_name: null });
  const kt = (name: string, shape: (number | null)[]) => ({
    class_name: '__keras_tensor__',
    config: { shape, dtype: 'float32', keras_history: [name, 0, 0] },
  });
  const node = (args: unknown[], kwargs: object = {}) => ({ args, kwargs });
  const layer = (cls: string, config: any, inbound_nodes: unknown[]) => ({
    module: 'keras.layers',
    class_name: cls,
    config: { trainable: true, dtype: policy, ...config },
    registered_name: null,
    name: config.name,
    inbound_nodes,
  });
  const gru = (name: string, units: number) => ({
    name,
    return_sequences: false,
    return_state: false,
    go_backwards: false,
    stateful: false,
    unroll: false,
    zero_output_for_mask: false,
    units,
    activation: 'tanh',
    recurrent_activation: 'sigmoid',
    use_bias: true,
    kernel_initializer: init('GlorotUniform'),
    recurrent_initializer: init('Orthogonal'),
    bias_initializer: init('Zeros'),
    kernel_regularizer: null,
    recurrent_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    recurrent_constraint: null,
    bias_constraint: null,
    dropout: 0.0,
    recurrent_dropout: 0.0,
    reset_after: true,
    seed: null,
  });
  const topology = {
    module: 'keras',
    class_name: 'Functional',
    registered_name: 'Functional',
    config: {
      name: 'conv_gru',
      trainable: true,
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, T, F], dtype: 'float32', sparse: false, name: 'x' },
          registered_name: null,
          name: 'x',
          inbound_nodes: [],
        },
        layer(
          'Conv1D',
          {
            name: 'conv1d',
            filters: 4,
            kernel_size: [3],
            strides: [1],
            padding: 'causal',
            data_format: 'channels_last',
            dilation_rate: [1],
            groups: 1,
            activation: 'relu',
            use_bias: true,
            kernel_initializer: init('GlorotUniform'),
            bias_initializer: init('Zeros'),
            kernel_regularizer: null,
            bias_regularizer: null,
            activity_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          },
          [node([kt('x', [null, T, F])])],
        ),
        layer(
          'BatchNormalization',
          {
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
            synchronized: false,
          },
          [node([kt('conv1d', [null, T, 4])], { mask: null })],
        ),
        layer('GRU', gru('gru', 3), [node([kt('batch_normalization', [null, T, 4])], { training: false, mask: null })]),
        layer('GRU', gru('gru_1', 2), [node([kt('x', [null, T, F])], { training: false, mask: null })]),
        layer('Concatenate', { name: 'concatenate', axis: -1 }, [node([[kt('gru', [null, 3]), kt('gru_1', [null, 2])]])]),
        layer(
          'Dense',
          {
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
          },
          [node([kt('concatenate', [null, 5])])],
        ),
      ],
      input_layers: [['x', 0, 0]],
      output_layers: [['dense', 0, 0]],
    },
    keras_version: '3.6.0',
    backend: 'tensorflow',
  };

  /** The same graph built with the API (names match the file). */
  function reference() {
    const x = input({ shape: [T, F], name: 'x' });
    const c = layers
      .conv1d({ filters: 4, kernelSize: 3, padding: 'causal', activation: 'relu', name: 'conv1d' })
      .apply(x) as SymbolicTensor;
    const n = layers.batchNormalization({ name: 'batch_normalization' }).apply(c) as SymbolicTensor;
    const a = layers.gru({ units: 3, recurrentActivation: 'sigmoid', resetAfter: true, name: 'gru' }).apply(n) as SymbolicTensor;
    const b = layers.gru({ units: 2, recurrentActivation: 'sigmoid', resetAfter: true, name: 'gru_1' }).apply(x) as SymbolicTensor;
    const cat = layers.concatenate({ name: 'concatenate' }).apply([a, b]) as SymbolicTensor;
    return model({
      inputs: x,
      outputs: layers.dense({ units: 2, activation: 'softmax', name: 'dense' }).apply(cat) as SymbolicTensor,
      name: 'conv_gru',
    });
  }

  test('loads (Keras 3 keys, {args, kwargs} nodes, a list of tensors as args[0]) and predicts as the API-built graph; our save of it loads back', async () => {
    // Keras 3's GRU 'seed' key is accepted with a one-time warning (no effect here).
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ref = reference();
    ref.setWeights(randomWeights(ref, 110).map((v, i) => tensor(v, ref.weights[i].shape)));
    const saved = await saveToMemory(ref, io);
    const artifacts = {
      ...saved,
      modelTopology: topology,
      generatedBy: 'keras v3.6.0',
      convertedBy: 'TensorFlow.js Converter',
    } as ModelArtifacts;
    const loaded = await loadLayersModel(io.fromMemory(artifacts));
    expect(loaded.name).toBe('conv_gru');
    expect(loaded.loadReport!.missing).toEqual([]);
    expect(loaded.loadReport!.extra).toEqual([]);
    expect(loaded.getLayer('concatenate').inboundNodes[0].inputTensors.map((t) => t.sourceLayer.name)).toEqual(['gru', 'gru_1']);
    expect(loaded.getLayer('gru').inboundNodes[0].inputTensors.map((t) => t.sourceLayer.name)).toEqual(['batch_normalization']);
    const p = values(loaded.predict(ourX()));
    expect(maxAbsDiff(p, values(ref.predict(ourX())))).toBeLessThanOrEqual(1e-6);
    // Our own file of the loaded model loads here again to the same predictions.
    const again = await loadLayersModel(io.fromMemory(await saveToMemory(loaded, io)));
    expect(values(again.predict(ourX()))).toEqual(p);
    warn.mockRestore();
  });
});
