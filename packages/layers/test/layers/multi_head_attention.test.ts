/**
 * MultiHeadAttention against a float64 loop re-implementation of Keras 3's definition (projections, scaled
 * dot product, masks, attention axes, output projection), Keras's weight names and shapes, finite-difference
 * gradients, the harness, and bad input.
 */
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import { layers, MultiHeadAttention } from '@recurrent/layers';
import { checkGradients, randomInput } from '../../../core/test/helpers/grad_check';
import { runLayerHarness } from '../helpers/layer_harness';
import { checkWeightGradients } from '../helpers/weight_grad_check';

/** keep(b, queryIndex[], keyIndex[]) → whether query position may attend to key position (middle-axis indices). */
type KeepFn = (b: number, qi: number[], ki: number[]) => boolean;

function unravel(p: number, dims: number[]): number[] {
  const out = new Array<number>(dims.length);
  for (let i = dims.length - 1; i >= 0; i--) {
    out[i] = p % dims[i];
    p = Math.floor(p / dims[i]);
  }
  return out;
}

/**
 * Keras 3 MultiHeadAttention in float64. `attnAxes` are input axes (1..rank−2). Returns the output (flat,
 * [batch, ..., outDim]) and, per (query position, head), the probabilities over the matching key positions.
 */
function reference(
  layer: MultiHeadAttention,
  query: Tensor,
  value: Tensor,
  key: Tensor,
  attnAxes: number[],
  keep: KeepFn | null,
): { out: number[]; probs: Map<string, number[]> } {
  const w = layer.getWeights().map((t) => Array.from(t.dataSync()));
  const names = layer.weights.map((x) => x.originalName.split('/').slice(-2).join('/'));
  const get = (n: string) => w[names.indexOf(n)];
  const N = layer.numHeads;
  const H = layer.keyDim;
  const Hv = layer.valueDim;
  const mid = query.shape.slice(1, -1);
  const kmid = key.shape.slice(1, -1);
  const B = query.shape[0];
  const rows = (x: Tensor) => {
    const d = x.shape[x.rank - 1];
    const v = x.dataSync();
    const n = x.size / d;
    return Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * d, (i + 1) * d)));
  };
  const project = (x: Tensor, name: string, h: number) => {
    const kernel = get(`${name}/kernel`);
    const bias = names.includes(`${name}/bias`) ? get(`${name}/bias`) : null;
    return rows(x).map((r) => {
      const out = new Array<number>(N * h).fill(0);
      for (let j = 0; j < N * h; j++) {
        let acc = bias ? bias[j] : 0;
        for (let d = 0; d < r.length; d++) acc += r[d] * kernel[d * N * h + j];
        out[j] = acc;
      }
      return out;
    });
  };
  const Q = project(query, 'query', H);
  const K = project(key, 'key', H);
  const V = project(value, 'value', Hv);
  const nq = mid.reduce((a, c) => a * c, 1);
  const nk = kmid.reduce((a, c) => a * c, 1);
  const wo = get('attention_output/kernel');
  const bo = names.includes('attention_output/bias') ? get('attention_output/bias') : null;
  const outDim = wo.length / (N * Hv);
  const out: number[] = [];
  const probs = new Map<string, number[]>();
  for (let b = 0; b < B; b++) {
    for (let pq = 0; pq < nq; pq++) {
      const qi = unravel(pq, mid);
      const cands: number[] = [];
      for (let pk = 0; pk < nk; pk++) {
        const ki = unravel(pk, kmid);
        if (qi.every((x, a) => attnAxes.includes(a + 1) || x === ki[a])) cands.push(pk);
      }
      const heads = new Array<number>(N * Hv).fill(0);
      for (let n = 0; n < N; n++) {
        const s = cands.map((pk) => {
          let acc = 0;
          for (let h = 0; h < H; h++) acc += Q[b * nq + pq][n * H + h] * K[b * nk + pk][n * H + h];
          acc /= Math.sqrt(H);
          return keep && !keep(b, qi, unravel(pk, kmid)) ? acc - 1e9 : acc;
        });
        const m = Math.max(...s);
        const e = s.map((x) => Math.exp(x - m));
        const z = e.reduce((a, c) => a + c, 0);
        const p = e.map((x, j) => (keep && !keep(b, qi, unravel(cands[j], kmid)) ? 0 : x / z));
        probs.set(`${b}:${pq}:${n}`, p);
        for (let hv = 0; hv < Hv; hv++) {
          let acc = 0;
          cands.forEach((pk, j) => (acc += p[j] * V[b * nk + pk][n * Hv + hv]));
          heads[n * Hv + hv] = acc;
        }
      }
      for (let o = 0; o < outDim; o++) {
        let acc = bo ? bo[o] : 0;
        for (let j = 0; j < N * Hv; j++) acc += heads[j] * wo[j * outDim + o];
        out.push(acc);
      }
    }
  }
  return { out, probs };
}

