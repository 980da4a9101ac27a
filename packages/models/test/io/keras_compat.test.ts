/**
 * normalizeKerasTopology: each transformation on hand-written fixtures modelled on real Keras 2 / Keras 3 /
 * tensorflowjs_converter output (fixtures/keras/), the CuDNN weight conversion against Keras's own
 * formula, Keras-3 hard_sigmoid, tolerance of unknown keys, and clear errors for malformed input.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '@recurrent/core';
import { deserialize, Layer } from '@recurrent/layers';
import { convertPythonicToTs } from '../../src/io/case_conversion';
import { applyKerasWeightTransforms, cudnnKernelToKeras, normalizeKerasTopology } from '../../src/io/keras_compat';
import { getWeightSpecs } from '../../src/io/weights';
import { fixture, Json } from './keras_compat_helpers';

function normalize(name: string, options: { kerasVersion?: string } = {}) {
  const json = fixture(name);
  return normalizeKerasTopology(json.modelTopology, getWeightSpecs(json.weightsManifest), { generatedBy: json.generatedBy, ...options });
}

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object') {
    Object.freeze(x);
    for (const k of Object.keys(x)) deepFreeze((x as Json)[k]);
  }
  return x;
}

const KERAS3_ONLY = ['"registered_name"', '"module"', '"build_config"', '"compile_config"', 'DTypePolicy', '"batch_shape"', '"use_cudnn"'];

describe('normalizeKerasTopology: converter wrapper and Keras 2 files', () => {
  it('unwraps model_config, returns training_config, keeps keras_version/backend, drops the leading InputLayer', () => {
    const n = normalize('keras2_converter_lstm.model.json');
    expect(n.kerasVersion).toBe('2.15.0');
    expect(n.kerasMajor).toBe(2);
    expect(n.warnings).toEqual([]);
    expect(n.topology.class_name).toBe('Sequential');
    expect(n.topology.keras_version).toBe('2.15.0');
    expect(n.topology.backend).toBe('tensorflow');
    expect(n.topology.model_config).toBeUndefined();
    const layers = n.topology.config.layers;
    expect(n.topology.config.name).toBe('sequential');
    expect(layers.map((l: Json) => l.class_name)).toEqual(['LSTM', 'Dense']);
    expect(layers[0].config.batch_input_shape).toEqual([null, 5, 3]);
    expect(layers[0].config.time_major).toBeUndefined();
    expect(layers[0].config.implementation).toBe(2);
    expect(layers[0].config.kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
    // Keras's L2 regularizer → tfjs's L1L2.
    expect(layers[1].config.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.01 } });
    expect(n.trainingConfig).not.toBeNull();
    expect(n.trainingConfig!.loss).toBe('mean_squared_error');
    expect(n.trainingConfig!.optimizer_config.class_name).toBe('Adam');
    expect(n.trainingConfig!.optimizer_config.module).toBeUndefined();
    expect(n.weightTransforms).toEqual({});
  });

  it('an InputLayer with input_shape + batch_size also gives the next layer its batch_input_shape', () => {
    const topo = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'InputLayer', config: { input_shape: [7, 2], batch_size: 4, dtype: 'float32', name: 'in' } },
          { class_name: 'SimpleRNN', config: { name: 'rnn', units: 3 } },
        ],
      },
    };
    const n = normalizeKerasTopology(topo);
    expect(n.topology.config.layers).toHaveLength(1);
    expect(n.topology.config.layers[0].config.batch_input_shape).toEqual([4, 7, 2]);
  });

  it('a lone InputLayer stays (batch_shape renamed)', () => {
    const n = normalizeKerasTopology({
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', name: 'in' } }] },
    });
    expect(n.topology.config.layers).toEqual([
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'in' } },
    ]);
  });

  it('the legacy list form of a Sequential config (Keras <= 2.2) becomes {layers}; Keras 2 hard_sigmoid is kept', () => {
    const n = normalize('keras2_legacy_sequential.model.json');
    expect(n.kerasVersion).toBe('2.1.6');
    expect(n.topology.config.name).toBeUndefined();
    expect(n.topology.config.layers.map((l: Json) => l.class_name)).toEqual(['SimpleRNN', 'Dense']);
    expect(n.topology.config.layers[1].config.activation).toBe('hard_sigmoid');
    expect(n.trainingConfig!.optimizer_config).toEqual({
      class_name: 'SGD',
      config: { lr: 0.01, momentum: 0.0, decay: 0.0, nesterov: false },
    });
    expect(n.warnings).toEqual([]);
  });

  it('a tfjs-written file passes through unchanged (tfjs keras_version is not read as Keras 4)', () => {
    const json = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'io', 'tfjs_bidirectional_lstm.model.json'), 'utf8'));
    const n = normalizeKerasTopology(json.modelTopology, getWeightSpecs(json.weightsManifest));
    expect(n.topology).toEqual(json.modelTopology);
    expect(n.kerasMajor).toBeNull();
    expect(n.warnings).toEqual([]);
  });

  it("recurrent's own files (keras_version 'recurrent …') pass through unchanged, hard_sigmoid read as tfjs's, no warnings", () => {
    const topo = {
      class_name: 'Sequential',
      keras_version: 'recurrent 0.1.0',
      backend: 'recurrent',
      config: {
        name: 's',
        layers: [
          {
            class_name: 'LSTM',
            config: { name: 'l', units: 2, recurrent_activation: 'hard_sigmoid', batch_input_shape: [null, 3, 2], dtype: 'float32' },
          },
        ],
      },
    };
    const n = normalizeKerasTopology(topo);
    expect(n.topology).toEqual(topo);
    expect(n.kerasMajor).toBeNull();
    expect(n.warnings).toEqual([]);
  });

  it('does not modify its input (deep-frozen fixtures work) and is deterministic', () => {
    for (const name of ['keras2_converter_lstm.model.json', 'keras3_gru_reset_after.model.json', 'keras2_cudnn.model.json']) {
      const json = fixture(name);
      const copy = JSON.parse(JSON.stringify(json));
      deepFreeze(json);
      const a = normalizeKerasTopology(json.modelTopology, getWeightSpecs(json.weightsManifest));
      const b = normalizeKerasTopology(copy.modelTopology, getWeightSpecs(copy.weightsManifest));
      expect(json).toEqual(copy);
      expect(a.topology).toEqual(b.topology);
    }
  });
});

describe('normalizeKerasTopology: Keras 3 files', () => {
  it('drops module/registered_name/build_config/compile_config, collapses DTypePolicy, renames batch_shape and Keras 3 classes', () => {
    const n = normalize('keras3_gru_reset_after.model.json');
    expect(n.kerasVersion).toBe('3.3.3');
    expect(n.kerasMajor).toBe(3);
    const text = JSON.stringify(n.topology);
    for (const s of KERAS3_ONLY) expect(text).not.toContain(s);
    expect(Object.keys(n.topology.config).sort()).toEqual(['layers', 'name']);
    const [gru] = n.topology.config.layers;
    expect(n.topology.config.layers).toHaveLength(1);
    expect(gru.class_name).toBe('GRU');
    expect(Object.keys(gru).sort()).toEqual(['class_name', 'config']);
    expect(gru.config.dtype).toBe('float32');
    expect(gru.config.batch_input_shape).toEqual([null, 4, 2]);
    expect(gru.config.reset_after).toBe(true);
    expect(gru.config.seed).toBeNull();
    expect(gru.config.zero_output_for_mask).toBeUndefined();
    expect(gru.config.recurrent_initializer).toEqual({ class_name: 'Orthogonal', config: { gain: 1.0, seed: null } });
    expect(n.trainingConfig).toBeNull();
    expect(n.warnings).toEqual([]);
  });

  it('Keras 3 hard_sigmoid becomes hardSigmoidKeras3; function objects become names; LecunNormal → LeCunNormal', () => {
    const n = normalize('keras3_hard_sigmoid_lstm.model.json');
    const [lstm, dense] = n.topology.config.layers;
    expect(lstm.config.recurrent_activation).toBe('hardSigmoidKeras3');
    expect(lstm.config.activation).toBe('tanh');
    expect(lstm.config.kernel_initializer).toEqual({ class_name: 'LeCunNormal', config: { seed: null } });
    expect(dense.config.activation).toBe('hardSigmoidKeras3');
    expect(dense.config.lora_rank).toBeNull(); // unknown keys pass through; layers ignore them
    expect(lstm.config.batch_input_shape).toEqual([null, 3, 2]);
    // After case conversion the registry resolves it.
    const ts = convertPythonicToTs(n.topology);
    expect(ts.config.layers[0].config.recurrentActivation).toBe('hardSigmoidKeras3');
  });

  it('the Keras version decides hard_sigmoid: options.kerasVersion / generatedBy when the topology does not say', () => {
    const base = fixture('keras3_hard_sigmoid_lstm.model.json').modelTopology;
    const unwrapped = { ...base.model_config };
    expect(normalizeKerasTopology(unwrapped, null, { kerasVersion: '2.15.0' }).topology.config.layers[0].config.recurrent_activation).toBe(
      'hard_sigmoid',
    );
    expect(
      normalizeKerasTopology(unwrapped, null, { generatedBy: 'keras v3.5.0' }).topology.config.layers[0].config.recurrent_activation,
    ).toBe('hardSigmoidKeras3');
    // The topology's own keras_version wins over the options.
    expect(normalizeKerasTopology(base, null, { kerasVersion: '2.15.0' }).topology.config.layers[0].config.recurrent_activation).toBe(
      'hardSigmoidKeras3',
    );
    // No version anywhere, but Keras 3 forms (batch_shape, DTypePolicy): read as Keras 3, with a warning.
    const inferred = normalizeKerasTopology(unwrapped);
    expect(inferred.kerasMajor).toBe(3);
    expect(inferred.topology.config.layers[0].config.recurrent_activation).toBe('hardSigmoidKeras3');
    expect(inferred.warnings.join('\n')).toMatch(
      /'hard_sigmoid' \(at config\.layers\[1\]\.config\.recurrent_activation\) is read as Keras 3's relu6\(x \+ 3\) \/ 6: the file does not say which Keras wrote it, but it uses Keras 3 forms/,
    );
    // No version and no Keras 3 forms: tfjs's definition, with a warning naming the assumption.
    const plain = normalizeKerasTopology({
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'Dense', config: { units: 1, activation: 'hard_sigmoid' } }] },
    });
    expect(plain.topology.config.layers[0].config.activation).toBe('hard_sigmoid');
    expect(plain.warnings.join('\n')).toMatch(/'hard_sigmoid' \(at config\.layers\[0\]\.config\.activation\) is read as tfjs's/);
  });

  it('mixed/half precision policies load as float32 with a warning; Keras 2 Policy objects too', () => {
    const n = normalizeKerasTopology({
      class_name: 'Sequential',
      config: {
        layers: [
          {
            class_name: 'Dense',
            config: {
              units: 1,
              batch_input_shape: [null, 2],
              dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' }, registered_name: null },
            },
          },
          { class_name: 'Dense', config: { units: 1, dtype: { class_name: 'Policy', config: { name: 'float32' } } } },
        ],
      },
    });
    expect(n.topology.config.layers.map((l: Json) => l.config.dtype)).toEqual(['float32', 'float32']);
    expect(n.warnings).toEqual([
      `dtype 'mixed_float16' (at config.layers[0].config.dtype) loads as 'float32': recurrent computes and stores weights in float32.`,
    ]);
  });

  it('Keras 3 Bidirectional: forward_/backward_ names are stripped (the wrapper adds them), both copies normalized', () => {
    const lstm = (name: string, goBackwards: boolean) => ({
      module: 'keras.layers',
      class_name: 'LSTM',
      registered_name: null,
      config: {
        name,
        units: 2,
        go_backwards: goBackwards,
        return_sequences: true,
        use_cudnn: 'auto',
        zero_output_for_mask: true,
        dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      },
    });
    const n = normalizeKerasTopology(
      {
        module: 'keras',
        class_name: 'Sequential',
        registered_name: null,
        config: {
          name: 'seq',
          layers: [
            {
              module: 'keras.layers',
              class_name: 'InputLayer',
              config: { batch_shape: [null, 5, 3], dtype: 'float32', name: 'in' },
              registered_name: null,
            },
            {
              module: 'keras.layers',
              class_name: 'Bidirectional',
              registered_name: null,
              config: {
                name: 'bidirectional',
                merge_mode: 'concat',
                layer: lstm('forward_lstm', false),
                backward_layer: lstm('backward_lstm', true),
              },
            },
          ],
        },
      },
      null,
      { kerasVersion: '3.4.1' },
    );
    const bi = n.topology.config.layers[0];
    expect(bi.config.batch_input_shape).toEqual([null, 5, 3]);
    expect(bi.config.layer).toEqual({
      class_name: 'LSTM',
      config: { name: 'lstm', units: 2, go_backwards: false, return_sequences: true, zero_output_for_mask: true, dtype: 'float32' },
    });
    expect(bi.config.backward_layer.config.name).toBe('lstm');
    expect(bi.config.backward_layer.config.go_backwards).toBe(true);
    // zero_output_for_mask true (what Keras's Bidirectional writes) is kept: the layers implement it; no warning.
    expect(bi.config.backward_layer.config.zero_output_for_mask).toBe(true);
    expect(n.warnings).toEqual([]);
    // The layers build: weights named as the file's.
    const ts = convertPythonicToTs(n.topology);
    const layer = deserialize<Layer>({ className: ts.config.layers[0].className, config: ts.config.layers[0].config }, 'layer');
    layer.maybeBuild([null, 5, 3]);
    expect(layer.weights.map((w) => w.originalName)).toEqual([
      'bidirectional/forward_lstm/kernel',
      'bidirectional/forward_lstm/recurrent_kernel',
      'bidirectional/forward_lstm/bias',
      'bidirectional/backward_lstm/kernel',
      'bidirectional/backward_lstm/recurrent_kernel',
      'bidirectional/backward_lstm/bias',
    ]);
  });
});

describe('BatchNormalization keys recurrent does not implement', () => {
  const file = (bn: Json) => ({
    module: 'keras',
    class_name: 'Sequential',
    registered_name: null,
    config: {
      name: 'seq',
      layers: [
        {
          module: 'keras.layers',
          class_name: 'BatchNormalization',
          registered_name: null,
          config: { name: 'bn', axis: -1, batch_shape: [null, 3], ...bn },
        },
      ],
    },
  });
  it('are dropped; no warning when they change nothing (synchronized false, fused, renorm false)', () => {
    const n = normalizeKerasTopology(
      file({
        synchronized: false,
        fused: true,
        renorm: false,
        renorm_clipping: null,
        renorm_momentum: 0.99,
        virtual_batch_size: null,
        adjustment: null,
      }),
      null,
      { kerasVersion: '3.3.3' },
    );
    expect(n.topology.config.layers[0].config).toEqual({ name: 'bn', axis: -1, batch_input_shape: [null, 3] });
    expect(n.warnings).toEqual([]);
  });
  it('one warning naming the layer and the keys that would change training', () => {
    const n = normalizeKerasTopology(file({ synchronized: true, renorm: true, virtual_batch_size: 4 }), null, { kerasVersion: '2.15.0' });
    expect(n.topology.config.layers[0].config).toEqual({ name: 'bn', axis: -1, batch_input_shape: [null, 3] });
    expect(n.warnings).toEqual([
      expect.stringMatching(/bn.*synchronized, renorm, virtual_batch_size ignored: training uses plain batch statistics on one device/),
    ]);
  });
});

describe('Keras-only config keys are accepted (with a warning); other unknown keys are refused with a suggestion', () => {
  it.each([
    ['GRU', { units: 2, resetAfter: true, seed: 3, loraRank: null, quantizationConfig: null }],
    ['LSTM', { units: 2, unitForgetBias: true, seed: null, implementation: 2, ragged: false }],
    ['SimpleRNN', { units: 2, seed: null }],
    ['Dense', { units: 2, loraRank: null, loraAlpha: null, quantizationConfig: null }],
    ['Embedding', { inputDim: 5, outputDim: 2, loraRank: null, sparse: false }],
    ['Dropout', { rate: 0.1, seed: null, noiseShape: null }],
  ])('%s.fromConfig accepts Keras-only keys', (className, config) => {
    const layer = deserialize<Layer>({ className, config: config as Json }, 'layer');
    expect(layer.getClassName()).toBe(className);
  });
  it.each([
    ['GRU', { units: 2, fooBar: 1 }, /^GRU: unknown option 'fooBar'/],
    ['SimpleRNN', { units: 2, somethingNew: [1, 2] }, /^SimpleRNN: unknown option 'somethingNew'/],
    ['LSTM', { units: 2, returnSequence: true }, /^LSTM: unknown option 'returnSequence'; did you mean 'returnSequences'\?/],
    ['LSTM', { units: 2, returnSequences: 'false' }, /^LSTM: returnSequences must be true or false, received the string 'false'/],
  ])('%s.fromConfig refuses %j', (className, config, re) => {
    expect(() => deserialize<Layer>({ className, config: config as Json }, 'layer')).toThrow(re);
  });
});

describe('GRU reset_after from Keras: config passes through and the [2, 3·units] bias is accepted', () => {
  it('the GRU builds with resetAfter true and a bias of shape [2, 9]', () => {
    const n = normalize('keras3_gru_reset_after.model.json');
    const conf = convertPythonicToTs(n.topology).config.layers[0];
    const gru = deserialize<Layer>({ className: conf.className, config: conf.config }, 'layer');
    gru.maybeBuild([null, 4, 2]);
    expect(gru.getConfig().resetAfter).toBe(true);
    expect(gru.weights.map((w) => [w.originalName, w.shape])).toEqual([
      ['gru/kernel', [2, 9]],
      ['gru/recurrent_kernel', [3, 9]],
      ['gru/bias', [2, 9]],
    ]);
  });
});

describe('CuDNNLSTM / CuDNNGRU → LSTM / GRU', () => {
  it('class names and configs as Keras converts them', () => {
    const n = normalize('keras2_cudnn.model.json');
    const [lstm, gru] = n.topology.config.layers;
    expect(lstm.class_name).toBe('LSTM');
    expect(lstm.config).toMatchObject({
      name: 'cu_dnnlstm',
      units: 2,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      unit_forget_bias: true,
      use_bias: true,
      return_sequences: true,
      batch_input_shape: [null, 4, 3],
    });
    expect(lstm.config.time_major).toBeUndefined();
    expect(gru.class_name).toBe('GRU');
    expect(gru.config).toMatchObject({
      name: 'cu_dnngru',
      units: 3,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      reset_after: true,
      use_bias: true,
    });
    expect(Object.keys(n.weightTransforms).sort()).toEqual([
      'cu_dnngru/bias',
      'cu_dnngru/kernel',
      'cu_dnngru/recurrent_kernel',
      'cu_dnnlstm/bias',
      'cu_dnnlstm/kernel',
      'cu_dnnlstm/recurrent_kernel',
    ]);
  });

  it('input kernel per gate: k.T.reshape(k.shape, order="F") (numbers from numpy running Keras\'s transform_kernels)', () => {
    // kernel = arange(24).reshape(3, 8), 4 gates of 2 units: numpy gives np.hstack([k.T.reshape(k.shape, order='F') for k in np.hsplit(kernel, 4)]).
    const kernel = Float32Array.from({ length: 24 }, (_, i) => i);
    expect(Array.from(cudnnKernelToKeras(kernel, 3, 2, 4))).toEqual([
      0, 9, 2, 11, 4, 13, 6, 15, 1, 16, 3, 18, 5, 20, 7, 22, 8, 17, 10, 19, 12, 21, 14, 23,
    ]);
    // Square blocks (recurrent kernels): a plain per-gate transpose.
    const rec = Float32Array.from({ length: 2 * 4 }, (_, i) => i); // [2, 4]: 2 gates of 2 units
    expect(Array.from(cudnnKernelToKeras(rec, 2, 2, 2))).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
  });

  it('CuDNNLSTM bias [8·units] → sum of halves [4·units]; CuDNNGRU bias [6·units] → [2, 3·units]', () => {
    const n = normalize('keras2_cudnn.model.json');
    const lb = Float32Array.from({ length: 16 }, (_, i) => i * 0.5 - 3);
    const l = n.weightTransforms['cu_dnnlstm/bias'].apply(lb, [16]);
    expect(l.shape).toEqual([8]);
    expect(Array.from(l.values)).toEqual(Array.from({ length: 8 }, (_, i) => i * 0.5 - 3 + ((i + 8) * 0.5 - 3)));
    const gb = Float32Array.from({ length: 18 }, (_, i) => i);
    const g = n.weightTransforms['cu_dnngru/bias'].apply(gb, [18]);
    expect(g.shape).toEqual([2, 9]);
    expect(Array.from(g.values)).toEqual(Array.from(gb));
    expect(g.values).not.toBe(gb); // pure: a new array
    expect(() => n.weightTransforms['cu_dnnlstm/bias'].apply(new Float32Array(8), [8])).toThrow(
      "normalizeKerasTopology: weight 'cu_dnnlstm/bias' (CuDNNLSTM 'cu_dnnlstm' → LSTM: CuDNNLSTM bias is [8·units]) has shape [8] but [16] was expected.",
    );
  });

  it('applyKerasWeightTransforms returns new tensors for transformed names and shares the others', () => {
    const n = normalize('keras2_cudnn.model.json');
    const t = (shape: number[]) => new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape, 'float32');
    const weights = {
      'cu_dnnlstm/kernel': t([3, 8]),
      'cu_dnnlstm/recurrent_kernel': t([2, 8]),
      'cu_dnnlstm/bias': t([16]),
      'cu_dnngru/kernel': t([2, 9]),
      'cu_dnngru/recurrent_kernel': t([3, 9]),
      'cu_dnngru/bias': t([18]),
      'other/kernel': t([1]),
    };
    const out = applyKerasWeightTransforms(weights, n.weightTransforms);
    expect(out['other/kernel']).toBe(weights['other/kernel']);
    expect(out['cu_dnnlstm/bias'].shape).toEqual([8]);
    expect(Array.from(out['cu_dnnlstm/bias'].dataSync())).toEqual(new Array(8).fill(2));
    expect(out['cu_dnngru/bias'].shape).toEqual([2, 9]);
    expect(weights['cu_dnnlstm/bias'].shape).toEqual([16]);
    const { 'cu_dnngru/bias': _drop, ...missing } = weights;
    expect(() => applyKerasWeightTransforms(missing, n.weightTransforms)).toThrow(
      /applyKerasWeightTransforms: the weights have no 'cu_dnngru\/bias' \(CuDNNGRU 'cu_dnngru' → GRU: bias \[6·units\]/,
    );
  });

  it('weight names are resolved from the specs (cell segment allowed); without specs the canonical names are used', () => {
    const topo = {
      class_name: 'Sequential',
      config: { layers: [{ class_name: 'CuDNNGRU', config: { name: 'g', units: 1, batch_input_shape: [null, 2, 1] } }] },
    };
    expect(Object.keys(normalizeKerasTopology(topo).weightTransforms).sort()).toEqual(['g/bias', 'g/kernel', 'g/recurrent_kernel']);
    const specs = [
      { name: 'g/cu_dnngru_cell/kernel', shape: [1, 3], dtype: 'float32' as const },
      { name: 'g/cu_dnngru_cell/recurrent_kernel', shape: [1, 3], dtype: 'float32' as const },
      { name: 'g/cu_dnngru_cell/bias', shape: [6], dtype: 'float32' as const },
    ];
    expect(Object.keys(normalizeKerasTopology(topo, specs).weightTransforms).sort()).toEqual([
      'g/cu_dnngru_cell/bias',
      'g/cu_dnngru_cell/kernel',
      'g/cu_dnngru_cell/recurrent_kernel',
    ]);
    // A weights manifest (groups) is accepted as well.
    expect(Object.keys(normalizeKerasTopology(topo, [{ paths: ['a.bin'], weights: specs }]).weightTransforms)).toHaveLength(3);
  });

  it('Bidirectional(CuDNNLSTM): both copies are converted, keyed by the forward_/backward_ names', () => {
    const topo = {
      class_name: 'Sequential',
      config: {
        layers: [
          {
            class_name: 'Bidirectional',
            config: {
              name: 'bidirectional',
              merge_mode: 'concat',
              batch_input_shape: [null, 3, 2],
              layer: { class_name: 'CuDNNLSTM', config: { name: 'cu_dnnlstm', units: 2, return_sequences: false } },
            },
          },
        ],
      },
    };
    const n = normalizeKerasTopology(topo);
    expect(n.topology.config.layers[0].config.layer.class_name).toBe('LSTM');
    expect(Object.keys(n.weightTransforms).sort()).toEqual([
      'bidirectional/backward_cu_dnnlstm/bias',
      'bidirectional/backward_cu_dnnlstm/kernel',
      'bidirectional/backward_cu_dnnlstm/recurrent_kernel',
      'bidirectional/forward_cu_dnnlstm/bias',
      'bidirectional/forward_cu_dnnlstm/kernel',
      'bidirectional/forward_cu_dnnlstm/recurrent_kernel',
    ]);
  });
});

describe('normalizeKerasTopology: malformed input gives errors naming the field', () => {
  const seq = (layers: Json[], extra: Json = {}) => ({ class_name: 'Sequential', config: { name: 's', layers, ...extra } });
  const dense = (config: Json = {}) => ({ class_name: 'Dense', config: { name: 'd', units: 1, ...config } });
  const cases: [string, () => unknown, string | RegExp][] = [
    [
      'not an object',
      () => normalizeKerasTopology('model'),
      "normalizeKerasTopology: modelTopology: must be an object (the Keras model config), received the string 'model'.",
    ],
    [
      'model_config not an object',
      () => normalizeKerasTopology({ keras_version: '2.15.0', model_config: [1] }),
      /normalizeKerasTopology: model_config: must be an object \{class_name, config\} \(the converter's model wrapper\), received the array \[1\]/,
    ],
    [
      'training_config not an object',
      () => normalizeKerasTopology({ model_config: seq([dense()]), training_config: 'adam' }),
      "normalizeKerasTopology: training_config: must be an object or null, received the string 'adam'.",
    ],
    [
      'no class_name',
      () => normalizeKerasTopology({ config: {} }),
      "normalizeKerasTopology: class_name: must be the model's class name (e.g. 'Sequential'), received nothing (the field is missing).",
    ],
    [
      'keras_version a number',
      () => normalizeKerasTopology({ ...seq([dense()]), keras_version: 3 }),
      "normalizeKerasTopology: keras_version: must be a version string like '2.15.0' or '3.3.3', received number 3.",
    ],
    [
      'layers not an array',
      () => normalizeKerasTopology({ class_name: 'Sequential', config: { layers: {} } }),
      'normalizeKerasTopology: config.layers: must be an array of layers, received an object.',
    ],
    [
      'a layer not an object',
      () => normalizeKerasTopology(seq([dense(), 5])),
      'normalizeKerasTopology: config.layers[1]: a layer must be an object {class_name, config}, received number 5.',
    ],
    [
      'a layer without class_name',
      () => normalizeKerasTopology(seq([{ config: {} }])),
      "normalizeKerasTopology: config.layers[0].class_name: must be the layer's class name, received nothing (the field is missing).",
    ],
    [
      'InputLayer without a shape',
      () => normalizeKerasTopology(seq([{ class_name: 'InputLayer', config: { name: 'in', dtype: 'float32' } }, dense()])),
      "normalizeKerasTopology: config.layers[0] (InputLayer 'in'): the InputLayer has no batch_shape, batch_input_shape or input_shape.",
    ],
    [
      'bad batch_shape',
      () => normalizeKerasTopology(seq([{ class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 'x'] } }, dense()])),
      /normalizeKerasTopology: config.layers\[0\] \(InputLayer 'in'\).batch_shape: must be an array of positive integers or nulls \(batch dimension first\), received the array \[null,"x"\]/,
    ],
    [
      'sparse InputLayer',
      () =>
        normalizeKerasTopology(seq([{ class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 2], sparse: true } }, dense()])),
      "normalizeKerasTopology: config.layers[0] (InputLayer 'in').sparse: sparse inputs are not supported.",
    ],
    [
      'InputLayer not first',
      () =>
        normalizeKerasTopology(
          seq([dense({ batch_input_shape: [null, 2] }), { class_name: 'InputLayer', config: { name: 'in2', batch_shape: [null, 1] } }]),
        ),
      "normalizeKerasTopology: config.layers[1] (InputLayer 'in2'): an InputLayer can only be the first layer of a Sequential model.",
    ],
    [
      'InputLayer and next layer disagree',
      () =>
        normalizeKerasTopology(
          seq([
            { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 3] } },
            dense({ batch_input_shape: [null, 4] }),
          ]),
        ),
      "normalizeKerasTopology: config.layers[1] (Dense 'd'): batch_input_shape [null,4] disagrees with the InputLayer's shape [null,3].",
    ],
    [
      'batch_shape and batch_input_shape disagree',
      () => normalizeKerasTopology(seq([dense({ batch_shape: [null, 2], batch_input_shape: [null, 3] })])),
      "normalizeKerasTopology: config.layers[0] (Dense 'd'): batch_shape [null,2] and batch_input_shape [null,3] disagree.",
    ],
    [
      'time_major true',
      () => normalizeKerasTopology(seq([{ class_name: 'LSTM', config: { name: 'l', units: 2, time_major: true } }])),
      "normalizeKerasTopology: config.layers[0] (LSTM 'l').time_major: time_major true (inputs [time, batch, features]) is not supported; recurrent layers take [batch, time, features].",
    ],
    [
      'DTypePolicy without a name',
      () => normalizeKerasTopology(seq([dense({ dtype: { class_name: 'DTypePolicy', config: {} } })])),
      "normalizeKerasTopology: config.layers[0].config.dtype.config.name: a dtype policy needs its name as a string (e.g. 'float32'), received nothing (the field is missing).",
    ],
    [
      'quantized policy',
      () => normalizeKerasTopology(seq([dense({ dtype: { class_name: 'QuantizedDTypePolicy', config: { name: 'int8_from_float32' } } })])),
      /config.layers\[0\].config.dtype: quantized dtype policy 'QuantizedDTypePolicy' is not supported/,
    ],
    [
      'unknown dtype',
      () => normalizeKerasTopology(seq([dense({ dtype: 'complex64' })])),
      "normalizeKerasTopology: config.layers[0].config.dtype: unsupported dtype 'complex64'; expected one of float32, int32, bool, float16, bfloat16, float64, mixed_float16, mixed_bfloat16.",
    ],
    [
      'CuDNN units missing',
      () => normalizeKerasTopology(seq([{ class_name: 'CuDNNLSTM', config: { name: 'c' } }])),
      "normalizeKerasTopology: config.layers[0] (CuDNNLSTM 'c').units: must be a positive integer, received nothing (the field is missing).",
    ],
    [
      'CuDNN bias spec of the wrong shape',
      () =>
        normalizeKerasTopology(seq([{ class_name: 'CuDNNLSTM', config: { name: 'c', units: 2 } }]), [
          { name: 'c/kernel', shape: [3, 8], dtype: 'float32' },
          { name: 'c/recurrent_kernel', shape: [2, 8], dtype: 'float32' },
          { name: 'c/bias', shape: [8], dtype: 'float32' },
        ]),
      "normalizeKerasTopology: weight 'c/bias' (CuDNNLSTM 'c' → LSTM: CuDNNLSTM bias is [8·units]) has shape [8] but [16] was expected.",
    ],
    [
      'CuDNN weight missing from the specs',
      () =>
        normalizeKerasTopology(seq([{ class_name: 'CuDNNGRU', config: { name: 'c', units: 2 } }]), [
          { name: 'c/kernel', shape: [3, 6], dtype: 'float32' },
        ]),
      "normalizeKerasTopology: config.layers[0] (CuDNNGRU 'c'): the weight specs have no 'recurrent_kernel' for this layer (looked for 'c/recurrent_kernel'); its CuDNN weights must be converted, so they are needed by name.",
    ],
    [
      'weightSpecs not an array',
      () => normalizeKerasTopology(seq([dense()]), {} as never),
      'normalizeKerasTopology: weightSpecs: must be an array of weight specs (or a weights manifest), received an object.',
    ],
    [
      'a bad weight spec',
      () => normalizeKerasTopology(seq([dense()]), [{ name: 'x' }] as never),
      'normalizeKerasTopology: weightSpecs[0]: must be a weight spec {name, shape, dtype}, received an object.',
    ],
    [
      'bad options.kerasVersion',
      () => normalizeKerasTopology(seq([dense()]), null, { kerasVersion: 'three' }),
      "normalizeKerasTopology: options.kerasVersion: must be a version string like '3.3.3', received the string 'three'.",
    ],
    [
      'a null layer in a Sequential',
      () => normalizeKerasTopology(seq([dense(), null])),
      'normalizeKerasTopology: config.layers[1]: a layer must be an object {class_name, config}, received null.',
    ],
    [
      'a model serialized as a function',
      () => normalizeKerasTopology({ class_name: 'function', config: 'f' }),
      "normalizeKerasTopology: class_name: must be the model's class name (e.g. 'Sequential'), received 'function'.",
    ],
  ];
  it.each(cases)('%s', (_name, run, message) => {
    expect(run).toThrow(message);
  });

  it('a training_config serialized as a bare function is no training config', () => {
    const n = normalizeKerasTopology({ model_config: seq([dense()]), training_config: { class_name: 'function', config: 'mse' } });
    expect(n.trainingConfig).toBeNull();
  });

  it('an unparsable keras_version string is a warning, not an error', () => {
    const n = normalizeKerasTopology({ ...seq([dense()]), keras_version: 'nightly' });
    expect(n.warnings).toEqual(['keras_version "nightly" is not a version number; it is ignored.']);
    expect(n.kerasVersion).toBeNull();
  });
});
