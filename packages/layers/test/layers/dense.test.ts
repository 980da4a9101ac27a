import * as tf from '@tensorflow/tfjs';
import { mul, randomNormal, sum, Tensor, tensor, variableGrads } from '@recurrent/core';
import { Dense, initializers, layers, regularizers, resetNameCounters } from '@recurrent/layers';
import { checkGradients } from '@recurrent/test-utils';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => new Dense({ units: 3, activation: 'tanh' }),
  inputShape: [4, 5],
  expectedOutputShape: [4, 3],
  expectedWeightShapes: [[5, 3], [3]],
  expectedParamCount: 18,
});

runLayerHarness({
  title: 'Dense on rank-3 input, no bias, with regularizers and constraint',
  make: () =>
    layers.dense({
      units: 2,
      useBias: false,
      kernelRegularizer: 'l2',
      kernelConstraint: 'maxNorm',
      activityRegularizer: regularizers.l1({ l1: 0.1 }),
      kernelInitializer: initializers.orthogonal({ gain: 2, seed: 3 }),
    }),
  inputShape: [2, 3, 4],
  expectedOutputShape: [2, 3, 2],
  expectedWeightShapes: [[4, 2]],
  expectedParamCount: 8,
});

/** Row-major float64 reference of activation(x · k + b). */
function reference(x: number[][], k: number[][], b: number[], act: (v: number) => number): number[][] {
  return x.map((row) => b.map((bj, j) => act(row.reduce((s, xi, i) => s + xi * k[i][j], 0) + bj)));
}

function expectClose(actual: Tensor, expected: number[][], tol: number): void {
  expect(actual.shape).toEqual([expected.length, expected[0].length]);
  const v = actual.dataSync();
  expected.flat().forEach((e, i) => expect(Math.abs(v[i] - e)).toBeLessThanOrEqual(tol));
}

