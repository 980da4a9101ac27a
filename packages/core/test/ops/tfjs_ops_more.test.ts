/**
 * addN, dropout, mirrorPad, diag, ensureShape, randomUniformInt, randomStandardNormal, rand, movingAverage,
 * enableProdMode / enableDebugMode and disposeVariables against tfjs 4.22 (cpu); gradients by finite differences.
 */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { NotImplementedError, ValueError } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

const vals = (t: tfjs.Tensor): number[] => Array.from(t.dataSync());

describe('addN', () => {
  it('sums as tfjs, and each input gets dy', () => {
    const a = [1, -2, 3, 0.5];
    const b = [4, 5, -6, 2];
    const c = [0.25, 1, 1, -1];
    expectClose(
      tf.addN([tf.tensor(a, [2, 2]), tf.tensor(b, [2, 2]), tf.tensor(c, [2, 2])]),
      vals(tfjs.addN([tfjs.tensor(a, [2, 2]), tfjs.tensor(b, [2, 2]), tfjs.tensor(c, [2, 2])])),
    );
    expectClose(tf.addN([tf.tensor1d(a)]), a);
    checkGradients((x, y, z) => tf.mul(tf.addN([x, y, z]), x), [randomInput([2, 3], 1), randomInput([2, 3], 2), randomInput([2, 3], 3)]);
  });
  it('refuses an empty list and mismatched shapes, naming them', () => {
    expect(() => tf.addN([])).toThrow(/addN: argument 'tensors' must be a non-empty list of tensors, received an empty list/);
    expect(() => tf.addN([tf.zeros([2]), tf.zeros([3])])).toThrow(/addN: .*\[2\] float32.*tensors\[1\] \[3\] float32/);
  });
});

describe('dropout', () => {
  it('keeps with scale 1/(1 − rate) or zeroes, at about rate, as tfjs; rate 0 is the identity', () => {
    const x = tf.ones([200, 50]);
    const y = tf.dropout(x, 0.3, undefined, 5);
    const v = Array.from(y.dataSync());
    expect(new Set(v.map((e) => e.toFixed(5)))).toEqual(new Set([(1 / 0.7).toFixed(5), '0.00000']));
    const theirs = vals(tfjs.dropout(tfjs.ones([200, 50]), 0.3, undefined, 5));
    expect(new Set(theirs.map((e) => e.toFixed(5)))).toEqual(new Set([(1 / 0.7).toFixed(5), '0.00000']));
    const dropped = v.filter((e) => e === 0).length / v.length;
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.03);
    expectClose(tf.dropout(tf.tensor1d([1, 2]), 0), [1, 2]);
  });
  it('noiseShape [batch, 1, features] drops the same features at every step (nulls take x sizes); seed repeats', () => {
    const y = tf.dropout(tf.ones([3, 4, 6]), 0.5, [3, 1, null], 9).arraySync() as number[][][];
    for (const row of y) for (const step of row) expect(step).toEqual(row[0]);
    expectClose(tf.dropout(tf.ones([3, 4, 6]), 0.5, [3, 1, 6], 9), y);
  });
  it('gradient: dy times the mask (finite differences with a fixed seed)', () => {
    checkGradients((x) => tf.dropout(x, 0.5, undefined, 3), [randomInput([4, 5], 4)]);
  });
  it('refuses rate outside [0, 1), a bad noiseShape, int32 x', () => {
    expect(() => tf.dropout(tf.ones([2]), 1)).toThrow(/dropout: rate must be a number in \[0, 1\), received 1/);
    expect(() => tf.dropout(tf.ones([2, 3]), 0.5, [2, 2])).toThrow(/dropout: noiseShape .*\[2,3\].*received \[2,2\]/);
    expect(() => tf.dropout(tf.ones([2], 'int32'), 0.5)).toThrow(ValueError);
  });
});

