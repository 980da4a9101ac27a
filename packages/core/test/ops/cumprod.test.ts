/** cumprod against tfjs (cpu) over axes, exclusive and reverse; gradient by finite differences, also with zeros. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose, expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

const flags: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describe('cumprod', () => {
  const v = [1.5, -2, 0.5, 3, 1, -1, 2, 0, 4, 0.25, -3, 2];
  it.each([0, 1, 2])('axis %j, every exclusive/reverse, as tfjs', (axis) => {
    for (const [exclusive, reverse] of flags) {
      const theirs = tfjs.cumprod(tfjs.tensor(v, [2, 3, 2]), axis, exclusive, reverse);
      expectClose(tf.cumprod(tf.tensor(v, [2, 3, 2]), axis, exclusive, reverse), Array.from(theirs.dataSync()));
    }
  });
  it('a negative axis counts from the end (tfjs note: tfjs returns no values for axis -1)', () => {
    expect(tfjs.cumprod(tfjs.tensor(v, [2, 3, 2]), -1).dataSync().length).toBe(0);
    for (const [exclusive, reverse] of flags) {
      const theirs = tfjs.cumprod(tfjs.tensor(v, [2, 3, 2]), 2, exclusive, reverse);
      expectClose(tf.cumprod(tf.tensor(v, [2, 3, 2]), -1, exclusive, reverse), Array.from(theirs.dataSync()));
    }
  });
  it('int32 stays int32 as tfjs; empty', () => {
    const theirs = tfjs.cumprod(tfjs.tensor1d([1, 2, 3, -2], 'int32'), 0, true, true);
    expectTensor(tf.cumprod(tf.tensor([1, 2, 3, -2], [4], 'int32'), 0, true, true), [4], theirs.dtype, Array.from(theirs.dataSync()));
    expect(tf.cumprod(tf.zeros([0, 3]), 1).shape).toEqual([0, 3]);
  });
  it('gradient by finite differences for every exclusive/reverse, with and without a zero in the line', () => {
    for (const [exclusive, reverse] of flags) {
      checkGradients((x) => tf.cumprod(x, 1, exclusive, reverse), [randomInput([2, 4], 3, 0.5, 1.5)]);
      checkGradients((x) => tf.cumprod(x, 0, exclusive, reverse), [tf.tensor([0.7, 0, -1.2, 0.9, 1.1], [5])]);
    }
  });
  it('refuses a scalar, bool and an out-of-range axis', () => {
    expect(() => tf.cumprod(tf.scalar(2))).toThrow(ValueError);
    expect(() => tf.cumprod(tf.scalar(2))).toThrow(/cumprod: x must have at least one dimension, received a scalar/);
    expect(() => tf.cumprod(tf.tensor([true], [1], 'bool'))).toThrow(/cumprod: x must be float32 or int32, received bool/);
    expect(() => tf.cumprod(tf.zeros([2, 2]), 2)).toThrow(/cumprod: axis 2 is out of range for x of shape \[2,2\]/);
  });
});
