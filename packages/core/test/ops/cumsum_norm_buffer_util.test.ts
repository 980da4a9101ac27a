/** cumsum and norm against tfjs (values) and finite differences (gradients); buffer, util, memory. */
import * as tf from '@tensorflow/tfjs';
import { buffer, cumsum, memory, norm, randomNormal, tensor, tensor2d, util } from '@recurrent/core';
import { checkGradients } from '../helpers/grad_check';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const X = [
  [1, -2, 3],
  [0.5, 4, -1],
];

describe('cumsum matches tfjs', () => {
  test.each([
    [0, false, false],
    [1, false, false],
    [1, true, false],
    [1, false, true],
    [0, true, true],
  ])('axis %s exclusive %s reverse %s', (axis, exclusive, reverse) => {
    const ours = cumsum(tensor2d(X), axis, exclusive, reverse);
    const theirs = tf.cumsum(tf.tensor2d(X), axis, exclusive, reverse);
    expect(ours.shape).toEqual(theirs.shape);
    expect(Array.from(ours.values)).toEqual(Array.from(theirs.dataSync()));
  });
  test('a negative axis counts from the end (tfjs mishandles axis -1, so compared with axis 1)', () => {
    expect(Array.from(cumsum(tensor2d(X), -1, true, true).values)).toEqual(Array.from(tf.cumsum(tf.tensor2d(X), 1, true, true).dataSync()));
  });
  test('gradient (finite differences) and errors', () => {
    checkGradients((x) => cumsum(x, 1, true, false), [randomNormal([2, 4], 0, 1, 'float32', 1)]);
    checkGradients((x) => cumsum(x, 0, false, true), [randomNormal([3, 2], 0, 1, 'float32', 2)]);
    expect(() => cumsum(tensor(1))).toThrow('cumsum: x must have at least one dimension, received a scalar.');
    expect(() => cumsum(tensor2d(X), 2)).toThrow('cumsum: axis 2 is out of range for x of shape [2,3].');
  });
});

describe('norm matches tfjs', () => {
  test.each([
    ['euclidean', null],
    [1, null],
    [Infinity, 1],
    [-Infinity, 0],
    ['fro', [0, 1]],
    [2, 0],
    // Matrix norms over two axes: 1 is the largest column sum of |x|, Infinity the largest row sum, -Infinity the smallest.
    [1, [0, 1]],
    [Infinity, [0, 1]],
    [-Infinity, [0, 1]],
  ] as const)('ord %s axis %s', (ord, axis) => {
    const ours = norm(tensor2d(X), ord as any, axis as any);
    const theirs = tf.norm(tf.tensor2d(X), ord as any, axis as any);
    expect(ours.shape).toEqual(theirs.shape);
    Array.from(theirs.dataSync()).forEach((v, i) => expect(ours.values[i]).toBeCloseTo(v, 5));
  });
  test('p-norms beyond tfjs (p = 3) follow the formula', () => {
    const got = norm(tensor2d(X), 3, 1).values;
    X.forEach((row, i) => expect(got[i]).toBeCloseTo(Math.cbrt(row.reduce((a, v) => a + Math.abs(v) ** 3, 0)), 5));
  });
  test('matrix 1- and Infinity-norms by hand, with keepDims, over a batch and axes given in reverse order', () => {
    // [[1, -2], [3, -4]]: column sums of |x| are 4, 6; row sums 3, 7.
    const m = tensor([1, -2, 3, -4, 0, 5, -1, 0], [2, 2, 2]);
    expect(Array.from(norm(m, 1, [1, 2]).dataSync())).toEqual([6, 5]);
    expect(Array.from(norm(m, 1, [-2, -1]).dataSync())).toEqual([6, 5]); // tfjs note: tfjs's norm throws on negative axes here
    expect(Array.from(norm(m, Infinity, [1, 2]).dataSync())).toEqual([7, 5]);
    expect(Array.from(norm(m, -Infinity, [1, 2]).dataSync())).toEqual([3, 1]);
    expect(norm(m, 1, [1, 2], true).shape).toEqual([2, 1, 1]);
    // Axes [2, 1]: rows and columns swap roles (numpy), so the 1-norm is the largest row sum.
    expect(Array.from(norm(m, 1, [2, 1]).dataSync())).toEqual([7, 5]);
    expect(() => norm(m, 3, [1, 2])).toThrow(/norm: ord 3 over two axes/);
  });
  test('keepDims and gradient', () => {
    expect(norm(tensor2d(X), 'euclidean', 1, true).shape).toEqual([2, 1]);
    checkGradients((x) => norm(x, 'euclidean', 1), [randomNormal([2, 3], 0, 1, 'float32', 3)]);
    expect(() => norm(tensor2d(X), -1)).toThrow(/norm: ord must be/);
  });
});

describe('buffer and util (tfjs API)', () => {
  test('buffer set/get/toTensor like tfjs', () => {
    const b = buffer([2, 3], 'int32');
    b.set(5, 1, 2);
    b.set(7, 0, 0);
    const tb = tf.buffer([2, 3], 'int32');
    tb.set(5, 1, 2);
    tb.set(7, 0, 0);
    expect(b.get(1, 2)).toBe(5);
    expect(Array.from(b.toTensor().values)).toEqual(Array.from(tb.toTensor().dataSync()));
    expect(b.toTensor().dtype).toBe('int32');
    expect(() => b.set(1, 2, 0)).toThrow('TensorBuffer: index 2 is out of range for dimension 0 of size 2 (shape [2,3]).');
    expect(() => b.get(0)).toThrow('TensorBuffer: expected 2 indices for shape [2,3], received 1.');
  });
  test('util', () => {
    expect(() => util.assert(false, () => 'boom')).toThrow('boom');
    expect(() => util.assertShapesMatch([1, 2], [2, 1], 'loss:')).toThrow('loss: Shapes [1,2] and [2,1] must match');
    expect(util.sizeFromShape([2, 3, 4])).toBe(24);
    expect(util.flatten([[1, [2]], [3]])).toEqual([1, 2, 3]);
    expect(
      util.inferShape([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual([2, 3]);
    const a = [1, 2, 3, 4, 5, 6];
    util.shuffle(a);
    expect(a.slice().sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const x = [1, 2, 3, 4];
    const y = [10, 20, 30, 40];
    util.shuffleCombo(x, y);
    x.forEach((v, i) => expect(y[i]).toBe(v * 10));
  });
  test('util.assert called as a statement narrows the type (tsc checks this: a tfjs user writes tf.util.assert(cond, msg))', () => {
    const v: number | null = [3, null][0];
    util.assert(v !== null, 'v is set');
    expect(v + 1).toBe(4);
    expect(() => util.assert([1][0] === 2, 'the message')).toThrow('the message');
  });
  test('memory counts live tensors from the first call, and disposal', () => {
    const before = memory();
    const t = tensor([1, 2, 3, 4]);
    const after = memory();
    expect(after.numTensors - before.numTensors).toBe(1);
    expect(after.numBytes - before.numBytes).toBe(16);
    t.dispose();
    expect(memory().numTensors).toBe(before.numTensors);
  });
});
