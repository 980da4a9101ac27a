/** searchSorted, lowerBound, upperBound against tfjs (cpu): sides, ties, batches, out-of-range values, errors. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

// [sorted, its shape, values, their shape]; tfjs flattens the leading dimensions, so its results are reshaped.
const cases: [number[], number[], number[], number[]][] = [
  [[0, 3, 9, 10, 10], [5], [0, 4, 10, -5, 11, 9.5], [6]],
  [
    [0, 3, 8, 9, 10, 1, 2, 3, 4, 5],
    [2, 5],
    [9.8, 2.1, 4.3, 0.1, 6.6, 4.5],
    [2, 3],
  ],
  [
    [1, 1, 1, 2, 2, 2],
    [2, 1, 3],
    [1, 2, 0, 3],
    [2, 1, 2],
  ],
];

describe('searchSorted', () => {
  it.each(cases)('sorted %j %j, values %j %j: both sides as tfjs', (seq, seqShape, values, valShape) => {
    for (const side of ['left', 'right'] as const) {
      for (const dtype of ['float32', 'int32'] as const) {
        const v = dtype === 'int32' ? values.map(Math.floor) : values;
        const theirs = tfjs.searchSorted(tfjs.tensor(seq, seqShape, dtype), tfjs.tensor(v, valShape, dtype), side);
        const ours = tf.searchSorted(tf.tensor(seq, seqShape, dtype), tf.tensor(v, valShape, dtype), side);
        expectTensor(ours, valShape, 'int32', Array.from(theirs.dataSync()));
      }
    }
  });
  it('empty rows: every value goes to 0; no values, an empty result (tfjs cannot reshape empty rows and throws)', () => {
    expect(() => tfjs.searchSorted(tfjs.tensor1d([]), tfjs.tensor1d([1, 2]))).toThrow(/Cannot infer the missing size/);
    expectTensor(tf.searchSorted(tf.tensor1d([]), tf.tensor1d([1, 2]), 'right'), [2], 'int32', [0, 0]);
    expectTensor(tf.searchSorted(tf.tensor1d([1, 2]), tf.tensor1d([])), [0], 'int32', []);
  });
  it('lowerBound and upperBound are the two sides', () => {
    const s = tf.tensor1d([0, 3, 9, 10, 10]);
    const v = tf.tensor1d([0, 4, 10]);
    expectTensor(
      tf.lowerBound(s, v),
      [3],
      'int32',
      Array.from(tfjs.lowerBound(tfjs.tensor1d([0, 3, 9, 10, 10]), tfjs.tensor1d([0, 4, 10])).dataSync()),
    );
    expectTensor(
      tf.upperBound(s, v),
      [3],
      'int32',
      Array.from(tfjs.upperBound(tfjs.tensor1d([0, 3, 9, 10, 10]), tfjs.tensor1d([0, 4, 10])).dataSync()),
    );
  });
  it('keeps the shape of values (tfjs note: tfjs returns [rows, n], [1, n] for 1-D values)', () => {
    expect(tfjs.searchSorted(tfjs.tensor1d([1, 3]), tfjs.tensor1d([2])).shape).toEqual([1, 1]);
    expect(tf.searchSorted(tf.tensor1d([1, 3]), tf.tensor1d([2])).shape).toEqual([1]);
  });
  it('refuses mismatched rows, scalars and a bad side', () => {
    const f = (): tf.Tensor => tf.searchSorted(tf.zeros([2, 3]), tf.zeros([3, 1]));
    expect(f).toThrow(ValueError);
    expect(f).toThrow(
      /searchSorted: the leading dimensions of 'sortedSequence' \(shape \[2,3\]\) and 'values' \(shape \[3,1\]\) must hold the same number of rows, received 2 and 3/,
    );
    expect(() => tf.searchSorted(tf.zeros([2]), tf.scalar(1))).toThrow(/must have rank >= 1, received shapes \[2\] and \[\]/);
    expect(() => tf.searchSorted(tf.zeros([2]), tf.zeros([1]), 'middle' as 'left')).toThrow(
      /argument 'side' must be 'left' or 'right', received middle/,
    );
  });
});
