import * as tf from '../../src';
import { Tensor, tensor, tensor1d, tensor2d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectTensor } from './util';

const m = tensor2d([
  [1, 2, 3],
  [4, 5, 6],
]);
const r3 = () => tf.reshape(tf.range(0, 24), [2, 3, 4]);

describe('reshape / expandDims / squeeze', () => {
  it('reshape with -1 and its gradient', () => {
    expectTensor(tf.reshape(m, [3, -1]), [3, 2], 'float32', [1, 2, 3, 4, 5, 6]);
    checkGradients((a: Tensor) => tf.reshape(a, [3, 2]), [randomInput([2, 3], 1)]);
  });

  it('reshape size mismatch names the op and both shapes', () => {
    expect(() => tf.reshape(m, [4, 2])).toThrow(/reshape: cannot reshape a tensor of shape \[2,3\] \(size 6\) into shape \[4,2\]/);
    expect(() => tf.reshape(m, [4, -1])).toThrow(/reshape: cannot reshape a tensor of shape \[2,3\].*\[4,-1\]/);
  });

  it('expandDims at the front, middle, end and negative axes', () => {
    expect(tf.expandDims(m).shape).toEqual([1, 2, 3]);
    expect(tf.expandDims(m, 1).shape).toEqual([2, 1, 3]);
    expect(tf.expandDims(m, 2).shape).toEqual([2, 3, 1]);
    expect(tf.expandDims(m, -1).shape).toEqual([2, 3, 1]);
    expect(() => tf.expandDims(m, 3)).toThrow(/expandDims: axis 3 must be in \[-3, 2\] for x with shape \[2,3\]/);
    checkGradients((a: Tensor) => tf.expandDims(a, 1), [randomInput([2, 3], 2)]);
  });

  it('squeeze all or listed size-1 axes', () => {
    expect(tf.squeeze(tf.zeros([1, 2, 1, 3])).shape).toEqual([2, 3]);
    expect(tf.squeeze(tf.zeros([1, 2, 1, 3]), [2]).shape).toEqual([1, 2, 3]);
    expect(tf.squeeze(tf.zeros([1, 2, 1]), -1).shape).toEqual([1, 2]);
    expect(() => tf.squeeze(tf.zeros([1, 2]), 1)).toThrow(/squeeze: cannot squeeze axis 1 of x with shape \[1,2\]: its size is 2/);
    checkGradients((a: Tensor) => tf.squeeze(a), [randomInput([1, 3, 1], 3)]);
  });
});

describe('transpose', () => {
  it('default reverses the axes', () => {
    expectTensor(tf.transpose(m), [3, 2], 'float32', [1, 4, 2, 5, 3, 6]);
  });

  it('rank 3 with a permutation: out[i,j,k] = x[perm...]', () => {
    const x = r3(); // v = 12a + 4b + c at [a, b, c]
    const y = tf.transpose(x, [2, 0, 1]); // y[c, a, b] = x[a, b, c]
    expect(y.shape).toEqual([4, 2, 3]);
    const ya = y.arraySync() as number[][][];
    for (let c = 0; c < 4; c++) for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) expect(ya[c][a][b]).toBe(12 * a + 4 * b + c);
  });

  it('keeps int32 and bool', () => {
    expectTensor(tf.transpose(tensor([[1, 2]], [1, 2], 'int32')), [2, 1], 'int32', [1, 2]);
  });

  it('gradients', () => {
    checkGradients((a: Tensor) => tf.transpose(a), [randomInput([2, 3], 4)]);
    checkGradients((a: Tensor) => tf.transpose(a, [1, 2, 0]), [randomInput([2, 3, 4], 5)]);
  });

  it('bad perm names the op and shapes', () => {
    expect(() => tf.transpose(m, [0])).toThrow(/transpose: perm \[0\] must have length equal to the rank of x \(shape \[2,3\], rank 2\)/);
    expect(() => tf.transpose(m, [0, 0])).toThrow(/transpose: perm \[0,0\] is not a permutation/);
  });

  it("PyTorch's x.transpose(dim0, dim1) (a number where perm goes) is refused with the permutation to write", () => {
    const x3 = tensor(new Float32Array(6), [1, 2, 3], 'float32');
    const msg =
      /transpose: perm must be an array of axes \(a permutation of 0\.\.2, e\.g\. \[0, 2, 1\]\), received the number 1; PyTorch's x\.transpose\(dim0, dim1\), which swaps two axes, is written transpose\(x, perm\) with the full permutation here/;
    expect(() => (x3 as unknown as { transpose(a: number, b: number): Tensor }).transpose(1, 2)).toThrow(msg);
    expect(() => (tf.transpose as unknown as (x: Tensor, a: number, b: number) => Tensor)(x3, 1, 2)).toThrow(msg);
  });
});

