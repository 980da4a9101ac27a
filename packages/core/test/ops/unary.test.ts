import * as tf from '../../src';
import { Tensor, tensor, tensor1d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose, expectTensor } from './util';

const xs = [-2.5, -1, -0.3, 0.2, 0.7, 1.9];

/** name, op, reference formula in float64, domain for gradient checks [lo, hi). */
const floatOps: Array<[string, (x: Tensor) => Tensor, (v: number) => number, number, number]> = [
  ['abs', tf.abs, (v) => (v < 0 ? -v : v), -2, 2],
  ['square', tf.square, (v) => v * v, -2, 2],
  ['sqrt', tf.sqrt, (v) => v ** 0.5, 0.2, 3],
  ['rsqrt', tf.rsqrt, (v) => v ** -0.5, 0.2, 3],
  ['reciprocal', tf.reciprocal, (v) => 1 / v, 0.3, 3],
  ['exp', tf.exp, (v) => Math.E ** v, -2, 2],
  ['expm1', tf.expm1, (v) => Math.E ** v - 1, -2, 2],
  ['log', tf.log, (v) => Math.log(v), 0.2, 3],
  ['log1p', tf.log1p, (v) => Math.log(1 + v), -0.5, 3],
  ['sin', tf.sin, Math.sin, -3, 3],
  ['cos', tf.cos, Math.cos, -3, 3],
  ['tan', tf.tan, (v) => Math.sin(v) / Math.cos(v), -1, 1],
];

describe('elementwise unary math', () => {
  it.each(floatOps)('%s matches its formula', (_, op, ref) => {
    const pos = xs.map((v) => Math.abs(v) + 0.1);
    const input = ['sqrt', 'rsqrt', 'log', 'reciprocal'].includes(_) ? pos : xs;
    expectClose(op(tensor1d(input)), input.map(ref), 1e-6);
  });

  it.each(floatOps)('%s gradient matches finite differences', (_, op, __, lo, hi) => {
    checkGradients(op, [randomInput([2, 3], 11, lo, hi)]);
  });

  it('hand-computed values', () => {
    expectClose(tf.sqrt(tensor1d([4, 9, 0])), [2, 3, 0]);
    expectClose(tf.exp(tensor1d([0, 1])), [1, Math.E]);
    expectClose(tf.log(tensor1d([1, Math.E, 0, -1])), [0, 1, -Infinity, NaN]);
    expectClose(tf.rsqrt(tensor1d([4, 0.25])), [0.5, 2]);
  });

  it('sign, floor, ceil and round (half to even, as tfjs)', () => {
    expectTensor(tf.sign(tensor1d([-3, 0, 2.5])), [3], 'float32', [-1, 0, 1]);
    expectTensor(tf.floor(tensor1d([-1.5, 1.5, 2])), [3], 'float32', [-2, 1, 2]);
    expectTensor(tf.ceil(tensor1d([-1.5, 1.5, 2])), [3], 'float32', [-1, 2, 2]);
    expectTensor(tf.round(tensor1d([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6])), [7], 'float32', [0, 2, 2, 0, -2, 2, 3]);
  });

  it('sign, floor, ceil and round have zero gradient', () => {
    for (const op of [tf.sign, tf.floor, tf.ceil, tf.round]) {
      const g = tf.grad((x: Tensor) => op(x))(tensor1d([0.3, -1.2]));
      expect(Array.from(g.dataSync())).toEqual([0, 0]);
    }
  });

  it('isNaN / isFinite / isInf return bool', () => {
    const x = tensor1d([1, NaN, Infinity, -Infinity]);
    expectTensor(tf.isNaN(x), [4], 'bool', [0, 1, 0, 0]);
    expectTensor(tf.isFinite(x), [4], 'bool', [1, 0, 0, 0]);
    expectTensor(tf.isInf(x), [4], 'bool', [0, 0, 1, 1]);
  });

  it('keeps int32 for abs/square/sign/neg and gives float32 for transcendental ops (as tfjs exp)', () => {
    const xi = tensor([1, -2, 3], [3], 'int32');
    expectTensor(tf.abs(xi), [3], 'int32', [1, 2, 3]);
    expectTensor(tf.square(xi), [3], 'int32', [1, 4, 9]);
    expectTensor(tf.sign(xi), [3], 'int32', [1, -1, 1]);
    expectTensor(tf.neg(xi), [3], 'int32', [-1, 2, -3]);
    expect(tf.exp(xi).dtype).toBe('float32');
  });

  it('abs gradient is sign(x), 0 at 0', () => {
    expect(
      Array.from(
        tf
          .grad((x: Tensor) => tf.abs(x))(tensor1d([-2, 0, 3]))
          .dataSync(),
      ),
    ).toEqual([-1, 0, 1]);
  });

  it('neg gradient', () => {
    checkGradients((x: Tensor) => tf.neg(x), [randomInput([3], 1)]);
  });
});

describe('clipByValue', () => {
  it('clips to [min, max] and keeps the dtype', () => {
    expectTensor(tf.clipByValue(tensor1d([-2, 0.5, 3]), 0, 1), [3], 'float32', [0, 0.5, 1]);
    expectTensor(tf.clipByValue(tensor([-2, 1, 3], [3], 'int32'), 0, 2), [3], 'int32', [0, 1, 2]);
  });

  it('gradient passes strictly inside and at the boundaries (as tfjs), zero outside', () => {
    checkGradients((x: Tensor) => tf.clipByValue(x, -0.5, 0.5), [tensor1d([-0.9, -0.2, 0.1, 0.3, 0.8])]);
    const g = tf.grad((x: Tensor) => tf.clipByValue(x, 0, 1))(tensor1d([0, 0.5, 1, 2]));
    expect(Array.from(g.dataSync())).toEqual([1, 1, 1, 0]);
  });

  it('rejects min > max', () => {
    expect(() => tf.clipByValue(tensor1d([1]), 2, 1)).toThrow(
      /clipByValue: clipValueMin \(2\) must be less than or equal to clipValueMax \(1\)/,
    );
  });
});

describe('step', () => {
  it('1 above 0, alpha elsewhere', () => {
    expectClose(tf.step(tensor1d([-1, 0, 2]), 0.3), [0.3, 0.3, 1]);
  });
});