describe('mirrorPad', () => {
  const x = [1, 2, 3, 4, 5, 6];
  it.each(['reflect', 'symmetric'] as const)('%s values as tfjs (2-D, both sides)', (mode) => {
    const pads: Array<[number, number]> =
      mode === 'reflect'
        ? [
            [1, 1],
            [2, 1],
          ]
        : [
            [2, 1],
            [1, 3],
          ];
    const ours = tf.mirrorPad(tf.tensor(x, [2, 3]), pads, mode);
    const theirs = tfjs.mirrorPad(tfjs.tensor2d(x, [2, 3]), pads, mode);
    expect(ours.shape).toEqual(theirs.shape);
    expectClose(ours, vals(theirs));
    expectClose(
      tf.mirrorPad(
        tf.tensor(x, [1, 2, 3]),
        [
          [0, 0],
          [1, 1],
          [2, 0],
        ],
        mode,
      ),
      vals(
        tfjs.mirrorPad(
          tfjs.tensor3d(x, [1, 2, 3]),
          [
            [0, 0],
            [1, 1],
            [2, 0],
          ],
          mode,
        ),
      ),
    );
  });
  it('gradient by finite differences (tfjs note: tfjs keeps only dy centre)', () => {
    checkGradients(
      (t) =>
        tf.mirrorPad(
          t,
          [
            [1, 2],
            [2, 2],
          ],
          'reflect',
        ),
      [randomInput([3, 4], 5)],
    );
    checkGradients((t) => tf.mirrorPad(t, [[2, 1]], 'symmetric'), [randomInput([3], 6)]);
    const theirs = tfjs.grad((t: tfjs.Tensor) => tfjs.sum(tfjs.mirrorPad(t as tfjs.Tensor1D, [[1, 1]], 'reflect')))(
      tfjs.tensor1d([1, 2, 3]),
    );
    expect(vals(theirs)).toEqual([1, 1, 1]);
    expectClose(tf.grad((t: tf.Tensor) => tf.sum(tf.mirrorPad(t, [[1, 1]], 'reflect')))(tf.tensor1d([1, 2, 3])), [1, 3, 1]);
  });
  it('refuses too much padding and a bad mode', () => {
    expect(() => tf.mirrorPad(tf.ones([3]), [[3, 0]], 'reflect')).toThrow(
      /mirrorPad: paddings\[0\] must be two integers in \[0, 2\] for mode 'reflect' and x \[3\], received \[3,0\]/,
    );
    expect(() => tf.mirrorPad(tf.ones([3]), [[1, 0]], 'edge' as 'reflect')).toThrow(/mirrorPad: mode must be/);
    expect(() =>
      tf.mirrorPad(
        tf.ones([3]),
        [
          [1, 0],
          [1, 1],
        ],
        'reflect',
      ),
    ).toThrow(/one \[before, after\] pair/);
  });
});

describe('diag', () => {
  it('values and shape as tfjs for rank 1 and 2; gradient by finite differences', () => {
    expectClose(tf.diag(tf.tensor1d([1, 2, 3])), vals(tfjs.diag(tfjs.tensor1d([1, 2, 3]))));
    const ours = tf.diag(tf.tensor([1, 2, 3, 4], [2, 2]));
    const theirs = tfjs.diag(tfjs.tensor2d([1, 2, 3, 4], [2, 2]));
    expect(ours.shape).toEqual(theirs.shape);
    expectClose(ours, vals(theirs));
    checkGradients((t) => tf.diag(t), [randomInput([2, 3], 7)]);
  });
  it('refuses a scalar', () => {
    expect(() => tf.diag(tf.scalar(1))).toThrow(/diag: x must have rank 1 to 4, received shape \[\] \(rank 0\)/);
  });
});

describe('ensureShape', () => {
  it('returns x when the shape fits (null any size), throws naming both shapes as tfjs throws', () => {
    const x = tf.zeros([2, 5, 3]);
    expect(tf.ensureShape(x, [null, 5, 3])).toBe(x);
    expect(() => tfjs.ensureShape(tfjs.zeros([2, 5, 3]), [null, 4, 3] as unknown as number[])).toThrow();
    expect(() => tf.ensureShape(x, [null, 4, 3])).toThrow(/ensureShape: x has shape \[2,5,3\], .*expected shape \[null,4,3\]/);
    expect(() => tf.ensureShape(x, [2, 5])).toThrow(ValueError);
  });
});

