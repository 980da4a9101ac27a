/** topk against tfjs; multinomial and temperatureSample by distribution statistics and seeding. */
import * as tfjs from '@tensorflow/tfjs';
import { multinomial, temperatureSample, tensor, topk } from '../../src';
import { checkGradients, randomInput } from '../helpers/grad_check';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('topk', () => {
  it('matches tfjs values and indices (sorted, with ties) on rank 1, 2 and 3', () => {
    const cases: [number[], number[]][] = [
      [[7], [3, 1, 4, 1, 5, 9, 2]],
      [
        [3, 5],
        [1, 2, 2, 0, 2, -1, -1, 3, 3, 3, 0.5, 0.25, 0.25, 0.5, 0.25],
      ],
      [[2, 2, 4], Array.from(randomInput([16], 3).dataSync())],
    ];
    for (const [shape, values] of cases) {
      const n = shape[shape.length - 1];
      for (const k of [0, 1, 2, n]) {
        const ours = topk(tensor(values, shape), k);
        const theirs = tfjs.topk(tfjs.tensor(values, shape), k, true);
        expect(ours.values.shape).toEqual(theirs.values.shape);
        expect(Array.from(ours.values.dataSync())).toEqual(Array.from(theirs.values.dataSync()));
        expect(Array.from(ours.indices.dataSync())).toEqual(Array.from(theirs.indices.dataSync()));
        expect(ours.indices.dtype).toBe('int32');
      }
    }
  });

  it('matches tfjs on int32 input', () => {
    const v = [5, 3, 5, 9, 0, 3];
    const ours = topk(tensor(v, [2, 3], 'int32'), 2);
    const theirs = tfjs.topk(tfjs.tensor(v, [2, 3], 'int32'), 2);
    expect(ours.values.dtype).toBe('int32');
    expect(Array.from(ours.values.dataSync())).toEqual(Array.from(theirs.values.dataSync()));
    expect(Array.from(ours.indices.dataSync())).toEqual(Array.from(theirs.indices.dataSync()));
  });

  it('unsorted returns the same set, in index order', () => {
    const x = tensor([[0.1, 0.9, 0.5, 0.7]]);
    const r = topk(x, 3, false);
    expect(Array.from(r.indices.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(r.values.dataSync())).toEqual([0.9, 0.5, 0.7].map(Math.fround));
  });

  it('gradient flows to the picked positions (finite differences)', () => {
    checkGradients((x) => topk(x, 2).values, [randomInput([3, 5], 11)]);
  });

  it('refuses a bad k naming the op, k and the shape', () => {
    expect(() => topk(tensor([1, 2, 3]), 4)).toThrow(/topk: k must be an integer in \[0, 3\].*\[3\].*received 4/);
    expect(() => topk(tensor(1), 1)).toThrow('topk: x must have rank >= 1');
  });
});

describe('multinomial', () => {
  const probs = [0.1, 0.2, 0.3, 0.4];

  it('draw frequencies match the softmax of the logits (chi-square, 20000 draws per row)', () => {
    const logits = tensor([probs.map(Math.log), [2, 0, 0, -1]]);
    const n = 20000;
    const s = multinomial(logits, n, 7);
    expect(s.shape).toEqual([2, n]);
    expect(s.dtype).toBe('int32');
    const v = s.dataSync();
    const z = Math.exp(2) + 2 + Math.exp(-1);
    const expected = [probs, [Math.exp(2) / z, 1 / z, 1 / z, Math.exp(-1) / z]];
    for (let r = 0; r < 2; r++) {
      const counts = [0, 0, 0, 0];
      for (let i = 0; i < n; i++) counts[v[r * n + i]]++;
      let chi2 = 0;
      for (let c = 0; c < 4; c++) chi2 += (counts[c] - n * expected[r][c]) ** 2 / (n * expected[r][c]);
      // 3 degrees of freedom: P(chi2 > 16.27) = 0.001.
      expect(chi2).toBeLessThan(16.27);
    }
  });

  it('normalized = true takes probabilities (and tfjs agrees on the distribution)', () => {
    const n = 20000;
    const ours = multinomial(tensor(probs), n, 3, true).dataSync();
    const theirs = tfjs.multinomial(tfjs.tensor1d(probs), n, 3, true).dataSync();
    for (const v of [ours, theirs]) {
      const counts = [0, 0, 0, 0];
      for (let i = 0; i < n; i++) counts[v[i]]++;
      counts.forEach((c, k) => expect(Math.abs(c / n - probs[k])).toBeLessThan(0.015));
    }
  });

  it('never draws an outcome of probability zero', () => {
    const v = multinomial(tensor([[0, -Infinity, 0]]), 5000, 1).dataSync();
    expect(Array.from(v).includes(1)).toBe(false);
    const w = multinomial(tensor([0.5, 0, 0.5]), 5000, 1, true).dataSync();
    expect(Array.from(w).includes(1)).toBe(false);
  });

  it('is deterministic with a seed and differs across seeds', () => {
    const logits = tensor([[0, 0, 0, 0, 0]]);
    const a = Array.from(multinomial(logits, 50, 123).dataSync());
    const b = Array.from(multinomial(logits, 50, 123).dataSync());
    const c = Array.from(multinomial(logits, 50, 124).dataSync());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('refuses bad input naming the argument', () => {
    expect(() => multinomial(tensor([[[1]]]), 1)).toThrow(/multinomial: logits must have rank 1.*received shape \[1,1,1\]/);
    expect(() => multinomial(tensor([1, 2]), 0)).toThrow('multinomial: numSamples must be a positive integer, received 0');
    expect(() => multinomial(tensor([0.5, -0.1]), 1, 1, true)).toThrow('multinomial: with normalized = true');
  });
});

describe('temperatureSample', () => {
  it('temperature 0 is argmax', () => {
    const t = temperatureSample(
      tensor([
        [0.1, 3, 2],
        [5, 5, 1],
      ]),
      { temperature: 0 },
    );
    expect(Array.from(t.dataSync())).toEqual([1, 0]);
  });

  it('frequencies follow softmax(logits / T)', () => {
    const logits = [1, 0, -1];
    const T = 2;
    const n = 20000;
    const rows = tensor(Array.from({ length: n }, () => logits));
    const v = temperatureSample(rows, { temperature: T, seed: 5 }).dataSync();
    const e = logits.map((l) => Math.exp(l / T));
    const z = e.reduce((a, b) => a + b);
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[v[i]]++;
    counts.forEach((c, k) => expect(Math.abs(c / n - e[k] / z)).toBeLessThan(0.015));
  });

  it('topK restricts the draw to the k most likely tokens', () => {
    const rows = tensor(Array.from({ length: 2000 }, () => [0, 1, 2, 0.5]));
    const v = Array.from(temperatureSample(rows, { topK: 2, seed: 9 }).dataSync());
    expect(new Set(v)).toEqual(new Set([1, 2]));
  });

  it('refuses a negative temperature', () => {
    expect(() => temperatureSample(tensor([1, 2]), { temperature: -1 })).toThrow(
      'temperatureSample: temperature must be a finite number ≥ 0, received -1',
    );
  });
});

describe('sampling at the limits of float range', () => {
  it('a tiny temperature still draws the argmax (x / 1e-310 overflows to Infinity; the softmax limit is the argmax)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      expect(Array.from(temperatureSample(tensor([1, 5, 2], [1, 3]), { temperature: 1e-310, seed }).dataSync())).toEqual([1]);
    }
  });

  it('+Infinity logits are refused (PyTorch refuses them too) instead of drawing a zero-probability outcome', () => {
    expect(() => multinomial(tensor([Infinity, 0, 0], [3]), 5, 1)).toThrow(
      /multinomial: logits contain \+Infinity \(flat index 0 of shape \[3\]\)/,
    );
    expect(() => temperatureSample(tensor([0, Infinity], [1, 2]), { seed: 1 })).toThrow(
      /temperatureSample: logits contain \+Infinity \(flat index 1 of shape \[1,2\]\)/,
    );
    // -Infinity stays allowed (a masked outcome): never drawn.
    expect(Array.from(multinomial(tensor([-Infinity, 0], [2]), 4, 1).dataSync())).toEqual([1, 1, 1, 1]);
  });
});
