/** Conv2D: harness, tfjs parity (values, input and weight gradients), finite differences, shapes with null dims, config, bad input. */
import * as tf from '@tensorflow/tfjs';
import { mul, randomNormal, sum, Tensor, tensor } from '@recurrent/core';
import { Conv2D, deserialize, initializers, Layer, layers, resetNameCounters } from '@recurrent/layers';
import { runLayerHarness } from '../../helpers/layer_harness';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';
import { checkWeightGradients } from '../../helpers/weight_grad_check';
import { checkGradients } from '@recurrent/test-utils';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

runLayerHarness({
  make: () => layers.conv2d({ filters: 4, kernelSize: 3, activation: 'tanh', biasInitializer: initializers.randomNormal({ seed: 3 }) }),
  inputShape: [2, 6, 5, 3],
  expectedOutputShape: [2, 4, 3, 4],
  expectedWeightShapes: [[3, 3, 3, 4], [4]],
  expectedParamCount: 112,
});
runLayerHarness({
  title: "Conv2D [2, 3] kernel, strides [2, 1], 'same', no bias, regularized",
  make: () => new Conv2D({ filters: 2, kernelSize: [2, 3], strides: [2, 1], padding: 'same', useBias: false, kernelRegularizer: 'l2' }),
  inputShape: [2, 5, 4, 3],
  expectedOutputShape: [2, 3, 4, 2],
  expectedWeightShapes: [[2, 3, 3, 2]],
  expectedParamCount: 36,
});

describe('Conv2D against tfjs (same weights: outputs, input and weight gradients within 1e-5)', () => {
  const variants: Array<Record<string, unknown>> = [
    { filters: 4, kernelSize: 3 },
    { filters: 3, kernelSize: [2, 3], strides: 2, padding: 'same', activation: 'relu' },
    { filters: 2, kernelSize: 3, strides: [1, 2], padding: 'valid', useBias: false, activation: 'sigmoid' },
    { filters: 3, kernelSize: [3, 2], padding: 'same', dilationRate: [2, 1], activation: 'tanh' },
    { filters: 2, kernelSize: 2, dilationRate: 2 },
  ];
  variants.forEach((v) => {
    it(JSON.stringify(v), () => {
      const args = { ...v, biasInitializer: 'randomNormal' };
      // tfjs has no conv2d gradients for dilation > 1: values only there (finite differences below cover ours).
      const dilated = v.dilationRate !== undefined;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expectTfjsParity(new Conv2D(args as any), tf.layers.conv2d(args as any), randomNormal([2, 7, 6, 3], 0, 1, 'float32', 5), {
        gradients: !dilated,
      });
    });
  });
});

