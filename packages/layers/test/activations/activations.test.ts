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
] as const;

describe('activations', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(NAMES)('%s matches tfjs-layers (1e-5)', (name) => {
    const ours = getActivation(name)
      .apply(tensor([xs]))
      .dataSync();
    const theirs = tf.layers.activation({ activation: name }).apply(tf.tensor([xs])) as tf.Tensor;
    const t = theirs.dataSync();
    xs.forEach((_, i) => expect(Math.abs(ours[i] - t[i])).toBeLessThanOrEqual(1e-5));
    expect(serializeActivation(getActivation(name))).toBe(name);
  });

  it.each(['swish', 'mish', 'gelu', 'softsign', 'selu'])('%s gradient matches finite differences', (name) => {
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