describe('Dense', () => {
  beforeEach(() => resetNameCounters());

  it('computes activation(x · kernel + bias) as worked by hand', () => {
    const d = new Dense({ units: 2, activation: 'relu' });
    const x = [
      [1, -2, 0.5],
      [0.25, 3, -1],
    ];
    d.apply(tensor(x));
    const k = [
      [0.5, -1],
      [0.25, 0.75],
      [-2, 1],
    ];
    const b = [0.1, -0.2];
    d.setWeights([tensor(k), tensor(b)]);
    // Row 0: [0.5 - 0.5 - 1 + 0.1, -1 - 1.5 + 0.5 - 0.2] = [-0.9, -2.2] → relu → [0, 0]
    // Row 1: [0.125 + 0.75 + 2 + 0.1, -0.25 + 2.25 - 1 - 0.2] = [2.975, 0.8]
    expectClose(
      d.apply(tensor(x)) as Tensor,
      [
        [0, 0],
        [2.975, 0.8],
      ],
      1e-6,
    );
    expectClose(
      d.apply(tensor(x)) as Tensor,
      reference(x, k, b, (v) => Math.max(0, v)),
      1e-6,
    );
  });

  it('applies to the last axis of rank-3 inputs', () => {
    const d = new Dense({ units: 2, kernelInitializer: 'ones', biasInitializer: initializers.constant({ value: 1 }) });
    const out = d.apply(
      tensor([
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ]),
    ) as Tensor;
    expect(out.shape).toEqual([1, 3, 2]);
    expect(Array.from(out.dataSync())).toEqual([4, 4, 8, 8, 12, 12]);
  });

  it('has tfjs/Keras default names, weight names, defaults and config keys', () => {
    const a = new Dense({ units: 3 });
    const b = new Dense({ units: 3 });
    expect([a.name, b.name]).toEqual(['dense', 'dense_1']);
    a.apply(randomNormal([2, 4]));
    expect(a.weights.map((w) => w.originalName)).toEqual(['dense/kernel', 'dense/bias']);
    expect(a.weights[0].name).toMatch(/^dense\/kernel(_\d+)?$/);
    const c = a.getConfig();
    expect(c).toEqual({
      units: 3,
      activation: 'linear',
      useBias: true,
      kernelInitializer: { className: 'GlorotUniform', config: { seed: null } },
      biasInitializer: { className: 'Zeros', config: {} },
      kernelRegularizer: null,
      biasRegularizer: null,
      activityRegularizer: null,
      kernelConstraint: null,
      biasConstraint: null,
      name: 'dense',
      trainable: true,
      dtype: 'float32',
    });
    expect(new Dense({ units: 1, inputDim: 7 }).batchInputShape).toEqual([null, 7]);
  });

  it('matches tf.layers.dense given the same weights (1e-5)', async () => {
    await tf.setBackend('cpu');
    for (const activation of ['linear', 'relu', 'tanh', 'sigmoid', 'softmax', 'elu', 'selu', 'softplus', 'softsign'] as const) {
      const ours = new Dense({ units: 4, activation });
      const theirs = tf.layers.dense({ units: 4, activation });
      const x = randomNormal([3, 2, 5], 0, 1, 'float32', 7);
      ours.apply(x);
      const tx = tf.tensor(Array.from(x.dataSync()), x.shape);
      theirs.apply(tx);
      const w = ours.getWeights();
      theirs.setWeights(w.map((t) => tf.tensor(Array.from(t.dataSync()), t.shape)));
      const expected = (theirs.apply(tx) as tf.Tensor).dataSync();
      const actual = (ours.apply(x) as Tensor).dataSync();
      expect(actual.length).toBe(expected.length);
      let worst = 0;
      for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
      expect({ activation, worst: worst <= 1e-5 }).toEqual({ activation, worst: true });
    }
  });

  it('gradient w.r.t. the input matches finite differences', () => {
    const d = new Dense({ units: 3, activation: 'tanh', kernelInitializer: initializers.glorotNormal({ seed: 5 }) });
    const x = randomNormal([2, 4], 0, 1, 'float32', 9);
    d.apply(x);
    checkGradients((xx) => d.apply(xx) as Tensor, [x]);
  });

  it('gradients w.r.t. kernel and bias match finite differences', () => {
    const d = new Dense({ units: 3, activation: 'sigmoid', kernelInitializer: initializers.glorotNormal({ seed: 6 }) });
    const x = randomNormal([2, 4], 0, 1, 'float32', 10);
    const wOut = randomNormal([2, 3], 0, 1, 'float32', 11);
    d.apply(x);
    const loss = () => sum(mul(d.apply(x) as Tensor, wOut));
    const { grads } = variableGrads(loss, d.trainableWeights);
    const eps = 1e-2;
    d.trainableWeights.forEach((v, wi) => {
      const base = Float32Array.from(v.dataSync());
      const g = grads[v.name].dataSync();
      for (let i = 0; i < base.length; i++) {
        const at = (delta: number) => {
          const p = Float32Array.from(base);
          p[i] += delta;
          const all = d.getWeights();
          all[wi] = tensor(p, v.shape.slice());
          d.setWeights(all);
          return (loss().dataSync() as Float32Array)[0];
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        expect(Math.abs(numeric - g[i])).toBeLessThanOrEqual(1e-3 + 1e-2 * Math.abs(numeric));
      }
      const all = d.getWeights();
      all[wi] = tensor(base, v.shape.slice());
      d.setWeights(all);
    });
  });

  it('regularization losses are the l1/l2 penalties of the current weights', () => {
    const d = new Dense({ units: 2, kernelRegularizer: regularizers.l1l2({ l1: 0.5, l2: 0.25 }), kernelInitializer: 'ones' });
    d.apply(tensor([[1, 2]]));
    const k = d.getWeights()[0].dataSync();
    const expected = Array.from(k).reduce((s, v) => s + 0.5 * Math.abs(v) + 0.25 * v * v, 0);
    expect(d.losses.length).toBe(1);
    expect((d.losses[0].dataSync() as Float32Array)[0]).toBeCloseTo(expected, 5);
  });

  it('rejects inputs of the wrong rank or feature size, naming the layer and both shapes', () => {
    const d = new Dense({ units: 2 });
    expect(() => d.apply(tensor([1, 2, 3]))).toThrow(
      'Input 0 of layer dense is incompatible with the layer: expected min_ndim=2, found ndim=1. Full shape received: [3]',
    );
    d.apply(tensor([[1, 2, 3]]));
    expect(() => d.apply(tensor([[1, 2]]))).toThrow(/layer dense .*axis -1 .*value 3.*\[1,2\]/);
  });

  it('setWeights errors name the layer, the weight and both shapes', () => {
    const d = new Dense({ units: 2, name: 'my_dense' });
    d.apply(tensor([[1, 2, 3]]));
    expect(() => d.setWeights([tensor([[1, 2, 3]]), tensor([0, 0])])).toThrow(
      "Layer my_dense: weight 'my_dense/kernel' has shape [3,2], but setWeights received a value of shape [1,3].",
    );
    expect(() =>
      d.setWeights([
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      ]),
    ).toThrow(/my_dense.*1 weight\(s\).*has 2/);
  });

  it('bad args and unknown activation/initializer names are reported with the known names', () => {
    expect(() => new Dense({ units: 0 })).toThrow(/units must be a positive integer/);
    expect(() => new Dense({ units: 2, activation: 'relux' })).toThrow(/Unknown activation 'relux'.*relu.*tanh/);
    expect(() => new Dense({ units: 2, kernelInitializer: 'glorotUnifrom' })).toThrow(
      /Unknown initializer 'glorotUnifrom'.*GlorotUniform.*Orthogonal/,
    );
  });

  it('trainable=false moves the weights to nonTrainableWeights (in getWeights order)', () => {
    const d = new Dense({ units: 2 });
    d.apply(tensor([[1, 2]]));
    expect(d.trainableWeights.length).toBe(2);
    d.trainable = false;
    expect(d.trainableWeights.length).toBe(0);
    expect(d.nonTrainableWeights.map((w) => w.originalName)).toEqual(['dense/kernel', 'dense/bias']);
    expect(d.weights.every((w) => !w.trainable)).toBe(true);
    expect(d.getConfig().trainable).toBe(false);
  });
});
