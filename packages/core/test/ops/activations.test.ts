import * as tf from '../../src';
import { Tensor, tensor, tensor1d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose, expectTensor } from './util';

const ALPHA = 1.6732632423543772848170429916717;
const SCALE = 1.0507009873554804934193349852946;
const xs = [-4, -1.5, -0.2, 0.3, 1, 7];

const ops: Array<[string, (x: Tensor) => Tensor, (v: number) => number]> = [
  ['sigmoid', tf.sigmoid, (v) => 1 / (1 + Math.exp(-v))],
  ['logSigmoid', tf.logSigmoid, (v) => Math.log(1 / (1 + Math.exp(-v)))],
  ['hardSigmoid', tf.hardSigmoid, (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5))],
  ['tanh', tf.tanh, (v) => (Math.exp(2 * v) - 1) / (Math.exp(2 * v) + 1)],
  ['relu', tf.relu, (v) => (v > 0 ? v : 0)],
  ['relu6', tf.relu6, (v) => Math.min(6, Math.max(0, v))],
  ['elu', tf.elu, (v) => (v > 0 ? v : Math.exp(v) - 1)],
  ['selu', tf.selu, (v) => SCALE * (v > 0 ? v : ALPHA * (Math.exp(v) - 1))],
  ['softplus', tf.softplus, (v) => Math.log(1 + Math.exp(v))],
  ['softsign', tf.softsign, (v) => v / (1 + Math.abs(v))],
  ['leakyRelu', (x) => tf.leakyRelu(x), (v) => (v > 0 ? v : 0.2 * v)],
  ['leakyRelu(0.1)', (x) => tf.leakyRelu(x, 0.1), (v) => (v > 0 ? v : 0.1 * v)],
];

describe('activations', () => {
  it.each(ops)('%s matches its formula', (_, op, ref) => {
    expectClose(op(tensor1d(xs)), xs.map(ref), 1e-6);
  });

  it.each(ops)('%s gradient matches finite differences (away from kinks)', (_, op) => {
    // Points avoid 0 (relu family), ±2.5 (hardSigmoid) and 6 (relu6).
    checkGradients(op, [
      tensor([
        [-3, -1.2, -0.4],
        [0.35, 1.1, 2.2],
        [3, 5.5, 6.5],
      ]),
    ]);
  });

  it('hand-computed values', () => {
    expectClose(tf.sigmoid(tensor1d([0])), [0.5]);
    expectClose(tf.hardSigmoid(tensor1d([-3, 1, 3])), [0, 0.7, 1]);
    expectClose(tf.relu6(tensor1d([-1, 3, 7])), [0, 3, 6]);
    expectClose(tf.softplus(tensor1d([0])), [Math.LN2]);
    expectClose(tf.softsign(tensor1d([1, -3])), [0.5, -0.75]);
  });

  it('sigmoid, softplus and logSigmoid are stable for large |x|', () => {
    expectClose(tf.sigmoid(tensor1d([-1000, 1000])), [0, 1]);
    expectClose(tf.softplus(tensor1d([-1000, 1000])), [0, 1000]);
    expectClose(tf.logSigmoid(tensor1d([-1000, 1000])), [-1000, 0]);
    const g = tf.grad((x: Tensor) => tf.softplus(x))(tensor1d([-1000, 1000]));
    expectClose(g, [0, 1]);
  });

  it('relu and relu6 pass NaN through (as tfjs and PyTorch: tf.relu([NaN]) is [NaN]), instead of hiding it as 0', () => {
    const got = Array.from(tf.relu(tensor1d([NaN, -1, 2])).dataSync());
    expect(got[0]).toBeNaN();
    expect(got.slice(1)).toEqual([0, 2]);
    const got6 = Array.from(tf.relu6(tensor1d([NaN, -1, 7])).dataSync());
    expect(got6[0]).toBeNaN();
    expect(got6.slice(1)).toEqual([0, 6]);
  });

  it('relu keeps int32 (as tfjs) and has gradient 0 at 0', () => {
    expectTensor(tf.relu(tensor([-1, 2], [2], 'int32')), [2], 'int32', [0, 2]);
    expect(
      Array.from(
        tf
          .grad((x: Tensor) => tf.relu(x))(tensor1d([0, 1, -1]))
          .dataSync(),
      ),
    ).toEqual([0, 1, 0]);
  });

  it('prelu broadcasts alpha and differentiates both inputs', () => {
    const x = tensor([
      [-2, 1],
      [3, -4],
    ]);
    expectClose(tf.prelu(x, tensor1d([0.1, 0.5])), [
      [-0.2, 1],
      [3, -2],
    ]);
    checkGradients(
      (a: Tensor, b: Tensor) => tf.prelu(a, b),
      [
        tensor([
          [-2, 1],
          [3, -4],
          [-0.5, 0.7],
        ]),
        tensor1d([0.1, 0.5]),
      ],
    );
  });

  it('int32 input to float activations gives float32', () => {
    expect(tf.sigmoid(tensor([0], [1], 'int32')).dtype).toBe('float32');
  });

  it('random points', () => {
    for (const [, op] of ops) checkGradients(op, [randomInput([7], 3, -2, 2)]);
  });
});
