/**
 * BahdanauAttentionCell through layers.rnn with the encoder outputs as constants: against an op-by-op float64
 * loop of the textbook recurrence, alignments, encoder mask, gradients, serialization and bad input.
 */
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import { BahdanauAttentionCell, deserialize, GRUCell, layers, RNN, serialize, SimpleRNNCell } from '@recurrent/layers';
import { checkGradients, randomInput } from '../../../core/test/helpers/grad_check';
import { runLayerHarness } from '../helpers/layer_harness';
import { checkWeightGradients } from '../helpers/weight_grad_check';

const B = 2;
const Td = 4;
const Te = 5;
const X = 3;
const E = 4;
const H = 3;
const U = 2;

const matVec = (w: number[], rows: number, cols: number, x: number[]) => {
  const out = new Array<number>(cols).fill(0);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[j] += x[i] * w[i * cols + j];
  return out;
};

/** The recurrence in float64 for an inner SimpleRNNCell (tanh): returns outputs [B, Td, H] and alphas [B, Td, Te]. */
function reference(cell: BahdanauAttentionCell, x: Tensor, mem: Tensor, memMask: number[][] | null): { ys: number[]; alphas: number[] } {
  const w = cell.getWeights().map((t) => Array.from(t.dataSync()));
  const [wq, wm, ba, v, kernel, rec, bias] = w;
  const xv = x.dataSync();
  const mv = mem.dataSync();
  const ys: number[] = [];
  const alphas: number[] = [];
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(H).fill(0);
    const keys = Array.from({ length: Te }, (_, s) => matVec(wm, E, U, Array.from(mv.subarray((b * Te + s) * E, (b * Te + s + 1) * E))));
    for (let t = 0; t < Td; t++) {
      const q = matVec(wq, H, U, h).map((z, u) => z + ba[u]);
      const scores = keys.map((k, s) => {
        let sc = 0;
        for (let u = 0; u < U; u++) sc += v[u] * Math.tanh(k[u] + q[u]);
        return memMask && !memMask[b][s] ? sc - 1e9 : sc;
      });
      const m = Math.max(...scores);
      const e = scores.map((z) => Math.exp(z - m));
      const zsum = e.reduce((a, c) => a + c, 0);
      const alpha = e.map((z) => z / zsum);
      alphas.push(...alpha);
      const ctx = new Array<number>(E).fill(0);
      for (let s = 0; s < Te; s++) for (let d = 0; d < E; d++) ctx[d] += alpha[s] * mv[(b * Te + s) * E + d];
      const xin = [...Array.from(xv.subarray((b * Td + t) * X, (b * Td + t + 1) * X)), ...ctx];
      const a = matVec(kernel, X + E, H, xin);
      const r = matVec(rec, H, H, h);
      h = a.map((z, j) => Math.tanh(z + r[j] + bias[j]));
      ys.push(...h);
    }
  }
  return { ys, alphas };
}