describe('random makers', () => {
  it('randomUniformInt: int32 in [minval, maxval), every value reached, seed repeats (tfjs gives the same range)', () => {
    const t = tf.randomUniformInt([2000], -2, 3, 4);
    expect(t.dtype).toBe(tfjs.randomUniformInt([2], -2, 3, 4).dtype);
    expect([...new Set(t.dataSync())].sort((p, q) => p - q)).toEqual([-2, -1, 0, 1, 2]);
    expect(Array.from(tf.randomUniformInt([5], 0, 9, 1).dataSync())).toEqual(Array.from(tf.randomUniformInt([5], 0, 9, 1).dataSync()));
    expect(() => tf.randomUniformInt([2], 3, 3)).toThrow(/randomUniformInt: .*minval 3, maxval 3/);
  });
  it('randomStandardNormal: mean ≈ 0, sd ≈ 1, dtype as asked', () => {
    const v = Array.from(tf.randomStandardNormal([4000], 'float32', 2).dataSync());
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean)).toBeLessThan(0.06);
    expect(Math.abs(sd - 1)).toBeLessThan(0.06);
    expect(tf.randomStandardNormal([2], 'int32').dtype).toBe(tfjs.randomStandardNormal([2], 'int32').dtype);
  });
  it('rand: randFunction values in order, as tfjs', () => {
    let i = 0;
    let j = 0;
    expectClose(
      tf.rand([2, 3], () => i++ * 0.5),
      vals(tfjs.rand([2, 3], () => j++ * 0.5)),
    );
    expect(() => tf.rand([2], 3 as unknown as () => number)).toThrow(/rand: randFunction must be a function/);
  });
});

describe('movingAverage', () => {
  it('as tfjs with and without zero debias; gradient by finite differences', () => {
    const v = [1, 2, -1];
    const x = [3, -1, 0.5];
    expectClose(
      tf.movingAverage(tf.tensor1d(v), tf.tensor1d(x), 0.9, 3),
      vals(tfjs.movingAverage(tfjs.tensor1d(v), tfjs.tensor1d(x), 0.9, 3)),
    );
    expectClose(
      tf.movingAverage(tf.tensor1d(v), tf.tensor1d(x), 0.8, undefined, false),
      vals(tfjs.movingAverage(tfjs.tensor1d(v), tfjs.tensor1d(x), 0.8, undefined, false)),
    );
    checkGradients((a, b) => tf.movingAverage(a, b, 0.9, 2), [randomInput([3], 8), randomInput([3], 9)]);
  });
  it('refuses a missing step with zeroDebias and mismatched shapes', () => {
    expect(() => tf.movingAverage(tf.ones([2]), tf.ones([2]), 0.9)).toThrow(/movingAverage: step is required/);
    expect(() => tf.movingAverage(tf.ones([2]), tf.ones([3]), 0.9, 1)).toThrow(
      /movingAverage: v and x .*v \[2\] float32 and x \[3\] float32/,
    );
  });
});

describe('modes and disposeVariables', () => {
  it('enableProdMode is a no-op; enableDebugMode says it is not implemented', () => {
    expect(tf.enableProdMode()).toBeUndefined();
    expect(() => tf.enableDebugMode()).toThrow(NotImplementedError);
  });
  it('disposeVariables disposes every variable, as tfjs empties its registry', () => {
    const a = tf.variable(tf.zeros([2]), true, 'h8_dv_a');
    const b = tf.variable(tf.ones([2]), false, 'h8_dv_b');
    tf.disposeVariables();
    expect(a.isDisposed && b.isDisposed).toBe(true);
    expect(tf.findVariable('h8_dv_a')).toBeUndefined();
    expect(tf.registeredTrainableVariables()).toEqual([]);
    tf.variable(tf.zeros([1]), true, 'h8_dv_a');
    tfjs.variable(tfjs.zeros([2]));
    const before = tfjs.memory().numTensors;
    tfjs.disposeVariables();
    expect(tfjs.memory().numTensors).toBe(before - 1);
  });
});
