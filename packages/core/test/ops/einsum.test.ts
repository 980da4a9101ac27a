/** einsum against tfjs (cpu) on the equations attention code writes; gradients by finite differences; refusals. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { NotImplementedError, ValueError } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

// [equation, operand shapes]
const cases: [string, number[][]][] = [
  [
    'bij,bjk->bik',
    [
      [2, 3, 4],
      [2, 4, 5],
    ],
  ],
  [
    'bhqd,bhkd->bhqk',
    [
      [2, 2, 3, 4],
      [2, 2, 5, 4],
    ],
  ],
  [
    'bhqk,bhkd->bhqd',
    [
      [2, 2, 3, 5],
      [2, 2, 5, 4],
    ],
  ],
  ['ij->ji', [[3, 4]]],
  ['i,i->', [[5], [5]]],
  [
    'ij,jk->ik',
    [
      [3, 4],
      [4, 2],
    ],
  ],
  ['i,j->ij', [[3], [2]]],
  ['ij->i', [[3, 4]]],
  ['bqd,d->bq', [[2, 3, 4], [4]]],
  [
    'ij,ij->ij',
    [
      [2, 3],
      [2, 3],
    ],
  ],
  [
    'ij,kj->ik',
    [
      [2, 3],
      [4, 3],
    ],
  ],
];

describe('einsum', () => {
  it.each(cases)('%s as tfjs', (equation, shapes) => {
    const values = shapes.map((s, k) => Array.from(randomInput(s, 10 + k).dataSync()));
    const theirs = tfjs.einsum(equation, ...values.map((v, k) => tfjs.tensor(v, shapes[k])));
    const ours = tf.einsum(equation, ...values.map((v, k) => tf.tensor(v, shapes[k])));
    expect(ours.shape).toEqual(theirs.shape);
    expectClose(ours, Array.from(theirs.dataSync()), 1e-5);
  });
  it("letters only in one operand and not in the output are summed, as numpy (tfjs note: tfjs's 'ij,j->' is wrong)", () => {
    // 'ij,j->' is Σ_ij a_ij b_j, a scalar; tfjs returns the shape-[2] column sums [40, 600] instead.
    expect(Array.from(tfjs.einsum('ij,j->', tfjs.tensor([1, 2, 3, 4], [2, 2]), tfjs.tensor1d([10, 100])).dataSync())).toEqual([40, 600]);
    const got = tf.einsum('ij,j->', tf.tensor([1, 2, 3, 4], [2, 2]), tf.tensor1d([10, 100]));
    expect(got.shape).toEqual([]);
    expectClose(got, [1 * 10 + 2 * 100 + 3 * 10 + 4 * 100]);
  });
  it.each(cases)('%s: gradients by finite differences', (equation, shapes) => {
    checkGradients(
      (...xs) => tf.einsum(equation, ...xs),
      shapes.map((s, k) => randomInput(s, 20 + k)),
    );
  });
  it('refuses what it does not implement with NotImplementedError naming the equation', () => {
    const x = tf.zeros([2, 2]);
    expect(() => tf.einsum('ii->i', x)).toThrow(NotImplementedError);
    expect(() => tf.einsum('ii->i', x)).toThrow(/einsum: equation 'ii->i' is not supported \(letter repeated within operand 0/);
    expect(() => tf.einsum('ij,jk', x, x)).toThrow(/einsum: equation 'ij,jk' is not supported \(the implicit form/);
    expect(() => tf.einsum('...ij->...ji', x)).toThrow(/einsum: equation '...ij->...ji' is not supported \(ellipsis/);
    expect(() => tf.einsum('i,i,i->', tf.zeros([2]), tf.zeros([2]), tf.zeros([2]))).toThrow(/more than two operands/);
  });
  it('refuses bad equations with ValueError', () => {
    const x = tf.zeros([2, 3]);
    expect(() => tf.einsum('ij,jk->ik', x, tf.zeros([4, 2]))).toThrow(ValueError);
    expect(() => tf.einsum('ij,jk->ik', x, tf.zeros([4, 2]))).toThrow(
      /einsum: letter 'j' of equation 'ij,jk->ik' has size 3 and 4 \(operand 1, shape \[4,2\]\)/,
    );
    expect(() => tf.einsum('ijk->ij', x)).toThrow(/operand 0 \('ijk'\) of equation 'ijk->ij' must have rank 3, received shape \[2,3\]/);
    expect(() => tf.einsum('ij->iz', x)).toThrow(/output letter 'z' of equation 'ij->iz' names no input axis/);
    expect(() => tf.einsum('ij,jk->ik', x)).toThrow(/names 2 operand\(s\), received 1 tensor\(s\)/);
    // A second '->' was ignored: 'ij->ji->ij' returned the transpose.
    expect(() => tf.einsum('ij->ji->ij', x)).toThrow(ValueError);
    expect(() => tf.einsum('ij->ji->ij', x)).toThrow(/einsum: equation 'ij->ji->ij' must have one '->', received 2/);
  });
});