describe('slice', () => {
  it('begin/size, size -1 to the end, number begin for rank 1, short begin', () => {
    expectTensor(tf.slice(m, [0, 1], [2, 2]), [2, 2], 'float32', [2, 3, 5, 6]);
    expectTensor(tf.slice(m, [1, 0], [-1, 2]), [1, 2], 'float32', [4, 5]);
    expectTensor(tf.slice(tensor1d([1, 2, 3, 4]), 1, 2), [2], 'float32', [2, 3]);
    expectTensor(tf.slice(tensor1d([1, 2, 3, 4]), 2), [2], 'float32', [3, 4]);
    expectTensor(tf.slice(m, [1]), [1, 3], 'float32', [4, 5, 6]);
  });

  it('out of bounds names the op and shape', () => {
    expect(() => tf.slice(m, [1, 2], [2, 1])).toThrow(/slice: begin \[1,2\] and size \[2,1\] are out of bounds for x with shape \[2,3\]/);
    expect(() => tf.slice(m, [0, 0, 0])).toThrow(/slice: begin \[0,0,0\] has more entries than the rank of x \(shape \[2,3\]\)/);
  });

  it('gradient scatters into zeros', () => {
    checkGradients((a: Tensor) => tf.slice(a, [0, 1, 1], [2, 2, -1]), [randomInput([2, 3, 4], 6)]);
    const g = tf.grad((a: Tensor) => tf.slice(a, [1], [2]))(tensor1d([1, 2, 3, 4]));
    expect(Array.from(g.dataSync())).toEqual([0, 1, 1, 0]);
  });
});

