/** basicLSTMCell and multiRNNCell against tfjs 4.22 (cpu) with the same weights; gradients by finite differences. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

const batch = 2;
const inputDim = 3;
const units = 4;
const raw = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const weights = (seed: number, inDim: number) => ({
  kernel: randomInput([inDim + units, 4 * units], seed),
  bias: randomInput([4 * units], seed + 1),
});
const theirs = (t: tf.Tensor): tfjs.Tensor2D => tfjs.tensor2d(raw(t), t.shape as [number, number]);

describe('basicLSTMCell', () => {
  const { kernel, bias } = weights(1, inputDim);
  const data = randomInput([batch, inputDim], 3);
  const c = randomInput([batch, units], 4);
  const h = randomInput([batch, units], 5);
  it("gives tfjs's [newC, newH] (gate order i, j, f, o; forget bias added)", () => {
    const [nc, nh] = tf.basicLSTMCell(1.0, kernel, bias, data, c, h);
    const [tc, th] = tfjs.basicLSTMCell(tfjs.scalar(1.0), theirs(kernel), tfjs.tensor1d(raw(bias)), theirs(data), theirs(c), theirs(h));
    expect(nc.shape).toEqual([batch, units]);
    expectClose(nc, Array.from(tc.dataSync()));
    expectClose(nh, Array.from(th.dataSync()));
  });
  it('gradients for every input by finite differences', () => {
    checkGradients((k, b, x, c0, h0) => tf.addN(tf.basicLSTMCell(0.5, k, b, x, c0, h0)), [kernel, bias, data, c, h]);
  });
  it('refuses a kernel of the wrong shape, naming the expected one', () => {
    expect(() => tf.basicLSTMCell(1, tf.zeros([6, 16]), bias, data, c, h)).toThrow(
      /basicLSTMCell: lstmKernel must be \[inputDim \+ units, 4 \* units\] = \[7,16\], received \[6,16\]/,
    );
    expect(() => tf.basicLSTMCell(1, kernel, tf.zeros([15]), data, c, h)).toThrow(
      /lstmBias must be \[4 \* units\] = \[16\], received \[15\]/,
    );
    expect(() => tf.basicLSTMCell(1, kernel, bias, data, tf.zeros([2, 3]), h)).toThrow(/basicLSTMCell: data must be .*c \[2,3\]/);
  });
});

describe('multiRNNCell', () => {
  it("two stacked cells give tfjs's states; gradients by finite differences", () => {
    const w1 = weights(10, inputDim);
    const w2 = weights(20, units);
    const data = randomInput([batch, inputDim], 30);
    const cs = [randomInput([batch, units], 31), randomInput([batch, units], 32)];
    const hs = [randomInput([batch, units], 33), randomInput([batch, units], 34)];
    const ours = tf.multiRNNCell(
      [(x, c, h) => tf.basicLSTMCell(1, w1.kernel, w1.bias, x, c, h), (x, c, h) => tf.basicLSTMCell(1, w2.kernel, w2.bias, x, c, h)],
      data,
      cs,
      hs,
    );
    const tw = [w1, w2].map((w) => ({ k: theirs(w.kernel), b: tfjs.tensor1d(raw(w.bias)) }));
    const ref = tfjs.multiRNNCell(
      tw.map(
        ({ k, b }) =>
          (x: tfjs.Tensor2D, c: tfjs.Tensor2D, h: tfjs.Tensor2D) =>
            tfjs.basicLSTMCell(1, k, b, x, c, h),
      ),
      theirs(data),
      cs.map(theirs),
      hs.map(theirs),
    );
    for (const side of [0, 1] as const) for (const l of [0, 1]) expectClose(ours[side][l], Array.from(ref[side][l].dataSync()));
    checkGradients(
      (x, k2) => {
        const [c2, h2] = tf.multiRNNCell(
          [(a, c, h) => tf.basicLSTMCell(1, w1.kernel, w1.bias, a, c, h), (a, c, h) => tf.basicLSTMCell(1, k2, w2.bias, a, c, h)],
          x,
          cs,
          hs,
        );
        return tf.addN([...c2, ...h2]);
      },
      [data, w2.kernel],
    );
  });
  it('refuses state lists of the wrong length', () => {
    const cell = (x: tf.Tensor, c: tf.Tensor, h: tf.Tensor): [tf.Tensor, tf.Tensor] => [c, h];
    expect(() => tf.multiRNNCell([cell, cell], tf.zeros([1, 2]), [tf.zeros([1, 2])], [tf.zeros([1, 2])])).toThrow(
      /multiRNNCell: c and h must be lists of 2 tensors \(one per cell\), received 1 and 1/,
    );
  });
});
