/**
 * Attention and AdditiveAttention against a float64 re-implementation of Keras 3's formulas (scores, value
 * mask → −1e9, causal mask, softmax, query mask), finite-difference gradients, the harness, and bad input.
 */
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import { AdditiveAttention, Attention, layers } from '@recurrent/layers';
import { checkGradients, randomInput } from '../../../core/test/helpers/grad_check';
import { runLayerHarness } from '../helpers/layer_harness';
import { checkWeightGradients } from '../helpers/weight_grad_check';

type Mode = 'dot' | 'concat' | 'additive';

interface RefOptions {
  mode: Mode;
  /** dot/concat: scalar scale; additive: per-feature scale (null = not used). */
  scale: number | number[] | null;
  concatWeight?: number;
  qMask?: number[][] | null;
  vMask?: number[][] | null;
  causal?: boolean;
}

/** Keras 3's Attention/AdditiveAttention in float64: returns [output [B, Tq, Dv], weights [B, Tq, Tv]]. */
function reference(q: Tensor, v: Tensor, k: Tensor, o: RefOptions): [number[], number[]] {
  const [B, Tq, D] = q.shape;
  const [, Tv, Dv] = v.shape;
  const qv = q.dataSync();
  const vv = v.dataSync();
  const kv = k.dataSync();
  const out: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Tq; i++) {
      const s: number[] = [];
      for (let j = 0; j < Tv; j++) {
        let score = 0;
        for (let d = 0; d < D; d++) {
          const qd = qv[(b * Tq + i) * D + d];
          const kd = kv[(b * Tv + j) * D + d];
          if (o.mode === 'dot') score += qd * kd;
          else if (o.mode === 'concat') score += Math.tanh((o.scale === null ? 1 : (o.scale as number)) * (qd + kd));
          else score += (o.scale === null ? 1 : (o.scale as number[])[d]) * Math.tanh(qd + kd);
        }
        if (o.mode === 'dot' && o.scale !== null) score *= o.scale as number;
        if (o.mode === 'concat') score *= o.concatWeight ?? 1;
        let keep = true;
        if (o.vMask && !o.vMask[b][j]) keep = false;
        if (o.causal && j > i) keep = false;
        s.push(keep ? score : score - 1e9);
      }
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, c) => a + c, 0);
      const w = e.map((x) => x / z);
      weights.push(...w);
      const qm = o.qMask ? o.qMask[b][i] : 1;
      for (let d = 0; d < Dv; d++) {
        let acc = 0;
        for (let j = 0; j < Tv; j++) acc += w[j] * vv[(b * Tv + j) * Dv + d];
        out.push(acc * qm);
      }
    }
  }
  return [out, weights];
}

function expectClose(actual: Tensor, expected: number[], tol = 1e-5): void {
  const a = actual.dataSync();
  expect(a.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[i]));
  expect(worst).toBeLessThan(tol);
}

const B = 2;
const Tq = 3;
const Tv = 4;
const D = 5;
const q = randomInput([B, Tq, D], 1);
const v = randomInput([B, Tv, D], 2);
const k = randomInput([B, Tv, D], 3);
const vMaskArr = [
  [1, 1, 0, 1],
  [1, 0, 0, 0],
];
const qMaskArr = [
  [1, 0, 1],
  [1, 1, 0],
];
const vMask = tensor(
  vMaskArr.map((r) => r.map(Boolean)),
  [B, Tv],
  'bool',
);
const qMask = tensor(qMaskArr, [B, Tq]);

