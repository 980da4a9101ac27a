import * as tf from '../../src';
import { Tensor, tensor, tensor1d, tensor2d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectTensor } from './util';

const table = tensor2d([
  [1, 2],
  [3, 4],
  [5, 6],
]);

describe('gather', () => {
  it('rows by int32 indices (an embedding lookup)', () => {
    expectTensor(tf.gather(table, tensor1d([2, 0], 'int32')), [2, 2], 'float32', [5, 6, 1, 2]);
    expectTensor(tf.gather(table, [1, 1]), [2, 2], 'float32', [3, 4, 3, 4]);
  });

  it('along axis 1 and with rank-2 indices: shape x[:axis] + indices + x[axis+1:]', () => {
    expectTensor(tf.gather(table, [1], 1), [3, 1], 'float32', [2, 4, 6]);
    const ids = tensor(
      [
        [0, 2],
        [1, 0],
      ],
      [2, 2],
      'int32',
    );
    expectTensor(tf.gather(table, ids), [2, 2, 2], 'float32', [1, 2, 5, 6, 3, 4, 1, 2]);
    expectTensor(tf.gather(tensor1d([10, 20, 30]), tf.scalar(2, 'int32')), [], 'float32', [30]);
  });

  it('gradient scatter-adds into x (repeated indices accumulate) and is null for the indices', () => {
    const ids = tensor([0, 2, 0, 0], [4], 'int32');
    const g = tf.grad((x: Tensor) => tf.gather(x, ids))(table);
    expect(g.arraySync()).toEqual([
      [3, 3],
      [0, 0],
      [1, 1],
    ]);
    checkGradients((x: Tensor) => tf.gather(x, ids), [randomInput([3, 2], 1)]);
    checkGradients(
      (x: Tensor) =>
        tf.gather(
          x,
          tensor(
            [
              [2, 1],
              [0, 2],
            ],
            [2, 2],
            'int32',
          ),
          1,
        ),
      [randomInput([2, 3, 2], 2)],
    );
  });

  it('index out of range names the op, index and shape', () => {
    expect(() => tf.gather(table, [3])).toThrow(/gather: index 3 .*out of range \[0, 3\) for axis 0 of x with shape \[3,2\]/);
    expect(() => tf.gather(table, [-1])).toThrow(/gather: index -1/);
  });

  it('float32 indices tensor is rejected', () => {
    expect(() => tf.gather(table, tensor1d([0]))).toThrow(/gather: argument 'indices' must be an int32 tensor, received float32/);
  });
});
