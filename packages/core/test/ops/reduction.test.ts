import * as tf from '../../src';
import { Tensor, tensor, tensor1d, tensor2d, tensor3d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose, expectTensor } from './util';

const x = tensor2d([
  [1, 2, 3],
  [4, 5, 6],
]);

describe('reductions: forward values', () => {
  it('sum over all, one axis, negative axis, keepDims', () => {
    expectTensor(tf.sum(x), [], 'float32', [21]);
    expectTensor(tf.sum(x, 0), [3], 'float32', [5, 7, 9]);
    expectTensor(tf.sum(x, -1), [2], 'float32', [6, 15]);
    expectTensor(tf.sum(x, 1, true), [2, 1], 'float32', [6, 15]);
    expectTensor(tf.sum(x, [0, 1], true), [1, 1], 'float32', [21]);
    expectTensor(tf.sum(x, []), [2, 3], 'float32', [1, 2, 3, 4, 5, 6]);
  });

  it('sum over non-contiguous axes of a rank-3 tensor', () => {
    const t = tf.reshape(tf.range(0, 24), [2, 3, 4]);
    // Σ over axes 0 and 2 of v = 12i + 4j + k: for each j, Σ_i Σ_k = 2·4·4j + 4·(0+12) + 2·(0+1+2+3)
    expectTensor(
      tf.sum(t, [0, 2]),
      [3],
      'float32',
      [0, 1, 2].map((j) => 32 * j + 48 + 12),
    );
    expectTensor(tf.sum(t, [2, 0], true), [1, 3, 1], 'float32', [60, 92, 124]);
  });

  it('mean, max, min, prod', () => {
    expectTensor(tf.mean(x), [], 'float32', [3.5]);
    expectTensor(tf.mean(x, 1), [2], 'float32', [2, 5]);
    expectTensor(tf.max(x, 0), [3], 'float32', [4, 5, 6]);
    expectTensor(tf.min(x, 1, true), [2, 1], 'float32', [1, 4]);
    expectTensor(tf.prod(x, 1), [2], 'float32', [6, 120]);
    expectTensor(tf.prod(x), [], 'float32', [720]);
  });

  it('dtypes follow tfjs: int32 sum/max/prod stay int32, mean is float32, bool sums to int32', () => {
    const xi = tensor([1, -2, 3], [3], 'int32');
    expectTensor(tf.sum(xi), [], 'int32', [2]);
    expectTensor(tf.max(xi), [], 'int32', [3]);
    expectTensor(tf.prod(xi), [], 'int32', [-6]);
    expectClose(tf.mean(xi), [2 / 3]);
    expect(tf.mean(xi).dtype).toBe('float32');
    expectTensor(tf.sum(tensor([true, false, true])), [], 'int32', [2]);
  });

  it('logSumExp is log Σ exp, stable for large values', () => {
    expectClose(
      tf.logSumExp(
        tensor2d([
          [1, 2],
          [3, 4],
        ]),
        1,
        true,
      ),
      [[Math.log(Math.E + Math.E ** 2)], [Math.log(Math.E ** 3 + Math.E ** 4)]],
    );
    expectClose(tf.logSumExp(tensor1d([1000, 1000])), [1000 + Math.LN2]);
    expectClose(tf.logSumExp(tensor1d([-Infinity, -Infinity])), [-Infinity]);
  });

  it('all / any', () => {
    const b = tensor2d([
      [true, false],
      [true, true],
    ]);
    expectTensor(tf.all(b, 1), [2], 'bool', [0, 1]);
    expectTensor(tf.any(b, 1), [2], 'bool', [1, 1]);
    expectTensor(tf.all(b), [], 'bool', [0]);
  });

  it('argMax / argMin: default axis 0 (as tfjs), first index on ties, int32', () => {
    const t = tensor2d([
      [1, 9, 3],
      [7, 2, 9],
    ]);
    expectTensor(tf.argMax(t), [3], 'int32', [1, 0, 1]);
    expectTensor(tf.argMax(t, 1), [2], 'int32', [1, 2]);
    expectTensor(tf.argMin(t, -1), [2], 'int32', [0, 1]);
    expectTensor(tf.argMax(tensor1d([5, 5, 1])), [], 'int32', [0]);
  });

  it('moments gives the mean and the (biased) variance', () => {
    const { mean, variance } = tf.moments(x, 1);
    expectClose(mean, [2, 5]);
    expectClose(variance, [2 / 3, 2 / 3]);
    const k = tf.moments(x, 1, true);
    expect(k.mean.shape).toEqual([2, 1]);
    expect(k.variance.shape).toEqual([2, 1]);
  });

  it('axis out of range names the op', () => {
    expect(() => tf.sum(x, 2)).toThrow(/sum: axis 2 is out of range for a tensor of rank 2/);
    expect(() => tf.argMax(x, -3)).toThrow(/argMax: axis -3 is out of range/);
  });

  it('an axis named twice is refused (numpy raises; the sum over axis 0 of ones([2, 2]) is [2, 2], not 4 as tfjs gives)', () => {
    expect(() => tf.sum(tf.ones([2, 2]), [0, 0])).toThrow(/^sum: axis \[0, 0\] names an axis twice \(rank 2\)/);
    expect(() => tf.mean(tf.ones([2, 2]), [1, -1])).toThrow(/^mean: axis \[1, -1\] names an axis twice/);
    expect(Array.from(tf.sum(tf.ones([2, 2]), [0, -1]).dataSync())).toEqual([4]);
  });

  it('max / min over non-empty axes of an empty batch give an empty result (numpy; a batch of 0 in GlobalMaxPooling2D threw)', () => {
    // numpy: np.max(np.zeros((0, 4, 4, 2)), axis=(1, 2)).shape == (0, 2); only an empty reduced axis raises.
    expectTensor(tf.max(tf.zeros([0, 4, 4, 2]), [1, 2]), [0, 2], 'float32', []);
    expectTensor(tf.min(tf.zeros([0, 3]), 1, true), [0, 1], 'float32', []);
    const [g] = tf.grads((a: Tensor) => tf.sum(tf.max(a, [1, 2])))([tf.zeros([0, 4, 4, 2])]);
    expect(g.shape).toEqual([0, 4, 4, 2]);
    expect(() => tf.max(tf.zeros([2, 0]), 1)).toThrow(/^max: cannot reduce an empty tensor of shape \[2,0\]/);
    expect(() => tf.min(tf.zeros([0, 3]))).toThrow(/^min: cannot reduce an empty tensor of shape \[0,3\]/);
  });
});