function expectClose(actual: Tensor, expected: number[], tol = 1e-5): void {
  const a = actual.dataSync();
  expect(a.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

const x = randomInput([B, Td, X], 1);
const mem = randomInput([B, Te, E], 2);

function makeLayer(): { layer: RNN; cell: BahdanauAttentionCell } {
  const cell = layers.attentionCell({ cell: new SimpleRNNCell({ units: H, biasInitializer: 'randomNormal' }), units: U });
  return { layer: layers.rnn({ cell, returnSequences: true }), cell };
}

describe('BahdanauAttentionCell', () => {
  it('matches the op-by-op float64 recurrence; alignments are the α of every step', () => {
    const { layer, cell } = makeLayer();
    const y = layer.apply(x, { constants: [mem] }) as Tensor;
    expect(y.shape).toEqual([B, Td, H]);
    const ref = reference(cell, x, mem, null);
    expectClose(y, ref.ys);
    const al = cell.alignmentHistory()!;
    expect(al.shape).toEqual([B, Td, Te]);
    // alignments are [batch, step, Te]; the reference is batch-major too.
    expectClose(al, ref.alphas);
  });

  it('weights: attention kernels then the inner cell, named under the RNN layer', () => {
    const { layer, cell } = makeLayer();
    layer.apply(x, { constants: [mem] });
    expect(layer.weights.map((w) => [w.originalName, w.shape])).toEqual([
      [`${layer.name}/attention_query_kernel`, [H, U]],
      [`${layer.name}/attention_memory_kernel`, [E, U]],
      [`${layer.name}/attention_bias`, [U]],
      [`${layer.name}/attention_v`, [U]],
      [`${layer.name}/${cell.cell.name}/kernel`, [X + E, H]],
      [`${layer.name}/${cell.cell.name}/recurrent_kernel`, [H, H]],
      [`${layer.name}/${cell.cell.name}/bias`, [H]],
    ]);
  });

  it('an encoder mask keeps attention off the padded encoder steps', () => {
    const { layer, cell } = makeLayer();
    const mm = [
      [1, 1, 1, 0, 0],
      [1, 1, 1, 1, 1],
    ];
    const y = layer.apply(x, {
      constants: [
        mem,
        tensor(
          mm.map((r) => r.map(Boolean)),
          [B, Te],
          'bool',
        ),
      ],
    }) as Tensor;
    const ref = reference(cell, x, mem, mm);
    expectClose(y, ref.ys);
    const al = cell.alignmentHistory()!.dataSync();
    for (let t = 0; t < Td; t++) expect(al[t * Te + 3] + al[t * Te + 4]).toBe(0);
  });

  it('standalone one step equals the first step of the layer', () => {
    const { layer, cell } = makeLayer();
    const y = layer.apply(x, { constants: [mem] }) as Tensor;
    const x0 = tensor(
      Array.from(x.dataSync()).filter((_, i) => Math.floor(i / X) % Td === 0),
      [B, X],
    );
    const [h1] = cell.apply([x0, tensor(new Float32Array(B * H), [B, H])], { constants: [mem] }) as Tensor[];
    const first = Array.from(y.dataSync()).filter((_, i) => Math.floor(i / H) % Td === 0);
    expectClose(h1, first, 1e-6);
  });

  it('works with a GRU inner cell, returnState, and gradients match finite differences (inputs, encoder outputs, weights)', () => {
    const cell = new BahdanauAttentionCell({ cell: new GRUCell({ units: 2 }), units: 2 });
    const layer = layers.rnn({ cell, returnState: true });
    const xs = randomInput([1, 3, 2], 5);
    const ms = randomInput([1, 3, 2], 6);
    const [out, state] = layer.apply(xs, { constants: [ms] }) as Tensor[];
    expect(out.shape).toEqual([1, 2]);
    expect(state.shape).toEqual([1, 2]);
    checkGradients((a, m) => (layer.apply(a, { constants: [m] }) as Tensor[])[0], [xs, ms]);
    const w = randomInput([1, 2], 7);
    checkWeightGradients(layer, () => (layer.apply(xs, { constants: [ms] }) as Tensor[])[0].mul(w).sum());
  });

  it('serializes with its inner cell and rebuilds to the same outputs', () => {
    const { layer } = makeLayer();
    const y = layer.apply(x, { constants: [mem] }) as Tensor;
    const rebuilt = deserialize<RNN>(JSON.parse(JSON.stringify(serialize(layer))), 'layer');
    expect(rebuilt.cell).toBeInstanceOf(BahdanauAttentionCell);
    rebuilt.apply(x, { constants: [mem] });
    rebuilt.setWeights(layer.getWeights());
    expectClose(rebuilt.apply(x, { constants: [mem] }) as Tensor, Array.from(y.dataSync()), 0);
    expect(rebuilt.getConfig()).toEqual(layer.getConfig());
  });

  it('bad input names the layer, the argument, expected and received', () => {
    const cell = layers.attentionCell({ cell: new SimpleRNNCell({ units: 2 }), units: 2, name: 'att_cell' });
    expect(() => layers.rnn({ cell }).apply(x)).toThrow(/att_cell: needs the encoder outputs as constants to build.*\[2,3\]/);
    const { layer } = makeLayer();
    layer.apply(x, { constants: [mem] });
    expect(() => layer.apply(x, { constants: [randomInput([B, Te, E + 1], 1)] })).toThrow(
      /the encoder outputs \(constants\[0\]\) must have shape \[batch, Te, 4\], received \[2,5,5\]/,
    );
    expect(() => layer.apply(x, { constants: [mem, tensor([[1, 1]])] })).toThrow(
      /the encoder mask \(constants\[1\]\) must have shape \[2, 5\].*received \[1,2\]/,
    );
    expect(() => layer.apply(x, { constants: [randomInput([B + 1, Te, E], 1)] })).toThrow(
      /the encoder outputs have batch 3 but the step input \[2,3\] has batch 2/,
    );
    expect(() => layers.attentionCell({ cell: new SimpleRNNCell({ units: 2 }) } as never)).toThrow(
      /units \(the attention size\) is required/,
    );
    expect(() => layers.attentionCell({ cell: 3 as never, units: 2 })).toThrow(/cell must be a recurrent cell/);
  });
});

runLayerHarness({
  make: () => layers.rnn({ cell: layers.attentionCell({ cell: layers.lstmCell({ units: 3 }), units: 4 }), returnSequences: true }),
  inputShape: [2, 4, 3],
  kwargs: { constants: [randomNormal([2, 5, 6], 0, 1, 'float32', 9)] },
  expectedOutputShape: [2, 4, 3],
  expectedWeightShapes: [[3, 4], [6, 4], [4], [4], [9, 12], [3, 12], [12]],
  expectedParamCount: 12 + 24 + 4 + 4 + 108 + 36 + 12,
  title: 'RNN(BahdanauAttentionCell(LSTMCell))',
});
