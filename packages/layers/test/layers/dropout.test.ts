import { dropout, grad, ones, randomNormal, sum, Tensor } from '@recurrent/core';
import { Dropout, layers } from '@recurrent/layers';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => layers.dropout({ rate: 0.3, seed: 1 }),
  inputShape: [4, 6],
  expectedOutputShape: [4, 6],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('Dropout', () => {
  it('is the identity unless training', () => {
    const x = randomNormal([3, 5]);
    expect((new Dropout({ rate: 0.5 }).apply(x) as Tensor).dataSync()).toEqual(x.dataSync());
    expect((new Dropout({ rate: 0.5 }).apply(x, { training: false }) as Tensor).dataSync()).toEqual(x.dataSync());
  });

  it('when training, zeroes about `rate` of the elements and scales the rest by 1/(1-rate)', () => {
    const rate = 0.25;
    const out = (new Dropout({ rate, seed: 3 }).apply(ones([200, 50]), { training: true }) as Tensor).dataSync();
    let zeros = 0;
    for (const v of out) {
      if (v === 0) zeros++;
      else expect(v).toBeCloseTo(1 / (1 - rate), 6);
    }
    expect(Math.abs(zeros / out.length - rate)).toBeLessThan(0.02);
  });

  it('noiseShape shares the mask along axes of size 1; seeded layers are reproducible', () => {
    const d = new Dropout({ rate: 0.5, noiseShape: [null, 1, null], seed: 4 });
    const out = d.apply(ones([2, 5, 3]), { training: true }) as Tensor;
    const v = out.arraySync() as number[][][];
    for (const batch of v) for (const row of batch) expect(row).toEqual(batch[0]);
    const a = (new Dropout({ rate: 0.5, seed: 9 }).apply(ones([10]).reshape([2, 5]), { training: true }) as Tensor).dataSync();
    const b = (new Dropout({ rate: 0.5, seed: 9 }).apply(ones([10]).reshape([2, 5]), { training: true }) as Tensor).dataSync();
    expect(a).toEqual(b);
  });

  it('the gradient is the mask', () => {
    const x = randomNormal([4, 4]);
    const mask = (new Dropout({ rate: 0.5, seed: 2 }).apply(ones([4, 4]), { training: true }) as Tensor).dataSync();
    const d = new Dropout({ rate: 0.5, seed: 2 });
    const g = grad((xx) => sum(d.apply(xx, { training: true }) as Tensor))(x);
    expect(g.dataSync()).toEqual(mask);
  });

  it('rejects a bad rate or noiseShape naming the layer', () => {
    expect(() => new Dropout({ rate: 1.5, name: 'drop' })).toThrow(/drop: rate must be a number in \[0, 1\], received 1.5/);
    const d = new Dropout({ rate: 0.5, noiseShape: [2, 3], name: 'drop2' });
    expect(() => d.apply(ones([2, 4]), { training: true })).toThrow(
      /drop2: noiseShape \[2,3\] does not broadcast to the input shape \[2,4\]/,
    );
  });

  it('draws the mask of the dropout op with the same seed (one rule for the layer and the op)', () => {
    const fromLayer = (new Dropout({ rate: 0.4, seed: 11 }).apply(ones([5, 7]), { training: true }) as Tensor).dataSync();
    expect(Array.from(fromLayer)).toEqual(Array.from(dropout(ones([5, 7]), 0.4, undefined, 11).dataSync()));
  });
});