describe('Attention (Luong) vs the float64 Keras formula', () => {
  it('dot scores without and with a key', () => {
    const att = new Attention();
    const [out, w] = att.apply([q, v], { returnAttentionScores: true }) as Tensor[];
    const [ro, rw] = reference(q, v, v, { mode: 'dot', scale: null });
    expectClose(out, ro);
    expectClose(w, rw);
    expect(w.shape).toEqual([B, Tq, Tv]);
    const [ro2] = reference(q, v, k, { mode: 'dot', scale: null });
    expectClose(att.apply([q, v, k]) as Tensor, ro2);
  });

  it('useScale multiplies the scores by the learned scalar', () => {
    const att = new Attention({ useScale: true });
    att.apply([q, v]);
    expect(att.getWeights().map((t) => t.shape)).toEqual([[]]);
    expect(att.weights[0].originalName).toBe(`${att.name}/scale`);
    att.setWeights([tensor(0.6)]);
    expectClose(att.apply([q, v, k]) as Tensor, reference(q, v, k, { mode: 'dot', scale: 0.6 })[0]);
  });

  it('value mask, query mask and causal mask (bool and 0/1 masks)', () => {
    const att = new Attention();
    const [out, w] = att.apply([q, v, k], { mask: [qMask, vMask], returnAttentionScores: true }) as Tensor[];
    const [ro, rw] = reference(q, v, k, { mode: 'dot', scale: null, qMask: qMaskArr, vMask: vMaskArr });
    expectClose(out, ro);
    expectClose(w, rw);
    // Masked value positions get zero weight.
    expect(w.dataSync()[2]).toBe(0);
    const causal = att.apply([q, v, k], { mask: [null, vMask], useCausalMask: true }) as Tensor;
    expectClose(causal, reference(q, v, k, { mode: 'dot', scale: null, vMask: vMaskArr, causal: true })[0]);
    const causalOnly = att.apply([q, v], { useCausalMask: true }) as Tensor;
    expectClose(causalOnly, reference(q, v, v, { mode: 'dot', scale: null, causal: true })[0]);
  });

  it("scoreMode 'concat' with and without useScale", () => {
    const att = new Attention({ scoreMode: 'concat', useScale: true });
    att.apply([q, v]);
    expect(att.weights.map((w) => w.originalName)).toEqual([`${att.name}/scale`, `${att.name}/concat_score_weight`]);
    att.setWeights([tensor(0.8), tensor(1.7)]);
    expectClose(
      att.apply([q, v, k], { mask: [qMask, vMask] }) as Tensor,
      reference(q, v, k, { mode: 'concat', scale: 0.8, concatWeight: 1.7, qMask: qMaskArr, vMask: vMaskArr })[0],
    );
    const plain = new Attention({ scoreMode: 'concat' });
    plain.apply([q, v]);
    plain.setWeights([tensor(0.5)]);
    expectClose(plain.apply([q, v]) as Tensor, reference(q, v, v, { mode: 'concat', scale: null, concatWeight: 0.5 })[0]);
  });

  it('a value dimension different from the key dimension', () => {
    const v3 = randomInput([B, Tv, 2], 9);
    const out = new Attention().apply([q, v3, k]) as Tensor;
    expect(out.shape).toEqual([B, Tq, 2]);
    expectClose(out, reference(q, v3, k, { mode: 'dot', scale: null })[0]);
  });

  it('dropout acts on the weights in training only, seeded, with inverted scaling', () => {
    const att = new Attention({ dropout: 0.5, seed: 3 });
    const inference = att.apply([q, v], { returnAttentionScores: true }) as Tensor[];
    expectClose(inference[1], reference(q, v, v, { mode: 'dot', scale: null })[1]);
    const [out, w] = att.apply([q, v], { training: true, returnAttentionScores: true }) as Tensor[];
    const ref = reference(q, v, v, { mode: 'dot', scale: null })[1];
    const wv = w.dataSync();
    let zeros = 0;
    for (let i = 0; i < wv.length; i++) {
      if (wv[i] === 0) zeros++;
      else expect(wv[i]).toBeCloseTo(2 * ref[i], 5);
    }
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThan(wv.length);
    // out = dropped weights · v
    const vv = v.dataSync();
    const expected: number[] = [];
    for (let b = 0; b < B; b++)
      for (let i = 0; i < Tq; i++)
        for (let d = 0; d < D; d++) {
          let acc = 0;
          for (let j = 0; j < Tv; j++) acc += wv[(b * Tq + i) * Tv + j] * vv[(b * Tv + j) * D + d];
          expected.push(acc);
        }
    expectClose(out, expected);
  });

  it('gradients w.r.t. query, value and key match finite differences (with masks)', () => {
    const att = new Attention({ useScale: true });
    att.apply([q, v]);
    att.setWeights([tensor(0.7)]);
    checkGradients((a, b, c) => att.apply([a, b, c], { mask: [qMask, vMask], useCausalMask: true }) as Tensor, [q, v, k]);
    const cat = new Attention({ scoreMode: 'concat', useScale: true });
    checkGradients((a, b) => cat.apply([a, b], { mask: [null, vMask] }) as Tensor, [q, v]);
  });

  it('gradients w.r.t. scale and concat_score_weight match finite differences', () => {
    const w = randomInput([B, Tq, D], 4);
    const att = new Attention({ useScale: true, scoreMode: 'concat' });
    att.apply([q, v]);
    att.setWeights([tensor(0.9), tensor(1.3)]);
    checkWeightGradients(att, () => (att.apply([q, v, k], { mask: [null, vMask] }) as Tensor).mul(w).sum());
    const dot = new Attention({ useScale: true });
    dot.apply([q, v]);
    checkWeightGradients(dot, () => (dot.apply([q, v]) as Tensor).mul(w).sum());
  });

  it('computeOutputShape with null dims, and computeMask returns the query mask', () => {
    const att = new Attention();
    expect(
      att.computeOutputShape([
        [null, null, 8],
        [null, 7, 3],
        [null, null, 8],
      ]),
    ).toEqual([null, null, 3]);
    expect(
      att.computeOutputShape([
        [null, null, 8],
        [null, 7, 8],
      ]),
    ).toEqual([null, null, 8]);
    expect(
      att.computeOutputShape(
        [
          [null, 2, 8],
          [null, 7, 3],
          [null, 7, 8],
        ],
        { returnAttentionScores: true },
      ),
    ).toEqual([
      [null, 2, 3],
      [null, 2, 7],
    ]);
    expect(att.computeMask([q, v], [qMask, vMask])).toBe(qMask);
    expect(att.computeMask([q, v], [null, vMask])).toBeNull();
    expect(att.computeMask([q, v], null)).toBeNull();
  });

  it('bad input names the layer, the argument, the expected and received shapes', () => {
    const att = new Attention({ name: 'att_bad' });
    expect(() => att.apply(q)).toThrow(/att_bad: expects a list of inputs \[query, value\].*\[2,3,5\]/);
    expect(() => att.apply([q])).toThrow(/att_bad: expects a list of 2 or 3 inputs.*received 1/);
    expect(() => att.apply([q, v, k, k])).toThrow(/att_bad: expects a list of 2 or 3 inputs.*received 4/);
    expect(() => att.apply([q, v, randomInput([B, Tv + 1, D], 5)])).toThrow(
      /att_bad: key must have the value's number of time steps.*\[2,5,5\].*\[2,4,5\]/,
    );
    expect(() => att.apply([q, randomInput([B + 1, Tv, D], 5)])).toThrow(
      /att_bad: query, value must have the same batch size.*\[2,3,5\], \[3,4,5\]/,
    );
    expect(() => att.apply([q, v, randomInput([B, Tv, D + 1], 5)])).toThrow(
      /att_bad: the query and the key must have the same last dimension.*\[2,3,5\].*\[2,4,6\]/,
    );
    expect(() => att.apply([q, v], { mask: vMask as unknown as Tensor[] })).toThrow(
      /att_bad: mask must be a list \[queryMask, valueMask\]/,
    );
    expect(() => att.apply([q, v], { mask: [null, tensor([[1, 1]])] })).toThrow(
      /att_bad: the value mask \(mask\[1\]\) must have shape \[2, 4\].*received \[1,2\]/,
    );
    expect(() => new Attention({ scoreMode: 'cosine' as 'dot' })).toThrow(/scoreMode must be 'dot' or 'concat', received "cosine"/);
    expect(() => new Attention({ use_scale: true } as object)).toThrow(/Attention: unknown option 'use_scale'; did you mean 'useScale'\?/);
    expect(() => new AdditiveAttention({ scoreMode: 'dot' } as object)).toThrow(/AdditiveAttention: unknown option 'scoreMode'/);
  });
});

