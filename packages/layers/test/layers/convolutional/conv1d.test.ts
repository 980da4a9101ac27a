/** Conv1D, DepthwiseConv1D and SeparableConv1D: harness, tfjs parity (values and gradients), finite differences, config, bad input. */
import * as tf from '@tensorflow/tfjs';
import { conv1d, mul, randomNormal, slice, sum, Tensor, tensor } from '@recurrent/core';
import { Conv1D, deserialize, DepthwiseConv1D, initializers, Layer, layers, resetNameCounters, SeparableConv1D } from '@recurrent/layers';
import { runLayerHarness } from '../../helpers/layer_harness';
import { maxDiff } from '../../helpers/tfjs_compare';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';
import { checkWeightGradients } from '../../helpers/weight_grad_check';

const bias = () => initializers.randomNormal({ seed: 3 });

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

runLayerHarness({
  make: () => layers.conv1d({ filters: 4, kernelSize: 3, activation: 'tanh', biasInitializer: bias() }),
  inputShape: [2, 9, 3],
  expectedOutputShape: [2, 7, 4],
  expectedWeightShapes: [[3, 3, 4], [4]],
  expectedParamCount: 40,
});
runLayerHarness({
  title: 'Conv1D causal, strides 2, dilation, groups 2, no bias, regularized',
  make: () =>
    new Conv1D({ filters: 6, kernelSize: [2], strides: 2, padding: 'causal', groups: 2, useBias: false, kernelRegularizer: 'l2' }),
  inputShape: [2, 9, 4],
  expectedOutputShape: [2, 5, 6],
  expectedWeightShapes: [[2, 2, 6]],
  expectedParamCount: 24,
});
runLayerHarness({
  make: () => layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', biasInitializer: bias() }),
  inputShape: [2, 8, 3],
  expectedOutputShape: [2, 8, 6],
  expectedWeightShapes: [[3, 3, 2], [6]],
  expectedParamCount: 24,
});
runLayerHarness({
  make: () => layers.separableConv1d({ filters: 5, kernelSize: 2, depthMultiplier: 2, strides: 2, biasInitializer: bias() }),
  inputShape: [2, 9, 3],
  expectedOutputShape: [2, 4, 5],
  expectedWeightShapes: [[2, 3, 2], [1, 6, 5], [5]],
  expectedParamCount: 12 + 30 + 5,
});

describe('Conv1D against tfjs (same weights: outputs, input and weight gradients within 1e-5)', () => {
  const variants: Array<Record<string, unknown>> = [
    { filters: 4, kernelSize: 3 },
    { filters: 5, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' },
    { filters: 3, kernelSize: 3, padding: 'same', dilationRate: 2, activation: 'tanh' },
    { filters: 2, kernelSize: [2], strides: [3], useBias: false, activation: 'sigmoid' },
  ];
  variants.forEach((v) => {
    it(JSON.stringify(v), () => {
      const args = { ...v, biasInitializer: 'randomNormal' };
      // tfjs has no conv gradients for dilation > 1: values only there (finite differences below cover ours).
      const dilated = (v.dilationRate ?? 1) !== 1;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expectTfjsParity(new Conv1D(args as any), tf.layers.conv1d(args as any), randomNormal([2, 11, 3], 0, 1, 'float32', 5), {
        gradients: !dilated,
      });
    });
  });

  it("'causal' equals tfjs's Conv1D 'valid' on the input padded by k − 1 steps on the left (tfjs's Conv1D layer does not run 'causal')", () => {
    const ours = new Conv1D({
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: 'causal',
      biasInitializer: 'randomNormal',
      activation: 'tanh',
    });
    const theirs = tf.layers.conv1d({ filters: 3, kernelSize: 3, strides: 2, activation: 'tanh' });
    expectTfjsParity(ours, theirs, randomNormal([2, 11, 3], 0, 1, 'float32', 4), {
      input: (t) =>
        tf.pad(t, [
          [0, 0],
          [2, 0],
          [0, 0],
        ]),
    });
  });

  it('groups: equals one tfjs Conv1D per channel group, concatenated', () => {
    const ours = new Conv1D({ filters: 4, kernelSize: 3, groups: 2, padding: 'same', biasInitializer: 'randomNormal' });
    const x = randomNormal([2, 7, 6], 0, 1, 'float32', 6);
    const y = ours.apply(x) as Tensor;
    const [k, b] = ours.getWeights();
    const parts = [0, 1].map((g) => {
      const t = tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'same' });
      const xs = tf.tensor(Array.from(slice(x, [0, 0, 3 * g], [2, 7, 3]).dataSync()), [2, 7, 3]);
      t.apply(xs);
      t.setWeights([
        tf.tensor(Array.from(slice(k, [0, 0, 2 * g], [3, 3, 2]).dataSync()), [3, 3, 2]),
        tf.tensor(Array.from(slice(b, [2 * g], [2]).dataSync()), [2]),
      ]);
      return t.apply(xs) as tf.Tensor;
    });
    expect(maxDiff(y.dataSync(), tf.concat(parts, 2).dataSync())).toBeLessThanOrEqual(1e-5);
  });
});

