import { grad, ones, randomNormal, sum, Tensor, tensor } from '@recurrent/core';
import { layers, SpatialDropout1D } from '@recurrent/layers';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => layers.spatialDropout1d({ rate: 0.4, seed: 2 }),
  inputShape: [2, 5, 3],
  expectedOutputShape: [2, 5, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('SpatialDropout1D', () => {
  it('is the identity unless training', () => {
    const x = randomNormal([2, 4, 3], 0, 1, 'float32', 1);
    expect((new SpatialDropout1D({ rate: 0.5 }).apply(x) as Tensor).dataSync()).toEqual(x.dataSync());
    expect((new SpatialDropout1D({ rate: 0.5 }).apply(x, { training: false }) as Tensor).dataSync()).toEqual(x.dataSync());
    expect((new SpatialDropout1D({ rate: 0 }).apply(x, { training: true }) as Tensor).dataSync()).toEqual(x.dataSync());
  });

  it('drops whole channels: each (sample, feature) is zero at every step or scaled by 1/(1-rate) at every step', () => {
    const rate = 0.3;
    const out = new SpatialDropout1D({ rate, seed: 5 }).apply(ones([40, 6, 25]), { training: true }) as Tensor;
    const v = out.arraySync() as number[][][];
    let dropped = 0;
    for (const sample of v) {
      for (let f = 0; f < 25; f++) {
        const col = sample.map((row) => row[f]);
        for (const c of col) expect(c).toBeCloseTo(col[0], 6);
        if (col[0] === 0) dropped++;
        else expect(col[0]).toBeCloseTo(1 / (1 - rate), 6);
      }
    }
    expect(Math.abs(dropped / (40 * 25) - rate)).toBeLessThan(0.05);
    expect((new SpatialDropout1D({ rate: 1 }).apply(ones([2, 3, 4]), { training: true }) as Tensor).dataSync().every((q) => q === 0)).toBe(
      true,
    );
  });

  it('seeded layers are reproducible; the gradient is the channel mask', () => {
    const a = new SpatialDropout1D({ rate: 0.5, seed: 9 }).apply(ones([3, 4, 5]), { training: true }) as Tensor;
    const b = new SpatialDropout1D({ rate: 0.5, seed: 9 }).apply(ones([3, 4, 5]), { training: true }) as Tensor;
    expect(a.dataSync()).toEqual(b.dataSync());
    const d = new SpatialDropout1D({ rate: 0.5, seed: 9 });
    const g = grad((xx) => sum(d.apply(xx, { training: true }) as Tensor))(randomNormal([3, 4, 5]));
    expect(g.dataSync()).toEqual(a.dataSync());
    expect(new SpatialDropout1D({ rate: 0.5, seed: 9 }).getConfig()).toEqual(
      expect.objectContaining({ rate: 0.5, seed: 9, trainable: true }),
    );
  });

  it('rejects inputs that are not rank 3 and a bad rate, naming the layer', () => {
    expect(() => new SpatialDropout1D({ rate: 0.5, name: 'sd' }).apply(tensor([[1, 2]]), { training: true })).toThrow(
      'Input 0 of layer sd is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: [1,2]',
    );
    expect(() => new SpatialDropout1D({ rate: -0.1, name: 'sd2' })).toThrow(/sd2: rate must be a number in \[0, 1\], received -0.1/);
  });
});