function expectClose(actual: Tensor, expected: number[], tol = 1e-4): void {
  const a = actual.dataSync();
  expect(a.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[i]));
  expect(worst).toBeLessThan(tol);
}

/** Gives every weight (biases included) random values so biases matter in the comparison. */
function randomizeWeights(layer: MultiHeadAttention, seed: number): void {
  layer.setWeights(layer.getWeights().map((w, i) => randomInput(w.shape, seed + i, -0.6, 0.6)));
}

const B = 2;
const T = 3;
const S = 4;
const query = randomInput([B, T, 5], 1);
const value = randomInput([B, S, 6], 2);
const key = randomInput([B, S, 7], 3);

describe('MultiHeadAttention vs the float64 Keras definition', () => {
  it("weights have Keras's names, shapes and order", () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 4, name: 'mha' });
    mha.apply([query, value, key]);
    expect(mha.weights.map((w) => [w.originalName, w.shape])).toEqual([
      ['mha/query/kernel', [5, 2, 3]],
      ['mha/query/bias', [2, 3]],
      ['mha/key/kernel', [7, 2, 3]],
      ['mha/key/bias', [2, 3]],
      ['mha/value/kernel', [6, 2, 4]],
      ['mha/value/bias', [2, 4]],
      ['mha/attention_output/kernel', [2, 4, 5]],
      ['mha/attention_output/bias', [5]],
    ]);
    const noBias = new MultiHeadAttention({ numHeads: 2, keyDim: 3, useBias: false, outputShape: [2, 3] });
    const y = noBias.apply([query, value]) as Tensor;
    expect(noBias.getWeights().map((w) => w.shape)).toEqual([
      [5, 2, 3],
      [6, 2, 3],
      [6, 2, 3],
      [2, 3, 2, 3],
    ]);
    expect(y.shape).toEqual([B, T, 2, 3]);
  });

  it('output and scores without masks (value as key, and a separate key)', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 4 });
    mha.apply([query, value, key]);
    randomizeWeights(mha, 10);
    const [out, scores] = mha.apply([query, value, key], { returnAttentionScores: true }) as Tensor[];
    const ref = reference(mha, query, value, key, [1], null);
    expectClose(out, ref.out);
    expect(scores.shape).toEqual([B, 2, T, S]);
    const sv = scores.dataSync();
    for (let b = 0; b < B; b++)
      for (let n = 0; n < 2; n++)
        for (let t = 0; t < T; t++) {
          const p = ref.probs.get(`${b}:${t}:${n}`)!;
          for (let s = 0; s < S; s++) expect(sv[((b * 2 + n) * T + t) * S + s]).toBeCloseTo(p[s], 5);
        }
    const selfMha = new MultiHeadAttention({ numHeads: 3, keyDim: 2, outputShape: 4 });
    selfMha.apply([query, query]);
    randomizeWeights(selfMha, 20);
    const y = selfMha.apply([query, query]) as Tensor;
    expect(y.shape).toEqual([B, T, 4]);
    expectClose(y, reference(selfMha, query, query, query, [1], null).out);
  });

  it('query, value and key masks, attentionMask and the causal mask combine with AND', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3 });
    const qSelf = randomInput([B, S, 5], 7);
    const kSelf = randomInput([B, S, 7], 8);
    mha.apply([qSelf, value, kSelf]);
    randomizeWeights(mha, 30);
    const qm = [
      [1, 1, 0, 1],
      [1, 1, 1, 1],
    ];
    const vm = [
      [1, 0, 1, 1],
      [1, 1, 1, 0],
    ];
    const km = [
      [1, 1, 1, 1],
      [1, 1, 0, 1],
    ];
    const am = Array.from({ length: B }, (_, b) =>
      Array.from({ length: S }, (_, t) => Array.from({ length: S }, (_, s) => ((b + t + s) % 5 === 0 ? 0 : 1))),
    );
    const keep: KeepFn = (b, [t], [s]) => !!qm[b][t] && !!vm[b][s] && !!km[b][s] && s <= t && !!am[b][t][s];
    const out = mha.apply([qSelf, value, kSelf], {
      mask: [
        tensor(
          qm.map((r) => r.map(Boolean)),
          [B, S],
          'bool',
        ),
        tensor(vm),
        tensor(km),
      ],
      attentionMask: tensor(am),
      useCausalMask: true,
    }) as Tensor;
    expectClose(out, reference(mha, qSelf, value, kSelf, [1], keep).out);
    // A fully masked query row (qm[0][2] = 0) gets zero probabilities: its output is the output bias.
    const [, scores] = mha.apply([qSelf, value, kSelf], { mask: [tensor(qm), null], returnAttentionScores: true }) as Tensor[];
    const sv = scores.dataSync();
    for (let n = 0; n < 2; n++) for (let s = 0; s < S; s++) expect(sv[(n * S + 2) * S + s]).toBe(0);
  });

  it('rank-4 inputs: default attention over both inner axes, and attentionAxes [2] (axis 1 acts as batch)', () => {
    const q4 = randomInput([2, 2, 3, 4], 11);
    const v4 = randomInput([2, 2, 5, 4], 12);
    const joint = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    joint.apply([q4, q4]);
    randomizeWeights(joint, 40);
    const [y, sc] = joint.apply([q4, q4], { returnAttentionScores: true }) as Tensor[];
    expect(sc.shape).toEqual([2, 2, 2, 3, 2, 3]);
    expectClose(y, reference(joint, q4, q4, q4, [1, 2], null).out);
    const per = new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [2] });
    per.apply([q4, v4]);
    randomizeWeights(per, 50);
    const [y2, sc2] = per.apply([q4, v4], { returnAttentionScores: true }) as Tensor[];
    expect(sc2.shape).toEqual([2, 2, 2, 3, 5]);
    expect(
      per.computeOutputShape(
        [
          [null, 2, 3, 4],
          [null, 2, 5, 4],
        ],
        { returnAttentionScores: true },
      ),
    ).toEqual([
      [null, 2, 3, 4],
      [null, 2, 2, 3, 5],
    ]);
    expectClose(y2, reference(per, q4, v4, v4, [2], null).out);
    // -1 names the same axis as 2 for rank-4 inputs (Keras normalizes negative axes against the projected rank).
    const neg = new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: -2 });
    neg.apply([q4, v4]);
    neg.setWeights(per.getWeights());
    expectClose(neg.apply([q4, v4]) as Tensor, Array.from(y2.dataSync()), 1e-6);
  });

  it('output shapes as Keras (5-D input, attentionAxes [2, 3]; outputShape; null dims)', () => {
    const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [2, 3] });
    const x = randomNormal([1, 5, 3, 4, 16], 0, 1, 'float32', 1);
    const y = mha.apply([x, x]) as Tensor;
    expect(y.shape).toEqual([1, 5, 3, 4, 16]);
    expect(
      mha.computeOutputShape([
        [null, 5, 3, 4, 16],
        [null, 5, 3, 4, 16],
      ]),
    ).toEqual([null, 5, 3, 4, 16]);
    expect(mha.getWeights().map((w) => w.shape)).toEqual([[16, 2, 2], [2, 2], [16, 2, 2], [2, 2], [16, 2, 2], [2, 2], [2, 2, 16], [16]]);
    const m2 = layers.multiHeadAttention({ numHeads: 4, keyDim: 8, outputShape: [3] });
    expect(
      m2.computeOutputShape([
        [null, null, 16],
        [null, null, 12],
      ]),
    ).toEqual([null, null, 3]);
    expect(
      m2.computeOutputShape(
        [
          [null, 7, 16],
          [null, 9, 12],
        ],
        { returnAttentionScores: true },
      ),
    ).toEqual([
      [null, 7, 3],
      [null, 4, 7, 9],
    ]);
    const q = tensor([[1, 1]]);
    expect(m2.computeMask([query, value], [q, null])).toBe(q);
  });

  it('dropout in training only (seeded), scores returned before dropout as Keras', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, dropout: 0.5, seed: 2 });
    const a = mha.apply([query, value]) as Tensor;
    const b = mha.apply([query, value]) as Tensor;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const [c, sc] = mha.apply([query, value], { training: true, returnAttentionScores: true }) as Tensor[];
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    const rowSums = Array.from({ length: B * 2 * T }, (_, r) =>
      Array.from(sc.dataSync().subarray(r * S, (r + 1) * S)).reduce((x, y) => x + y, 0),
    );
    rowSums.forEach((s) => expect(s).toBeCloseTo(1, 5));
  });

  it('gradients w.r.t. the inputs and every weight match finite differences (with masks)', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: 3 });
    const q = randomInput([1, 3, 3], 21);
    const v = randomInput([1, 4, 2], 22);
    const k = randomInput([1, 4, 3], 23);
    mha.apply([q, v, k]);
    randomizeWeights(mha, 60);
    const vm = tensor([[1, 1, 0, 1]]);
    checkGradients((a, b, c) => mha.apply([a, b, c], { mask: [null, vm], useCausalMask: true }) as Tensor, [q, v, k]);
    const w = randomInput([1, 3, 3], 24);
    checkWeightGradients(mha, () => (mha.apply([q, v, k], { mask: [null, vm] }) as Tensor).mul(w).sum());
  });

  it('bad input names the layer, the argument, the expected and received', () => {
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'mha_bad' });
    expect(() => mha.apply(query)).toThrow(/mha_bad: expects a list of inputs \[query, value\]/);
    expect(() => mha.apply([query])).toThrow(/mha_bad: expects a list of 2 or 3 inputs.*received 1/);
    expect(() => mha.apply([query, value, randomInput([B, S + 1, 7], 1)])).toThrow(
      /mha_bad: all dimensions of value and key except the last must be equal.*\[2,4,6\].*\[2,5,7\]/,
    );
    expect(() => mha.apply([query, randomInput([B + 1, S, 6], 1)])).toThrow(
      /mha_bad: query, value must have the same batch size.*\[2,3,5\], \[3,4,6\]/,
    );
    expect(() => mha.apply([query, randomInput([B, 6], 1)])).toThrow(
      /mha_bad: query, value and key must have the same rank ≥ 3.*value shape \[2,6\]/,
    );
    const built = new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'mha_mask' });
    expect(() => built.apply([query, value], { mask: [null, tensor([[1, 1, 1]])] })).toThrow(
      /mha_mask: the value mask \(mask\[1\]\) must have shape \[2, 4\]/,
    );
    expect(() => built.apply([query, value], { attentionMask: tensor([[[1, 1]]]) })).toThrow(
      /mha_mask: the attention mask of shape \[1,1,2\] does not broadcast to the attention scores \[2,2,3,4\]/,
    );
    expect(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow(/numHeads must be an integer ≥ 1, received 0/);
    expect(() => new MultiHeadAttention({ numHeads: 2 } as never)).toThrow(/numHeads and keyDim are required/);
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [0] }).apply([query, value])).toThrow(
      /attentionAxes \[0\] must name distinct axes/,
    );
    expect(() => new MultiHeadAttention({ numHeads: 2, key_dim: 2 } as never)).toThrow(
      /MultiHeadAttention: unknown option 'key_dim'; did you mean 'keyDim'\?/,
    );
  });
});

