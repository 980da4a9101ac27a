/**
 * Gradient checks the op tests did not have (session 7 audit): finite differences for the branches of norm,
 * cumsum, pow, where, gather, topk and the piecewise-constant ops; hand/tfjs values where finite differences are
 * ill-posed (max-pool ties); int inputs refused by the gradient functions.
 */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { Tensor, tensor, tensor1d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

/** Seeded values with |v| in [0.2, 1.2): away from the kink of abs at 0 (finite differences use eps = 1e-2). */
function awayFromZero(shape: number[], seed: number): Tensor {
  const u = randomInput(shape, seed, -1, 1).dataSync();
  return tensor(
    Float32Array.from(u, (v) => Math.sign(v || 1) * (0.2 + Math.abs(v))),
    shape,
    'float32',
  );
}

describe('norm: gradients of every ord (vector and matrix), finite differences', () => {
  const x = awayFromZero([3, 4], 1);
  const cases: Array<[string, number | 'euclidean' | 'fro', number | number[] | null, boolean]> = [
    ['ord 1 over all', 1, null, false],
    ['ord 2 over axis 0', 2, 0, false],
    ['ord Infinity over axis 1', Infinity, 1, false],
    ['ord -Infinity over axis 1, keepDims', -Infinity, 1, true],
    ['ord 3 over axis 1', 3, 1, false],
    ['ord 0.5 over axis 0', 0.5, 0, false],
    ["'fro' over [0, 1]", 'fro', [0, 1], false],
    ['matrix ord 1 over [0, 1]', 1, [0, 1], false],
    ['matrix ord Infinity over [1, 0], keepDims', Infinity, [1, 0], true],
    ['matrix ord -Infinity over [0, 1]', -Infinity, [0, 1], false],
  ];
  it.each(cases)('%s', (_, ord, axis, keepDims) => {
    checkGradients((a) => tf.norm(a, ord, axis, keepDims), [x]);
  });
  it('matrix norms over the last two axes of a batch', () => {
    checkGradients((a) => tf.norm(a, 1, [-2, -1]), [awayFromZero([2, 3, 2], 2)]);
  });
});

describe('cumsum: every combination of exclusive / reverse and a middle axis, finite differences', () => {
  it.each([
    [1, false, false],
    [-1, true, true],
    [1, true, false],
    [1, false, true],
  ] as Array<[number, boolean, boolean]>)('rank 3, axis %s, exclusive %s, reverse %s', (axis, exclusive, reverse) => {
    checkGradients((a) => tf.cumsum(a, axis, exclusive, reverse), [randomInput([2, 3, 2], 3)]);
  });
});

describe('pow: negative bases and zero exponents', () => {
  it('the base gradient for a negative base with integer exponents (and exponent 0) by finite differences', () => {
    const e = tensor1d([2, 3, 0, 1]);
    checkGradients((a) => tf.pow(a, e), [tensor1d([-1.3, -0.7, -2, -0.4])]);
  });
  it('a scalar exponent broadcasts; both gradients by finite differences', () => {
    checkGradients(tf.pow, [randomInput([2, 3], 4, 0.5, 2), tensor(1.7)]);
  });
});

describe('piecewise-constant ops: zero gradient, as finite differences away from the jumps', () => {
  it('floorDiv (both inputs), step, sign, floor, ceil, round', () => {
    checkGradients(tf.floorDiv, [tensor1d([5.3, -2.2, 7.9]), tensor1d([3.1, 1.5, 2.5])]);
    const x = tensor1d([-1.3, -0.6, 0.2, 0.7, 1.2, 2.4]);
    checkGradients((a) => tf.step(a, 0.1), [x]);
    for (const op of [tf.sign, tf.floor, tf.ceil, tf.round]) checkGradients((a) => op(a), [x]);
  });
});

describe('where: the condition broadcasts too', () => {
  it('condition [3] against a [2, 3] and b [2, 1]: gradients by finite differences', () => {
    const cond = tensor([true, false, true], [3], 'bool');
    checkGradients((a, b) => tf.where(cond, a, b), [randomInput([2, 3], 5), randomInput([2, 1], 6)]);
  });
  it('condition [2, 1] broadcast against a scalar a and b [3]', () => {
    const cond = tensor([true, false], [2, 1], 'bool');
    checkGradients((a, b) => tf.where(cond, a, b), [tensor(0.4), randomInput([3], 7)]);
  });
});

describe('gather and topk', () => {
  it('gather on the last axis (negative) with repeated indices; gather of a rank-2 index', () => {
    const ids = tensor([2, 0, 2], [3], 'int32');
    checkGradients((a) => tf.gather(a, ids, -1), [randomInput([2, 2, 3], 8)]);
    checkGradients((a) => tf.gather(a, tensor([1, 1, 0, 2], [2, 2], 'int32')), [randomInput([3, 2], 9)]);
  });
  it('topk unsorted and k = n', () => {
    checkGradients((a) => tf.topk(a, 3, false).values, [randomInput([2, 4], 10)]);
    checkGradients((a) => tf.topk(a, 4).values, [randomInput([2, 4], 11)]);
  });
});

describe('maxPool1d: ties (finite differences are ill-posed there), against tfjs', () => {
  it('the gradient goes to the first maximum of each window, as tfjs', () => {
    const v = [1, 3, 3, 2, 2, 0, 5, 5];
    const x = tensor(v, [1, 8, 1]);
    for (const [size, stride, pad] of [
      [2, 1, 'valid'],
      [3, 2, 'same'],
    ] as Array<[number, number, 'valid' | 'same']>) {
      const ours = tf.grad((a: Tensor) => tf.maxPool1d(a, size, stride, pad))(x);
      const theirs = tfjs.grad((a: tfjs.Tensor) => tfjs.maxPool(a as tfjs.Tensor4D, [1, size], [1, stride], pad))(
        tfjs.tensor(v, [1, 1, 8, 1]),
      );
      expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    }
  });
});

describe('int inputs are refused by the gradient functions (not silently differentiated)', () => {
  it('grad and grads name the argument and its dtype', () => {
    const i = tensor([1, 2], [2], 'int32');
    expect(() => tf.grad((a: Tensor) => tf.sum(a))(i)).toThrow('gradients need float32 inputs; argument 0 is int32.');
    expect(() => tf.grads((a: Tensor, b: Tensor) => tf.add(a, b))([tensor1d([1, 2]), i])).toThrow(
      'gradients need float32 inputs; argument 1 is int32.',
    );
  });
  it('an int index or bool condition closed over gets no gradient, and the float inputs still do', () => {
    const [g] = tf.grads((a: Tensor) => tf.gather(a, tensor([1], [1], 'int32')))([tensor1d([1, 2])]);
    expect(Array.from(g.dataSync())).toEqual([0, 1]);
    const [ga, gb] = tf.grads((a: Tensor, b: Tensor) => tf.where(tensor([true, false], [2], 'bool'), a, b))([
      tensor1d([1, 2]),
      tensor1d([3, 4]),
    ]);
    expect([Array.from(ga.dataSync()), Array.from(gb.dataSync())]).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });
});

describe('gradients at the kinks (finite differences are ill-posed there): the conventions, with their sources', () => {
  const at = (op: (a: Tensor) => Tensor, xs: number[]) => Array.from(tf.grad(op)(tensor1d(xs)).dataSync());
  it('relu6 is 0 at 0 and at 6 (TensorFlow tf.nn.relu6: [0, 0, 1, 0]; tf.relu6 of tfjs gives 1 at 6)', () => {
    expect(at(tf.relu6, [0, 6, 3, 7])).toEqual([0, 0, 1, 0]);
  });
  it('hardSigmoid is 0 at ±2.5 and 0.2 strictly inside (tfjs-layers passes 0.2 at the corners)', () => {
    expect(at(tf.hardSigmoid, [-2.5, 2.5, 0, 3]).map((v) => Math.fround(v))).toEqual([0, 0, Math.fround(0.2), 0]);
  });
  it('relu, leakyRelu and prelu take the negative side at 0 (as tfjs and TensorFlow)', () => {
    expect(at(tf.relu, [0])).toEqual([0]);
    expect(at((a) => tf.leakyRelu(a, 0.25), [0])).toEqual([0.25]);
    expect(at((a) => tf.prelu(a, tensor1d([0.5])), [0])).toEqual([0.5]);
  });
});

describe('max/min reductions at ties (as tfjs; TensorFlow splits evenly: see the tfjs note in reduction.ts)', () => {
  it('every tied element gets the whole gradient, against tfjs', () => {
    const v = [1, 3, 3, -2, -2, 0];
    const x = tensor(v, [2, 3]);
    for (const [ours, theirs] of [
      [(a: Tensor) => tf.max(a, 1), (a: tfjs.Tensor) => tfjs.max(a, 1)],
      [(a: Tensor) => tf.min(a), (a: tfjs.Tensor) => tfjs.min(a)],
    ] as Array<[(a: Tensor) => Tensor, (a: tfjs.Tensor) => tfjs.Tensor]>) {
      const g = Array.from(tf.grad(ours)(x).dataSync());
      expect(g).toEqual(
        Array.from(
          tfjs
            .grad(theirs)(tfjs.tensor(v, [2, 3]))
            .dataSync(),
        ),
      );
    }
  });
});
