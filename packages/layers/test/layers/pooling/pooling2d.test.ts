/**
 * MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D (+ Keras's alias classes): harness,
 * tfjs parity (values and input gradients), finite differences, shapes with null dims (also under
 * TimeDistributed), keepdims/channelsFirst against a float64 loop, file forms, bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import {
  AveragePooling2D,
  AvgPool2D,
  deserialize,
  GlobalAveragePooling2D,
  GlobalAvgPool2D,
  GlobalMaxPool2D,
  GlobalMaxPooling2D,
  Layer,
  layers,
  MaxPool2D,
  MaxPooling2D,
  resetNameCounters,
  serialize,
} from '@recurrent/layers';
import { checkGradients } from '@recurrent/test-utils';
import { runLayerHarness } from '../../helpers/layer_harness';
import { maxDiff } from '../../helpers/tfjs_compare';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

const noWeights = { expectedWeightShapes: [], expectedParamCount: 0 };
runLayerHarness({ make: () => layers.maxPooling2d({}), inputShape: [2, 6, 5, 3], expectedOutputShape: [2, 3, 2, 3], ...noWeights });
runLayerHarness({
  make: () => layers.averagePooling2d({ poolSize: [3, 2], strides: [2, 1], padding: 'same' }),
  inputShape: [2, 5, 4, 3],
  expectedOutputShape: [2, 3, 4, 3],
  ...noWeights,
});
runLayerHarness({ make: () => layers.globalAveragePooling2d(), inputShape: [2, 4, 3, 5], expectedOutputShape: [2, 5], ...noWeights });
runLayerHarness({
  make: () => layers.globalMaxPooling2d({ keepdims: true }),
  inputShape: [2, 4, 3, 5],
  expectedOutputShape: [2, 1, 1, 5],
  ...noWeights,
});
runLayerHarness({
  make: () => layers.globalMaxPool2d({ dataFormat: 'channelsFirst' }),
  inputShape: [2, 5, 4, 3],
  expectedOutputShape: [2, 5],
  ...noWeights,
});

describe('2-D pooling layers against tfjs (values and input gradients within 1e-5)', () => {
  const variants: Array<Record<string, unknown>> = [
    {},
    { poolSize: 3, strides: 1, padding: 'same' },
    { poolSize: [2, 3], strides: [2, 1], padding: 'valid' },
    { poolSize: [3, 2], strides: 2, padding: 'same' },
  ];
  const x = () => randomNormal([2, 7, 6, 3], 0, 1, 'float32', 5);
  variants.forEach((v) => {
    it(`MaxPooling2D ${JSON.stringify(v)}`, () => {
      expectTfjsParity(new MaxPooling2D(v), tf.layers.maxPooling2d(v), x());
    });
    it(`AveragePooling2D ${JSON.stringify(v)}`, () => {
      // tfjs's avgPool gradient divides 'same' windows by the full window size (its forward does not): values
      // only there; the finite differences below check our gradient.
      expectTfjsParity(new AveragePooling2D(v), tf.layers.averagePooling2d(v), x(), { gradients: v.padding !== 'same' });
    });
  });
  it('AveragePooling2D and MaxPooling2D gradients agree with finite differences', () => {
    const avg = new AveragePooling2D({ poolSize: [3, 2], strides: 2, padding: 'same' });
    checkGradients((a) => avg.apply(a) as Tensor, [randomNormal([1, 5, 4, 2], 0, 1, 'float32', 8)]);
    const max = new MaxPooling2D({ poolSize: 2, strides: 1 });
    // A permutation of a 0.05 grid: no near-ties within the finite-difference step.
    const spaced = tensor(
      Array.from({ length: 40 }, (_, i) => ((i * 7) % 40) * 0.05),
      [1, 5, 4, 2],
    );
    checkGradients((a) => max.apply(a) as Tensor, [spaced]);
  });
  it.each([
    ['channelsLast', {}],
    ['channelsFirst', { dataFormat: 'channelsFirst' as const }],
  ])('GlobalAveragePooling2D / GlobalMaxPooling2D %s', (_, v) => {
    expectTfjsParity(new GlobalAveragePooling2D(v), tf.layers.globalAveragePooling2d(v), x());
    expectTfjsParity(new GlobalMaxPooling2D(v), tf.layers.globalMaxPooling2d(v), x());
  });
  it('keepdims (Keras 3) against a float64 mean / max per channel', () => {
    const xv = x();
    const v = Array.from(xv.dataSync());
    const mean: number[] = [];
    const max: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 3; c++) {
        const vals: number[] = [];
        for (let i = 0; i < 42; i++) vals.push(v[(b * 42 + i) * 3 + c]);
        mean.push(vals.reduce((s, a) => s + a, 0) / 42);
        max.push(Math.max(...vals));
      }
    const ya = layers.globalAveragePooling2d({ keepdims: true }).apply(xv) as Tensor;
    const ym = layers.globalMaxPooling2d({ keepdims: true }).apply(xv) as Tensor;
    expect(ya.shape).toEqual([2, 1, 1, 3]);
    expect(maxDiff(ya.dataSync(), mean)).toBeLessThan(1e-6);
    expect(maxDiff(ym.dataSync(), max)).toBe(0);
  });
});

describe('2-D pooling shapes with null dims', () => {
  it('computeOutputShape keeps null batch/rows/cols, also under TimeDistributed', () => {
    expect(new MaxPooling2D({ poolSize: 2 }).computeOutputShape([null, 7, null, 3])).toEqual([null, 3, null, 3]);
    expect(new AveragePooling2D({ poolSize: 3, padding: 'same' }).computeOutputShape([null, null, 7, 3])).toEqual([null, null, 3, 3]);
    expect(new GlobalAveragePooling2D().computeOutputShape([null, null, null, 4])).toEqual([null, 4]);
    expect(new GlobalMaxPooling2D({ keepdims: true }).computeOutputShape([null, null, null, 4])).toEqual([null, 1, 1, 4]);
    const td = layers.timeDistributed({ layer: layers.maxPooling2d({ poolSize: 2 }) });
    expect(td.computeOutputShape([null, null, 8, 6, 3])).toEqual([null, null, 4, 3, 3]);
    expect((td.apply(randomNormal([2, 3, 8, 6, 3])) as Tensor).shape).toEqual([2, 3, 4, 3, 3]);
    const tg = layers.timeDistributed({ layer: layers.globalAveragePooling2d() });
    expect(tg.computeOutputShape([null, 5, 8, 6, 3])).toEqual([null, 5, 3]);
  });

  it('an empty batch gives an empty output of the usual shape (Keras; GlobalMaxPooling2D threw "max: cannot reduce an empty tensor")', () => {
    const x = tensor(new Float32Array(0), [0, 4, 5, 3]);
    for (const l of [
      new MaxPooling2D(),
      new AveragePooling2D({ padding: 'same' }),
      new GlobalAveragePooling2D(),
      new GlobalMaxPooling2D(),
    ]) {
      const y = l.apply(x) as Tensor;
      expect(y.shape).toEqual(l.computeOutputShape([0, 4, 5, 3]));
      expect(y.size).toBe(0);
    }
    expect((new GlobalMaxPooling2D({ keepdims: true }).apply(x) as Tensor).shape).toEqual([0, 1, 1, 3]);
    expect((layers.globalMaxPooling1d().apply(tensor(new Float32Array(0), [0, 4, 3])) as Tensor).shape).toEqual([0, 3]);
  });
});

describe('2-D pooling config and file forms', () => {
  it('tfjs config keys', () => {
    const m = layers.maxPooling2d({ poolSize: [2, 3] });
    expect(m.getConfig()).toMatchObject({ poolSize: [2, 3], strides: [2, 3], padding: 'valid', dataFormat: 'channelsLast' });
    const theirs = Object.keys(tf.layers.maxPooling2d({ poolSize: 2 }).getConfig());
    expect(Object.keys(m.getConfig()).sort()).toEqual([...theirs, 'dtype'].sort());
    const g = layers.globalAveragePooling2d();
    expect(Object.keys(g.getConfig()).sort()).toEqual([...Object.keys(tf.layers.globalAveragePooling2d({}).getConfig()), 'dtype'].sort());
    expect(layers.globalAveragePooling2d({ keepdims: true }).getConfig().keepdims).toBe(true);
  });
  it("Keras's alias classes in files deserialize and serialize back under the full names", () => {
    const cases: Array<[string, unknown]> = [
      ['MaxPool2D', MaxPool2D],
      ['AvgPool2D', AvgPool2D],
      ['GlobalAvgPool2D', GlobalAvgPool2D],
      ['GlobalMaxPool2D', GlobalMaxPool2D],
    ];
    for (const [name, cls] of cases) {
      const l = deserialize<Layer>({ className: name, config: { dataFormat: 'channelsLast' } }, 'layer');
      expect(l).toBeInstanceOf(cls as typeof Layer);
      expect(serialize(l).className).toBe(name.replace('Avg', 'Average').replace('Pool2D', 'Pooling2D'));
    }
  });
  it('a Keras 3 GlobalAveragePooling2D config with keepdims false', () => {
    const l = deserialize<Layer>(
      { className: 'GlobalAveragePooling2D', config: { dataFormat: 'channelsLast', keepdims: false, name: 'g' } },
      'layer',
    );
    expect((l.apply(randomNormal([1, 3, 3, 2])) as Tensor).shape).toEqual([1, 2]);
  });
});

describe('2-D pooling bad input names the layer, the argument, what was expected and what came', () => {
  it('args', () => {
    expect(() => new MaxPooling2D({ poolSize: [2, 0], name: 'p1' })).toThrow(
      'Layer p1: poolSize must be a positive integer or a pair [rows, cols] of them, received [2,0].',
    );
    expect(() => new AveragePooling2D({ strides: [1, 2, 3], name: 'p2' })).toThrow('Layer p2: strides must be');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new MaxPooling2D({ padding: 'causal' as any, name: 'p3' })).toThrow(
      `Layer p3: padding must be 'valid', 'same', received "causal".`,
    );
    expect(() => new MaxPooling2D({ dataFormat: 'channelsFirst', name: 'p4' })).toThrow(
      "Layer p4: dataFormat 'channelsFirst' is not supported",
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new MaxPooling2D({ pool_size: 2 } as any)).toThrow("MaxPooling2D: unknown option 'pool_size'; did you mean 'poolSize'?");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new GlobalAveragePooling2D({ dataFormat: 'nhwc' as any, name: 'g1' })).toThrow(
      `Layer g1: dataFormat must be 'channelsLast' or 'channelsFirst', received "nhwc".`,
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new GlobalMaxPooling2D({ keepdims: 'yes' as any, name: 'g2' })).toThrow(/Layer g2.*keepdims/);
  });
  it('shapes', () => {
    expect(() => new MaxPooling2D({ poolSize: 3, name: 'p5' }).apply(randomNormal([1, 2, 4, 1]))).toThrow(
      "Layer p5: the window 3x3 (kernel 3x3, dilation 1x1) is larger than the input's rows x cols with 'valid' padding; input shape [1,2,4,1].",
    );
    expect(() => new MaxPooling2D({ name: 'p6' }).apply(randomNormal([1, 4, 4]))).toThrow(/p6.*ndim=4.*ndim=3/s);
    expect(() => new GlobalAveragePooling2D({ name: 'g3' }).computeOutputShape([null, 4, 3])).toThrow(
      'Layer g3: expected input of shape [batch, rows, cols, channels], received [null,4,3].',
    );
  });
});
