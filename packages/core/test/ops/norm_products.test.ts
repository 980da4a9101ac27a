/** euclideanNorm and outerProduct against tfjs (cpu); gradients by finite differences; errors. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose, expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('euclideanNorm', () => {
  const v = [3, -4, 5, 12, 0, 1];
  it.each([
    [null, false],
    [1, false],
    [0, true],
    [[0, 1], false],
    [-1, true],
  ] as [number | number[] | null, boolean][])('axis %j keepDims %j as tfjs', (axis, keepDims) => {
    const theirs = tfjs.euclideanNorm(tfjs.tensor(v, [3, 2]), axis ?? undefined, keepDims);
    const ours = tf.euclideanNorm(tf.tensor(v, [3, 2]), axis, keepDims);
    expect(ours.shape).toEqual(theirs.shape);
    expectClose(ours, Array.from(theirs.dataSync()));
  });
  it('int32 input gives float32 (tfjs note: tfjs throws from its sqrt); an empty axis as tfjs', () => {
    expect(() => tfjs.euclideanNorm(tfjs.tensor1d([3, 4], 'int32'))).toThrow(/must be float32/);
    expectTensor(tf.euclideanNorm(tf.tensor([3, 4], [2], 'int32')), [], 'float32', [5]);
    expectClose(tf.euclideanNorm(tf.zeros([0, 2]), 0), Array.from(tfjs.euclideanNorm(tfjs.zeros([0, 2]), 0).dataSync()));
  });
  it('gradient by finite differences', () => {
    checkGradients((x) => tf.euclideanNorm(x, 1), [randomInput([2, 3], 1)]);
  });
});

describe('outerProduct', () => {
  it('values as tfjs (float32, int32, empty)', () => {
    expectClose(
      tf.outerProduct(tf.tensor1d([1, 2]), tf.tensor1d([3, 4, 5])),
      Array.from(tfjs.outerProduct(tfjs.tensor1d([1, 2]), tfjs.tensor1d([3, 4, 5])).dataSync()),
    );
    const i = tf.outerProduct(tf.tensor([1, -2], [2], 'int32'), tf.tensor([3], [1], 'int32'));
    const ti = tfjs.outerProduct(tfjs.tensor1d([1, -2], 'int32'), tfjs.tensor1d([3], 'int32'));
    expect(i.shape).toEqual(ti.shape);
    expectClose(i, Array.from(ti.dataSync()));
    expect(tf.outerProduct(tf.tensor1d([]), tf.tensor1d([1, 2])).shape).toEqual([0, 2]);
  });
  it('gradients by finite differences', () => {
    checkGradients((a, b) => tf.outerProduct(a, b), [randomInput([3], 1), randomInput([2], 2)]);
  });
  it('refuses non-1-D operands', () => {
    const f = (): tf.Tensor => tf.outerProduct(tf.zeros([2, 2]), tf.zeros([2]));
    expect(f).toThrow(ValueError);
    expect(f).toThrow(/outerProduct: 'v1' and 'v2' must be 1-D, received shapes \[2,2\] and \[2\]/);
  });
  it('refuses a product over 2^31 elements with a ValueError (outerProduct and einsum threw a bare RangeError)', () => {
    const v = tf.zeros([100000]);
    expect(() => tf.outerProduct(v, v)).toThrow(ValueError);
    expect(() => tf.outerProduct(v, v)).toThrow(/matMul: shape \[100000,100000\] has 10000000000 elements, over the limit of 2\^31/);
    expect(() => tf.einsum('i,j->ij', v, v)).toThrow(/matMul: shape \[1,100000,100000\] has 10000000000 elements/);
  });
});
