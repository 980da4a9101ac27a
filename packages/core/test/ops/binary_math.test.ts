import * as tf from '../../src';
import { Tensor, tensor, tensor1d, tensor2d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose, expectTensor } from './util';

describe('add/sub/mul/div broadcasting', () => {
  const cases: Array<[number[], number[]]> = [
    [
      [2, 3],
      [2, 3],
    ],
    [[2, 3], [3]],
    [
      [2, 3],
      [2, 1],
    ],
    [
      [1, 3],
      [2, 1],
    ],
    [
      [2, 3, 4],
      [3, 1],
    ],
    [[4], []],
    [[], [2, 2]],
  ];
  const ops: Array<[string, (a: Tensor, b: Tensor) => Tensor]> = [
    ['add', tf.add],
    ['sub', tf.sub],
    ['mul', tf.mul],
    ['div', tf.div],
    ['squaredDifference', tf.squaredDifference],
  ];
  for (const [name, op] of ops) {
    it.each(cases)(`${name} gradient with shapes %j and %j`, (sa, sb) => {
      const b = name === 'div' ? randomInput(sb, 2, 0.5, 2) : randomInput(sb, 2);
      checkGradients(op, [randomInput(sa, 1), b]);
    });
  }

  it('forward values with broadcasting', () => {
    const a = tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectTensor(tf.add(a, tensor1d([10, 20, 30])), [2, 3], 'float32', [11, 22, 33, 14, 25, 36]);
    expectTensor(tf.sub(a, tensor2d([[1], [2]])), [2, 3], 'float32', [0, 1, 2, 2, 3, 4]);
    expectTensor(tf.mul(tensor2d([[1, 2, 3]]), tensor2d([[1], [2]])), [2, 3], 'float32', [1, 2, 3, 2, 4, 6]);
    expectClose(tf.div(a, 2), [0.5, 1, 1.5, 2, 2.5, 3]);
    expectTensor(tf.squaredDifference(tensor1d([1, 5]), 3), [2], 'float32', [4, 4]);
  });

  it('int32 stays int32 for add/sub/mul; div gives float32', () => {
    const a = tensor([7, 8], [2], 'int32');
    expectTensor(tf.add(a, 1), [2], 'int32', [8, 9]);
    expectTensor(tf.mul(a, a), [2], 'int32', [49, 64]);
    expectTensor(tf.div(a, 2), [2], 'float32', [3.5, 4]);
  });

  it('shape mismatch names the op and both shapes', () => {
    expect(() => tf.add(tf.zeros([2, 3]), tf.zeros([4]))).toThrow(/add: .*\[2,3\] and \[4\]/);
    expect(() => tf.mul(tf.zeros([2, 3]), tf.zeros([3, 2]))).toThrow(/mul: .*\[2,3\] and \[3,2\]/);
  });

  it('dtype mismatch names the op and both dtypes', () => {
    expect(() => tf.add(tensor([1], [1], 'int32'), tensor([1]))).toThrow(
      'add: the dtypes of the first (int32) and second (float32) input must match.',
    );
    expect(() => tf.maximum(tensor([1]), tensor([1], [1], 'int32'))).toThrow(
      'maximum: the dtypes of the first (float32) and second (int32) input must match.',
    );
  });
});

describe('pow, maximum, minimum, mod, floorDiv, atan2', () => {
  it('forward values', () => {
    expectClose(tf.pow(tensor1d([2, 3, 4]), tensor1d([3, 2, 0.5])), [8, 9, 2]);
    expectTensor(tf.pow(tensor([2, 3], [2], 'int32'), 2), [2], 'int32', [4, 9]);
    expectTensor(tf.maximum(tensor1d([1, 5, -1]), tensor1d([2, 3, -1])), [3], 'float32', [2, 5, -1]);
    expectTensor(tf.minimum(tensor1d([1, 5, -1]), 0), [3], 'float32', [0, 0, -1]);
    expectTensor(tf.maximum(tensor([1, 5], [2], 'int32'), 3), [2], 'int32', [3, 5]);
    expectTensor(tf.mod(tensor1d([5, -5, 5, -5]), tensor1d([3, 3, -3, -3])), [4], 'float32', [2, 1, -1, -2]);
    expectTensor(tf.floorDiv(tensor([7, -7], [2], 'int32'), 2), [2], 'int32', [3, -4]);
    expectClose(tf.atan2(tensor1d([1, 1]), tensor1d([1, -1])), [Math.PI / 4, (3 * Math.PI) / 4]);
  });

  it('pow gradient for both inputs, with broadcasting', () => {
    checkGradients(tf.pow, [randomInput([2, 3], 4, 0.5, 2), randomInput([3], 5, -1.5, 2)]);
    checkGradients(tf.pow, [randomInput([3], 6, 0.5, 2), randomInput([2, 1], 7, 1, 3)]);
  });

  it('pow gradient wrt the exponent is 0 where the base is <= 0 (as tfjs)', () => {
    const [, gb] = tf.grads((a: Tensor, b: Tensor) => tf.pow(a, b))([tensor1d([-2, 0]), tensor1d([2, 2])]);
    expect(Array.from(gb.dataSync())).toEqual([0, 0]);
  });

  it('maximum/minimum gradients away from ties, with broadcasting', () => {
    const a = tensor2d([
      [0.1, 0.9, -0.5],
      [0.7, -0.2, 0.4],
    ]);
    const b = tensor1d([0.3, 0.2, 0.0]);
    checkGradients(tf.maximum, [a, b]);
    checkGradients(tf.minimum, [a, b]);
  });

  it('maximum/minimum send the gradient to a on ties (as tfjs)', () => {
    const [ga, gb] = tf.grads((a: Tensor, b: Tensor) => tf.maximum(a, b))([tensor1d([1, 2]), tensor1d([1, 1])]);
    expect(Array.from(ga.dataSync())).toEqual([1, 1]);
    expect(Array.from(gb.dataSync())).toEqual([0, 0]);
  });

  it('atan2 and mod gradients', () => {
    checkGradients(tf.atan2, [randomInput([4], 8, 0.5, 2), randomInput([4], 9, 0.5, 2)]);
    checkGradients(tf.mod, [tensor1d([5.3, 2.2, 7.9]), tensor1d([3, 1.5, 2.5])]);
  });
});
