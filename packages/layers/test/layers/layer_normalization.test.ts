import * as tf from '@tensorflow/tfjs';
import { grad, mul, randomNormal, sum, Tensor, tensor, variableGrads } from '@recurrent/core';
import { initializers, LayerNormalization, layers, resetNameCounters } from '@recurrent/layers';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { runLayerHarness } from '../helpers/layer_harness';
import { maxDiff, toTf } from '../helpers/tfjs_compare';
import { checkWeightGradients } from '../helpers/weight_grad_check';

runLayerHarness({
  make: () => layers.layerNormalization({ gammaInitializer: initializers.randomNormal({ mean: 1, stddev: 0.2, seed: 1 }) }),
  inputShape: [2, 4, 5],
  expectedOutputShape: [2, 4, 5],
  expectedWeightShapes: [[5], [5]],
  expectedParamCount: 10,
});

runLayerHarness({
  title: 'LayerNormalization over axes [1, 2], no center, with a regularizer',
  make: () => new LayerNormalization({ axis: [1, -1], center: false, gammaRegularizer: 'l2', epsilon: 1e-5 }),
  inputShape: [3, 2, 4],
  expectedOutputShape: [3, 2, 4],
  expectedWeightShapes: [[2, 4]],
  expectedParamCount: 8,
});

