import { ctcDecode, ctcLoss, Tensor, tensor1d, tensor2d, tensor3d } from '../../src';
import { randomInput } from '../helpers/grad_check';

const int1d = (v: number[]): Tensor => tensor1d(v, 'int32');

/** Logits rows whose argmax is `ids` (the best class gets 2 + t/10, the others 0). */
function peaked(ids: number[], C: number): number[][] {
  return ids.map((id, t) => Array.from({ length: C }, (_, c) => (c === id ? 2 + t / 10 : 0)));
}

/** Every labelling's probability, by summing over all C^T paths (float64). */
function exhaustive(logits: number[][], blank: number): Map<string, number> {
  const probs = logits.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b);
    return e.map((v) => v / s);
  });
  const T = probs.length;
  const C = probs[0].length;
  const out = new Map<string, number>();
  const path = new Array<number>(T).fill(0);
  const visit = (t: number, p: number): void => {
    if (t === T) {
      const labels: number[] = [];
      let prev = -1;
      for (const c of path) {
        if (c !== blank && c !== prev) labels.push(c);
        prev = c;
      }
      const key = labels.join(',');
      out.set(key, (out.get(key) ?? 0) + p);
      return;
    }
    for (let c = 0; c < C; c++) {
      path[t] = c;
      visit(t + 1, p * probs[t][c]);
    }
  };
  visit(0, 1);
  return out;
}

function row(decoded: Tensor, path: number, b: number): number[] {
  const [, B, T] = decoded.shape;
  const v = decoded.dataSync();
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    const id = v[(path * B + b) * T + t];
    if (id >= 0) out.push(id);
  }
  return out;
}

describe('ctcDecode greedy', () => {
  it('merges repeats, then drops blanks (hand-worked), padded with -1; score = −Σ max logit', () => {
    const ids = [1, 1, 0, 1, 2, 2, 0, 3];
    const x = peaked(ids, 4);
    const [decoded, scores] = ctcDecode(tensor3d([x, x]), int1d([8, 5]));
    expect(decoded.shape).toEqual([1, 2, 8]);
    expect(decoded.dtype).toBe('int32');
    expect(decoded.arraySync()).toEqual([
      [
        [1, 1, 2, 3, -1, -1, -1, -1],
        [1, 1, 2, -1, -1, -1, -1, -1],
      ],
    ]);
    const maxSum = (n: number) => ids.slice(0, n).reduce((s, _, t) => s + 2 + t / 10, 0);
    expect(scores.shape).toEqual([2, 1]);
    expect(scores.dataSync()[0]).toBeCloseTo(-maxSum(8), 5);
    expect(scores.dataSync()[1]).toBeCloseTo(-maxSum(5), 5);
  });

  it('mergeRepeated false keeps every non-blank step; blankIndex moves the blank', () => {
    const x = peaked([1, 1, 0, 1, 2, 2, 0, 3], 4);
    expect(row(ctcDecode(tensor3d([x]), int1d([8]), { mergeRepeated: false })[0], 0, 0)).toEqual([1, 1, 1, 2, 2, 3]);
    expect(row(ctcDecode(tensor3d([x]), int1d([8]), { blankIndex: 3 })[0], 0, 0)).toEqual([1, 0, 1, 2, 0]);
  });

  it('a zero sequence length decodes to nothing with score 0', () => {
    const [d, s] = ctcDecode(tensor3d([peaked([1, 2], 3)]), int1d([0]));
    expect(d.arraySync()).toEqual([[[-1, -1]]]);
    expect(s.dataSync()[0]).toBe(-0);
  });
});