const mhaInputs = (): Tensor[] => [
  randomNormal([2, 3, 4], 0, 1, 'float32', 1),
  randomNormal([2, 5, 6], 0, 1, 'float32', 2),
  randomNormal([2, 5, 3], 0, 1, 'float32', 3),
];

runLayerHarness({
  make: () => layers.multiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2, dropout: 0.1, seed: 4, kernelInitializer: 'heNormal' }),
  inputShape: [2, 3, 4],
  makeInput: mhaInputs,
  expectedOutputShape: [2, 3, 4],
  expectedWeightShapes: [[4, 2, 3], [2, 3], [3, 2, 3], [2, 3], [6, 2, 2], [2, 2], [2, 2, 4], [4]],
  expectedParamCount: 24 + 6 + 18 + 6 + 24 + 4 + 16 + 4,
  tolerance: 1e-6,
});

runLayerHarness({
  make: () => layers.multiHeadAttention({ numHeads: 1, keyDim: 2, useBias: false, outputShape: [2, 2], attentionAxes: [1] }),
  inputShape: [2, 3, 4],
  makeInput: () => mhaInputs().slice(0, 2),
  expectedOutputShape: [2, 3, 2, 2],
  expectedWeightShapes: [
    [4, 1, 2],
    [6, 1, 2],
    [6, 1, 2],
    [1, 2, 2, 2],
  ],
  expectedParamCount: 8 + 12 + 12 + 8,
  title: 'MultiHeadAttention (no bias, outputShape, attentionAxes)',
  tolerance: 1e-6,
});

runLayerHarness({
  make: () => layers.multiHeadAttention({ numHeads: 2, keyDim: 2, useGate: true, slidingWindow: 2 }),
  inputShape: [2, 3, 4],
  makeInput: () =>
    mhaInputs()
      .slice(0, 1)
      .concat([randomNormal([2, 3, 4], 0, 1, 'float32', 5)]),
  expectedOutputShape: [2, 3, 4],
  expectedWeightShapes: [[4, 2, 2], [2, 2], [4, 2, 2], [2, 2], [4, 2, 2], [2, 2], [4, 2, 2], [2, 2], [2, 2, 4], [4]],
  expectedParamCount: 4 * (16 + 4) + 16 + 4,
  title: 'MultiHeadAttention (useGate, slidingWindow)',
  tolerance: 1e-6,
});
