/** clone: values and dtype as tfjs, a new tensor, and the identity gradient. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('clone', () => {
  it('same shape, dtype and values as tfjs (float32, int32, bool, empty); a distinct tensor', () => {
    const cases: [number[] | boolean[], number[], 'float32' | 'int32' | 'bool'][] = [
      [[1.5, -2], [2], 'float32'],
      [[1, 2, 3, 4], [2, 2], 'int32'],
      [[true, false], [2], 'bool'],
      [[], [0, 3], 'float32'],
    ];
    for (const [v, shape, dtype] of cases) {
      const x = tf.tensor(v, shape, dtype);
      const theirs = tfjs.clone(tfjs.tensor(v, shape, dtype));
      const y = tf.clone(x);
      expectTensor(y, theirs.shape, theirs.dtype, Array.from(theirs.dataSync()));
      expect(y).not.toBe(x);
    }
  });
  it('gradient is the identity (finite differences), also inside a product', () => {
    checkGradients((a) => tf.clone(a), [randomInput([2, 3], 1)]);
    checkGradients((a) => tf.mul(tf.clone(a), a), [randomInput([3], 2)]);
  });
});
