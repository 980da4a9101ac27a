/**
 * beamSearch driven by model.step with its plain-data state (the state rows are reordered by the default
 * gatherStateRows): with a beam as wide as the number of prefixes, the best hypothesis equals an exhaustive
 * search scored with whole-sequence predict (another code path: the fused sequence kernel).
 */
import { beamSearch, cast, log, oneHot, setSeed, Tensor, tensor } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import type { StreamState } from '@recurrent/models';

const V = 3;
const START = 0;
const END = 2;
const L = 3;

describe('beamSearch with model.step', () => {
  it('equals the exhaustive search scored by predict', () => {
    setSeed(5);
    const model = sequential({
      layers: [layers.lstm({ units: 6, inputShape: [null, V], returnSequences: true }), layers.dense({ units: V, activation: 'softmax' })],
    });
    const step = (tokens: Tensor, s: StreamState) => {
      const [y, next] = model.step(cast(oneHot(tokens, V), 'float32'), s);
      return { logProbs: log(y as Tensor), state: next };
    };
    const hyps = beamSearch(step, model.initState(1), { beamWidth: V ** L, maxLength: L, startToken: START, endToken: END });

    const score = (tokens: number[]): number => {
      const inputs = [START, ...tokens.slice(0, -1)];
      const x = cast(oneHot(tensor(inputs, [1, inputs.length], 'int32'), V), 'float32');
      const p = (model.predict(x) as Tensor).dataSync();
      return tokens.reduce((acc, t, i) => acc + Math.log(p[i * V + t]), 0);
    };
    const all: { tokens: number[]; logProb: number }[] = [];
    const rec = (prefix: number[]) => {
      for (let v = 0; v < V; v++) {
        const t = [...prefix, v];
        if (v === END || t.length === L) all.push({ tokens: t, logProb: score(t) });
        else rec(t);
      }
    };
    rec([]);
    all.sort((a, b) => b.logProb - a.logProb);
    expect(hyps[0].tokens).toEqual(all[0].tokens);
    expect(hyps[0].logProb).toBeCloseTo(all[0].logProb, 4);
    expect(hyps.length).toBe(all.length);
    hyps.forEach((h, i) => expect(h.logProb).toBeCloseTo(all[i].logProb, 4));
  });
});