describe('ctcDecode beam search', () => {
  it('with a wide beam, finds the most probable labelling of an exhaustive search (and its probability)', () => {
    for (let seed = 0; seed < 6; seed++) {
      const T = 5;
      const C = 3;
      const blank = seed % 3;
      const x = randomInput([1, T, C], 100 + seed, -1.5, 1.5);
      const rows = Array.from({ length: T }, (_, t) => Array.from(x.dataSync().slice(t * C, (t + 1) * C)));
      const all = [...exhaustive(rows, blank).entries()].sort((a, b) => b[1] - a[1]);
      // 2 labels, length <= 5: 63 possible prefixes, all kept by a beam of 64.
      const [decoded, logProbs] = ctcDecode(x, int1d([T]), { strategy: 'beam_search', beamWidth: 64, topPaths: 3, blankIndex: blank });
      expect(decoded.shape).toEqual([3, 1, T]);
      expect(logProbs.shape).toEqual([1, 3]);
      for (let p = 0; p < 3; p++) {
        expect(row(decoded, p, 0).join(',')).toBe(all[p][0]);
        expect(logProbs.dataSync()[p]).toBeCloseTo(Math.log(all[p][1]), 5);
      }
    }
  });

  it('3 labels over 6 steps (1093 possible prefixes, beam 1100): the top 5 labellings and probabilities are exact', () => {
    for (const seed of [1, 2]) {
      const T = 6;
      const C = 4;
      const x = randomInput([2, T, C], 300 + seed, -2, 2);
      const [decoded, logProbs] = ctcDecode(x, int1d([T, T]), { strategy: 'beam_search', beamWidth: 1100, topPaths: 5 });
      for (let b = 0; b < 2; b++) {
        const rows = Array.from({ length: T }, (_, t) => Array.from(x.dataSync().slice((b * T + t) * C, (b * T + t + 1) * C)));
        const all = [...exhaustive(rows, 0).entries()].sort((p, q) => q[1] - p[1]);
        for (let p = 0; p < 5; p++) {
          expect(row(decoded, p, b).join(',')).toBe(all[p][0]);
          expect(logProbs.dataSync()[b * 5 + p]).toBeCloseTo(Math.log(all[p][1]), 5);
        }
      }
    }
  });

  it("the best path's log-probability equals −ctcLoss of the decoded labels", () => {
    const x = randomInput([2, 7, 4], 9, -2, 2);
    const [decoded, logProbs] = ctcDecode(x, int1d([7, 6]), { strategy: 'beam_search', beamWidth: 200 });
    for (let b = 0; b < 2; b++) {
      const labels = row(decoded, 0, b);
      const xb = tensor3d([(x.arraySync() as number[][][])[b]]);
      const padded = labels.length ? [labels] : [[1]];
      const nll = ctcLoss(tensor2d(padded, undefined, 'int32'), xb, int1d([labels.length]), int1d([b === 0 ? 7 : 6])).dataSync()[0];
      expect(logProbs.dataSync()[b]).toBeCloseTo(-nll, 4);
    }
  });

  it("reports a lower bound of the labelling's log-probability (pruned alignments are lost), exact with a wide beam", () => {
    const x = randomInput([3, 8, 5], 4, -2, 2);
    const lens = int1d([8, 8, 3]);
    const [greedy] = ctcDecode(x, lens);
    const [narrow, narrowLp] = ctcDecode(x, lens, { strategy: 'beam_search', beamWidth: 5 });
    const [wide, wideLp] = ctcDecode(x, lens, { strategy: 'beam_search', beamWidth: 1000 });
    for (let b = 0; b < 3; b++) {
      const xb = tensor3d([(x.arraySync() as number[][][])[b]]);
      const len = b === 2 ? 3 : 8;
      const logP = (l: number[]) =>
        -ctcLoss(tensor2d([l.length ? l : [1]], undefined, 'int32'), xb, int1d([l.length]), int1d([len])).dataSync()[0];
      expect(narrowLp.dataSync()[b]).toBeLessThanOrEqual(logP(row(narrow, 0, b)) + 1e-5);
      expect(wideLp.dataSync()[b]).toBeCloseTo(logP(row(wide, 0, b)), 4);
      // On these inputs the wide beam finds labellings at least as probable as greedy's (not guaranteed in general).
      expect(logP(row(greedy, 0, b))).toBeLessThanOrEqual(wideLp.dataSync()[b] + 1e-5);
    }
    // Sample 0: greedy's labelling [1, 2, 4, 3] is less probable than the beam's [1, 2, 3, 4, 3].
    expect(row(greedy, 0, 0)).toEqual([1, 2, 4, 3]);
    expect(row(wide, 0, 0)).toEqual([1, 2, 3, 4, 3]);
  });

  it('fewer distinct prefixes than topPaths: the rest are -1 with log-probability -Infinity', () => {
    const x = tensor3d([[[0.1, 0.3]]]);
    const [d, lp] = ctcDecode(x, int1d([1]), { strategy: 'beam_search', beamWidth: 4, topPaths: 3 });
    expect(d.arraySync()).toEqual([[[1]], [[-1]], [[-1]]]);
    const v = lp.dataSync();
    expect(v[0]).toBeCloseTo(Math.log(Math.exp(0.3) / (Math.exp(0.1) + Math.exp(0.3))), 5);
    expect(v[1]).toBeCloseTo(Math.log(Math.exp(0.1) / (Math.exp(0.1) + Math.exp(0.3))), 5);
    expect(v[2]).toBe(-Infinity);
  });
});

describe('ctcDecode bad input', () => {
  const x = randomInput([2, 3, 4], 1);
  it('names the argument', () => {
    expect(() => ctcDecode(x, int1d([3]))).toThrow(/ctcDecode: sequenceLengths must have shape \[2\] .*received shape \[1\]/);
    expect(() => ctcDecode(x, int1d([3, 4]))).toThrow(
      /ctcDecode: sequenceLengths\[1\] = 4 is out of range; expected an integer in \[0, 3\]/,
    );
    expect(() => ctcDecode(randomInput([3, 4], 1), int1d([3, 3, 3]))).toThrow(
      /ctcDecode: logits must have shape \[batch, timeSteps, numClasses\]/,
    );
    expect(() => ctcDecode(x, int1d([3, 3]), { strategy: 'beam' as never })).toThrow(
      /ctcDecode: strategy must be 'greedy' or 'beam_search', received "beam"/,
    );
    expect(() => ctcDecode(x, int1d([3, 3]), { strategy: 'beam_search', beamWidth: 2, topPaths: 3 })).toThrow(
      /ctcDecode: topPaths \(3\) must be at most beamWidth \(2\)/,
    );
    expect(() => ctcDecode(x, int1d([3, 3]), { beamWidth: 0 })).toThrow(/ctcDecode: beamWidth must be an integer >= 1, received 0/);
    expect(() => ctcDecode(x, int1d([3, 3]), { blankIndex: 4 })).toThrow(/ctcDecode: blankIndex must be an integer in \[0, 3\]/);
    expect(() => ctcDecode(x, int1d([3, 3]), { beam_width: 3 } as never)).toThrow(
      /unknown option 'beam_width' \(did you mean 'beamWidth'\?\)/,
    );
  });
});
