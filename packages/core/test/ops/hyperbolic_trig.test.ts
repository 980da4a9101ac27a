/** sinh, cosh, asin, acos, atan, asinh, acosh, atanh, erf: values against tfjs (cpu), gradients by finite differences. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { Tensor } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

type Case = [string, (x: Tensor) => Tensor, (x: tfjs.Tensor) => tfjs.Tensor, number[]];
// Inputs inside each domain plus its edges (±1 for asin/acos/atanh, 1 for acosh) and values outside it (NaN).
const cases: Case[] = [
  ['sinh', tf.sinh, tfjs.sinh, [-3, -0.5, 0, 0.25, 2, 10]],
  ['cosh', tf.cosh, tfjs.cosh, [-3, -0.5, 0, 0.25, 2, 10]],
  ['asin', tf.asin, tfjs.asin, [-1, -0.5, 0, 0.3, 1, 1.5]],
  ['acos', tf.acos, tfjs.acos, [-1, -0.5, 0, 0.3, 1, 1.5]],
  ['atan', tf.atan, tfjs.atan, [-100, -1, 0, 0.3, 2, 1e6]],
  ['asinh', tf.asinh, tfjs.asinh, [-100, -1, 0, 0.3, 2, 1e6]],
  ['acosh', tf.acosh, tfjs.acosh, [0.5, 1, 1.5, 2, 10, 1e6]],
  ['atanh', tf.atanh, tfjs.atanh, [-1, -0.5, 0, 0.3, 1, 1.5]],
  ['erf', tf.erf, tfjs.erf, [-3, -0.5, 0, 0.01, 0.7, 1, 2, 5]],
];

describe.each(cases)('%s', (name, ours, theirs, values) => {
  it('matches tfjs on float32 values (edges and outside the domain included), shape [2, n/2] and empty', () => {
    const shape = [2, values.length / 2];
    const got = ours(tf.tensor(values, shape));
    expect(got.shape).toEqual(shape);
    expect(got.dtype).toBe('float32');
    expectClose(got, Array.from(theirs(tfjs.tensor(values, shape)).dataSync()), 2e-6);
    expect(ours(tf.tensor([], [0, 3])).shape).toEqual([0, 3]);
  });
  it('gradient by finite differences inside the domain', () => {
    const x = name === 'acosh' ? randomInput([2, 3], 3, 1.2, 3) : randomInput([2, 3], 3, -0.8, 0.8);
    checkGradients((a) => ours(a), [x]);
  });
});

describe('dtypes', () => {
  it('int32 input gives float32 (tfjs note: tfjs keeps int32 and truncates for sinh/cosh/..., except erf)', () => {
    const y = tf.sinh(tf.tensor([1, 2], [2], 'int32'));
    expect(y.dtype).toBe('float32');
    expectClose(y, [Math.sinh(1), Math.sinh(2)]);
    // tfjs's erf of int32 is float32 too; both agree there.
    expectClose(tf.erf(tf.tensor([1, -2], [2], 'int32')), Array.from(tfjs.erf(tfjs.tensor1d([1, -2], 'int32')).dataSync()), 2e-6);
  });
  it('erf against float64 values (Abramowitz & Stegun approximation within 2e-7)', () => {
    // erf(0.5), erf(1), erf(2) to 10 digits (standard tables).
    expectClose(tf.erf(tf.tensor1d([0.5, 1, 2])), [0.5204998778, 0.8427007929, 0.995322265], 3e-7);
  });
});
