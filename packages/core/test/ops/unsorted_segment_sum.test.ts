/** unsortedSegmentSum against tfjs (cpu), gradient by finite differences, id errors. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('unsortedSegmentSum', () => {
  it.each([
    [[4], [1, 2, 3, 4], [1, 0, 1, 1], 2],
    [[4], [1, 2, 3, 4], [1, 0, 1, 1], 4],
    [[3, 2], [1, 2, 3, 4, 5, 6], [2, 2, 0], 3],
    [[2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8], [0, 0], 1],
    [[0, 2], [], [], 2],
  ])('x %j, ids %j, numSegments %j: as tfjs (float32 and int32)', (shape, values, ids, numSegments) => {
    for (const dtype of ['float32', 'int32'] as const) {
      const theirs = tfjs.unsortedSegmentSum(tfjs.tensor(values, shape, dtype), tfjs.tensor1d(ids, 'int32'), numSegments);
      const ours = tf.unsortedSegmentSum(tf.tensor(values, shape, dtype), tf.tensor(ids, [ids.length], 'int32'), numSegments);
      // tfjs note: tfjs's cpu backend returns float32 for int32 x; ours keeps x's dtype (as TensorFlow).
      expectTensor(ours, theirs.shape, dtype, Array.from(theirs.dataSync()));
    }
  });
  it('gradient by finite differences', () => {
    const ids = tf.tensor([2, 0, 2, 1], [4], 'int32');
    checkGradients((x) => tf.unsortedSegmentSum(x, ids, 4), [randomInput([4, 3], 1)]);
  });
  it('refuses ids outside [0, numSegments) (tfjs note: tfjs drops them silently)', () => {
    const x = tf.tensor1d([1, 2, 3]);
    expect(Array.from(tfjs.unsortedSegmentSum(tfjs.tensor1d([1, 2, 3]), tfjs.tensor1d([0, 5, -1], 'int32'), 2).dataSync())).toEqual([1, 0]);
    const f = (): tf.Tensor => tf.unsortedSegmentSum(x, tf.tensor([0, 5, -1], [3], 'int32'), 2);
    expect(f).toThrow(ValueError);
    expect(f).toThrow(/unsortedSegmentSum: segmentIds\[1\] = 5 is out of range, expected 0 <= id < numSegments = 2/);
    expect(() => tf.unsortedSegmentSum(x, tf.tensor([0, -1, 0], [3], 'int32'), 2)).toThrow(/segmentIds\[1\] = -1 is out of range/);
  });
  it('refuses ids of the wrong length or dtype and a bad numSegments', () => {
    const x = tf.tensor1d([1, 2, 3]);
    expect(() => tf.unsortedSegmentSum(x, tf.tensor([0, 1], [2], 'int32'), 2)).toThrow(
      /unsortedSegmentSum: 'segmentIds' must be 1-D with one id per row of x \(shape \[3\]\), expected shape \[3\], received \[2\]/,
    );
    expect(() => tf.unsortedSegmentSum(x, tf.tensor1d([0, 1, 0]), 2)).toThrow(/argument 'segmentIds' must be int32, received float32/);
    expect(() => tf.unsortedSegmentSum(x, [0, 1, 0], 1.5)).toThrow(/argument 'numSegments' must be a non-negative integer, received 1.5/);
  });
  it('refuses fractional or NaN ids in plain arrays (truncated to a wrong segment before), bool x (a sum is no bool) and an output over 2^31 elements', () => {
    const x = tf.tensor1d([1, 2]);
    expect(() => tf.unsortedSegmentSum(x, [0.5, 1], 2)).toThrow(ValueError);
    expect(() => tf.unsortedSegmentSum(x, [0.5, 1], 2)).toThrow(
      /unsortedSegmentSum: argument 'segmentIds' must hold integers, received 0.5 at flat position 0/,
    );
    expect(() => tf.unsortedSegmentSum(x, [0, NaN], 2)).toThrow(/received NaN at flat position 1/);
    expect(() => tf.unsortedSegmentSum(tf.tensor1d([1, 1], 'bool'), [0, 0], 1)).toThrow(
      /unsortedSegmentSum: argument 'x' must be float32 or int32, received bool/,
    );
    expect(() => tf.unsortedSegmentSum(tf.tensor1d([1]), [0], 2 ** 31)).toThrow(
      /unsortedSegmentSum: shape \[2147483648\] has 2147483648 elements, over the limit of 2\^31/,
    );
  });
});
