/** ZeroPadding2D, UpSampling2D, Cropping2D: harness, tfjs parity (values and input gradients), hand cases, null dims, bad input. */
import * as tf from '@tensorflow/tfjs';
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import { Cropping2D, deserialize, Layer, layers, resetNameCounters, UpSampling2D, ZeroPadding2D } from '@recurrent/layers';
import { checkGradients } from '@recurrent/test-utils';
import { runLayerHarness } from '../../helpers/layer_harness';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

const noWeights = { expectedWeightShapes: [], expectedParamCount: 0 };
runLayerHarness({ make: () => layers.zeroPadding2d(), inputShape: [2, 3, 4, 2], expectedOutputShape: [2, 5, 6, 2], ...noWeights });
runLayerHarness({
  make: () =>
    layers.zeroPadding2d({
      padding: [
        [1, 0],
        [0, 2],
      ],
    }),
  inputShape: [2, 3, 4, 2],
  expectedOutputShape: [2, 4, 6, 2],
  ...noWeights,
});
runLayerHarness({
  make: () => layers.upSampling2d({ size: [2, 3] }),
  inputShape: [2, 3, 2, 2],
  expectedOutputShape: [2, 6, 6, 2],
  ...noWeights,
});
runLayerHarness({
  make: () => layers.cropping2d({ cropping: [1, 2] }),
  inputShape: [2, 5, 6, 2],
  expectedOutputShape: [2, 3, 2, 2],
  ...noWeights,
});

describe('2-D reshaping layers against tfjs (values and input gradients)', () => {
  const x = () => randomNormal([2, 5, 6, 3], 0, 1, 'float32', 4);
  const cases: Array<[string, () => Layer, () => tf.layers.Layer]> = [
    ['ZeroPadding2D default', () => new ZeroPadding2D(), () => tf.layers.zeroPadding2d()],
    ['ZeroPadding2D [2, 1]', () => new ZeroPadding2D({ padding: [2, 1] }), () => tf.layers.zeroPadding2d({ padding: [2, 1] })],
    [
      'ZeroPadding2D [[1, 0], [2, 3]]',
      () =>
        new ZeroPadding2D({
          padding: [
            [1, 0],
            [2, 3],
          ],
        }),
      () =>
        tf.layers.zeroPadding2d({
          padding: [
            [1, 0],
            [2, 3],
          ],
        }),
    ],
    ['UpSampling2D default', () => new UpSampling2D(), () => tf.layers.upSampling2d({})],
    ['UpSampling2D [3, 1]', () => new UpSampling2D({ size: [3, 1] }), () => tf.layers.upSampling2d({ size: [3, 1] })],
    ['Cropping2D 1', () => new Cropping2D({ cropping: 1 }), () => tf.layers.cropping2D({ cropping: 1 })],
    [
      'Cropping2D [[0, 2], [3, 1]]',
      () =>
        new Cropping2D({
          cropping: [
            [0, 2],
            [3, 1],
          ],
        }),
      () =>
        tf.layers.cropping2D({
          cropping: [
            [0, 2],
            [3, 1],
          ],
        }),
    ],
  ];
  it.each(cases)('%s', (name, ours, theirs) => {
    if (!name.startsWith('UpSampling2D')) return void expectTfjsParity(ours(), theirs(), x());
    // tfjs's resizeNearestNeighbor gradient (its UpSampling2D's) is wrong for batch > 1 (it mixes the samples):
    // gradients compared on one sample, values on two; the finite differences below check ours at any batch.
    expectTfjsParity(ours(), theirs(), x(), { gradients: false });
    expectTfjsParity(ours(), theirs(), randomNormal([1, 5, 6, 3], 0, 1, 'float32', 5));
  });
  it('finite differences of the input gradients (gather and pad backwards)', () => {
    for (const l of [new UpSampling2D({ size: [2, 3] }), new ZeroPadding2D({ padding: [1, 2] }), new Cropping2D({ cropping: [1, 1] })]) {
      checkGradients((a) => l.apply(a) as Tensor, [randomNormal([2, 3, 4, 2], 0, 1, 'float32', 6)]);
    }
  });
  it('hand-worked 2x2 image', () => {
    const img = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from((new UpSampling2D({ size: [1, 2] }).apply(img) as Tensor).dataSync())).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(
      Array.from(
        (
          new ZeroPadding2D({
            padding: [
              [0, 1],
              [1, 0],
            ],
          }).apply(img) as Tensor
        ).dataSync(),
      ),
    ).toEqual([0, 1, 2, 0, 3, 4, 0, 0, 0]);
    expect(
      Array.from(
        (
          new Cropping2D({
            cropping: [
              [1, 0],
              [0, 1],
            ],
          }).apply(img) as Tensor
        ).dataSync(),
      ),
    ).toEqual([3]);
  });
});

