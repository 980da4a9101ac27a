/** MaxPooling1D and AveragePooling1D (+ the MaxPool1D/AvgPool1D aliases): harness, tfjs parity, TF's 'same' averaging, bad input. */
import * as tf from '@tensorflow/tfjs';
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import {
  AveragePooling1D,
  AvgPool1D,
  deserialize,
  Layer,
  layers,
  MaxPool1D,
  MaxPooling1D,
  resetNameCounters,
  serialize,
} from '@recurrent/layers';
import { runLayerHarness } from '../../helpers/layer_harness';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

runLayerHarness({
  make: () => layers.maxPooling1d(),
  inputShape: [2, 9, 3],
  expectedOutputShape: [2, 4, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  title: 'MaxPooling1D pool 3, strides 2, same',
  make: () => layers.maxPooling1d({ poolSize: [3], strides: 2, padding: 'same' }),
  inputShape: [2, 9, 3],
  expectedOutputShape: [2, 5, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  make: () => layers.averagePooling1d({ poolSize: 3, strides: 1 }),
  inputShape: [2, 9, 3],
  expectedOutputShape: [2, 7, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('1-D pooling against tfjs (values and input gradients within 1e-5)', () => {
  const variants: Array<Record<string, unknown>> = [
    {},
    { poolSize: 3 },
    { poolSize: 3, strides: 2, padding: 'same' },
    { poolSize: 2, strides: 1 },
  ];
  variants.forEach((v) => {
    it(`MaxPooling1D ${JSON.stringify(v)}`, () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expectTfjsParity(new MaxPooling1D(v as any), tf.layers.maxPooling1d(v as any), randomNormal([2, 10, 3], 0, 1, 'float32', 1));
    });
    if (v.padding !== 'same') {
      it(`AveragePooling1D ${JSON.stringify(v)}`, () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        expectTfjsParity(
          new AveragePooling1D(v as any),
          tf.layers.averagePooling1d(v as any),
          randomNormal([2, 10, 3], 0, 1, 'float32', 2),
        );
      });
    }
  });
  it("AveragePooling1D 'same' divides by the steps inside the sequence (TensorFlow/Keras; tfjs counts the padding)", () => {
    const y = new AveragePooling1D({ poolSize: 3, strides: 1, padding: 'same' }).apply(tensor([[[1], [3], [2]]])) as Tensor;
    expect(Array.from(y.dataSync())).toEqual([2, 2, 2.5]);
  });
  it('tfjs config form: poolSize and strides as lists', () => {
    const m = layers.maxPooling1d({ poolSize: 3 });
    expect(m.getConfig()).toEqual({
      poolSize: [3],
      strides: [3],
      padding: 'valid',
      name: 'max_pooling1d',
      trainable: true,
      dtype: 'float32',
    });
    const theirs = tf.layers.maxPooling1d({ poolSize: 3 }).getConfig();
    expect(theirs).toMatchObject({ poolSize: [3], strides: [3], padding: 'valid' });
  });
});

describe('aliases', () => {
  it("'MaxPool1D' and 'AvgPool1D' in files deserialize, and serialize back under the full names", () => {
    const m = deserialize<Layer>({ className: 'MaxPool1D', config: { poolSize: [2] } }, 'layer');
    const a = deserialize<Layer>({ className: 'AvgPool1D', config: { poolSize: [2] } }, 'layer');
    expect(m).toBeInstanceOf(MaxPool1D);
    expect(a).toBeInstanceOf(AvgPool1D);
    expect(serialize(m).className).toBe('MaxPooling1D');
    expect(serialize(a).className).toBe('AveragePooling1D');
    expect(Array.from((m.apply(tensor([[[1], [5], [2], [0]]])) as Tensor).dataSync())).toEqual([5, 2]);
    expect(Array.from((a.apply(tensor([[[1], [5], [2], [0]]])) as Tensor).dataSync())).toEqual([3, 1]);
  });
});

describe('1-D pooling bad input', () => {
  it('a pool longer than the sequence, wrong rank, bad args and masks name the layer', () => {
    const m = new MaxPooling1D({ poolSize: 4, name: 'p' });
    expect(() => m.apply(randomNormal([1, 3, 2]))).toThrow(/Layer p: the window \(kernel size 4.*3 steps.*Input shape \[1,3,2\]/);
    expect(() => new MaxPooling1D({ name: 'q' }).apply(randomNormal([3, 2]))).toThrow(/q.*ndim=3/s);
    expect(() => new MaxPooling1D({ name: 'p2' }).computeOutputShape([null, 4])).toThrow(
      'Layer p2: expected input of shape [batch, steps, channels], received [null,4]',
    );
    expect(layers.avgPooling1d({ poolSize: 2 })).toBeInstanceOf(AveragePooling1D);
    expect(() => new MaxPooling1D({ padding: 'causal' as 'same' })).toThrow(`padding must be 'valid', 'same', received "causal"`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new AveragePooling1D({ pool_size: 2 } as any)).toThrow(
      "AveragePooling1D: unknown option 'pool_size'; did you mean 'poolSize'?",
    );
    // A mask is dropped with a warning, as Keras 3 (tfjs throws).
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(new MaxPooling1D({ name: 'r' }).computeMask(randomNormal([1, 4, 1]), tensor([[1, 1, 0, 0]]))).toBeNull();
      expect(warn.mock.calls.map((c) => String(c[0]))).toContain(
        'Layer r (MaxPooling1D) does not support masking: the input mask is dropped (as Keras 3); later layers see none.',
      );
      expect(new MaxPooling1D({ name: 'r2' }).computeMask(randomNormal([1, 4, 1]), null)).toBeNull();
      expect(warn.mock.calls.length).toBe(1);
    } finally {
      warn.mockRestore();
    }
  });
});