describe('DepthwiseConv1D and SeparableConv1D against tfjs 2-D layers on [batch, 1, steps, channels]', () => {
  const to2d = (t: tf.Tensor) => t.reshape([t.shape[0], 1, t.shape[1] as number, t.shape[2] as number]);
  const w2d = (t: tf.Tensor) => t.reshape([1, ...t.shape]);
  it('DepthwiseConv1D', () => {
    const args = {
      kernelSize: 3,
      depthMultiplier: 2,
      padding: 'same' as const,
      biasInitializer: 'randomNormal',
      activation: 'tanh' as const,
    };
    expectTfjsParity(
      new DepthwiseConv1D(args),
      tf.layers.depthwiseConv2d({ ...args, kernelSize: [1, 3] }),
      randomNormal([2, 9, 3], 0, 1, 'float32', 7),
      {
        input: to2d,
        weight: (w, i) => (i === 0 ? w2d(w) : w),
      },
    );
  });
  it('SeparableConv1D (strides 2)', () => {
    const args = { filters: 4, kernelSize: 3, depthMultiplier: 2, strides: 2, biasInitializer: 'randomNormal' };
    expectTfjsParity(
      new SeparableConv1D(args),
      tf.layers.separableConv2d({ ...args, kernelSize: [1, 3], strides: [1, 2] }),
      randomNormal([2, 10, 3], 0, 1, 'float32', 8),
      { input: to2d, weight: (w, i) => (i < 2 ? w2d(w) : w) },
    );
  });
  // More options through the same 2-D adapters. tfjs has no conv gradients for dilation > 1 (values only there).
  const variants: Array<[string, Record<string, unknown>]> = [
    ['DepthwiseConv1D', { kernelSize: 2, depthMultiplier: 1, useBias: false }],
    ['DepthwiseConv1D', { kernelSize: 3, strides: 2, activation: 'relu' }],
    ['SeparableConv1D', { filters: 3, kernelSize: 2, padding: 'same', useBias: false, activation: 'sigmoid' }],
    ['SeparableConv1D', { filters: 2, kernelSize: 3, depthMultiplier: 3, strides: 3, padding: 'same' }],
    ['SeparableConv1D', { filters: 2, kernelSize: 2, dilationRate: 3 }],
  ];
  it.each(variants)('%s %j', (kind, v) => {
    const dilated = v.dilationRate !== undefined;
    const twoD = (n: string) => (v[n] === undefined ? {} : { [n]: [1, v[n]] });
    const tfArgs = { ...v, ...twoD('kernelSize'), ...twoD('strides'), ...twoD('dilationRate'), biasInitializer: 'randomNormal' };
    const args = { ...v, biasInitializer: 'randomNormal' };
    const x = randomNormal([2, 11, 3], 0, 1, 'float32', 12);
    if (kind === 'DepthwiseConv1D') {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expectTfjsParity(new DepthwiseConv1D(args as any), tf.layers.depthwiseConv2d(tfArgs as any), x, {
        input: to2d,
        weight: (w, i) => (i === 0 ? w2d(w) : w),
        gradients: !dilated,
      });
    } else {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expectTfjsParity(new SeparableConv1D(args as any), tf.layers.separableConv2d(tfArgs as any), x, {
        input: to2d,
        weight: (w, i) => (i < 2 ? w2d(w) : w),
        gradients: !dilated,
      });
    }
  });
  // tfjs's DepthwiseConv2D layer ignores dilationRate in call (its output is the undilated one, even where its
  // computeOutputShape is dilated), so the dilated DepthwiseConv1D is compared with tfjs's depthwiseConv2d op.
  it.each(['valid', 'same'] as const)(
    "DepthwiseConv1D dilation 2 '%s' equals tfjs's depthwiseConv2d op with dilations [1, 2]",
    (padding) => {
      const layer = new DepthwiseConv1D({ kernelSize: 3, dilationRate: 2, padding, depthMultiplier: 2, biasInitializer: 'randomNormal' });
      const x = randomNormal([2, 9, 3], 0, 1, 'float32', 13);
      const y = layer.apply(x) as Tensor;
      const [k, b] = layer.getWeights().map((w) => tf.tensor(Array.from(w.dataSync()), w.shape));
      const tx = to2d(tf.tensor(Array.from(x.dataSync()), x.shape));
      const want = tf.add(tf.depthwiseConv2d(tx as tf.Tensor4D, w2d(k) as tf.Tensor4D, 1, padding, 'NHWC', [1, 2]), b);
      expect(y.shape).toEqual([2, padding === 'same' ? 9 : 5, 6]);
      expect(maxDiff(y.dataSync(), want.dataSync())).toBeLessThanOrEqual(1e-5);
    },
  );
  it('DepthwiseConv1D is conv1d with one group per channel (hand check of the channel order c·dm + m)', () => {
    const d = new DepthwiseConv1D({ kernelSize: 1, depthMultiplier: 2, useBias: false });
    d.apply(tensor([[[1, 10]]]));
    d.setWeights([
      tensor([
        [
          [1, 2],
          [3, 4],
        ],
      ]),
    ]);
    expect(Array.from((d.apply(tensor([[[1, 10]]])) as Tensor).dataSync())).toEqual([1, 2, 30, 40]);
  });
});

