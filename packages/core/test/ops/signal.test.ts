/** signal.hannWindow, signal.hammingWindow and signal.frame against tfjs 4.22 (cpu); frame's gradient by finite differences. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

const vals = (t: tfjs.Tensor): number[] => Array.from(t.dataSync());

describe('signal windows', () => {
  it.each([2, 5, 8, 400])('hann and hamming of length %i as tfjs (periodic even, symmetric odd)', (n) => {
    expectClose(tf.signal.hannWindow(n), vals(tfjs.signal.hannWindow(n)), 1e-6);
    expectClose(tf.signal.hammingWindow(n), vals(tfjs.signal.hammingWindow(n)), 1e-6);
  });
  it('a window of 1 sample is [1] (tfjs note: tfjs gives NaN); bad lengths are refused', () => {
    expect(vals(tfjs.signal.hannWindow(1))[0]).toBeNaN();
    expectClose(tf.signal.hannWindow(1), [1]);
    expect(() => tf.signal.hammingWindow(0)).toThrow(/signal.hammingWindow: windowLength must be a positive integer, received 0/);
  });
});

describe('signal.frame', () => {
  const x = Array.from({ length: 11 }, (_, i) => i * 0.5 - 2);
  it.each([
    [4, 2, false, 0],
    [4, 3, true, -1],
    [3, 5, true, 0],
    [11, 1, false, 0],
  ])('frameLength %i, frameStep %i, padEnd %s, padValue %i as tfjs', (len, step, padEnd, padValue) => {
    const ours = tf.signal.frame(tf.tensor1d(x), len, step, padEnd, padValue);
    const ref = tfjs.signal.frame(tfjs.tensor1d(x), len, step, padEnd, padValue);
    expect(ours.shape).toEqual(ref.shape);
    expectClose(ours, vals(ref));
  });
  it('no whole frame gives [0, frameLength] as tfjs; gradient by finite differences', () => {
    expect(tf.signal.frame(tf.tensor1d([1, 2]), 3, 1).shape).toEqual(tfjs.signal.frame(tfjs.tensor1d([1, 2]), 3, 1).shape);
    checkGradients((s) => tf.signal.frame(s, 4, 3, true, 0.5), [randomInput([10], 2)]);
  });
  it('refuses a 2-D signal and a zero step', () => {
    expect(() => tf.signal.frame(tf.zeros([2, 3]), 2, 1)).toThrow(/signal.frame: signal must be 1-D \[samples\], received shape \[2,3\]/);
    expect(() => tf.signal.frame(tf.zeros([5]), 2, 0)).toThrow(/signal.frame: frameStep must be a positive integer, received 0/);
  });
});
