/** UpSampling1D, ZeroPadding1D, Cropping1D: harness, tfjs parity through the 2-D layers on [batch, 1, steps, channels], bad input. */
import * as tf from '@tensorflow/tfjs';
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import { Cropping1D, layers, resetNameCounters, UpSampling1D, ZeroPadding1D } from '@recurrent/layers';
import { checkGradients } from '../../../../core/test/helpers/grad_check';
import { runLayerHarness } from '../../helpers/layer_harness';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

runLayerHarness({
  make: () => layers.upSampling1d({ size: 3 }),
  inputShape: [2, 4, 3],
  expectedOutputShape: [2, 12, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  make: () => layers.zeroPadding1d({ padding: [2, 1] }),
  inputShape: [2, 4, 3],
  expectedOutputShape: [2, 7, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  make: () => layers.cropping1d({ cropping: [1, 2] }),
  inputShape: [2, 6, 3],
  expectedOutputShape: [2, 3, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

const to2d = (t: tf.Tensor) => t.reshape([t.shape[0], 1, t.shape[1] as number, t.shape[2] as number]);

describe('against tfjs 2-D layers (values and input gradients)', () => {
  it('UpSampling1D = UpSampling2D size [1, s] (values); input gradient by finite differences', () => {
    // tfjs's UpSampling2D gradient (resizeNearestNeighbor's) does not sum the repeats for a [1, s] size, so the
    // input gradient (each step's dy summed over its `size` copies) is checked by finite differences instead.
    const x = randomNormal([2, 4, 3], 0, 1, 'float32', 1);
    const up = new UpSampling1D({ size: 3 });
    expectTfjsParity(up, tf.layers.upSampling2d({ size: [1, 3] }), x, { input: to2d, gradients: false });
    checkGradients((a) => up.apply(a) as Tensor, [x]);
  });
  it('ZeroPadding1D = ZeroPadding2D [[0, 0], [l, r]]', () => {
    expectTfjsParity(
      new ZeroPadding1D({ padding: [2, 1] }),
      tf.layers.zeroPadding2d({
        padding: [
          [0, 0],
          [2, 1],
        ],
      }),
      randomNormal([2, 4, 3], 0, 1, 'float32', 2),
      { input: to2d },
    );
    expectTfjsParity(
      new ZeroPadding1D(),
      tf.layers.zeroPadding2d({
        padding: [
          [0, 0],
          [1, 1],
        ],
      }),
      randomNormal([2, 4, 3], 0, 1, 'float32', 3),
      { input: to2d },
    );
  });
  it('Cropping1D = Cropping2D [[0, 0], [start, end]]', () => {
    expectTfjsParity(
      new Cropping1D({ cropping: [1, 2] }),
      tf.layers.cropping2D({
        cropping: [
          [0, 0],
          [1, 2],
        ],
      }),
      randomNormal([2, 6, 3], 0, 1, 'float32', 4),
      { input: to2d },
    );
  });
  it('by hand: step order', () => {
    const x = tensor([[[1], [2]]]);
    expect(Array.from((new UpSampling1D().apply(x) as Tensor).dataSync())).toEqual([1, 1, 2, 2]);
    expect(Array.from((new ZeroPadding1D({ padding: [1, 0] }).apply(x) as Tensor).dataSync())).toEqual([0, 1, 2]);
    expect(Array.from((new Cropping1D({ cropping: [1, 0] }).apply(x) as Tensor).dataSync())).toEqual([2]);
  });
  it('Keras config forms: padding and cropping as pairs, defaults', () => {
    expect(new ZeroPadding1D({ padding: 2 }).getConfig().padding).toEqual([2, 2]);
    expect(new Cropping1D().getConfig().cropping).toEqual([1, 1]);
    expect(new UpSampling1D().getConfig().size).toBe(2);
  });
});

describe('bad input names the layer', () => {
  it('negative padding or cropping, cropping longer than the sequence, wrong rank', () => {
    expect(() => new ZeroPadding1D({ padding: [-1, 2], name: 'z' })).toThrow(
      'Layer z: padding must be a non-negative integer or a pair [left, right] of them, received [-1,2]',
    );
    expect(() => new Cropping1D({ cropping: -1, name: 'c' })).toThrow('Layer c: cropping must be');
    expect(() => new Cropping1D({ cropping: [2, 2], name: 'c2' }).apply(randomNormal([1, 3, 2]))).toThrow(
      'Layer c2: cropping [2,2] removes more steps than the 3 steps of input shape [1,3,2]; it must leave at least one.',
    );
    // Nothing left: Keras 3 refuses (its Cropping1D: cropping must be smaller than the input length); tfjs returned
    // an empty [1, 0, 2] tensor, as this layer did.
    expect(() => new Cropping1D({ cropping: [1, 2], name: 'c3' }).apply(randomNormal([1, 3, 2]))).toThrow(
      'Layer c3: cropping [1,2] removes all of the 3 steps of input shape [1,3,2]; it must leave at least one.',
    );
    expect(() => new Cropping1D({ cropping: [1, 2], name: 'c4' }).computeOutputShape([null, 3, 2])).toThrow(/c4.*removes all/);
    expect(() => new UpSampling1D({ name: 'u' }).apply(randomNormal([3, 2]))).toThrow(/u.*ndim=3/s);
    expect(() => new UpSampling1D({ size: 0, name: 'u2' })).toThrow('Layer u2: size must be a positive integer');
    expect(() => new ZeroPadding1D({ name: 'z3' }).computeOutputShape([null, 4])).toThrow(
      'Layer z3: expected input of shape [batch, steps, channels], received [null,4]',
    );
    expect(() => new Cropping1D({ name: 'c3' }).computeOutputShape([null, 4])).toThrow('Layer c3: expected input of shape');
    expect(() => new UpSampling1D({ name: 'u3' }).computeOutputShape([null, 4, 2, 1])).toThrow('Layer u3: expected input of shape');
  });
});
