/**
 * A JS number with an int32 or bool tensor: it keeps the tensor's dtype when it is a value of that dtype
 * (`add(intTensor, 1)` stays int32), and otherwise both become float32, as tfjs computes them (values below
 * are tfjs's, cpu backend), instead of the number being truncated or turned into a bool.
 */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { Tensor, tensor } from '../../src';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

const int = (v: number[]) => tensor(v, [v.length], 'int32');
const bool = (v: number[]) => tensor(v, [v.length], 'bool');

function same(ours: Tensor, theirs: tfjs.Tensor): void {
  expect(ours.dtype).toBe(theirs.dtype);
  expect(ours.shape).toEqual(theirs.shape);
  expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
}

describe('binary ops with a number that is not a value of the tensor dtype', () => {
  it('int32 tensor with a fractional number computes in float32 (as tfjs)', () => {
    const ti = tfjs.tensor([1, 2, 3], [3], 'int32');
    same(tf.mul(int([1, 2, 3]), 0.5), tfjs.mul(ti, 0.5));
    same(tf.mul(0.5, int([1, 2, 3])), tfjs.mul(0.5, ti));
    same(tf.add(int([1, 2, 3]), 2.75), tfjs.add(ti, 2.75));
    same(tf.sub(0.5, int([1, 2, 3])), tfjs.sub(0.5, ti));
    same(tf.maximum(int([1, 2, 3]), 2.5), tfjs.maximum(ti, 2.5));
    same(tf.pow(int([1, 4, 9]), 0.5), tfjs.pow(tfjs.tensor([1, 4, 9], [3], 'int32'), 0.5));
    same(tf.equal(int([1, 2, 3]), 2.5), tfjs.equal(ti, 2.5));
    same(tf.greater(int([1, 2, 3]), 2.5), tfjs.greater(ti, 2.5));
  });

  it('NaN, ±Infinity and numbers beyond int32 are not truncated', () => {
    expect(Array.from(tf.add(int([1, 2]), NaN).dataSync()).every(Number.isNaN)).toBe(true);
    expect(Array.from(tf.minimum(int([1, -2]), -Infinity).dataSync())).toEqual([-Infinity, -Infinity]);
    same(tf.add(int([1, 3]), 1e10), tfjs.add(tfjs.tensor([1, 3], [2], 'int32'), 1e10));
  });

  it('bool tensor with any number computes in float32 (as tfjs)', () => {
    const tb = tfjs.tensor([1, 0, 1], [3], 'bool');
    same(tf.mul(bool([1, 0, 1]), 3), tfjs.mul(tb, 3));
    same(tf.add(bool([1, 0, 1]), 0.5), tfjs.add(tb, 0.5));
    same(tf.greater(bool([1, 0, 1]), 0.5), tfjs.greater(tb, 0.5));
    // Even 0 and 1: arithmetic results leave {0, 1} (a bool array stored 1 − 2 as 255).
    same(tf.sub(bool([1, 0, 1]), 1), tfjs.sub(tb, 1));
    same(tf.add(bool([1, 0, 1]), 1), tfjs.add(tb, 1));
  });

  it('an integer number with an int32 tensor keeps int32 (tfjs note: tfjs would give float32)', () => {
    expect(tf.add(int([1, 2]), 1).dtype).toBe('int32');
    expect(Array.from(tf.mul(int([1, 2]), -3).dataSync())).toEqual([-3, -6]);
  });

  it('the logical ops still take numbers and booleans as bool operands', () => {
    expect(Array.from(tf.logicalAnd(bool([1, 0]), true).dataSync())).toEqual([1, 0]);
    expect(Array.from(tf.logicalOr(bool([1, 0]), 1).dataSync())).toEqual([1, 1]);
    expect(tf.logicalXor(0, bool([1, 0])).dtype).toBe('bool');
  });
});
