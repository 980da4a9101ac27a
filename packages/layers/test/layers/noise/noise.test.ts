/**
 * GaussianNoise, GaussianDropout, AlphaDropout, ActivityRegularization: harness, identity in inference (as
 * tfjs), training-mode statistics against their formulas, gradients, config forms, bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { randomNormal, sum, Tensor, tensor, valueAndGrads } from '@recurrent/core';
import { ActivityRegularization, AlphaDropout, GaussianDropout, GaussianNoise, Layer, layers, resetNameCounters } from '@recurrent/layers';
import { runLayerHarness } from '../../helpers/layer_harness';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

runLayerHarness({
  make: () => layers.gaussianNoise({ stddev: 0.3, seed: 1 }),
  inputShape: [2, 5, 3],
  expectedOutputShape: [2, 5, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  make: () => layers.gaussianDropout({ rate: 0.3 }),
  inputShape: [2, 5, 3],
  expectedOutputShape: [2, 5, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  make: () => layers.alphaDropout({ rate: 0.2, noiseShape: [null, 1, null], seed: 3 }),
  inputShape: [2, 5, 3],
  expectedOutputShape: [2, 5, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  make: () => layers.activityRegularization({ l1: 0.01, l2: 0.1 }),
  inputShape: [2, 5, 3],
  expectedOutputShape: [2, 5, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

function stats(v: ArrayLike<number>): { mean: number; std: number } {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i];
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return { mean: m, std: Math.sqrt(s / v.length) };
}

describe('inference: the input passes through, as tfjs (values and gradients)', () => {
  const x = () => randomNormal([2, 6, 3], 0, 1, 'float32', 4);
  it('GaussianNoise', () => {
    expectTfjsParity(new GaussianNoise({ stddev: 0.5 }), tf.layers.gaussianNoise({ stddev: 0.5 }), x());
  });
  it('GaussianDropout', () => {
    expectTfjsParity(new GaussianDropout({ rate: 0.4 }), tf.layers.gaussianDropout({ rate: 0.4 }), x());
  });
  it('AlphaDropout', () => {
    expectTfjsParity(new AlphaDropout({ rate: 0.4 }), tf.layers.alphaDropout({ rate: 0.4 }), x());
  });
  it("config keys are tfjs's (seed only when set)", () => {
    expect(Object.keys(new GaussianNoise({ stddev: 1 }).getConfig()).sort()).toEqual(
      [...Object.keys(tf.layers.gaussianNoise({ stddev: 1 }).getConfig()), 'dtype'].sort(),
    );
    expect(Object.keys(new GaussianDropout({ rate: 0.1 }).getConfig()).sort()).toEqual(
      [...Object.keys(tf.layers.gaussianDropout({ rate: 0.1 }).getConfig()), 'dtype'].sort(),
    );
    expect(new GaussianNoise({ stddev: 1, seed: 5 }).getConfig().seed).toBe(5);
  });
});

describe('training statistics (formulas), over 40000 draws', () => {
  const n = 40000;
  const ones = tensor(new Float32Array(n).fill(1), [n, 1]);
  it('GaussianNoise adds N(0, stddev²)', () => {
    const y = (new GaussianNoise({ stddev: 0.3, seed: 1 }).apply(ones, { training: true }) as Tensor).dataSync();
    const s = stats(Array.from(y, (v) => v - 1));
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    expect(Math.abs(s.std - 0.3)).toBeLessThan(0.01);
  });
  it('GaussianDropout multiplies by N(1, rate / (1 − rate)); the input gradient is that factor', () => {
    const layer = new GaussianDropout({ rate: 0.2, seed: 2 });
    const x = randomNormal([n, 1], 0, 1, 'float32', 5);
    const { grads } = valueAndGrads((a: Tensor) => sum(layer.apply(a, { training: true }) as Tensor))([x]);
    const s = stats(grads[0].dataSync());
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(s.std - 0.5)).toBeLessThan(0.01);
  });
  it('AlphaDropout keeps mean 0 and variance 1 of standard normal inputs; dropped elements become a·alphaP + b', () => {
    const rate = 0.3;
    const x = randomNormal([n, 1], 0, 1, 'float32', 6);
    const y = (new AlphaDropout({ rate, seed: 3 }).apply(x, { training: true }) as Tensor).dataSync();
    const s = stats(y);
    expect(Math.abs(s.mean)).toBeLessThan(0.02);
    expect(Math.abs(s.std - 1)).toBeLessThan(0.02);
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - rate) * (1 + rate * alphaP * alphaP)) ** -0.5;
    const dropped = a * alphaP - a * alphaP * rate;
    const xv = x.dataSync();
    let nDropped = 0;
    for (let i = 0; i < n; i++) {
      if (Math.abs(y[i] - dropped) < 1e-6) nDropped++;
      else expect(Math.abs(y[i] - (a * xv[i] - a * alphaP * rate))).toBeLessThan(1e-5);
    }
    expect(Math.abs(nDropped / n - rate)).toBeLessThan(0.01);
  });
  it('AlphaDropout noiseShape [null, 1]: one decision per row', () => {
    const y = (
      new AlphaDropout({ rate: 0.5, noiseShape: [null, 1], seed: 4 }).apply(tensor(new Float32Array(400).fill(1), [100, 4]), {
        training: true,
      }) as Tensor
    ).dataSync();
    for (let r = 0; r < 100; r++) for (let c = 1; c < 4; c++) expect(y[r * 4 + c]).toBe(y[r * 4]);
  });
  it('seeded layers are reproducible across instances and differ between calls', () => {
    const x = randomNormal([3, 4], 0, 1, 'float32', 7);
    const mk = () => new GaussianNoise({ stddev: 1, seed: 9 });
    const a = mk();
    const b = mk();
    const a1 = (a.apply(x, { training: true }) as Tensor).dataSync();
    expect(Array.from((b.apply(x, { training: true }) as Tensor).dataSync())).toEqual(Array.from(a1));
    expect(Array.from((a.apply(x, { training: true }) as Tensor).dataSync())).not.toEqual(Array.from(a1));
  });
});

describe('ActivityRegularization', () => {
  it('identity output; losses hold (l1·Σ|x| + l2·Σx²) / batch (float64, as Keras), differentiable w.r.t. x', () => {
    const layer = new ActivityRegularization({ l1: 0.01, l2: 0.1 });
    const x = tensor([
      [1, -2],
      [0.5, 3],
    ]);
    expect(Array.from((layer.apply(x) as Tensor).dataSync())).toEqual([1, -2, 0.5, 3]);
    const expected = (0.01 * (1 + 2 + 0.5 + 3) + 0.1 * (1 + 4 + 0.25 + 9)) / 2; // Keras divides by the batch size (2)
    expect(Math.abs(layer.losses[0].dataSync()[0] - expected)).toBeLessThan(1e-6);
    const { grads } = valueAndGrads((a: Tensor) => {
      layer.apply(a);
      return layer.losses[0];
    })([x]);
    expect(Array.from(grads[0].dataSync()).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0.105, -0.205, 0.055, 0.305]);
  });
  it('the penalty is divided by the batch size (the first dimension), as Keras 2 and 3 (Keras 3.15 values)', () => {
    // Keras 3.15: ActivityRegularization(l1=0.1, l2=0.2)(x).losses for x = arange(12)/5 − 1 as [4, 3] → 0.472
    // (= 1.888 / 4), and as [2, 2, 3] → 0.944 (= 1.888 / 2).
    const x = tensor(
      Array.from({ length: 12 }, (_, i) => i / 5 - 1),
      [4, 3],
    );
    for (const [shape, keras] of [
      [[4, 3], 0.472],
      [[2, 2, 3], 0.944],
    ] as [number[], number][]) {
      const layer = new ActivityRegularization({ l1: 0.1, l2: 0.2 });
      layer.apply(x.reshape(shape));
      expect(Math.abs(layer.losses[0].dataSync()[0] - keras)).toBeLessThan(1e-6);
    }
    const dense = layers.dense({ units: 2, kernelInitializer: 'ones', activityRegularizer: 'l2' });
    const y = dense.apply(x) as Tensor; // each row's sum, twice; Keras's 'l2' factor is 0.01
    const sumSq = Array.from(y.dataSync()).reduce((a, v) => a + v * v, 0);
    expect(Math.abs(dense.losses[0].dataSync()[0] - (0.01 * sumSq) / 4)).toBeLessThan(1e-6);
  });
  it('Keras config: l1, l2', () => {
    expect(new ActivityRegularization({ l2: 0.5 }).getConfig()).toMatchObject({ l1: 0, l2: 0.5 });
  });
});

describe('bad input names the layer and argument', () => {
  it('rates, stddev, noiseShape, unknown keys', () => {
    expect(() => new GaussianNoise({ stddev: -1, name: 'g' })).toThrow('Layer g: stddev must be a finite number ≥ 0, received -1');
    expect(() => new GaussianDropout({ rate: 1, name: 'd' })).toThrow('Layer d: rate must be below 1, received 1');
    expect(() => new AlphaDropout({ rate: 1.5, name: 'a' })).toThrow('Layer a: rate must be a finite number ≥ 0 and ≤ 1, received 1.5');
    expect(() => new AlphaDropout({ rate: 0.5, noiseShape: [2, 2], name: 'a2' }).apply(randomNormal([3, 2]), { training: true })).toThrow(
      'Layer a2: noiseShape [2,2] does not broadcast to the input shape [3,2]',
    );
    expect(() => new ActivityRegularization({ l1: -1, name: 'r' })).toThrow('Layer r: l1 must be a finite number ≥ 0, received -1');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new GaussianNoise({ stdev: 1 } as any)).toThrow("GaussianNoise: unknown option 'stdev'; did you mean 'stddev'?");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new GaussianNoise({} as any)).toThrow('stddev is required');
  });
  it('masks pass through', () => {
    const m = tensor([[1, 0]]);
    for (const l of [
      new GaussianNoise({ stddev: 1 }),
      new GaussianDropout({ rate: 0.1 }),
      new AlphaDropout({ rate: 0.1 }),
      new ActivityRegularization(),
    ] as Layer[]) {
      expect(l.computeMask(randomNormal([1, 2, 3]), m)).toBe(m);
    }
  });
});