describe('2-D reshaping shapes with null dims and config', () => {
  it('computeOutputShape keeps null dims, also under TimeDistributed', () => {
    expect(new ZeroPadding2D({ padding: [1, 2] }).computeOutputShape([null, null, 4, 3])).toEqual([null, null, 8, 3]);
    expect(new UpSampling2D({ size: 3 }).computeOutputShape([null, 2, null, 3])).toEqual([null, 6, null, 3]);
    expect(new Cropping2D({ cropping: 1 }).computeOutputShape([null, null, 4, 3])).toEqual([null, null, 2, 3]);
    const td = layers.timeDistributed({ layer: layers.upSampling2d() });
    expect(td.computeOutputShape([null, null, 3, 4, 2])).toEqual([null, null, 6, 8, 2]);
    expect((td.apply(randomNormal([2, 3, 3, 4, 2])) as Tensor).shape).toEqual([2, 3, 6, 8, 2]);
  });
  it('config keys and forms as tfjs', () => {
    const cases: Array<[Layer, tf.layers.Layer]> = [
      [layers.zeroPadding2d({ padding: 2 }), tf.layers.zeroPadding2d({ padding: 2 })],
      [layers.upSampling2d({ size: [2, 3] }), tf.layers.upSampling2d({ size: [2, 3] })],
      [layers.cropping2D({ cropping: [1, 2] }), tf.layers.cropping2D({ cropping: [1, 2] })],
    ];
    for (const [ours, theirs] of cases) {
      const tc = theirs.getConfig();
      const oc = ours.getConfig();
      expect(Object.keys(oc).sort()).toEqual([...Object.keys(tc), 'dtype'].sort());
      for (const k of ['padding', 'size', 'cropping', 'dataFormat', 'interpolation']) if (k in tc) expect(oc[k]).toEqual(tc[k]);
    }
  });
  it('a Keras 3 UpSampling2D config (camel-cased) deserializes', () => {
    const l = deserialize<Layer>(
      { className: 'UpSampling2D', config: { size: [2, 2], dataFormat: 'channelsLast', interpolation: 'nearest', name: 'u' } },
      'layer',
    );
    expect((l.apply(randomNormal([1, 2, 3, 1])) as Tensor).shape).toEqual([1, 4, 6, 1]);
  });
});

describe('2-D reshaping bad input names the layer, the argument, what was expected and what came', () => {
  it('args and shapes', () => {
    expect(() => new ZeroPadding2D({ padding: -1, name: 'z1' })).toThrow(
      'Layer z1: padding must be a non-negative integer, a pair [rows, cols] of them or [[top, bottom], [left, right]], received -1.',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new Cropping2D({ cropping: [[1, 2], [3]] as any, name: 'c1' })).toThrow('Layer c1: cropping must be');
    expect(() => new UpSampling2D({ size: 0, name: 'u1' })).toThrow(
      'Layer u1: size must be a positive integer or a pair [rows, cols] of them, received 0.',
    );
    expect(() => new UpSampling2D({ interpolation: 'bilinear', name: 'u2' })).toThrow(
      "Layer u2: interpolation 'bilinear' is not supported",
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new UpSampling2D({ interpolation: 'cubic' as any, name: 'u3' })).toThrow(
      `Layer u3: interpolation must be 'nearest', received "cubic".`,
    );
    expect(() => new ZeroPadding2D({ dataFormat: 'channelsFirst', name: 'z2' })).toThrow(
      "Layer z2: dataFormat 'channelsFirst' is not supported",
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new Cropping2D({ croping: 1 } as any)).toThrow("Cropping2D: unknown option 'croping'; did you mean 'cropping'?");
    expect(() =>
      new Cropping2D({
        cropping: [
          [2, 2],
          [0, 0],
        ],
        name: 'c2',
      }).apply(randomNormal([1, 3, 4, 1])),
    ).toThrow('Layer c2: cropping [[2,2],[0,0]] removes more rows than the 3 of input shape [1,3,4,1]; it must leave at least one.');
    // Nothing left: Keras 3 refuses; tfjs returns an empty tensor.
    expect(() =>
      new Cropping2D({
        cropping: [
          [0, 0],
          [1, 3],
        ],
        name: 'c3',
      }).apply(randomNormal([1, 3, 4, 1])),
    ).toThrow('Layer c3: cropping [[0,0],[1,3]] removes all cols of the 4 of input shape [1,3,4,1]; it must leave at least one.');
    expect(() => new UpSampling2D({ name: 'u4' }).computeOutputShape([null, 3, 2])).toThrow(
      'Layer u4: expected input of shape [batch, rows, cols, channels], received [null,3,2].',
    );
  });
});
