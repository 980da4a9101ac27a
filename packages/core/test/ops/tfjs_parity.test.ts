/** Forward values and gradients of the general ops against @tensorflow/tfjs (cpu backend) on random inputs. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { Tensor } from '../../src';
import { randomInput } from '@recurrent/test-utils';
import { expectClose } from './util';

const maskValues = Array.from({ length: 24 }, (_, i) => i % 3 === 0);
const mask = tf.tensor(maskValues, [2, 3, 4]);
const tfjsMask = tfjs.tensor(maskValues, [2, 3, 4], 'bool');

type Pair = [string, (x: Tensor) => Tensor, (x: tfjs.Tensor) => tfjs.Tensor];

const unary: Pair[] = [
  ['sigmoid', tf.sigmoid, tfjs.sigmoid],
  ['tanh', tf.tanh, tfjs.tanh],
  ['elu', tf.elu, tfjs.elu],
  ['selu', tf.selu, tfjs.selu],
  ['softplus', tf.softplus, tfjs.softplus],
  ['relu6', tf.relu6, tfjs.relu6],
  ['leakyRelu', (x) => tf.leakyRelu(x), (x) => tfjs.leakyRelu(x)],
  ['logSigmoid', tf.logSigmoid, tfjs.logSigmoid],
  ['expm1', tf.expm1, tfjs.expm1],
  ['square', tf.square, tfjs.square],
  ['sin', tf.sin, tfjs.sin],
  ['softmax', (x) => tf.softmax(x), (x) => tfjs.softmax(x)],
  ['logSoftmax', (x) => tf.logSoftmax(x), (x) => tfjs.logSoftmax(x)],
  ['sum [0,2] keepDims', (x) => tf.sum(x, [0, 2], true), (x) => tfjs.sum(x, [0, 2], true)],
  ['mean 1', (x) => tf.mean(x, 1), (x) => tfjs.mean(x, 1)],
  ['max -1', (x) => tf.max(x, -1), (x) => tfjs.max(x, -1)],
  ['prod 1', (x) => tf.prod(x, 1), (x) => tfjs.prod(x, 1)],
  ['logSumExp [1,2]', (x) => tf.logSumExp(x, [1, 2]), (x) => tfjs.logSumExp(x, [1, 2])],
  ['transpose [2,0,1]', (x) => tf.transpose(x, [2, 0, 1]), (x) => tfjs.transpose(x, [2, 0, 1])],
  ['slice', (x) => tf.slice(x, [1, 0, 1], [1, 2, -1]), (x) => tfjs.slice(x, [1, 0, 1], [1, 2, -1])],
  ['tile', (x) => tf.tile(x, [1, 2, 2]), (x) => tfjs.tile(x, [1, 2, 2])],
  [
    'pad',
    (x) =>
      tf.pad(
        x,
        [
          [0, 1],
          [1, 0],
          [2, 1],
        ],
        3,
      ),
    (x) =>
      tfjs.pad(
        x,
        [
          [0, 1],
          [1, 0],
          [2, 1],
        ],
        3,
      ),
  ],
  ['reverse [0,2]', (x) => tf.reverse(x, [0, 2]), (x) => tfjs.reverse(x, [0, 2])],
  ['gather axis 1', (x) => tf.gather(x, [2, 0, 2], 1), (x) => tfjs.gather(x, tfjs.tensor1d([2, 0, 2], 'int32'), 1)],
  ['concat axis 2', (x) => tf.concat([x, tf.square(x)], 2), (x) => tfjs.concat([x, tfjs.square(x)], 2)],
  ['stack axis 1', (x) => tf.stack([x, tf.exp(x)], 1), (x) => tfjs.stack([x, tfjs.exp(x)], 1)],
  ['clipByValue', (x) => tf.clipByValue(x, -0.3, 0.4), (x) => tfjs.clipByValue(x, -0.3, 0.4)],
  ['matMul batched bT', (x) => tf.matMul(x, tf.mul(x, 2), false, true), (x) => tfjs.matMul(x, tfjs.mul(x, 2), false, true)],
  // The mask is a constant (tfjs has no gradient registered for Greater, even off the differentiable path).
  ['where', (x) => tf.where(mask, x, tf.square(x)), (x) => tfjs.where(tfjsMask, x, tfjs.square(x))],
  ['pow', (x) => tf.pow(tf.abs(x), 1.5), (x) => tfjs.pow(tfjs.abs(x), 1.5)],
  // Same shapes: tfjs's Maximum gradient does not reduce over broadcast dimensions (finite differences cover ours).
  ['maximum', (x) => tf.maximum(x, tf.mul(x, -0.5)), (x) => tfjs.maximum(x, tfjs.mul(x, -0.5))],
  ['minimum', (x) => tf.minimum(x, tf.sin(x)), (x) => tfjs.minimum(x, tfjs.sin(x))],
];

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('parity with @tensorflow/tfjs', () => {
  it.each(unary)('%s: value and gradient', (_, ours, theirs) => {
    const x = randomInput([2, 3, 4], 99, -2, 2);
    const tx = tfjs.tensor(Array.from(x.dataSync()), x.shape);
    const y = ours(x);
    const ty = theirs(tx);
    expect(y.shape).toEqual(ty.shape);
    expectClose(y, Array.from(ty.dataSync()), 1e-5);
    const w = randomInput(y.shape, 5);
    const g = tf.grad((a: Tensor) => ours(a))(x, w);
    const tg = tfjs.grad((a: tfjs.Tensor) => theirs(a))(tx, tfjs.tensor(Array.from(w.dataSync()), w.shape));
    expectClose(g, Array.from(tg.dataSync()), 1e-4);
  });
});
