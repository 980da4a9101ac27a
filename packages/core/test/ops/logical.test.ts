import * as tf from '../../src';
import { Tensor, tensor, tensor1d, tensor2d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectTensor } from './util';

describe('comparisons', () => {
  const a = tensor1d([1, 2, 3]);
  it.each([
    ['equal', tf.equal, [0, 1, 0]],
    ['notEqual', tf.notEqual, [1, 0, 1]],
    ['greater', tf.greater, [0, 0, 1]],
    ['greaterEqual', tf.greaterEqual, [0, 1, 1]],
    ['less', tf.less, [1, 0, 0]],
    ['lessEqual', tf.lessEqual, [1, 1, 0]],
  ])('%s against 2 gives bool', (_, op, expected) => {
    expectTensor((op as (x: Tensor, y: number) => Tensor)(a, 2), [3], 'bool', expected);
  });

  it('broadcast', () => {
    expectTensor(tf.greater(tensor2d([[1], [3]]), tensor1d([0, 2, 4])), [2, 3], 'bool', [1, 0, 0, 1, 1, 0]);
  });

  it('dtype mismatch names the op', () => {
    expect(() => tf.equal(tensor1d([1]), tensor([1], [1], 'int32'))).toThrow(
      'equal: the dtypes of the first (float32) and second (int32) input must match.',
    );
  });
});

describe('logical ops', () => {
  const p = tensor1d([true, true, false, false] as unknown as number[]);
  const q = tensor([true, false, true, false]);
  it('and / or / xor / not', () => {
    expect(p.dtype).toBe('bool');
    expectTensor(tf.logicalAnd(p, q), [4], 'bool', [1, 0, 0, 0]);
    expectTensor(tf.logicalOr(p, q), [4], 'bool', [1, 1, 1, 0]);
    expectTensor(tf.logicalXor(p, q), [4], 'bool', [0, 1, 1, 0]);
    expectTensor(tf.logicalNot(p), [4], 'bool', [0, 0, 1, 1]);
  });

  it('require bool input', () => {
    expect(() => tf.logicalAnd(tensor1d([1]), tensor1d([1]))).toThrow(
      /logicalAnd: arguments 'a' and 'b' must be bool tensors, received float32/,
    );
    expect(() => tf.logicalNot(tensor1d([1]))).toThrow(/logicalNot: argument 'x' must be a bool tensor/);
  });
});

describe('where', () => {
  it('selects elementwise and broadcasts condition, a and b', () => {
    expectTensor(tf.where([true, false], tensor1d([1, 2]), tensor1d([3, 4])), [2], 'float32', [1, 4]);
    expectTensor(
      tf.where(
        tensor([[true], [false]]),
        tensor2d([
          [1, 2],
          [5, 6],
        ]),
        tensor1d([3, 4]),
      ),
      [2, 2],
      'float32',
      [1, 2, 3, 4],
    );
    expectTensor(
      tf.where(
        tensor([true, false]),
        tensor2d([
          [1, 2],
          [5, 6],
        ]),
        0,
      ),
      [2, 2],
      'float32',
      [1, 0, 5, 0],
    );
  });

  it('gradient flows to a where true and to b elsewhere, summed over broadcasting', () => {
    const cond = tensor([
      [true, false, true],
      [false, false, true],
    ]);
    checkGradients((a: Tensor, b: Tensor) => tf.where(cond, a, b), [randomInput([2, 3], 1), randomInput([3], 2)]);
    const [ga, gb] = tf.grads((a: Tensor, b: Tensor) => tf.where(cond, a, b))([tf.zeros([2, 3]), tf.zeros([1])]);
    expect(Array.from(ga.dataSync())).toEqual([1, 0, 1, 0, 0, 1]);
    expect(Array.from(gb.dataSync())).toEqual([3]);
  });

  it('rejects a non-bool condition and mismatched shapes', () => {
    expect(() => tf.where(tensor1d([1, 0]), tensor1d([1, 2]), tensor1d([3, 4]))).toThrow(
      /where: argument 'condition' must be a bool tensor, received float32/,
    );
    expect(() => tf.where(tensor([true, false, true]), tensor1d([1, 2]), tensor1d([3, 4]))).toThrow(/where: .*\[3\] and \[2\]/);
  });
});
