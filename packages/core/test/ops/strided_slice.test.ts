/** stridedSlice against tfjs (cpu) over begin/end/strides and each mask; gradient by finite differences; errors. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

const seq = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
type Args = [number[], number[], number[] | undefined, number?, number?, number?, number?, number?];

// [x shape, [begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask]]
const cases: [string, number[], Args][] = [
  ['step 2', [6], [[1], [6], [2]]],
  ['negative step over all (masks)', [6], [[0], [0], [-1], 1, 1]],
  ['negative begin/end', [6], [[-4], [-1], [1]]],
  ['negative step with bounds', [6], [[4], [1], [-2]]],
  ['out-of-range bounds clamp', [6], [[-10], [10], [1]]],
  [
    '2-D sub-block',
    [3, 4],
    [
      [1, 0],
      [3, 4],
      [1, 2],
    ],
  ],
  ['fewer entries than rank', [3, 4], [[1], [2], [1]]],
  ['beginMask/endMask on axis 1', [3, 4], [[1, 3], [2, 0], [1, -1], 2, 2]],
  ['shrink the last time step of [batch, time, features]', [2, 3, 2], [[0, -1, 0], [0, 0, 0], [1, 1, 1], 5, 5, 0, 0, 2]],
  ['shrink two axes', [2, 3, 2], [[1, 2], [2, 3], [1, 1], 0, 0, 0, 0, 3]],
  ['ellipsis then last axis', [2, 3, 2], [[0, 1], [0, 2], [1, 1], 0, 0, 1]],
  ['ellipsis in the middle', [2, 3, 4], [[1, 0, 1], [2, 0, 3], [1, 1, 1], 0, 0, 2]],
  ['new axis', [3, 4], [[0, 0, 1], [0, 3, 3], [1, 1, 1], 0, 0, 0, 1]],
  ['new axis after an ellipsis', [3, 4], [[0, 0], [0, 0], [1, 1], 0, 0, 1, 2]],
  ['default strides', [3, 4], [[0, 1], [2, 3], undefined]],
  [
    'empty input axis',
    [0, 3],
    [
      [0, 1],
      [0, 3],
      [1, 1],
    ],
  ],
];

describe('stridedSlice against tfjs', () => {
  it.each(cases)('%s', (_, shape, args) => {
    const n = shape.reduce((a, b) => a * b, 1);
    for (const dtype of ['float32', 'int32'] as const) {
      const theirs = tfjs.stridedSlice(tfjs.tensor(seq(n), shape, dtype), ...args);
      const ours = tf.stridedSlice(tf.tensor(seq(n), shape, dtype), ...args);
      expectTensor(ours, theirs.shape, theirs.dtype, Array.from(theirs.dataSync()));
    }
  });
});

describe('stridedSlice: a deliberate difference from tfjs', () => {
  it('begin past end with a positive step is empty (numpy, TensorFlow); tfjs throws from its slice()', () => {
    expect(() => tfjs.stridedSlice(tfjs.tensor1d(seq(6)), [4], [2], [1])).toThrow(/Negative size values/);
    expectTensor(tf.stridedSlice(tf.tensor1d(seq(6)), [4], [2], [1]), [0], 'float32', []);
    expectTensor(tf.stridedSlice(tf.tensor1d(seq(6)), [1], [3], [-1]), [0], 'float32', []);
  });
});

describe('stridedSlice gradient', () => {
  it('by finite differences: steps, negative steps, shrink and new axes', () => {
    checkGradients((x) => tf.stridedSlice(x, [1, 3], [3, 0], [1, -2]), [randomInput([3, 4], 1)]);
    checkGradients((x) => tf.stridedSlice(x, [0, -1, 0], [0, 0, 0], [1, 1, 1], 5, 5, 0, 0, 2), [randomInput([2, 3, 2], 2)]);
    checkGradients((x) => tf.stridedSlice(x, [0, 0, 1], [0, 3, 4], [1, 1, 2], 0, 0, 0, 1), [randomInput([3, 4], 3)]);
  });
});

describe('stridedSlice errors', () => {
  const x = tf.zeros([2, 3]);
  it.each([
    ['zero stride', () => tf.stridedSlice(x, [0], [1], [0]), /stridedSlice: strides\[0\] must be non-zero, received 0/],
    [
      'end length',
      () => tf.stridedSlice(x, [0, 0], [1], [1, 1]),
      /stridedSlice: argument 'end' must be an array of 2 integers, received \[1\]/,
    ],
    ['two ellipses', () => tf.stridedSlice(x, [0, 0], [1, 1], [1, 1], 0, 0, 3), /'ellipsisMask' may have at most one bit set, received 3/],
    ['too many axes', () => tf.stridedSlice(x, [0, 0, 0], [1, 1, 1]), /stridedSlice: 3 axes are sliced but x has rank 2 \(shape \[2,3\]\)/],
    [
      'shrink out of range',
      () => tf.stridedSlice(x, [0, 3], [0, 0], [1, 1], 0, 0, 0, 0, 2),
      /shrinkAxisMask takes index 3 of axis 1, expected it in \[-3, 3\) \(size 3\)/,
    ],
  ])('%s', (_, f, message) => {
    expect(f).toThrow(ValueError);
    expect(f).toThrow(message);
  });
});
