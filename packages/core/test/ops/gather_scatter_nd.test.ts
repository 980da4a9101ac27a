/** gatherND, scatterND, tensorScatterUpdate: against tfjs (cpu), gradients by finite differences, index errors. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

function same(ours: tf.Tensor, theirs: tfjs.Tensor): void {
  expectTensor(ours, theirs.shape, theirs.dtype, Array.from(theirs.dataSync()));
}
const seq = (n: number): number[] => Array.from({ length: n }, (_, i) => i - 3);

// [x shape, indices, indices shape]: full tuples, partial tuples (slices), depth 0, a batch of tuples, empty.
const gatherCases: [number[], number[], number[]][] = [
  [
    [2, 3],
    [1, 0, 0, 2, 1, 2],
    [3, 2],
  ],
  [
    [2, 3, 2],
    [1, 0],
    [2, 1],
  ],
  [
    [2, 3, 2],
    [1, 2, 0, 1],
    [2, 2],
  ],
  [[4], [3, 0, 3], [3, 1]],
  [[2, 3], [], [2, 0]],
  [[2, 3], [], [0, 2]],
  [
    [2, 2, 2],
    [1, 1, 0, 0, 1, 1, 1, 0],
    [2, 2, 2],
  ],
];

describe('gatherND', () => {
  it.each(gatherCases)('x %j, indices %j of shape %j: as tfjs (float32 and int32)', (shape, idx, idxShape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    for (const dtype of ['float32', 'int32'] as const) {
      same(
        tf.gatherND(tf.tensor(seq(n), shape, dtype), tf.tensor(idx, idxShape, 'int32')),
        tfjs.gatherND(tfjs.tensor(seq(n), shape, dtype), tfjs.tensor(idx, idxShape, 'int32')),
      );
    }
  });
  it('gradient (repeated tuples add up) by finite differences', () => {
    const idx = tf.tensor([1, 0, 0, 2, 1, 0], [3, 2], 'int32');
    checkGradients((x) => tf.gatherND(x, idx), [randomInput([2, 3], 1)]);
    checkGradients((x) => tf.gatherND(x, tf.tensor([1, 1], [2, 1], 'int32')), [randomInput([2, 3, 2], 2)]);
  });
  it('refuses negative and out-of-range indices (tfjs throws too), non-int32 indices and too deep tuples', () => {
    const x = tf.tensor(seq(6), [2, 3]);
    expect(() => tfjs.gatherND(tfjs.tensor1d([1, 2]), tfjs.tensor2d([[-1]], [1, 1], 'int32'))).toThrow(/Invalid indices/);
    expect(() => tf.gatherND(x, tf.tensor([0, -1], [1, 2], 'int32'))).toThrow(ValueError);
    expect(() => tf.gatherND(x, tf.tensor([0, -1], [1, 2], 'int32'))).toThrow(
      /gatherND: index \[0,-1\] \(row 0 of 'indices'\) is out of range for x of shape \[2,3\]: expected 0 <= index\[1\] < 3, received -1/,
    );
    expect(() => tf.gatherND(x, tf.tensor([2, 0], [1, 2], 'int32'))).toThrow(/expected 0 <= index\[0\] < 2, received 2/);
    expect(() => tf.gatherND(x, tf.tensor([0, 0], [1, 2], 'float32'))).toThrow(
      /gatherND: argument 'indices' must be an int32 tensor, received float32/,
    );
    expect(() => tf.gatherND(x, tf.tensor([0, 0, 0], [1, 3], 'int32'))).toThrow(
      /must be at most the rank of x of shape \[2,3\], received 3/,
    );
  });
  it('plain nested arrays of indices parse as int32', () => {
    expectTensor(tf.gatherND(tf.tensor(seq(6), [2, 3]), [[1, 2]]), [1], 'float32', [2]);
  });
  it('refuses fractional and NaN indices in plain arrays (they were truncated to a wrong index)', () => {
    const x = tf.tensor(seq(6), [2, 3]);
    expect(() => tf.gatherND(x, [[0.5, 1]])).toThrow(ValueError);
    expect(() => tf.gatherND(x, [[0.5, 1]])).toThrow(/gatherND: argument 'indices' must hold integers, received 0.5 at flat position 0/);
    expect(() => tf.gatherND(x, [[1, NaN]])).toThrow(/gatherND: argument 'indices' must hold integers, received NaN at flat position 1/);
    expect(() => tf.scatterND([[Infinity]], tf.tensor1d([1]), [2])).toThrow(
      /scatterND: argument 'indices' must hold integers, received Infinity/,
    );
    expect(() => tf.tensorScatterUpdate(tf.tensor1d([1, 2]), [[1.5]], tf.tensor1d([1]))).toThrow(
      /tensorScatterUpdate: argument 'indices' must hold integers, received 1.5/,
    );
  });
  it('names the op when the output would exceed 2^31 elements (it surfaced as a bare allocate error)', () => {
    expect(() => tf.gatherND(tf.zeros([100000]), tf.zeros([100000, 0], 'int32'))).toThrow(
      /gatherND: shape \[100000,100000\] has 10000000000 elements, over the limit of 2\^31/,
    );
  });
});

describe('scatterND', () => {
  it.each([
    [[4], [1, 3, 1], [3, 1], [9, 10, 11], [3]],
    [
      [2, 3],
      [1, 0],
      [2, 1],
      [1, 2, 3, 4, 5, 6],
      [2, 3],
    ],
    [[2, 2], [0, 1, 1, 0], [2, 2], [5, 6], [2]],
    [[3], [], [0, 1], [], [0]],
  ])('shape %j, indices %j: sums duplicates as tfjs (float32 and int32)', (shape, idx, idxShape, upd, updShape) => {
    for (const dtype of ['float32', 'int32'] as const) {
      same(
        tf.scatterND(tf.tensor(idx, idxShape, 'int32'), tf.tensor(upd, updShape, dtype), shape),
        tfjs.scatterND(tfjs.tensor(idx, idxShape, 'int32'), tfjs.tensor(upd, updShape, dtype), shape),
      );
    }
  });
  it('gradient with respect to the updates by finite differences', () => {
    const idx = tf.tensor([1, 3, 1], [3, 1], 'int32');
    checkGradients((u) => tf.scatterND(idx, u, [4, 2]), [randomInput([3, 2], 3)]);
  });
  it('refuses out-of-range indices (tfjs throws too) and updates of the wrong shape', () => {
    expect(() => tfjs.scatterND(tfjs.tensor2d([[5]], [1, 1], 'int32'), tfjs.tensor1d([1]), [3])).toThrow(/Invalid indices/);
    expect(() => tf.scatterND(tf.tensor([5], [1, 1], 'int32'), tf.tensor1d([1]), [3])).toThrow(
      /scatterND: index \[5\] \(row 0 of 'indices'\) is out of range for the output shape \[3\]/,
    );
    expect(() => tf.scatterND(tf.tensor([1], [1, 1], 'int32'), tf.tensor1d([1, 2]), [3])).toThrow(
      /scatterND: 'updates' must have shape indices.shape\[:-1\] \+ shape\[depth:\] = \[1\] .*received \[2\]/,
    );
  });
});

describe('tensorScatterUpdate', () => {
  it.each([
    [[3], [0, 2], [2, 1], [7, 9], [2]],
    [[3], [1, 1], [2, 1], [7, 8], [2]],
    [[2, 3], [1], [1, 1], [4, 5, 6], [1, 3]],
    [[2, 2], [0, 1, 1, 0], [2, 2], [5, 6], [2]],
  ])('tensor %j, indices %j: as tfjs (last duplicate wins)', (shape, idx, idxShape, upd, updShape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    for (const dtype of ['float32', 'int32'] as const) {
      same(
        tf.tensorScatterUpdate(tf.tensor(seq(n), shape, dtype), tf.tensor(idx, idxShape, 'int32'), tf.tensor(upd, updShape, dtype)),
        tfjs.tensorScatterUpdate(tfjs.tensor(seq(n), shape, dtype), tfjs.tensor(idx, idxShape, 'int32'), tfjs.tensor(upd, updShape, dtype)),
      );
    }
  });
  it('gradients to the tensor (not where overwritten) and to the updates, by finite differences', () => {
    const idx = tf.tensor([1, 0], [2, 1], 'int32');
    checkGradients((x, u) => tf.tensorScatterUpdate(x, idx, u), [randomInput([3, 2], 4), randomInput([2, 2], 5)]);
    // A repeated tuple: only the update that lands gets a gradient.
    const dup = tf.tensor([1, 1], [2, 1], 'int32');
    checkGradients((x, u) => tf.tensorScatterUpdate(x, dup, u), [randomInput([3], 6), randomInput([2], 7)]);
  });
  it('refuses a dtype mismatch and out-of-range tuples', () => {
    const x = tf.tensor([1, 2, 3], [3], 'int32');
    expect(() => tf.tensorScatterUpdate(x, tf.tensor([0], [1, 1], 'int32'), tf.tensor1d([0.5]))).toThrow(
      /tensorScatterUpdate: 'updates' must have the dtype of 'tensor' \(int32\), received float32/,
    );
    expect(() => tf.tensorScatterUpdate(x, tf.tensor([-1], [1, 1], 'int32'), tf.tensor([1], [1], 'int32'))).toThrow(
      /tensorScatterUpdate: index \[-1\].*expected 0 <= index\[0\] < 3, received -1/,
    );
  });
});