describe('concat / stack / unstack / split', () => {
  it('concat along axes 0, 1 and -1', () => {
    expectTensor(tf.concat([tensor1d([1, 2]), tensor1d([3])]), [3], 'float32', [1, 2, 3]);
    expectTensor(tf.concat([m, tensor2d([[7, 8, 9]])]), [3, 3], 'float32', [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expectTensor(tf.concat([m, tensor2d([[7], [8]])], 1), [2, 4], 'float32', [1, 2, 3, 7, 4, 5, 6, 8]);
    expectTensor(tf.concat([m, m], -1), [2, 6], 'float32', [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
  });

  it('concat mixed dtypes upcast (as tfjs)', () => {
    expect(tf.concat([tensor([1], [1], 'int32'), tensor1d([0.5])]).dtype).toBe('float32');
  });

  it('concat mismatch names the op and both shapes', () => {
    expect(() => tf.concat([m, tf.zeros([2, 2])], 0)).toThrow(
      /concat: all dimensions except the concatenation axis 0 must match, but tensors\[0\] has shape \[2,3\] and tensors\[1\] has shape \[2,2\]/,
    );
    expect(() => tf.concat([m, tf.zeros([2])], 1)).toThrow(/concat: .*\[2,3\].*\[2\]/);
    expect(() => tf.concat([])).toThrow(/concat: tensors must be a non-empty array/);
  });

  it('concat gradients along each axis', () => {
    const a = randomInput([2, 3, 2], 7);
    checkGradients((x: Tensor, y: Tensor) => tf.concat([x, y], 0), [a, randomInput([1, 3, 2], 8)]);
    checkGradients((x: Tensor, y: Tensor) => tf.concat([x, y], 1), [a, randomInput([2, 1, 2], 9)]);
    checkGradients((x: Tensor, y: Tensor, z: Tensor) => tf.concat([x, y, z], 2), [a, randomInput([2, 3, 1], 10), a]);
  });

  it('stack along a new axis, and its gradient', () => {
    expectTensor(tf.stack([tensor1d([1, 2]), tensor1d([3, 4])]), [2, 2], 'float32', [1, 2, 3, 4]);
    expectTensor(tf.stack([tensor1d([1, 2]), tensor1d([3, 4])], 1), [2, 2], 'float32', [1, 3, 2, 4]);
    checkGradients((x: Tensor, y: Tensor) => tf.stack([x, y], 1), [randomInput([2, 3], 11), randomInput([2, 3], 12)]);
    expect(() => tf.stack([tensor1d([1]), tensor1d([1, 2])])).toThrow(
      /stack: all tensors must have the same shape, but tensors\[0\] has shape \[1\] and tensors\[1\] has shape \[2\]/,
    );
  });

  it('unstack along an axis, and its gradient', () => {
    const parts = tf.unstack(m, 1);
    expect(parts.length).toBe(3);
    expectTensor(parts[2], [2], 'float32', [3, 6]);
    checkGradients((x: Tensor) => tf.unstack(x, 1)[1], [randomInput([2, 3, 2], 13)]);
  });

  it('split equally or by sizes (one -1)', () => {
    const x = tf.range(0, 6);
    expect(tf.split(x, 3).map((t) => Array.from(t.dataSync()))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(tf.split(x, [1, -1, 2]).map((t) => Array.from(t.dataSync()))).toEqual([[0], [1, 2, 3], [4, 5]]);
    expect(tf.split(m, [1, 2], 1).map((t) => t.shape)).toEqual([
      [2, 1],
      [2, 2],
    ]);
    expect(() => tf.split(x, 4)).toThrow(/split: number of splits 4 must evenly divide dimension 0 \(size 6\)/);
    expect(() => tf.split(x, [1, 2])).toThrow(/split: sizes \[1,2\] must add up to dimension 0 \(size 6\)/);
    checkGradients((a: Tensor) => tf.mul(tf.split(a, [1, 2], 1)[1], 2), [randomInput([2, 3], 14)]);
  });
});

describe('reverse / tile / pad / broadcastTo', () => {
  it('reverse along one axis, several, or all', () => {
    expectTensor(tf.reverse(m, 1), [2, 3], 'float32', [3, 2, 1, 6, 5, 4]);
    expectTensor(tf.reverse(m, 0), [2, 3], 'float32', [4, 5, 6, 1, 2, 3]);
    expectTensor(tf.reverse(m), [2, 3], 'float32', [6, 5, 4, 3, 2, 1]);
    expectTensor(tf.reverse(m, [-1, 0]), [2, 3], 'float32', [6, 5, 4, 3, 2, 1]);
    checkGradients((a: Tensor) => tf.reverse(a, [0, 2]), [randomInput([2, 3, 2], 15)]);
  });

  it('tile repeats along each axis', () => {
    expectTensor(tf.tile(tensor1d([1, 2]), [3]), [6], 'float32', [1, 2, 1, 2, 1, 2]);
    expectTensor(
      tf.tile(
        tensor2d([
          [1, 2],
          [3, 4],
        ]),
        [2, 1],
      ),
      [4, 2],
      'float32',
      [1, 2, 3, 4, 1, 2, 3, 4],
    );
    expectTensor(tf.tile(tensor2d([[1, 2]]), [2, 2]), [2, 4], 'float32', [1, 2, 1, 2, 1, 2, 1, 2]);
    expect(() => tf.tile(m, [2])).toThrow(/tile: reps \[2\] must have one entry per dimension of x \(shape \[2,3\]\)/);
    checkGradients((a: Tensor) => tf.tile(a, [2, 1, 3]), [randomInput([2, 3, 2], 16)]);
  });

  it('pad with zeros or a constant', () => {
    expectTensor(tf.pad(tensor1d([1, 2]), [[1, 2]]), [5], 'float32', [0, 1, 2, 0, 0]);
    expectTensor(
      tf.pad(
        tensor2d([[1]]),
        [
          [1, 0],
          [0, 1],
        ],
        7,
      ),
      [2, 2],
      'float32',
      [7, 7, 1, 7],
    );
    expect(() => tf.pad(m, [[1, 1]])).toThrow(/pad: paddings must have one \[before, after\] pair per dimension of x \(shape \[2,3\]\)/);
    checkGradients(
      (a: Tensor) =>
        tf.pad(
          a,
          [
            [1, 0],
            [2, 1],
            [0, 3],
          ],
          0.5,
        ),
      [randomInput([2, 3, 2], 17)],
    );
  });

  it('broadcastTo and its gradient', () => {
    expectTensor(tf.broadcastTo(tensor1d([1, 2]), [2, 2]), [2, 2], 'float32', [1, 2, 1, 2]);
    expectTensor(tf.broadcastTo(tensor2d([[1], [2]]), [2, 3]), [2, 3], 'float32', [1, 1, 1, 2, 2, 2]);
    expect(() => tf.broadcastTo(tensor1d([1, 2]), [3])).toThrow(/broadcastTo: cannot broadcast shape \[2\] to shape \[3\]/);
    checkGradients((a: Tensor) => tf.broadcastTo(a, [2, 3, 4]), [randomInput([3, 1], 18)]);
  });
});