describe('LayerNormalization', () => {
  beforeEach(() => resetNameCounters());

  it('normalizes each sample over the last axis (float64 hand formula)', () => {
    const ln = new LayerNormalization({ epsilon: 0.01 });
    const rows = [
      [1, 2, 3, 6],
      [-1, 0.5, 0.25, 4],
    ];
    ln.apply(tensor(rows));
    ln.setWeights([tensor([1, 2, 0.5, -1]), tensor([0, 0.1, -0.2, 0.3])]);
    const out = (ln.apply(tensor(rows)) as Tensor).dataSync();
    const gamma = [1, 2, 0.5, -1];
    const beta = [0, 0.1, -0.2, 0.3];
    rows.forEach((r, i) => {
      const m = r.reduce((a, b) => a + b, 0) / r.length;
      const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length;
      r.forEach((xv, j) => expect(Math.abs(out[i * 4 + j] - (gamma[j] * (xv - m)) / Math.sqrt(v + 0.01) - beta[j])).toBeLessThan(1e-6));
    });
  });

  it('has tfjs names, weight order (gamma, beta), defaults and config', () => {
    const ln = new LayerNormalization();
    ln.apply(randomNormal([2, 3, 4]));
    expect(ln.weights.map((w) => w.originalName)).toEqual(['layer_normalization/gamma', 'layer_normalization/beta']);
    expect(ln.getConfig()).toEqual({
      axis: [2],
      epsilon: 1e-3,
      center: true,
      scale: true,
      betaInitializer: { className: 'Zeros', config: {} },
      gammaInitializer: { className: 'Ones', config: {} },
      betaRegularizer: null,
      gammaRegularizer: null,
      name: 'layer_normalization',
      trainable: true,
      dtype: 'float32',
    });
    const theirs = tf.layers.layerNormalization({});
    theirs.apply(tf.zeros([2, 3, 4]));
    const tc = theirs.getConfig();
    expect(tc.axis).toEqual([2]);
    expect(Object.keys(ln.getConfig())).toEqual(expect.arrayContaining(Object.keys(tc)));
    expect(theirs.weights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta']);
    expect(new LayerNormalization({ scale: false }).getConfig().axis).toBe(-1);
  });

  it('matches tf.layers.layerNormalization: outputs and gradients w.r.t. input, gamma and beta (1e-5)', async () => {
    await tf.setBackend('cpu');
    const configs: { axis?: number | number[]; epsilon?: number; center?: boolean; scale?: boolean }[] = [
      {},
      { axis: [1, 2], epsilon: 1e-5 },
      { axis: 1, center: false },
      { scale: false },
    ];
    for (const args of configs) {
      const x = randomNormal([3, 4, 5], 0.5, 2, 'float32', 11);
      const w = randomNormal([3, 4, 5], 0, 1, 'float32', 12);
      const ours = new LayerNormalization({
        ...args,
        gammaInitializer: initializers.randomNormal({ mean: 1, stddev: 0.5, seed: 3 }),
        betaInitializer: initializers.randomNormal({ seed: 4, stddev: 0.5 }),
      });
      const theirs = tf.layers.layerNormalization({ ...args });
      ours.apply(x);
      theirs.apply(toTf(x));
      theirs.setWeights(ours.getWeights().map(toTf));
      const out = (ours.apply(x) as Tensor).dataSync();
      const ref = (theirs.apply(toTf(x)) as tf.Tensor).dataSync();
      expect({ args, ok: maxDiff(out, ref) <= 1e-5 }).toEqual({ args, ok: true });
      // tfjs's own backward fails with center or scale off ("Cannot read properties of undefined"); those
      // cases are covered by the finite-difference test below.
      if ('center' in args || 'scale' in args) continue;

      const gx = grad((xx) => sum(mul(ours.apply(xx) as Tensor, w)))(x).dataSync();
      const tgx = tf
        .grad((xx: tf.Tensor) => tf.sum(tf.mul(theirs.apply(xx) as tf.Tensor, toTf(w))))(toTf(x))
        .dataSync();
      expect({ args, ok: maxDiff(gx, tgx) <= 1e-5 }).toEqual({ args, ok: true });

      const { grads } = variableGrads(() => sum(mul(ours.apply(x) as Tensor, w)), ours.trainableWeights);
      const tvars = theirs.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
      const tg = tf.variableGrads(() => tf.sum(tf.mul(theirs.apply(toTf(x)) as tf.Tensor, toTf(w))) as tf.Scalar, tvars);
      ours.trainableWeights.forEach((v, i) => {
        expect({ args, w: v.originalName, ok: maxDiff(grads[v.name].dataSync(), tg.grads[tvars[i].name].dataSync()) <= 1e-5 }).toEqual({
          args,
          w: v.originalName,
          ok: true,
        });
      });
    }
  });

  it('gradients w.r.t. input, gamma and beta match finite differences', () => {
    const ln = new LayerNormalization({
      axis: -1,
      gammaInitializer: initializers.randomNormal({ mean: 1, stddev: 0.5, seed: 5 }),
      betaInitializer: initializers.randomNormal({ seed: 6 }),
    });
    const x = randomInput([2, 3, 4], 7, -2, 2);
    ln.apply(x);
    checkGradients((xx) => ln.apply(xx) as Tensor, [x]);
    const w = randomNormal([2, 3, 4], 0, 1, 'float32', 8);
    checkWeightGradients(ln, () => sum(mul(ln.apply(x) as Tensor, w)));
    for (const args of [{ axis: [1, 2] }, { center: false }, { scale: false }, { axis: 1, center: false }]) {
      const ln2 = new LayerNormalization({ ...args, gammaInitializer: initializers.randomNormal({ mean: 1, stddev: 0.5, seed: 9 }) });
      ln2.apply(x);
      checkGradients((xx) => ln2.apply(xx) as Tensor, [x]);
      checkWeightGradients(ln2, () => sum(mul(ln2.apply(x) as Tensor, w)));
    }
  });

  it('betaConstraint / gammaConstraint (Keras beta_constraint, gamma_constraint) are attached, serialized and round-trip', () => {
    const ln = new LayerNormalization({
      gammaConstraint: 'nonNeg',
      betaConstraint: { className: 'MaxNorm', config: { maxValue: 0.5, axis: 0 } },
    });
    ln.apply(randomNormal([2, 3, 4]));
    expect(ln.gamma!.constraint?.getClassName()).toBe('NonNeg');
    expect(ln.beta!.constraint?.getClassName()).toBe('MaxNorm');
    // A constraint is applied to the value as the optimizer would: gamma [-1, 2, -3, 4] → [0, 2, 0, 4].
    const g = ln.gamma!.constraint!.apply(tensor([-1, 2, -3, 4]));
    expect(Array.from(g.dataSync())).toEqual([0, 2, 0, 4]);
    const config = ln.getConfig();
    expect(config.gammaConstraint).toEqual({ className: 'NonNeg', config: {} });
    expect(config.betaConstraint).toEqual({ className: 'MaxNorm', config: { maxValue: 0.5, axis: 0 } });
    expect(LayerNormalization.fromConfig(LayerNormalization, config).getConfig()).toEqual(config);
    // Null constraints (what Keras files write) are accepted and not written back (the config stays tfjs's).
    const plain = new LayerNormalization({ betaConstraint: null, gammaConstraint: null });
    expect('betaConstraint' in plain.getConfig() || 'gammaConstraint' in plain.getConfig()).toBe(false);
  });

  it('passes masks through', () => {
    const ln = new LayerNormalization();
    const m = tensor([[1, 0]], undefined, 'bool');
    expect(ln.computeMask(randomNormal([1, 2, 3]), m)).toBe(m);
  });

  it('rejects an axis out of range, a changed feature size and bad args, naming the layer', () => {
    expect(() => new LayerNormalization({ axis: 3, name: 'ln' }).apply(randomNormal([2, 3, 4]))).toThrow(
      'Layer ln: axis 3 is out of range for input of rank 3 (shape [2,3,4]); expected an axis in [-3, 3).',
    );
    expect(() => new LayerNormalization({ axis: [1, -2], name: 'ln2' }).apply(randomNormal([2, 3, 4]))).toThrow(
      /ln2: duplicate axes in \[1,-2\]/,
    );
    const ln = new LayerNormalization({ name: 'ln3' });
    ln.apply(randomNormal([2, 3, 4]));
    expect(() => ln.apply(randomNormal([2, 3, 5]))).toThrow(/layer ln3 .*axis 2 .*value 4.*\[2,3,5\]/);
    expect(() => ln.apply(randomNormal([2, 4]))).toThrow(/layer ln3 .*expected ndim=3, found ndim=2/);
    expect(() => new LayerNormalization({ axis: 1.5 })).toThrow(/axis must be an integer or a non-empty list of integers, received 1.5/);
    expect(() => new LayerNormalization({ epsilon: -1 })).toThrow(/epsilon must be a non-negative number/);
  });
});
