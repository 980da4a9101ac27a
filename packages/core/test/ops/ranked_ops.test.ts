/** reverse1d..4d, slice1d..4d, concat1d..4d, pad1d..4d, tensor5d, tensor6d: against tfjs, and their rank checks. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

const seq = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
function same(ours: tf.Tensor, theirs: tfjs.Tensor): void {
  expectTensor(ours, theirs.shape, theirs.dtype, Array.from(theirs.dataSync()));
}

describe('rank-checked wrappers against tfjs', () => {
  const shapes = [[4], [2, 3], [2, 3, 2], [2, 1, 2, 3]];
  it('reverseNd with default and explicit axes', () => {
    same(tf.reverse1d(tf.tensor(seq(4), [4])), tfjs.reverse1d(tfjs.tensor1d(seq(4))));
    same(tf.reverse2d(tf.tensor(seq(6), [2, 3]), 1), tfjs.reverse2d(tfjs.tensor2d(seq(6), [2, 3]), 1));
    same(tf.reverse3d(tf.tensor(seq(12), shapes[2])), tfjs.reverse3d(tfjs.tensor3d(seq(12), [2, 3, 2])));
    same(tf.reverse4d(tf.tensor(seq(12), shapes[3]), [0, 3]), tfjs.reverse4d(tfjs.tensor4d(seq(12), [2, 1, 2, 3]), [0, 3]));
  });
  it('sliceNd with size -1 and an empty slice', () => {
    same(tf.slice1d(tf.tensor(seq(4), [4]), 1, -1), tfjs.slice1d(tfjs.tensor1d(seq(4)), 1, -1));
    same(tf.slice1d(tf.tensor(seq(4), [4]), 2, 0), tfjs.slice1d(tfjs.tensor1d(seq(4)), 2, 0));
    same(tf.slice2d(tf.tensor(seq(6), [2, 3]), [1, 1], [1, 2]), tfjs.slice2d(tfjs.tensor2d(seq(6), [2, 3]), [1, 1], [1, 2]));
    same(
      tf.slice3d(tf.tensor(seq(12), [2, 3, 2]), [0, 2, 0], [-1, 1, -1]),
      tfjs.slice3d(tfjs.tensor3d(seq(12), [2, 3, 2]), [0, 2, 0], [-1, 1, -1]),
    );
    same(
      tf.slice4d(tf.tensor(seq(12), [2, 1, 2, 3]), [1, 0, 0, 1], [1, 1, 2, 2]),
      tfjs.slice4d(tfjs.tensor4d(seq(12), [2, 1, 2, 3]), [1, 0, 0, 1], [1, 1, 2, 2]),
    );
  });
  it('concatNd on each axis, int32 kept', () => {
    same(
      tf.concat1d([tf.tensor([1, 2], [2], 'int32'), tf.tensor([3], [1], 'int32')]),
      tfjs.concat1d([tfjs.tensor1d([1, 2], 'int32'), tfjs.tensor1d([3], 'int32')]),
    );
    same(
      tf.concat2d([tf.tensor(seq(6), [2, 3]), tf.tensor(seq(2), [2, 1])], 1),
      tfjs.concat2d([tfjs.tensor2d(seq(6), [2, 3]), tfjs.tensor2d(seq(2), [2, 1])], 1),
    );
    const a3 = seq(12);
    same(
      tf.concat3d([tf.tensor(a3, [2, 3, 2]), tf.tensor(a3, [2, 3, 2])], 2),
      tfjs.concat3d([tfjs.tensor3d(a3, [2, 3, 2]), tfjs.tensor3d(a3, [2, 3, 2])], 2),
    );
    same(
      tf.concat4d([tf.tensor(a3, [2, 1, 2, 3]), tf.tensor(a3, [2, 1, 2, 3])], 1),
      tfjs.concat4d([tfjs.tensor4d(a3, [2, 1, 2, 3]), tfjs.tensor4d(a3, [2, 1, 2, 3])], 1),
    );
  });
  it('padNd with a constant value', () => {
    same(tf.pad1d(tf.tensor(seq(3), [3]), [2, 1], 9), tfjs.pad1d(tfjs.tensor1d(seq(3)), [2, 1], 9));
    same(
      tf.pad2d(tf.tensor(seq(6), [2, 3]), [
        [1, 0],
        [0, 2],
      ]),
      tfjs.pad2d(tfjs.tensor2d(seq(6), [2, 3]), [
        [1, 0],
        [0, 2],
      ]),
    );
    same(
      tf.pad3d(
        tf.tensor(seq(12), [2, 3, 2]),
        [
          [0, 0],
          [2, 0],
          [0, 1],
        ],
        -1,
      ),
      tfjs.pad3d(
        tfjs.tensor3d(seq(12), [2, 3, 2]),
        [
          [0, 0],
          [2, 0],
          [0, 1],
        ],
        -1,
      ),
    );
    const p4: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 1],
      [1, 0],
      [0, 0],
      [1, 1],
    ];
    same(tf.pad4d(tf.tensor(seq(12), [2, 1, 2, 3]), p4), tfjs.pad4d(tfjs.tensor4d(seq(12), [2, 1, 2, 3]), p4));
  });
  it('tensor5d and tensor6d', () => {
    same(tf.tensor5d(seq(8), [1, 2, 1, 2, 2]), tfjs.tensor5d(seq(8), [1, 2, 1, 2, 2]));
    same(tf.tensor6d(seq(8), [1, 2, 1, 2, 2, 1], 'int32'), tfjs.tensor6d(seq(8), [1, 2, 1, 2, 2, 1], 'int32'));
    expect(() => tf.tensor5d(seq(8), [2, 2, 2])).toThrow(/tensor5d\(\) requires values of rank 5, received rank 3/);
  });
});

describe('rank errors name the op, the argument, the expected and the received rank', () => {
  it.each([
    ['reverse1d', () => tf.reverse1d(tf.zeros([2, 2])), /reverse1d: argument 'x' must have rank 1, received rank 2 \(shape \[2,2\]\)/],
    ['slice3d', () => tf.slice3d(tf.zeros([2, 2]), [0, 0, 0], [1, 1, 1]), /slice3d: argument 'x' must have rank 3, received rank 2/],
    [
      'concat2d',
      () => tf.concat2d([tf.zeros([2, 2]), tf.zeros([2])], 0),
      /concat2d: argument 'tensors\[1\]' must have rank 2, received rank 1/,
    ],
    [
      'pad4d',
      () =>
        tf.pad4d(tf.zeros([2]), [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ]),
      /pad4d: argument 'x' must have rank 4, received rank 1/,
    ],
  ])('%s', (_, f, message) => {
    expect(f).toThrow(ValueError);
    expect(f).toThrow(message);
  });
});
