/** whereAsync, booleanMaskAsync, setdiff1dAsync, inTopKAsync against tfjs (cpu): edges, ties, empty; errors. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

async function same(ours: Promise<tf.Tensor>, theirs: Promise<tfjs.Tensor>, dtype?: string): Promise<void> {
  const t = await theirs;
  expectTensor(await ours, t.shape, dtype ?? t.dtype, Array.from(t.dataSync()));
}
const bools = (v: number[]): boolean[] => v.map((x) => x !== 0);

describe('whereAsync', () => {
  it.each([
    [
      [1, 0, 0, 1],
      [2, 2],
    ],
    [[0, 0, 0], [3]],
    [
      [1, 1, 0, 1, 0, 1, 1, 0],
      [2, 2, 2],
    ],
    [[], [0, 2]],
  ])('%j shape %j as tfjs', async (v, shape) => {
    await same(tf.whereAsync(tf.tensor(bools(v), shape, 'bool')), tfjs.whereAsync(tfjs.tensor(bools(v), shape, 'bool')));
  });
  it('a true scalar gives one empty coordinate row ([1, 0]), as tfjs', async () => {
    await same(tf.whereAsync(tf.scalar(true)), tfjs.whereAsync(tfjs.scalar(true, 'bool')));
    await same(tf.whereAsync(tf.scalar(false)), tfjs.whereAsync(tfjs.scalar(false, 'bool')));
  });
  it('rejects a non-bool condition', async () => {
    await expect(tf.whereAsync(tf.tensor1d([1, 0]))).rejects.toThrow(ValueError);
    await expect(tf.whereAsync(tf.tensor1d([1, 0]))).rejects.toThrow(
      /whereAsync: argument 'condition' must be a bool tensor, received float32/,
    );
  });
});

describe('booleanMaskAsync', () => {
  const x = Array.from({ length: 12 }, (_, i) => i);
  it.each([
    [[3, 4], [1, 0, 1], [3], 0],
    [[3, 4], [0, 1, 1, 0], [4], 1],
    [[2, 3, 2], [1, 0, 1, 1, 0, 0], [2, 3], 0],
    [[2, 3, 2], [1, 0, 0, 1, 1, 0], [3, 2], 1],
    [[3, 4], [0, 0, 0], [3], 0],
  ])('tensor %j, mask %j %j, axis %j as tfjs (float32, int32)', async (shape, mask, maskShape, axis) => {
    for (const dtype of ['float32', 'int32'] as const) {
      await same(
        tf.booleanMaskAsync(tf.tensor(x, shape, dtype), tf.tensor(bools(mask), maskShape, 'bool'), axis),
        tfjs.booleanMaskAsync(tfjs.tensor(x, shape, dtype), tfjs.tensor(bools(mask), maskShape, 'bool'), axis),
      );
    }
  });
  it('rejects a mask that does not cover the tensor', async () => {
    const f = (): Promise<tf.Tensor> => tf.booleanMaskAsync(tf.zeros([3, 4]), tf.tensor([true, false], [2], 'bool'));
    await expect(f()).rejects.toThrow(ValueError);
    await expect(f()).rejects.toThrow(
      /booleanMaskAsync: 'mask' shape \[2\] must equal dimensions 0..0 of 'tensor' \(shape \[3,4\]\), received \[3\]/,
    );
  });
});

describe('setdiff1dAsync', () => {
  it.each([
    [
      [1, 2, 3, 2, 4],
      [2, 5],
    ],
    [[1, 1], [1]],
    [[], [1]],
    [[3, 1], []],
  ])('x %j, y %j as tfjs (float32, int32)', async (a, b) => {
    for (const dtype of ['float32', 'int32'] as const) {
      const [to, ti] = await tfjs.setdiff1dAsync(tfjs.tensor(a, [a.length], dtype), tfjs.tensor(b, [b.length], dtype));
      const [oo, oi] = await tf.setdiff1dAsync(tf.tensor(a, [a.length], dtype), tf.tensor(b, [b.length], dtype));
      expectTensor(oo, to.shape, to.dtype, Array.from(to.dataSync()));
      expectTensor(oi, ti.shape, 'int32', Array.from(ti.dataSync()));
    }
  });
  it('rejects mismatched dtypes and non-1-D inputs', async () => {
    await expect(tf.setdiff1dAsync(tf.tensor([1], [1], 'int32'), tf.tensor1d([1.5]))).rejects.toThrow(
      /setdiff1dAsync: 'x' and 'y' must have the same dtype, received int32 and float32/,
    );
    await expect(tf.setdiff1dAsync(tf.zeros([2, 2]), tf.zeros([1]))).rejects.toThrow(/must be 1-D, received shapes \[2,2\] and \[1\]/);
  });
});

describe('inTopKAsync', () => {
  it.each([
    [[0.1, 0.9, 0.5, 0.3, 0.2, 0.8], [2, 3], [2, 0], 1],
    [[0.1, 0.9, 0.5, 0.3, 0.2, 0.8], [2, 3], [2, 0], 2],
    [[1, 1, 0, 2, 2, 2], [2, 3], [1, 2], 1],
    [[1, 1, 0, 2, 2, 2], [2, 3], [1, 2], 2],
    [[1, 1, 0, 2, 2, 2], [2, 3], [1, 2], 3],
    [[5, 1, 3, 4, 2, 0, 1, 1], [2, 2, 2], [0, 1, 0, 1], 1],
  ])('predictions %j %j, targets %j, k %j as tfjs (ties by index)', async (p, shape, targets, k) => {
    await same(
      tf.inTopKAsync(tf.tensor(p, shape), tf.tensor(targets, shape.slice(0, -1), 'int32'), k),
      tfjs.inTopKAsync(tfjs.tensor(p, shape), tfjs.tensor(targets, shape.slice(0, -1), 'int32'), k),
    );
  });
  it('rejects a bad k, out-of-range targets and mismatched shapes', async () => {
    const p = tf.zeros([2, 3]);
    await expect(tf.inTopKAsync(p, tf.tensor([0, 1], [2], 'int32'), 4)).rejects.toThrow(
      /inTopKAsync: argument 'k' must be an integer in \[1, 3\], received 4/,
    );
    await expect(tf.inTopKAsync(p, tf.tensor([0, 3], [2], 'int32'))).rejects.toThrow(
      /inTopKAsync: targets\[1\] = 3 is out of range, expected a class in \[0, 3\)/,
    );
    await expect(tf.inTopKAsync(p, tf.tensor([0, -1], [2], 'int32'))).rejects.toThrow(ValueError);
    await expect(tf.inTopKAsync(p, tf.tensor([0], [1], 'int32'))).rejects.toThrow(
      /'targets' must have the shape of 'predictions' without its last dimension, received predictions \[2,3\] and targets \[1\]/,
    );
  });
});
