/**
 * Edge cases of the 2-D window layers against tfjs 4.22 (cpu): 'same' padding with even kernels and strides larger
 * than the kernel (where the padding is split unevenly), pooling with strides larger than the pool, a 1×1 image,
 * and max pooling over tied values (zeros after a ReLU: the gradient goes to one element per window, as tfjs's).
 */
import * as tf from '@tensorflow/tfjs';
import { randomNormal, relu, tensor } from '@recurrent/core';
import { AveragePooling2D, Conv2D, MaxPooling2D, resetNameCounters } from '@recurrent/layers';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';

/* eslint-disable @typescript-eslint/no-explicit-any */

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

const SHAPES = [
  [2, 8, 7, 2],
  [2, 9, 10, 1],
  [1, 1, 1, 2],
];
const POOLS: Array<Record<string, unknown>> = [
  { poolSize: 2, strides: 3, padding: 'same' },
  { poolSize: [2, 1], strides: [3, 4], padding: 'same' },
  { poolSize: 4, strides: 2, padding: 'same' },
  { poolSize: 2, strides: 2, padding: 'same' },
];
const CONVS: Array<Record<string, unknown>> = [
  { filters: 2, kernelSize: 4, strides: 3, padding: 'same' },
  { filters: 2, kernelSize: [2, 4], strides: [2, 3], padding: 'same' },
  { filters: 2, kernelSize: 2, strides: 1, padding: 'same' },
  { filters: 2, kernelSize: 3, strides: 4, padding: 'same' },
  { filters: 2, kernelSize: 1, strides: 3, padding: 'valid' },
];

describe.each(SHAPES)('input [%i, %i, %i, %i] against tfjs', (...shape) => {
  const x = () => randomNormal(shape, 0, 1, 'float32', 5);
  it.each(POOLS.map((p) => [JSON.stringify(p), p]))('MaxPooling2D %s: values and input gradients', (_t, v) => {
    expectTfjsParity(new MaxPooling2D(v), tf.layers.maxPooling2d(v as any), x());
  });
  it.each(POOLS.map((p) => [JSON.stringify(p), p]))('AveragePooling2D %s: values', (_t, v) => {
    // tfjs's avgPool gradient divides 'same' windows by the full window size: values only (see pooling2d.test.ts).
    expectTfjsParity(new AveragePooling2D(v), tf.layers.averagePooling2d(v as any), x(), { gradients: false });
  });
  it.each(CONVS.map((c) => [JSON.stringify(c), c]))('Conv2D %s: values, input and weight gradients', (_t, v) => {
    const args = { ...v, biasInitializer: 'randomNormal' } as any;
    expectTfjsParity(new Conv2D(args), tf.layers.conv2d(args), x());
  });
});

describe('pooling with strides larger than the pool, valid padding', () => {
  it.each([
    [{ poolSize: 2, strides: 3 }, [2, 8, 7, 2]],
    [{ poolSize: [1, 2], strides: [4, 3] }, [2, 9, 10, 1]],
  ] as const)('%j on %j', (v, shape) => {
    const x = randomNormal(shape as unknown as number[], 0, 1, 'float32', 9);
    expectTfjsParity(new MaxPooling2D({ ...v, padding: 'valid' } as any), tf.layers.maxPooling2d({ ...v, padding: 'valid' } as any), x);
    expectTfjsParity(
      new AveragePooling2D({ ...v, padding: 'valid' } as any),
      tf.layers.averagePooling2d({ ...v, padding: 'valid' } as any),
      x,
    );
  });
});

describe('max pooling over tied values', () => {
  it.each([
    { poolSize: 2, padding: 'valid' },
    { poolSize: 3, strides: 2, padding: 'same' },
  ])('%j: ReLU zeros and repeated maxima', (v) => {
    const base = randomNormal([2, 6, 5, 2], 0, 1, 'float32', 13);
    // Half the values are 0 after the ReLU, and a few windows hold the same positive value twice.
    const vals = Array.from(relu(base).dataSync());
    vals[0] = vals[1] = vals[10] = vals[11] = 0.75;
    expectTfjsParity(new MaxPooling2D(v as any), tf.layers.maxPooling2d(v as any), tensor(vals, [2, 6, 5, 2]));
  });
});

describe("an image with no rows or cols under 'same' padding", () => {
  it("is refused naming the empty axis (the message blamed a window larger than the input with 'valid' padding)", () => {
    const empty = tensor(new Float32Array(0), [1, 0, 4, 1]);
    expect(() => new MaxPooling2D({ padding: 'same', name: 'mp' }).apply(empty)).toThrow(
      /^Layer mp: the input has 0 rows; 'same' padding needs at least one \(input shape \[1,0,4,1\]\)\.$/,
    );
    expect(() =>
      new Conv2D({ filters: 1, kernelSize: 2, padding: 'same', name: 'cv' }).apply(tensor(new Float32Array(0), [1, 3, 0, 1])),
    ).toThrow(/^Layer cv: the input has 0 cols; 'same' padding needs at least one \(input shape \[1,3,0,1\]\)\.$/);
    // 'valid' keeps its message.
    expect(() => new AveragePooling2D({ poolSize: 5, name: 'ap' }).apply(randomNormal([1, 4, 4, 1]))).toThrow(
      /^Layer ap: the window 5x5 \(kernel 5x5, dilation 1x1\) is larger than the input's rows x cols with 'valid' padding/,
    );
  });
});
