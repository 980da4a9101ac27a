import * as tf from '@tensorflow/tfjs';
import { grad, sum, Tensor, tensor } from '@recurrent/core';
import { erfScalar, getActivation, Relu, serializeActivation } from '@recurrent/layers';
import { checkGradients } from '@recurrent/test-utils';

const xs = [-4, -2.5, -1.3, -0.7, -0.1, 0.2, 0.9, 1.6, 2.4, 5];
const NAMES = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
  'logSoftmax',
] as const;

describe('activations', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(NAMES)('%s matches tfjs-layers (1e-5)', (name) => {
    const ours = getActivation(name)
      .apply(tensor([xs]))
      .dataSync();
    // tfjs's ActivationIdentifier type omits 'logSoftmax', which tfjs runs.
    const theirs = tf.layers.activation({ activation: name as 'linear' }).apply(tf.tensor([xs])) as tf.Tensor;
    const t = theirs.dataSync();
    xs.forEach((_, i) => expect(Math.abs(ours[i] - t[i])).toBeLessThanOrEqual(1e-5));
    expect(serializeActivation(getActivation(name))).toBe(name);
  });

  it.each(NAMES)('%s: values on a rank-3 input and input gradients match tfjs-layers (1e-5)', (name) => {
    // No input at a kink (hardSigmoid's ±2.5: see the next test).
    const flat = [
      -4, -2.6, -1.3, -0.7, -0.1, 0.2, 0.9, 1.6, 2.4, 5, 0.35, -0.45, 3.1, -2.4, 0.05, 1.1, -6.5, 2.6, -0.3, 7, 0.6, -1.8, 1.9, -3,
    ];
    const shape = [2, 3, 4];
    const dy = flat.map((_, i) => Math.cos(i));
    const act = getActivation(name);
    const theirs = tf.layers.activation({ activation: name as 'linear' });
    const y = act.apply(tensor(flat, shape)).dataSync();
    const ty = (theirs.apply(tf.tensor(flat, shape)) as tf.Tensor).dataSync();
    flat.forEach((_, i) => expect(Math.abs(y[i] - ty[i])).toBeLessThanOrEqual(1e-5));
    const g = grad((a) => sum(act.apply(a).mul(tensor(dy, shape))))(tensor(flat, shape)).dataSync();
    const tg = tf
      .grad((a: tf.Tensor) => tf.sum(tf.mul(theirs.apply(a) as tf.Tensor, tf.tensor(dy, shape))))(tf.tensor(flat, shape))
      .dataSync();
    flat.forEach((_, i) => expect(Math.abs(g[i] - tg[i])).toBeLessThanOrEqual(1e-5));
  });

  it("hardSigmoid's gradient at the kinks ±2.5 is 0 (as PyTorch's hardsigmoid and our fused kernels; tfjs's clip passes 0.2 there)", () => {
    const g = grad((a) => sum(getActivation('hardSigmoid').apply(a)))(tensor([-2.5, 2.5])).dataSync();
    const tg = tf
      .grad((a: tf.Tensor) => tf.sum(tf.layers.activation({ activation: 'hardSigmoid' }).apply(a) as tf.Tensor))(tf.tensor([-2.5, 2.5]))
      .dataSync();
    expect(Array.from(g)).toEqual([0, 0]);
    expect(Array.from(tg)).toEqual([0.2, 0.2].map(Math.fround));
  });

  it.each(['swish', 'mish', 'gelu', 'gelu_new', 'logSoftmax', 'softsign', 'selu'])('%s gradient matches finite differences', (name) => {
    const act = getActivation(name);
    checkGradients((x) => act.apply(x), [tensor([[-2.2, -0.6, 0.3, 1.7]])]);
  });

  it('erf is accurate in float64', () => {
    const ref: [number, number][] = [
      [0.1, 0.1124629160182849],
      [1, 0.8427007929497149],
      [2.4, 0.999311486103355],
      [2.6, 0.9997639655834707],
      [4, 0.9999999845827421],
    ];
    for (const [x, e] of ref) {
      expect(Math.abs(erfScalar(x) - e)).toBeLessThan(1e-13);
      expect(Math.abs(erfScalar(-x) + e)).toBeLessThan(1e-13);
    }
  });

  it('accepts snake_case, functions and instances; null is linear; unknown names list the known ones', () => {
    expect(getActivation('hard_sigmoid').getClassName()).toBe('hardSigmoid');
    expect(getActivation(null).getClassName()).toBe('linear');
    const r = new Relu();
    expect(getActivation(r)).toBe(r);
    const double = (x: Tensor) => x.mul(2);
    expect(
      Array.from(
        getActivation(double)
          .apply(tensor([1, 2]))
          .dataSync(),
      ),
    ).toEqual([2, 4]);
    expect(getActivation(double).getClassName()).toBe('double');
    expect(() => getActivation('leaky')).toThrow(/Unknown activation 'leaky'. Known activations: .*gelu.*hardSigmoid.*tanh/);
    expect(grad((x) => sum(getActivation('gelu').apply(x)))(tensor([0])).dataSync()[0]).toBeCloseTo(0.5, 6);
  });
});
