import * as tf from '../../src';
import { Tensor, tensor, tensor1d, tensor2d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose } from './util';

describe('softmax / logSoftmax', () => {
  it('softmax of [0, ln 3] is [1/4, 3/4]', () => {
    expectClose(tf.softmax(tensor1d([0, Math.log(3)])), [0.25, 0.75]);
  });

  it('softmax of rows sums to 1 and matches exp/Σexp', () => {
    const v = [
      [1, 2, 3],
      [-1, 0, 5],
    ];
    const ref = v.map((row) => {
      const e = row.map(Math.exp);
      const s = e.reduce((a, b) => a + b);
      return e.map((x) => x / s);
    });
    expectClose(tf.softmax(tensor2d(v)), ref);
  });

  it('is stable for large logits', () => {
    expectClose(tf.softmax(tensor1d([1000, 1000])), [0.5, 0.5]);
    expectClose(tf.logSoftmax(tensor1d([1000, 0])), [0, -1000]);
  });

  it('softmax along another axis', () => {
    const v = [
      [0, 1],
      [Math.log(3), 1],
    ];
    expectClose(tf.softmax(tensor2d(v), 0), [
      [0.25, 0.5],
      [0.75, 0.5],
    ]);
  });

  it('logSoftmax is x - log Σ exp(x)', () => {
    const row = [1, 2, 3];
    const lse = Math.log(row.map(Math.exp).reduce((a, b) => a + b));
    expectClose(
      tf.logSoftmax(tensor1d(row)),
      row.map((v) => v - lse),
    );
    expectClose(tf.logSoftmax(tensor1d([0, 0])), [-Math.LN2, -Math.LN2]);
  });

  it('gradients (last axis and axis 1 of rank 3)', () => {
    const x = randomInput([2, 3, 4], 31, -2, 2);
    checkGradients((a: Tensor) => tf.softmax(a), [x]);
    checkGradients((a: Tensor) => tf.softmax(a, 1), [x]);
    checkGradients((a: Tensor) => tf.logSoftmax(a), [x]);
    checkGradients((a: Tensor) => tf.logSoftmax(a, 0), [x]);
  });

  it('rejects int32 logits and scalars', () => {
    expect(() => tf.softmax(tensor([1, 2], [2], 'int32'))).toThrow(/softmax: logits must be float32, received int32/);
    expect(() => tf.logSoftmax(tf.scalar(1))).toThrow(/logSoftmax: logits must have rank >= 1/);
  });
});