describe('Conv2D: finite differences', () => {
  it('weights and input: dilation, strides, both', () => {
    const layer = new Conv2D({
      filters: 2,
      kernelSize: 2,
      dilationRate: [2, 1],
      padding: 'same',
      biasInitializer: 'randomNormal',
      activation: 'tanh',
    });
    const x = randomNormal([2, 5, 4, 2], 0, 1, 'float32', 9);
    const w = randomNormal((layer.apply(x) as Tensor).shape, 0, 1, 'float32', 10);
    checkWeightGradients(layer, () => sum(mul(layer.apply(x) as Tensor, w)));
    checkGradients((a) => layer.apply(a) as Tensor, [x]);
    const strided = new Conv2D({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' });
    checkGradients((a) => strided.apply(a) as Tensor, [x]);
    // Strides and dilation together (tfjs refuses the pair).
    const both = new Conv2D({
      filters: 2,
      kernelSize: 2,
      strides: [2, 1],
      dilationRate: [1, 2],
      padding: 'same',
      biasInitializer: 'randomNormal',
    });
    const wb = randomNormal((both.apply(x) as Tensor).shape, 0, 1, 'float32', 11);
    checkWeightGradients(both, () => sum(mul(both.apply(x) as Tensor, wb)));
    checkGradients((a) => both.apply(a) as Tensor, [x]);
  });
});

describe('Conv2D shapes with null dims', () => {
  it('computeOutputShape keeps null batch/rows/cols, also under TimeDistributed', () => {
    const c = new Conv2D({ filters: 5, kernelSize: [3, 2], strides: 2 });
    expect(c.computeOutputShape([null, 9, null, 3])).toEqual([null, 4, null, 5]);
    expect(c.computeOutputShape([null, null, 8, 3])).toEqual([null, null, 4, 5]);
    const td = layers.timeDistributed({ layer: new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', strides: 2 }) });
    expect(td.computeOutputShape([null, null, 7, 6, 3])).toEqual([null, null, 4, 3, 4]);
    const y = td.apply(randomNormal([2, 3, 7, 6, 3])) as Tensor;
    expect(y.shape).toEqual([2, 3, 4, 3, 4]);
  });
});

describe('Conv2D config and file forms', () => {
  it('tfjs names and config keys (pairs as lists)', () => {
    const c = layers.conv2d({ filters: 2, kernelSize: 3 });
    c.apply(randomNormal([1, 5, 5, 4]));
    expect(c.weights.map((w) => w.originalName)).toEqual(['conv2d/kernel', 'conv2d/bias']);
    const cfg = c.getConfig();
    expect(cfg).toMatchObject({
      filters: 2,
      kernelSize: [3, 3],
      strides: [1, 1],
      dilationRate: [1, 1],
      padding: 'valid',
      dataFormat: 'channelsLast',
    });
    const theirs = Object.keys(tf.layers.conv2d({ filters: 2, kernelSize: 3 }).getConfig());
    expect(Object.keys(cfg).sort()).toEqual([...theirs, 'dtype'].sort());
  });
  it('a Keras 3 config (camel-cased by the loader, groups 1) deserializes', () => {
    const l = deserialize<Layer>(
      {
        className: 'Conv2D',
        config: {
          name: 'c',
          filters: 3,
          kernelSize: [2, 2],
          strides: [1, 1],
          padding: 'same',
          dataFormat: 'channelsLast',
          dilationRate: [1, 1],
          groups: 1,
          activation: 'relu',
          useBias: true,
          trainable: true,
          dtype: 'float32',
        },
      },
      'layer',
    );
    expect((l.apply(randomNormal([1, 4, 5, 2])) as Tensor).shape).toEqual([1, 4, 5, 3]);
  });
  it('an input mask is dropped with a warning (as Keras 3)', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const c = new Conv2D({ filters: 2, kernelSize: 2, name: 'cm2' });
      const x = randomNormal([1, 3, 3, 1]);
      expect(c.computeMask(x, tensor([[1, 0, 1]]))).toBeNull();
      expect(warn.mock.calls.map((a) => String(a[0]))).toContain(
        'Layer cm2 (Conv2D) does not support masking: the input mask is dropped (as Keras 3); later layers see none.',
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe('Conv2D bad input names the layer, the argument, what was expected and what came', () => {
  it('a window larger than the input', () => {
    const c = new Conv2D({ filters: 2, kernelSize: [2, 5], name: 'c1' });
    expect(() => c.apply(randomNormal([1, 3, 4, 2]))).toThrow(
      "Layer c1: the window 2x5 (kernel 2x5, dilation 1x1) is larger than the input's rows x cols with 'valid' padding; input shape [1,3,4,2].",
    );
    expect(() => c.computeOutputShape([null, 3, 4, 2])).toThrow(/Layer c1.*\[null,3,4,2\]/);
  });
  it('wrong rank, unknown option, bad args', () => {
    expect(() => new Conv2D({ filters: 2, kernelSize: 2, name: 'c2' }).apply(randomNormal([3, 4, 2]))).toThrow(/c2.*ndim=4.*ndim=3/s);
    expect(() => new Conv2D({ filters: 2, kernelSize: 2, name: 'c3' }).computeOutputShape([3, 4, 2])).toThrow(
      'Layer c3: expected input of shape [batch, rows, cols, channels], received [3,4,2].',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new Conv2D({ filters: 2, kernelSize: 2, kernel_size: 2 } as any)).toThrow(
      "Conv2D: unknown option 'kernel_size'; did you mean 'kernelSize'?",
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: [2, 0], name: 'c4' })).toThrow(
      'Layer c4: kernelSize must be a positive integer or a pair [rows, cols] of them, received [2,0].',
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 2, strides: [1, 2, 3], name: 'c5' })).toThrow('Layer c5: strides must be');
    expect(() => new Conv2D({ filters: 0, kernelSize: 2, name: 'c6' })).toThrow(
      'Layer c6: filters must be a positive integer, received 0.',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new Conv2D({ filters: 2, kernelSize: 2, padding: 'causal' as any, name: 'c7' })).toThrow(
      `Layer c7: padding must be 'valid', 'same', received "causal".`,
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', name: 'c8' })).toThrow(
      "Layer c8: dataFormat 'channelsFirst' is not supported",
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 2, groups: 2, name: 'c9' })).toThrow('Layer c9: groups must be 1');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new Conv2D({ filters: 2 } as any)).toThrow('kernelSize is required');
  });
});
