/** beamSearch against an exhaustive search over a tiny vocabulary with a stateful toy step model. */
import { beamSearch, BeamStepFunction, gatherStateRows, RandomGenerator, Tensor, tensor } from '../../src';

const V = 3;
const END = 2;
const START = 0;

/**
 * A toy step model whose next-token distribution depends on the whole prefix through its state:
 * the state per beam is a running hash h (Float32Array [beams, 1]) and a Tensor [beams, 2] counter.
 */
function makeModel(seed: number) {
  const table = new Map<string, number[]>();
  const rng = new RandomGenerator(seed);
  const dist = (h: number, count: number): number[] => {
    const key = `${h}:${count}`;
    if (!table.has(key)) {
      const logits = Array.from({ length: V }, () => rng.normal() * 1.5);
      const m = Math.max(...logits);
      const z = Math.log(logits.reduce((s, l) => s + Math.exp(l - m), 0)) + m;
      table.set(
        key,
        logits.map((l) => l - z),
      );
    }
    return table.get(key)!;
  };
  interface S {
    batch: number;
    h: Float32Array;
    counter: Tensor;
  }
  const step: BeamStepFunction<S> = (tokens, s) => {
    const tv = tokens.dataSync();
    const b = tv.length;
    expect(s.batch).toBe(b);
    const h = new Float32Array(b);
    const cv = s.counter.dataSync();
    const counter = new Float32Array(b * 2);
    const lp = new Float32Array(b * V);
    for (let i = 0; i < b; i++) {
      h[i] = (s.h[i] * 7 + tv[i] + 1) % 1000;
      counter[i * 2] = cv[i * 2] + 1;
      counter[i * 2 + 1] = cv[i * 2 + 1] + tv[i];
      lp.set(dist(h[i], counter[i * 2]), i * V);
    }
    return { logProbs: tensor(lp, [b, V]), state: { batch: b, h, counter: tensor(counter, [b, 2]) } };
  };
  const init: S = { batch: 1, h: new Float32Array(1), counter: tensor([[0, 0]]) };
  // Exhaustive: every sequence that ends with END (length ≤ L) or reaches length L.
  const exhaustive = (L: number): { tokens: number[]; logProb: number }[] => {
    const out: { tokens: number[]; logProb: number }[] = [];
    const rec = (tokens: number[], h: number, count: number, lp: number) => {
      const d = dist(h, count + 1);
      for (let v = 0; v < V; v++) {
        const t2 = [...tokens, v];
        const l2 = lp + Math.fround(d[v]);
        if (v === END || t2.length === L) out.push({ tokens: t2, logProb: l2 });
        else rec(t2, Math.fround((h * 7 + v + 1) % 1000), count + 1, l2);
      }
    };
    rec([], Math.fround((0 * 7 + START + 1) % 1000), 0, 0);
    return out.sort((a, b) => b.logProb - a.logProb);
  };
  return { step, init, exhaustive };
}

describe('beamSearch', () => {
  it('with beamWidth ≥ the number of prefixes, finds the exhaustive maximum and ranking', () => {
    for (const seed of [1, 2, 3]) {
      const m = makeModel(seed);
      const L = 4;
      const all = m.exhaustive(L);
      const got = beamSearch(m.step, m.init, { beamWidth: V ** L, maxLength: L, startToken: START, endToken: END });
      expect(got[0].tokens).toEqual(all[0].tokens);
      expect(got[0].logProb).toBeCloseTo(all[0].logProb, 4);
      // The whole ranking (first 10) matches.
      for (let i = 0; i < 10; i++) expect(got[i].logProb).toBeCloseTo(all[i].logProb, 4);
      expect(got[0].finished).toBe(all[0].tokens[all[0].tokens.length - 1] === END);
    }
  });

  it('a narrow beam returns beamWidth hypotheses, best first, none better than the exhaustive maximum', () => {
    const m = makeModel(4);
    const best = m.exhaustive(5)[0];
    const got = beamSearch(m.step, m.init, { beamWidth: 2, maxLength: 5, startToken: START, endToken: END });
    expect(got.length).toBe(2);
    expect(got[0].score).toBeGreaterThanOrEqual(got[1].score);
    expect(got[0].logProb).toBeLessThanOrEqual(best.logProb + 1e-5);
  });

  it('beamWidth 1 is greedy decoding', () => {
    const m = makeModel(5);
    let s = m.init;
    let tok = START;
    const greedy: number[] = [];
    for (let t = 0; t < 6; t++) {
      const r = m.step(tensor([tok], [1], 'int32'), s);
      const lp = Array.from(r.logProbs.dataSync());
      tok = lp.indexOf(Math.max(...lp));
      greedy.push(tok);
      s = r.state;
      if (tok === END) break;
    }
    const got = beamSearch(m.step, m.init, { beamWidth: 1, maxLength: 6, startToken: START, endToken: END });
    expect(got[0].tokens).toEqual(greedy);
  });

  it('length normalization ranks by logProb / length^α', () => {
    const m = makeModel(6);
    const got = beamSearch(m.step, m.init, { beamWidth: 81, maxLength: 4, startToken: START, endToken: END, lengthNormalization: true });
    for (const h of got) expect(h.score).toBeCloseTo(h.logProb / h.tokens.length, 5);
    for (let i = 1; i < got.length; i++) expect(got[i - 1].score).toBeGreaterThanOrEqual(got[i].score);
    const exhaustiveBest = m
      .exhaustive(4)
      .map((h) => h.logProb / h.tokens.length)
      .sort((a, b) => b - a)[0];
    expect(got[0].score).toBeCloseTo(exhaustiveBest, 4);
  });

  it('gatherStateRows reorders tensors, typed arrays and a batch field', () => {
    const s = { batch: 2, layers: [{ name: 'lstm', h: new Float32Array([1, 2, 3, 4]) }], t: tensor([[1], [2]]) };
    const r = gatherStateRows(s, Int32Array.from([1, 1, 0]), 2);
    expect(r.batch).toBe(3);
    expect(r.layers[0].name).toBe('lstm');
    expect(Array.from(r.layers[0].h)).toEqual([3, 4, 3, 4, 1, 2]);
    expect(Array.from(r.t.dataSync())).toEqual([2, 2, 1]);
    expect(() => gatherStateRows({ x: new Float32Array(3) }, Int32Array.from([0]), 2)).toThrow(
      /state array at 'x' has length 3.*beam count 2/,
    );
  });

  it('refuses bad options and bad step outputs naming the argument', () => {
    const m = makeModel(7);
    expect(() => beamSearch(m.step, m.init, { beamWidth: 0, maxLength: 3, startToken: 0 })).toThrow(
      'beamSearch: beamWidth must be a positive integer, received 0',
    );
    expect(() => beamSearch(m.step, m.init, { maxLength: 3, startToken: 0, endToken: 9 })).toThrow(
      'beamSearch: endToken 9 is out of range [0, 3)',
    );
    expect(() => beamSearch(() => ({ logProbs: tensor([1, 2]), state: null }), null, { maxLength: 3, startToken: 0 })).toThrow(
      'beamSearch: stepFn returned logProbs of shape [2], expected [1, vocab]',
    );
  });
});
