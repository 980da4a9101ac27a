import * as tf from '@tensorflow/tfjs';
import { grad, mul, randomNormal, sum, Tensor, tensor } from '@recurrent/core';
import { layers, Masking } from '@recurrent/layers';
import { checkGradients } from '@recurrent/test-utils';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => layers.masking({ maskValue: 0 }),
  inputShape: [2, 3, 4],
  makeInput: () =>
    tensor([
      [
        [1, 2, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 3],
      ],
      [
        [0, 0, 0, 0],
        [5, 5, 5, 5],
        [0, 0, 0, 0],
      ],
    ]),
  expectedOutputShape: [2, 3, 4],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('Masking', () => {
  const x = tensor([
    [
      [1, 2],
      [-1, -1],
      [0, -1],
    ],
    [
      [-1, -1],
      [-1, -1],
      [3, 4],
    ],
  ]);

  it('mask = any(x != maskValue, -1); output zeroes the fully masked steps (hand-worked)', () => {
    const m = new Masking({ maskValue: -1 });
    const out = m.apply(x) as Tensor;
    // x · 0 keeps the sign of zero (-1 · 0 = -0), as tfjs; compare as numbers.
    expect(Array.from(out.dataSync()).map((v) => v + 0)).toEqual([1, 2, 0, 0, 0, -1, 0, 0, 0, 0, 3, 4]);
    const mask = m.computeMask(x);
    expect(mask.dtype).toBe('bool');
    expect(mask.shape).toEqual([2, 3]);
    expect(Array.from(mask.dataSync())).toEqual([1, 0, 1, 0, 0, 1]);
    expect(new Masking().maskValue).toBe(0);
    expect(m.getConfig()).toEqual({ maskValue: -1, name: m.name, trainable: true, dtype: 'float32' });
  });

  it('matches tf.layers.masking (output and mask)', async () => {
    await tf.setBackend('cpu');
    const theirs = tf.layers.masking({ maskValue: -1 });
    const tx = tf.tensor(Array.from(x.dataSync()), x.shape);
    const ours = new Masking({ maskValue: -1 });
    expect(Array.from((ours.apply(x) as Tensor).dataSync())).toEqual(Array.from((theirs.apply(tx) as tf.Tensor).dataSync()));
    expect(Array.from(ours.computeMask(x).dataSync())).toEqual(Array.from((theirs.computeMask(tx) as tf.Tensor).dataSync()));
    expect(Object.keys(ours.getConfig())).toEqual(expect.arrayContaining(Object.keys(theirs.getConfig())));
  });

  it('gradient: identity on kept steps (finite differences), zero on fully masked steps', () => {
    // maskValue 5 never fills a whole step here, so small perturbations keep the mask fixed.
    const m = new Masking({ maskValue: 5 });
    const input = tensor([
      [
        [5, 0.3],
        [0.7, -0.2],
      ],
      [
        [-0.4, 5],
        [0.1, 0.9],
      ],
    ]);
    checkGradients((xx) => m.apply(xx) as Tensor, [input]);
    const w = randomNormal([2, 3, 2], 0, 1, 'float32', 4);
    const g = grad((xx) => sum(mul(new Masking({ maskValue: -1 }).apply(xx) as Tensor, w)))(x).dataSync();
    const keep = [1, 0, 1, 0, 0, 1];
    const wv = w.dataSync();
    for (let i = 0; i < 12; i++) expect(g[i]).toBeCloseTo(keep[Math.floor(i / 2)] * wv[i], 6);
  });

  it('rejects inputs of rank < 2 and a non-number maskValue, naming the layer', () => {
    expect(() => new Masking({ name: 'mk' }).apply(tensor([1, 0]))).toThrow(
      'Input 0 of layer mk is incompatible with the layer: expected min_ndim=2, found ndim=1',
    );
    expect(() => new Masking({ maskValue: 'x' as unknown as number, name: 'mk2' })).toThrow(
      /mk2: maskValue must be a number, received "x"/,
    );
  });
});