describe('AdditiveAttention (Bahdanau) vs the float64 Keras formula', () => {
  it('scale [dim] (glorotUniform), masks and causal mask', () => {
    const att = new AdditiveAttention();
    att.apply([q, v]);
    expect(att.getWeights().map((t) => t.shape)).toEqual([[D]]);
    const scale = Array.from(att.getWeights()[0].dataSync());
    expect(scale.some((s) => s !== 0)).toBe(true);
    const [out, w] = att.apply([q, v, k], { mask: [qMask, vMask], returnAttentionScores: true }) as Tensor[];
    const [ro, rw] = reference(q, v, k, { mode: 'additive', scale, qMask: qMaskArr, vMask: vMaskArr });
    expectClose(out, ro);
    expectClose(w, rw);
    expectClose(att.apply([q, v], { useCausalMask: true }) as Tensor, reference(q, v, v, { mode: 'additive', scale, causal: true })[0]);
  });

  it('useScale false has no weights', () => {
    const att = new AdditiveAttention({ useScale: false });
    const out = att.apply([q, v, k]) as Tensor;
    expect(att.weights.length).toBe(0);
    expectClose(out, reference(q, v, k, { mode: 'additive', scale: null })[0]);
    expect(att.getConfig()).not.toHaveProperty('scoreMode');
    expect(att.getConfig().useScale).toBe(false);
  });

  it('gradients w.r.t. inputs and scale match finite differences', () => {
    const att = new AdditiveAttention();
    checkGradients((a, b, c) => att.apply([a, b, c], { mask: [qMask, vMask] }) as Tensor, [q, v, k]);
    const w = randomInput([B, Tq, D], 6);
    checkWeightGradients(att, () => (att.apply([q, v, k], { mask: [null, vMask] }) as Tensor).mul(w).sum());
  });
});

