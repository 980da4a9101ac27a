import * as fs from 'fs';
import * as path from 'path';
import { convertPythonicToTs, convertTsToPythonic } from '@recurrent/models';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'io');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
/** Written by tfjs: `model.toJSON(null, false)` and `{className, config: model.getConfig()}` of the same model. */
const pythonic = read('tfjs_bidirectional_lstm.pythonic.json');
const tsConfig = read('tfjs_bidirectional_lstm.ts_config.json');

/** Drops null/undefined-valued keys (tfjs's getConfig leaves some undefined; toJSON writes them as null). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function dropNulls(x: any): any {
  if (Array.isArray(x)) return x.map(dropNulls);
  if (x !== null && typeof x === 'object') {
    const out: { [k: string]: unknown } = {};
    for (const k of Object.keys(x)) if (x[k] !== null && x[k] !== undefined) out[k] = dropNulls(x[k]);
    return out;
  }
  return x;
}

describe('convertPythonicToTs / convertTsToPythonic on a tfjs Bidirectional(LSTM) + GRU topology', () => {
  it('snake_case → camelCase gives what tfjs getConfig() holds', () => {
    const ts = convertPythonicToTs(pythonic);
    expect(ts.className).toBe('Sequential');
    expect(dropNulls(ts.config)).toEqual(dropNulls(tsConfig.config));
    const lstm = ts.config.layers[1].config.layer.config;
    expect(lstm.recurrentActivation).toBe('hardSigmoid');
    expect(lstm.kernelInitializer).toEqual({
      className: 'VarianceScaling',
      config: { scale: 1, mode: 'fanAvg', distribution: 'normal', seed: null },
    });
    expect(ts.config.layers[2].config.kernelInitializer.config.distribution).toBe('truncatedNormal');
    expect(ts.config.layers[1].config.mergeMode).toBe('concat');
  });

  it('camelCase → snake_case gives what tfjs toJSON() writes', () => {
    const py = convertTsToPythonic(tsConfig);
    expect(py.class_name).toBe('Sequential');
    expect(dropNulls(py.config)).toEqual(dropNulls(pythonic.config));
    expect(py.config.layers[1].config.layer.config.recurrent_activation).toBe('hard_sigmoid');
    expect(py.config.layers[2].config.kernel_initializer.config).toEqual({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' });
  });

  it('round-trips both ways', () => {
    expect(convertTsToPythonic(convertPythonicToTs(pythonic))).toEqual(pythonic);
    expect(dropNulls(convertPythonicToTs(convertTsToPythonic(tsConfig)))).toEqual(dropNulls(tsConfig));
  });
});

describe('case conversion rules', () => {
  it('keeps layer names, class names and unknown string values verbatim', () => {
    const py = {
      class_name: 'My_Custom_Layer',
      config: { name: 'lstm_1', dtype: 'mixed_float16', custom_value: 'some_text', activation: 'gelu_new', padding: 'same' },
      inbound_nodes: [[['dense_1', 0, 0, {}]]],
    };
    const ts = convertPythonicToTs(py);
    expect(ts).toEqual({
      className: 'My_Custom_Layer',
      config: { name: 'lstm_1', dtype: 'mixed_float16', customValue: 'some_text', activation: 'gelu_new', padding: 'same' },
      inboundNodes: [[['dense_1', 0, 0, {}]]],
    });
    expect(convertTsToPythonic(ts)).toEqual(py);
  });

  it('maps enum values by explicit tables only under their keys', () => {
    const ts = convertPythonicToTs({
      activation: 'hard_sigmoid',
      recurrent_activation: 'log_softmax',
      data_format: 'channels_first',
      kernel_initializer: 'lecun_normal',
      bias_regularizer: 'l1_l2',
      kernel_constraint: 'max_norm',
      config: { mode: 'fan_in', distribution: 'untruncated_normal' },
      note: 'hard_sigmoid',
    });
    expect(ts).toEqual({
      activation: 'hardSigmoid',
      recurrentActivation: 'logSoftmax',
      dataFormat: 'channelsFirst',
      kernelInitializer: 'leCunNormal',
      biasRegularizer: 'l1l2',
      kernelConstraint: 'maxNorm',
      config: { mode: 'fanIn', distribution: 'untruncatedNormal' },
      note: 'hard_sigmoid',
    });
  });

  it('converts training configs: loss and metrics (also per output) by table', () => {
    const ts = convertPythonicToTs({
      loss: { out_a: 'categorical_crossentropy', out_b: 'mse' },
      metrics: ['accuracy', 'categorical_accuracy'],
      optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001 } },
    });
    // Output names (dict keys under loss/metrics) stay verbatim.
    expect(ts).toEqual({
      loss: { out_a: 'categoricalCrossentropy', out_b: 'mse' },
      metrics: ['accuracy', 'categoricalAccuracy'],
      optimizerConfig: { className: 'Adam', config: { learningRate: 0.001 } },
    });
    expect(convertTsToPythonic(ts)).toEqual({
      loss: { out_a: 'categorical_crossentropy', out_b: 'mse' },
      metrics: ['accuracy', 'categorical_accuracy'],
      optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001 } },
    });
  });

  it('writes undefined as null toward Keras, as tfjs', () => {
    expect(convertTsToPythonic({ unitForgetBias: undefined, useBias: true })).toEqual({ unit_forget_bias: null, use_bias: true });
  });

  it('rejects forbidden and colliding keys, naming the path', () => {
    const evil = JSON.parse('{"config": {"layers": [{"__proto__": {"x": 1}}]}}');
    expect(() => convertPythonicToTs(evil)).toThrow(/forbidden key '__proto__' at config\.layers\[0\]\.__proto__/);
    expect(() => convertTsToPythonic({ a: { constructor: 1 } })).toThrow(/forbidden key 'constructor'/);
    expect(() => convertPythonicToTs({ use_bias: true, useBias: false })).toThrow(/collide.*'useBias'/);
    expect(() => convertPythonicToTs({ f: () => 1 })).toThrow(/unsupported value of type function at f/);
  });
});
