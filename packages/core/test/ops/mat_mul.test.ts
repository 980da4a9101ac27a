import * as tf from '../../src';
import { Tensor, tensor, tensor1d, tensor2d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose, expectTensor } from './util';

/** Reference matrix product in float64 on nested arrays. */
function refMatMul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}
const T = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));

describe('matMul', () => {
  const a = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  const b = [
    [7, 8],
    [9, 10],
    [11, 12],
  ];

  it('forward for all transpose combinations', () => {
    const expected = refMatMul(a, b); // [[58, 64], [139, 154]]
    expect(expected).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expectClose(tf.matMul(tensor2d(a), tensor2d(b)), expected);
    expectClose(tf.matMul(tensor2d(T(a)), tensor2d(b), true, false), expected);
    expectClose(tf.matMul(tensor2d(a), tensor2d(T(b)), false, true), expected);
    expectClose(tf.matMul(tensor2d(T(a)), tensor2d(T(b)), true, true), expected);
  });

  it.each([
    [false, false, [2, 3], [3, 4]],
    [true, false, [3, 2], [3, 4]],
    [false, true, [2, 3], [4, 3]],
    [true, true, [3, 2], [4, 3]],
  ])('gradient with transposeA=%s transposeB=%s', (ta, tb, sa, sb) => {
    checkGradients(
      (x: Tensor, y: Tensor) => tf.matMul(x, y, ta as boolean, tb as boolean),
      [randomInput(sa as number[], 1), randomInput(sb as number[], 2)],
    );
  });

  it('batched rank 3 forward matches per-batch products', () => {
    const x = randomInput([2, 2, 3], 3);
    const y = randomInput([2, 3, 2], 4);
    const out = tf.matMul(x, y);
    const xa = x.arraySync() as number[][][];
    const ya = y.arraySync() as number[][][];
    expectClose(out, [refMatMul(xa[0], ya[0]), refMatMul(xa[1], ya[1])]);
  });

  it.each([
    ['[2,2,3]·[2,3,4]', [2, 2, 3], [2, 3, 4], false, false],
    ['[2,2,3]·[3,4] (broadcast b)', [2, 2, 3], [3, 4], false, false],
    ['[2,3]·[2,3,4] (broadcast a)', [2, 3], [2, 3, 4], false, false],
    ['[1,2,3]·[2,3,4] (batch 1 broadcasts)', [1, 2, 3], [2, 3, 4], false, false],
    ['[2,3,2]ᵀ·[2,4,3]ᵀ', [2, 3, 2], [2, 4, 3], true, true],
    ['[2,1,2,3]·[3,3,2] (rank 4 and 3)', [2, 1, 2, 3], [3, 3, 2], false, false],
  ])('batched gradient %s', (_, sa, sb, ta, tb) => {
    checkGradients(
      (x: Tensor, y: Tensor) => tf.matMul(x, y, ta as boolean, tb as boolean),
      [randomInput(sa as number[], 5), randomInput(sb as number[], 6)],
    );
  });

  it('broadcast batch forward', () => {
    const x = randomInput([2, 2, 3], 7);
    const y = randomInput([3, 2], 8);
    const out = tf.matMul(x, y);
    expect(out.shape).toEqual([2, 2, 2]);
    const xa = x.arraySync() as number[][][];
    expectClose(out, [refMatMul(xa[0], y.arraySync() as number[][]), refMatMul(xa[1], y.arraySync() as number[][])]);
  });

  it('int32 stays int32', () => {
    expectTensor(tf.matMul(tensor([[1, 2]], [1, 2], 'int32'), tensor([[3], [4]], [2, 1], 'int32')), [1, 1], 'int32', [11]);
  });

  it('inner dimension mismatch names the op and both shapes', () => {
    expect(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5]))).toThrow(
      /matMul: inner dimensions of shapes \[2,3\] and \[4,5\] must match/,
    );
    expect(() => tf.matMul(tf.zeros([2, 2, 3]), tf.zeros([3, 3, 4]))).toThrow(
      'matMul: batch dimensions of shapes [2,2,3] and [3,3,4] cannot be broadcast together.',
    );
    expect(() => tf.matMul(tf.zeros([3]), tf.zeros([3, 2]))).toThrow(/matMul: both inputs must have rank >= 2.*\[3\] and \[3,2\]/);
    expect(() =>
      tf.matMul(
        tf.zeros([2, 2]),
        tensor(
          [
            [1, 1],
            [1, 1],
          ],
          [2, 2],
          'int32',
        ),
      ),
    ).toThrow('matMul: the dtypes of the first (float32) and second (int32) input must match.');
  });
});

describe('dot', () => {
  it('vector·vector, matrix·vector, vector·matrix, matrix·matrix', () => {
    expectTensor(tf.dot(tensor1d([1, 2]), tensor1d([3, 4])), [], 'float32', [11]);
    expectTensor(
      tf.dot(
        tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tensor1d([1, 1]),
      ),
      [2],
      'float32',
      [3, 7],
    );
    expectTensor(
      tf.dot(
        tensor1d([1, 1]),
        tensor2d([
          [1, 2],
          [3, 4],
        ]),
      ),
      [2],
      'float32',
      [4, 6],
    );
    expectTensor(tf.dot(tensor2d([[1, 2]]), tensor2d([[3], [4]])), [1, 1], 'float32', [11]);
  });

  it('gradients', () => {
    checkGradients(tf.dot, [randomInput([3], 1), randomInput([3], 2)]);
    checkGradients(tf.dot, [randomInput([2, 3], 1), randomInput([3], 2)]);
    checkGradients(tf.dot, [randomInput([3], 1), randomInput([3, 2], 2)]);
  });

  it('mismatch names the op and shapes', () => {
    expect(() => tf.dot(tensor1d([1, 2]), tensor1d([1, 2, 3]))).toThrow(/dot: inner dimensions of shapes \[2\] and \[3\]/);
  });
});
