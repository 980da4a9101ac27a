/** additiveScores against the op-by-op composition and a float64 loop; finite-difference gradients. */
import { add, additiveScores, expandDims, mul, sum, tanh, tensor } from '../../src';
import { checkGradients, randomInput } from '../helpers/grad_check';
import { expectClose } from './util';

describe('additiveScores', () => {
  const q = randomInput([2, 3, 4], 1);
  const k = randomInput([2, 5, 4], 2);
  const w = randomInput([4], 3);

  it('equals Σ w·tanh(q + k) (float64 loop and the op composition)', () => {
    const y = additiveScores(q, k, w);
    expect(y.shape).toEqual([2, 3, 5]);
    const qv = q.dataSync();
    const kv = k.dataSync();
    const wv = w.dataSync();
    const expected: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 5; j++) {
          let s = 0;
          for (let d = 0; d < 4; d++) s += wv[d] * Math.tanh(qv[(b * 3 + i) * 4 + d] + kv[(b * 5 + j) * 4 + d]);
          expected.push(s);
        }
    expectClose(y, expected, 1e-6);
    expectClose(additiveScores(q, k), sum(tanh(add(expandDims(q, 2), expandDims(k, 1))), -1), 1e-6);
    expectClose(y, sum(mul(tanh(add(expandDims(q, 2), expandDims(k, 1))), w), -1), 1e-6);
  });

  it('gradients w.r.t. query, key and w match finite differences', () => {
    checkGradients((a, b, c) => additiveScores(a, b, c), [q, k, w]);
    checkGradients((a, b) => additiveScores(a, b), [q, k]);
  });

  it('refuses mismatched shapes naming the op and both shapes', () => {
    expect(() => additiveScores(q, randomInput([3, 5, 4], 4))).toThrow(
      'additiveScores: query [batch, Tq, dim] and key [batch, Tv, dim] must agree on batch and dim, received [2,3,4] and [3,5,4]',
    );
    expect(() => additiveScores(q, k, tensor([1, 2]))).toThrow(
      'additiveScores: w must have shape [4] (the last dimension of query), received [2]',
    );
  });
});