describe('reductions: gradients', () => {
  const t3 = randomInput([2, 3, 4], 21);
  const axisCases: Array<[string, number | number[] | undefined, boolean]> = [
    ['all axes', undefined, false],
    ['axis 0', 0, false],
    ['axis -1 keepDims', -1, true],
    ['axes [0, 2] (non-contiguous)', [0, 2], false],
    ['axes [1, 2] keepDims', [1, 2], true],
  ];
  const ops: Array<[string, (x: Tensor, axis?: number | number[], keepDims?: boolean) => Tensor]> = [
    ['sum', tf.sum],
    ['mean', tf.mean],
    ['max', tf.max],
    ['min', tf.min],
    ['prod', tf.prod],
    ['logSumExp', tf.logSumExp],
  ];
  for (const [name, op] of ops) {
    it.each(axisCases)(`${name} over %s`, (_, axis, keepDims) => {
      const input = name === 'prod' ? randomInput([2, 3, 4], 22, 0.5, 1.5) : t3;
      checkGradients((a: Tensor) => op(a, axis, keepDims), [input]);
    });
  }

  it('max gradient goes to every tied maximum (as tfjs)', () => {
    expect(
      Array.from(
        tf
          .grad((a: Tensor) => tf.max(a))(tensor1d([3, 1, 3]))
          .dataSync(),
      ),
    ).toEqual([1, 0, 1]);
  });

  it('prod gradient is exact with zeros', () => {
    // d/dx_i Π x = Π_{j≠i} x_j
    expect(
      Array.from(
        tf
          .grad((a: Tensor) => tf.prod(a))(tensor1d([2, 0, 3]))
          .dataSync(),
      ),
    ).toEqual([0, 6, 0]);
    expect(
      Array.from(
        tf
          .grad((a: Tensor) => tf.prod(a))(tensor1d([0, 0, 3]))
          .dataSync(),
      ),
    ).toEqual([0, 0, 0]);
    expect(
      Array.from(
        tf
          .grad((a: Tensor) => tf.prod(a))(tensor1d([2, 4, 3]))
          .dataSync(),
      ),
    ).toEqual([12, 6, 8]);
  });

  it('moments gradients', () => {
    checkGradients((a: Tensor) => tf.moments(a, [0, 2]).variance, [t3]);
    checkGradients((a: Tensor) => tf.moments(a, -1, true).mean, [t3]);
  });

  it('works on rank 3 with tensor3d input', () => {
    expectTensor(
      tf.sum(
        tensor3d([
          [[1], [2]],
          [[3], [4]],
        ]),
        1,
      ),
      [2, 1],
      'float32',
      [3, 7],
    );
  });
});