describe('1-D convolution layers: finite differences of weight gradients', () => {
  const cases: Array<[string, () => Layer]> = [
    [
      'Conv1D dilation 2 causal groups 2',
      () => new Conv1D({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'causal', groups: 2, biasInitializer: 'randomNormal' }),
    ],
    ['DepthwiseConv1D dilation 2', () => new DepthwiseConv1D({ kernelSize: 2, dilationRate: 2, padding: 'same' })],
    ['SeparableConv1D', () => new SeparableConv1D({ filters: 2, kernelSize: 2, activation: 'tanh' })],
  ];
  cases.forEach(([title, make]) => {
    it(title, () => {
      const layer = make();
      const x = randomNormal([2, 6, 2], 0, 1, 'float32', 9);
      const w = randomNormal((layer.apply(x) as Tensor).shape, 0, 1, 'float32', 10);
      checkWeightGradients(layer, () => sum(mul(layer.apply(x) as Tensor, w)));
    });
  });
});

describe('Conv1D config, names and file forms', () => {
  it('tfjs names and config keys (kernelSize/strides/dilationRate as lists)', () => {
    const c = layers.conv1d({ filters: 2, kernelSize: 3 });
    c.apply(randomNormal([1, 5, 4]));
    expect(c.weights.map((w) => w.originalName)).toEqual(['conv1d/kernel', 'conv1d/bias']);
    const cfg = c.getConfig();
    expect(cfg).toMatchObject({
      filters: 2,
      kernelSize: [3],
      strides: [1],
      dilationRate: [1],
      padding: 'valid',
      dataFormat: 'channelsLast',
      useBias: true,
    });
    expect(cfg.groups).toBeUndefined();
    // tfjs's keys, plus dataFormat (Keras files have data_format) and dtype.
    const theirs = Object.keys(tf.layers.conv1d({ filters: 2, kernelSize: 3 }).getConfig());
    expect(Object.keys(cfg).sort()).toEqual([...theirs, 'dataFormat', 'dtype'].sort());
  });
  it('a Keras 3 config (camel-cased by the loader) deserializes, groups 1 included', () => {
    const l = deserialize<Layer>(
      {
        className: 'Conv1D',
        config: {
          name: 'c',
          filters: 3,
          kernelSize: [2],
          strides: [1],
          padding: 'causal',
          dataFormat: 'channelsLast',
          dilationRate: [1],
          groups: 1,
          activation: 'relu',
          useBias: true,
          trainable: true,
          dtype: 'float32',
        },
      },
      'layer',
    );
    expect((l.apply(randomNormal([1, 4, 2])) as Tensor).shape).toEqual([1, 4, 3]);
  });
});