const input3 = (): Tensor[] => [
  randomNormal([2, 3, 4], 0, 1, 'float32', 1),
  randomNormal([2, 5, 6], 0, 1, 'float32', 2),
  randomNormal([2, 5, 4], 0, 1, 'float32', 3),
];

runLayerHarness({
  make: () => layers.attention({ useScale: true, scoreMode: 'concat', dropout: 0.1, seed: 1 }),
  inputShape: [2, 3, 4],
  makeInput: input3,
  expectedOutputShape: [2, 3, 6],
  expectedWeightShapes: [[], []],
  expectedParamCount: 2,
  title: 'Attention (concat, useScale)',
});

runLayerHarness({
  make: () => layers.attention(),
  inputShape: [2, 3, 4],
  makeInput: () =>
    input3()
      .slice(0, 2)
      .map((t, i) => (i === 1 ? randomNormal([2, 5, 4], 0, 1, 'float32', 2) : t)),
  expectedOutputShape: [2, 3, 4],
  expectedWeightShapes: [],
  expectedParamCount: 0,
  title: 'Attention (dot)',
});

runLayerHarness({
  make: () => layers.additiveAttention({ dropout: 0.2 }),
  inputShape: [2, 3, 4],
  makeInput: input3,
  expectedOutputShape: [2, 3, 6],
  expectedWeightShapes: [[4]],
  expectedParamCount: 4,
});
