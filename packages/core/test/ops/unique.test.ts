/** unique against tfjs (cpu): 1-D, along axes of 2-D and 3-D, NaN and −0, int32 and bool, empty; errors. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('unique', () => {
  it.each([
    [[1, 1, 2, 4, 4, 4, 7, 8, 8], [9], 0, 'float32'],
    [[3, 1, 3, NaN, NaN, 0, -0], [7], 0, 'float32'],
    [[5, -2, 5, 5], [4], 0, 'int32'],
    [[1, 0, 0, 1, 0, 0, 2, 0, 0], [3, 3], 0, 'float32'],
    [[1, 0, 0, 1, 0, 0, 2, 0, 0], [3, 3], 1, 'int32'],
    [[1, 0, 0, 1, 0, 0, 2, 0, 0], [3, 3], -1, 'float32'],
    [[1, 2, 1, 2, 3, 4, 3, 4], [2, 2, 2], 1, 'float32'],
    [[1, 2, 1, 2, 3, 4, 3, 4], [2, 2, 2], 2, 'float32'],
    [[], [0], 0, 'float32'],
  ] as [number[], number[], number, 'float32' | 'int32'][])('%j shape %j axis %j %s: as tfjs', (values, shape, axis, dtype) => {
    const theirs = tfjs.unique(tfjs.tensor(values, shape, dtype), axis);
    const ours = tf.unique(tf.tensor(values, shape, dtype), axis);
    expectTensor(ours.values, theirs.values.shape, theirs.values.dtype, Array.from(theirs.values.dataSync()));
    expectTensor(ours.indices, theirs.indices.shape, 'int32', Array.from(theirs.indices.dataSync()));
  });
  it('bool as tfjs', () => {
    const theirs = tfjs.unique(tfjs.tensor1d([true, true, false], 'bool'));
    const ours = tf.unique(tf.tensor([true, true, false], [3], 'bool'));
    expectTensor(ours.values, [2], 'bool', Array.from(theirs.values.dataSync()));
    expectTensor(ours.indices, [3], 'int32', Array.from(theirs.indices.dataSync()));
  });
  it('refuses a scalar and an out-of-range axis', () => {
    expect(() => tf.unique(tf.scalar(1))).toThrow(ValueError);
    expect(() => tf.unique(tf.scalar(1))).toThrow(/unique: x must have rank >= 1, received a scalar/);
    expect(() => tf.unique(tf.zeros([2, 2]), 2)).toThrow(/unique/);
  });
});
