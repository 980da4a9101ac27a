import { add, grads, mul, sum, Tensor, tensor } from '../../src';
import { withTape } from '../../src/engine';
import { buildCase, CaseSpec, CaseTensors, describeCase, optionsOf, runOp, tensorsOf } from './cases';
import { randomArray, reference, RefArgs, rng } from './reference';

type Key = 'x' | 'W' | 'R' | 'bias' | 'h0' | 'c0';

interface LossWeights {
  last: number[] | null;
  seq: number[] | null;
  h: number[] | null;
  c: number[] | null;
}

function lossWeights(a: RefArgs, which: { last?: boolean; seq?: boolean; h?: boolean; c?: boolean }, seed: number): LossWeights {
  const r = rng(seed);
  const n = a.B * a.U;
  return {
    last: which.last ? randomArray(r, n, 0.5, 1.5) : null,
    seq: which.seq ? randomArray(r, n * a.T, -1.5, 1.5) : null,
    h: which.h ? randomArray(r, n, -1.5, 1.5) : null,
    c: which.c && a.cell === 'lstm' ? randomArray(r, n, -1.5, 1.5) : null,
  };
}

/** L = Σ w ⊙ output over the weighted outputs, in float64 through the reference. */
function referenceLoss(a: RefArgs, w: LossWeights): number {
  const out = reference(a);
  const dot = (p: number[] | null, q: number[] | null) => (p && q ? p.reduce((s, v, i) => s + v * q[i], 0) : 0);
  return dot(w.last, out.last) + dot(w.seq, out.seq) + dot(w.h, out.h) + dot(w.c, out.c);
}

/** ∂L/∂(every element of input `key`) by central differences on the float64 reference. */
function numericGrad(a: RefArgs, w: LossWeights, key: Key, eps = 1e-6): number[] {
  const v = a[key] as number[];
  const g: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const orig = v[i];
    v[i] = orig + eps;
    const lp = referenceLoss(a, w);
    v[i] = orig - eps;
    const lm = referenceLoss(a, w);
    v[i] = orig;
    g.push((lp - lm) / (2 * eps));
  }
  return g;
}

function expectClose(analytic: ArrayLike<number>, numeric: number[], what: string): void {
  expect(analytic.length).toBe(numeric.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < numeric.length; i++) {
    const err = Math.abs(analytic[i] - numeric[i]) - (1e-3 * Math.max(Math.abs(analytic[i]), Math.abs(numeric[i])) + 1e-4);
    if (err > worst) {
      worst = err;
      at = i;
    }
  }
  if (at >= 0) throw new Error(`${what}[${at}]: analytic ${analytic[at]} vs numeric ${numeric[at]}`);
}

function checkGrads(spec: CaseSpec, which: { last?: boolean; seq?: boolean; h?: boolean; c?: boolean }): void {
  const { ref, returnSequences } = buildCase(spec);
  const w = lossWeights(ref, { ...which, seq: which.seq && returnSequences }, 11);
  const t = tensorsOf(ref);
  const keys: Key[] = (['x', 'W', 'R', 'bias', 'h0', 'c0'] as Key[]).filter((k) => ref[k] !== null);
  const opts = optionsOf(ref, returnSequences);
  const loss = (...args: Tensor[]): Tensor => {
    const tt: CaseTensors = { x: t.x, W: t.W, R: t.R, bias: null, h0: null, c0: null };
    keys.forEach((k, i) => (tt[k] = args[i]));
    const out = runOp(ref, tt, opts);
    const parts: Tensor[] = [];
    const weigh = (o: Tensor, wv: number[] | null) => wv && parts.push(sum(mul(o, tensor(Float32Array.from(wv)).reshape(o.shape))));
    weigh(out[0], w.last);
    if (returnSequences) weigh(out[1], w.seq);
    weigh(out[2], w.h);
    if (ref.cell === 'lstm') weigh(out[3], w.c);
    return parts.reduce((p, q) => add(p, q));
  };
  const g = grads(loss)(keys.map((k) => t[k] as Tensor));
  keys.forEach((k, i) => {
    expect(g[i].shape).toEqual((t[k] as Tensor).shape);
    expectClose(g[i].dataSync(), numericGrad(ref, w, k), k);
  });
}

