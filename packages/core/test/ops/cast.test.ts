import * as tf from '../../src';
import { Tensor, tensor, tensor1d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectTensor } from './util';

describe('cast', () => {
  it('float32 → int32 truncates toward zero, → bool tests non-zero, bool → float32 is 0/1', () => {
    expectTensor(tf.cast(tensor1d([1.7, -1.7, 0]), 'int32'), [3], 'int32', [1, -1, 0]);
    expectTensor(tf.cast(tensor1d([0.5, 0, -2]), 'bool'), [3], 'bool', [1, 0, 1]);
    expectTensor(tf.cast(tensor([true, false]), 'float32'), [2], 'float32', [1, 0]);
  });

  it('the gradient passes through (as tfjs)', () => {
    checkGradients((x: Tensor) => tf.cast(x, 'float32'), [randomInput([3], 1)]);
    const g = tf.grad((x: Tensor) => tf.cast(tf.cast(x, 'int32'), 'float32'))(tensor1d([1.5]));
    expect(Array.from(g.dataSync())).toEqual([1]);
  });

  it('rejects unknown dtypes', () => {
    expect(() => tf.cast(tensor1d([1]), 'float64' as never)).toThrow(/cast: unknown dtype 'float64'/);
  });

  it('chainable toFloat / toInt / toBool / asType', () => {
    const x = tensor1d([1.5, 0]);
    expect(x.toInt().dtype).toBe('int32');
    expect(x.toBool().dtype).toBe('bool');
    expect(x.toInt().toFloat().dtype).toBe('float32');
    expectTensor(x.asType('int32'), [2], 'int32', [1, 0]);
  });
});
