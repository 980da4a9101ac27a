/** divNoNan against tfjs (cpu) with zeros, broadcasting, Infinity; gradient by finite differences and at b = 0. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose, expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('divNoNan', () => {
  it('float32 values as tfjs: zero divisors (also 0/0 and ∞/0), broadcasting, empty', () => {
    const a = [2, 0, -3, Infinity, 5, 1];
    const b = [4, 0, 0, 0, -2, 3];
    expectClose(
      tf.divNoNan(tf.tensor(a, [2, 3]), tf.tensor(b, [2, 3])),
      Array.from(tfjs.divNoNan(tfjs.tensor(a, [2, 3]), tfjs.tensor(b, [2, 3])).dataSync()),
    );
    expectClose(
      tf.divNoNan(tf.tensor(a, [2, 3]), tf.tensor([0, 2, 0.5], [3])),
      Array.from(tfjs.divNoNan(tfjs.tensor(a, [2, 3]), tfjs.tensor1d([0, 2, 0.5])).dataSync()),
    );
    expect(tf.divNoNan(tf.zeros([0, 2]), tf.ones([2])).shape).toEqual([0, 2]);
  });
  it('int32 ÷ int32 is float32 (tfjs note: tfjs floors to int32 as its div)', () => {
    const theirs = tfjs.divNoNan(tfjs.tensor1d([7, -7, 1], 'int32'), tfjs.tensor1d([2, 2, 0], 'int32'));
    expect(Array.from(theirs.dataSync())).toEqual([3, -4, 0]);
    expectTensor(tf.divNoNan(tf.tensor([7, -7, 1], [3], 'int32'), tf.tensor([2, 2, 0], [3], 'int32')), [3], 'float32', [3.5, -3.5, 0]);
  });
  it('gradients by finite differences away from 0, and 0 for both at b = 0 (tfjs gives NaN for a there)', () => {
    checkGradients((a, b) => tf.divNoNan(a, b), [randomInput([2, 3], 1), randomInput([3], 2, 0.5, 2)]);
    const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.divNoNan(a, b)))([tf.tensor1d([3, 2]), tf.tensor1d([0, 2])]);
    expectClose(ga, [0, 0.5]);
    expectClose(gb, [0, -0.5]);
  });
  it('refuses mismatched dtypes and shapes', () => {
    expect(() => tf.divNoNan(tf.tensor([1], [1], 'int32'), tf.tensor1d([1]))).toThrow(ValueError);
    expect(() => tf.divNoNan(tf.zeros([2]), tf.zeros([3]))).toThrow(/divNoNan/);
  });
});