describe('masks', () => {
  it('an input mask is dropped with a warning, as Keras 3 (tfjs throws): conv and the step layers', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const m = tensor([[1, 1, 0]]);
      const x = randomNormal([1, 3, 2]);
      for (const l of [
        new Conv1D({ filters: 2, kernelSize: 2, name: 'cm' }),
        new DepthwiseConv1D({ kernelSize: 2 }),
        layers.zeroPadding1d(),
        layers.cropping1d({ cropping: 0 }),
        layers.upSampling1d(),
      ] as Layer[]) {
        l.apply(x, { mask: m });
        expect(l.computeMask(x, m)).toBeNull();
      }
      expect(warn.mock.calls.map((c) => String(c[0]))).toContain(
        'Layer cm (Conv1D) does not support masking: the input mask is dropped (as Keras 3); later layers see none.',
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe('Keras 2 file keys', () => {
  it("tf.keras's SeparableConv1D/DepthwiseConv1D configs carry the base Conv's kernel_* and groups keys: accepted with a warning", () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const s = deserialize<Layer>(
        {
          className: 'SeparableConv1D',
          config: {
            filters: 2,
            kernelSize: [2],
            kernelInitializer: { className: 'GlorotUniform', config: {} },
            kernelRegularizer: null,
            kernelConstraint: null,
            groups: 1,
          },
        },
        'layer',
      );
      const d = deserialize<Layer>(
        { className: 'DepthwiseConv1D', config: { kernelSize: [2], filters: null, kernelRegularizer: null, groups: 1 } },
        'layer',
      );
      expect((s.apply(randomNormal([1, 4, 3])) as Tensor).shape).toEqual([1, 3, 2]);
      expect((d.apply(randomNormal([1, 4, 3])) as Tensor).shape).toEqual([1, 3, 3]);
      expect(warn.mock.calls.some((c) => String(c[0]).includes("SeparableConv1D: option 'kernelInitializer'"))).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('1-D convolution layers: bad input names the layer and the shapes', () => {
  it('a kernel longer than the unpadded sequence', () => {
    const c = new Conv1D({ filters: 2, kernelSize: 5, name: 'c1' });
    expect(() => c.apply(randomNormal([1, 3, 2]))).toThrow(
      /Layer c1: the window \(kernel size 5, dilation 1: span 5\) is longer than the unpadded sequence of 3 steps.*Input shape \[1,3,2\]/,
    );
    expect(() => c.computeOutputShape([null, 3, 2])).toThrow(/Layer c1.*\[null,3,2\]/);
    expect(c.computeOutputShape([null, null, 2])).toEqual([null, null, 2]);
  });
  it('wrong rank, unknown option, bad args', () => {
    expect(() => new Conv1D({ filters: 2, kernelSize: 2, name: 'c2' }).apply(randomNormal([3, 2]))).toThrow(/c2.*ndim=3.*ndim=2/s);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new Conv1D({ filters: 2, kernelSize: 2, dilation_rate: 2 } as any)).toThrow(
      "Conv1D: unknown option 'dilation_rate'; did you mean 'dilationRate'?",
    );
    expect(() => new Conv1D({ filters: 2, kernelSize: 0 })).toThrow('kernelSize must be a positive integer or a list of one, received 0');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new Conv1D({ filters: 2, kernelSize: 2, padding: 'full' as any })).toThrow(
      `padding must be 'valid', 'same', 'causal', received "full"`,
    );
    expect(() => new Conv1D({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst' })).toThrow(
      "dataFormat 'channelsFirst' is not supported",
    );
    expect(() => new Conv1D({ filters: 3, kernelSize: 2, groups: 2 })).toThrow('groups must be a positive integer dividing filters (3)');
    expect(() => new Conv1D({ filters: 2, kernelSize: 2, groups: 2, name: 'c3' }).apply(randomNormal([1, 4, 3]))).toThrow(
      'Layer c3: the input channels (3) must be divisible by groups (2)',
    );
  });
  it('conv1d in a layer equals the core op (sanity of the bias add)', () => {
    const c = new Conv1D({ filters: 2, kernelSize: 2, biasInitializer: 'ones' });
    const x = randomNormal([1, 4, 2], 0, 1, 'float32', 3);
    const y = c.apply(x) as Tensor;
    const ref = conv1d(x, c.getWeights()[0]);
    expect(
      maxDiff(
        y.dataSync(),
        Array.from(ref.dataSync()).map((v) => v + 1),
      ),
    ).toBeLessThan(1e-6);
  });
});