const CELLS: CaseSpec[] = [{ cell: 'simple' }, { cell: 'lstm' }, { cell: 'gru', resetAfter: false }, { cell: 'gru', resetAfter: true }];

const ALL = { last: true, seq: true, h: true, c: true };

describe('fused sequence kernels: gradients against central differences of the float64 reference', () => {
  for (const cell of CELLS) {
    const cases: [Partial<CaseSpec>, typeof ALL | { last: boolean }, string][] = [
      [{ initialStates: true }, ALL, 'loss on sequence, last output and final states'],
      [{ initialStates: true, mask: true, goBackwards: true }, ALL, 'all outputs'],
      [{ initialStates: true, mask: true }, { last: true }, 'last output only'],
      [{ useBias: false, returnSequences: false, mask: true }, ALL, 'no sequences'],
      [{ initialStates: true, mask: true, inDrop: 'perGate', recDrop: 'perGate' }, ALL, 'all outputs'],
      [
        { initialStates: true, mask: true, inDrop: 'shared', recDrop: 'shared', maskedOutputInit: 'initialState', goBackwards: true },
        ALL,
        'all outputs',
      ],
      [{ initialStates: true, act: 'relu', recAct: 'hardSigmoid', seed: 5 }, ALL, 'all outputs'],
      [{ initialStates: true, act: 'softsign', recAct: 'tanh', mask: true, seed: 6 }, ALL, 'all outputs'],
      [{ initialStates: true, act: 'elu', recAct: 'linear', seed: 7 }, ALL, 'all outputs'],
      [{ initialStates: true, act: 'selu', recAct: 'softsign', seed: 8, B: 3, T: 7, D: 2, U: 3, goBackwards: true }, ALL, 'all outputs'],
      [{ initialStates: true, act: 'hardSigmoidKeras3', recAct: 'hardSigmoidKeras3', mask: true, seed: 9 }, ALL, 'all outputs'],
    ];
    for (const [variant, which, lossName] of cases) {
      const spec = { ...cell, ...variant };
      it(`${describeCase(spec)}${variant.returnSequences === false ? ', no sequences' : ''}: ${lossName}`, () => checkGrads(spec, which));
    }
  }
});

describe('fused sequence kernels: tape', () => {
  it('the whole sequence is one tape node with every tensor input', () => {
    const { ref } = buildCase({ cell: 'lstm', initialStates: true, mask: true });
    const t = tensorsOf(ref);
    const opts = optionsOf(ref, true);
    const { tape } = withTape(() => runOp(ref, t, opts));
    expect(tape.length).toBe(1);
    expect(tape[0].inputs.map((x) => x.id)).toEqual([t.x, t.W, t.R, t.bias, t.h0, t.c0].map((x) => (x as Tensor).id));
    expect(tape[0].outputs.length).toBe(4);
  });

  it('null bias and initial states are not inputs of the node', () => {
    const { ref } = buildCase({ cell: 'gru', useBias: false });
    const t = tensorsOf(ref);
    const opts = optionsOf(ref, false);
    const { tape } = withTape(() => runOp(ref, t, opts));
    expect(tape.length).toBe(1);
    expect(tape[0].inputs.length).toBe(3);
    expect(tape[0].outputs.length).toBe(3);
  });

  it('gives the same values inside and outside a gradient scope (stored vs two-step buffers)', () => {
    for (const cell of CELLS) {
      const { ref } = buildCase({ ...cell, mask: true, initialStates: true, goBackwards: true, T: 6 });
      const t = tensorsOf(ref);
      const outside = runOp(ref, t, optionsOf(ref, true));
      const { result: inside } = withTape(() => runOp(ref, t, optionsOf(ref, true)));
      outside.forEach((o, i) => expect(Array.from(inside[i].dataSync())).toEqual(Array.from(o.dataSync())));
    }
  });
});
