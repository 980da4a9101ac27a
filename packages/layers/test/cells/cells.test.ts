/**
 * Cells on their own: the shared harness, one step against float64 formulas, bias initialization,
 * dropout masks (one per sequence, per gate, seeded, training only) and user-written cells.
 */
import { add, matMul, randomNormal, Tensor, tanh, tensor } from '@recurrent/core';
import {
  CallKwargs,
  GRUCell,
  Layer,
  layers,
  LSTMCell,
  registerClass,
  resetNameCounters,
  RNNCell,
  Shape,
  SimpleRNNCell,
  StackedRNNCells,
} from '../../src';
import type { LayerVariable } from '../../src';
import { runLayerHarness } from '../helpers/layer_harness';
import { uniform } from '../recurrent/rnn_test_utils';

const stepInput = (b: number, d: number, states: number[]) => () => [
  randomNormal([b, d], 0, 1, 'float32', 1),
  ...states.map((s, i) => randomNormal([b, s], 0, 1, 'float32', 2 + i)),
];

runLayerHarness({
  make: () => new SimpleRNNCell({ units: 3 }),
  inputShape: [2, 4],
  makeInput: stepInput(2, 4, [3]),
  expectedOutputShape: [
    [2, 3],
    [2, 3],
  ],
  expectedWeightShapes: [[4, 3], [3, 3], [3]],
  expectedParamCount: 12 + 9 + 3,
});
runLayerHarness({
  title: 'GRUCell (resetAfter false)',
  make: () => new GRUCell({ units: 3 }),
  inputShape: [2, 4],
  makeInput: stepInput(2, 4, [3]),
  expectedOutputShape: [
    [2, 3],
    [2, 3],
  ],
  expectedWeightShapes: [[4, 9], [3, 9], [9]],
  expectedParamCount: 36 + 27 + 9,
});
runLayerHarness({
  title: 'GRUCell (resetAfter true)',
  make: () => layers.gruCell({ units: 3, resetAfter: true, recurrentActivation: 'sigmoid', biasInitializer: 'ones' }),
  inputShape: [2, 4],
  makeInput: stepInput(2, 4, [3]),
  expectedOutputShape: [
    [2, 3],
    [2, 3],
  ],
  expectedWeightShapes: [
    [4, 9],
    [3, 9],
    [2, 9],
  ],
  expectedParamCount: 36 + 27 + 18,
});
runLayerHarness({
  make: () => new LSTMCell({ units: 2, kernelRegularizer: 'l2', recurrentConstraint: 'nonNeg', dropout: 0.2, seed: 3 }),
  inputShape: [2, 4],
  makeInput: stepInput(2, 4, [2, 2]),
  expectedOutputShape: [
    [2, 2],
    [2, 2],
    [2, 2],
  ],
  expectedWeightShapes: [[4, 8], [2, 8], [8]],
  expectedParamCount: 32 + 16 + 8,
});
runLayerHarness({
  make: () => new StackedRNNCells({ cells: [new LSTMCell({ units: 2 }), new SimpleRNNCell({ units: 3 })] }),
  inputShape: [2, 4],
  makeInput: stepInput(2, 4, [3, 2, 2]),
  expectedOutputShape: [
    [2, 3],
    [2, 3],
    [2, 2],
    [2, 2],
  ],
  expectedWeightShapes: [[4, 8], [2, 8], [8], [2, 3], [3, 3], [3]],
  expectedParamCount: 32 + 16 + 8 + 6 + 9 + 3,
});

// ------------------------------------------------------------------ float64 references
type M = number[][];
const arr = (t: Tensor): number[] => Array.from(t.dataSync());
function rows(t: Tensor): M {
  const [r, c] = t.shape;
  const v = arr(t);
  return Array.from({ length: r }, (_, i) => v.slice(i * c, (i + 1) * c));
}
const dot = (a: M, b: M): M => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const hsig = (v: number) => Math.min(1, Math.max(0, 0.2 * v + 0.5));
const cols = (m: M, from: number, n: number): M => m.map((r) => r.slice(from, from + n));
const addv = (m: M, v: number[]): M => m.map((r) => r.map((x, j) => x + v[j]));
const zip = (a: M, b: M, f: (p: number, q: number) => number): M => a.map((r, i) => r.map((x, j) => f(x, b[i][j])));

/** One float64 GRU step (both variants). */
export function gruStep64(
  x: M,
  h: M,
  W: M,
  Uk: M,
  bias: number[] | M | null,
  units: number,
  resetAfter: boolean,
  rec: (v: number) => number,
): M {
  const U = units;
  const xw = dot(x, W);
  const bIn = bias ? (resetAfter ? (bias as M)[0] : (bias as number[])) : new Array(3 * U).fill(0);
  const bRec = bias && resetAfter ? (bias as M)[1] : new Array(3 * U).fill(0);
  const xp = addv(xw, bIn);
  const hp = addv(dot(h, Uk), bRec);
  const z = zip(cols(xp, 0, U), cols(hp, 0, U), (a, b) => rec(a + b));
  const r = zip(cols(xp, U, U), cols(hp, U, U), (a, b) => rec(a + b));
  let hh: M;
  if (resetAfter)
    hh = zip(
      cols(xp, 2 * U, U),
      zip(r, cols(hp, 2 * U, U), (a, b) => a * b),
      (a, b) => Math.tanh(a + b),
    );
  else
    hh = zip(
      cols(xp, 2 * U, U),
      dot(
        zip(r, h, (a, b) => a * b),
        cols(Uk, 2 * U, U),
      ),
      (a, b) => Math.tanh(a + b),
    );
  return z.map((row, i) => row.map((zz, j) => zz * h[i][j] + (1 - zz) * hh[i][j]));
}

describe('cells: one step against float64 formulas', () => {
  beforeEach(() => resetNameCounters());
  const x = uniform([2, 3], 1, -2, 2);

  it("SimpleRNNCell: h' = tanh(x·W + b + h·U)", () => {
    const cell = new SimpleRNNCell({ units: 2 });
    const h = uniform([2, 2], 2);
    cell.apply([x, h]);
    cell.setWeights([uniform([3, 2], 3), uniform([2, 2], 4), uniform([2], 5)]);
    const [out, hNew] = cell.apply([x, h]) as Tensor[];
    const [W, Uk, b] = cell.getWeights();
    const want = addv(dot(rows(x), rows(W)), arr(b)).map((r, i) => r.map((v, j) => Math.tanh(v + dot(rows(h), rows(Uk))[i][j])));
    arr(out).forEach((v, k) => expect(Math.abs(v - want.flat()[k])).toBeLessThan(1e-6));
    expect(arr(hNew)).toEqual(arr(out));
  });

  it('LSTMCell: gates i, f, c, o with hardSigmoid and tanh; states [h, c]', () => {
    const cell = new LSTMCell({ units: 2 });
    const h = uniform([2, 2], 6);
    const c = uniform([2, 2], 7);
    cell.apply([x, h, c]);
    cell.setWeights([uniform([3, 8], 8), uniform([2, 8], 9), uniform([8], 10)]);
    const [out, h2, c2] = cell.apply([x, h, c]) as Tensor[];
    const [W, Uk, b] = cell.getWeights();
    const z = addv(
      zip(dot(rows(x), rows(W)), dot(rows(h), rows(Uk)), (p, q) => p + q),
      arr(b),
    );
    const cc = rows(c);
    const cWant = z.map((r, i) => [0, 1].map((j) => hsig(r[2 + j]) * cc[i][j] + hsig(r[j]) * Math.tanh(r[4 + j])));
    const hWant = z.map((r, i) => [0, 1].map((j) => hsig(r[6 + j]) * Math.tanh(cWant[i][j])));
    arr(c2).forEach((v, k) => expect(Math.abs(v - cWant.flat()[k])).toBeLessThan(1e-6));
    arr(h2).forEach((v, k) => expect(Math.abs(v - hWant.flat()[k])).toBeLessThan(1e-6));
    expect(arr(out)).toEqual(arr(h2));
  });

  for (const resetAfter of [false, true]) {
    it(`GRUCell resetAfter ${resetAfter}: gates z, r, h${resetAfter ? ', bias rows [input; recurrent]' : ''}`, () => {
      const cell = new GRUCell({ units: 2, resetAfter, recurrentActivation: 'sigmoid' });
      const h = uniform([2, 2], 11);
      cell.apply([x, h]);
      cell.setWeights([uniform([3, 6], 12), uniform([2, 6], 13), uniform(resetAfter ? [2, 6] : [6], 14)]);
      const [out] = cell.apply([x, h]) as Tensor[];
      const [W, Uk, b] = cell.getWeights();
      const want = gruStep64(rows(x), rows(h), rows(W), rows(Uk), resetAfter ? rows(b) : arr(b), 2, resetAfter, sig);
      arr(out).forEach((v, k) => expect(Math.abs(v - want.flat()[k])).toBeLessThan(1e-6));
    });
  }

  it('LSTMCell unitForgetBias (default true, Keras) sets the forget slice to ones on top of biasInitializer', () => {
    const a = new LSTMCell({ units: 3, biasInitializer: 'zeros' });
    a.apply([uniform([1, 2], 1), uniform([1, 3], 2), uniform([1, 3], 3)]);
    expect(arr(a.getWeights()[2])).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const b = new LSTMCell({ units: 2, unitForgetBias: false, biasInitializer: layers.lstmCell({ units: 1 }).options.biasInitializer });
    b.apply([uniform([1, 2], 1), uniform([1, 2], 2), uniform([1, 2], 3)]);
    expect(arr(b.getWeights()[2])).toEqual(new Array(8).fill(0));
    expect(a.getConfig().unitForgetBias).toBe(true);
    expect(b.getConfig().unitForgetBias).toBe(false);
  });

  it('StackedRNNCells: one step feeds each cell the previous output; states in reverse cell order', () => {
    const l = new LSTMCell({ units: 2 });
    const s = new SimpleRNNCell({ units: 3 });
    const stack = new StackedRNNCells({ cells: [l, s] });
    const hS = uniform([2, 3], 20);
    const hL = uniform([2, 2], 21);
    const cL = uniform([2, 2], 22);
    const [out, s1, h1, c1] = stack.apply([x, hS, hL, cL]) as Tensor[];
    const [lo, lh, lc] = l.call([x, hL, cL], {});
    const [so] = s.call([lo, hS], {});
    expect(arr(out)).toEqual(arr(so));
    expect(arr(s1)).toEqual(arr(so));
    expect(arr(h1)).toEqual(arr(lh));
    expect(arr(c1)).toEqual(arr(lc));
    expect(stack.stateSize).toEqual([3, 2, 2]);
    expect(stack.outputSize).toBe(3);
    expect(stack.weights.map((w) => w.originalName)).toEqual([
      'stacked_rnn_cells/RNNCell_0/kernel',
      'stacked_rnn_cells/RNNCell_0/recurrent_kernel',
      'stacked_rnn_cells/RNNCell_0/bias',
      'stacked_rnn_cells/RNNCell_1/kernel',
      'stacked_rnn_cells/RNNCell_1/recurrent_kernel',
      'stacked_rnn_cells/RNNCell_1/bias',
    ]);
  });

  it('cell errors name the cell and the expected state count', () => {
    const cell = new LSTMCell({ units: 2 });
    expect(() => cell.apply([x, uniform([2, 2], 1)])).toThrow(/lstm_cell.*2 state\(s\).*received 2 tensor/);
    expect(() => new GRUCell({ units: 0 })).toThrow(/GRUCell: units must be a positive integer, received 0/);
    expect(() => new SimpleRNNCell({ units: 2, dropout: 'a' as unknown as number })).toThrow(/simple_rnn_cell.*dropout/);
  });
});

describe('cells: variational dropout masks', () => {
  it('one mask set per sequence, per gate, 0 or 1/(1 − rate), only when training, seeded', () => {
    const cell = new LSTMCell({ units: 3, dropout: 0.5, recurrentDropout: 0.25, seed: 7 });
    expect(cell.getDropoutMasks(4, 5, false)).toBeNull();
    expect(cell.getDropoutMasks(4, 5, undefined)).toBeNull();
    const m1 = cell.getDropoutMasks(4, 5, true)!;
    expect(m1.length).toBe(4);
    expect(m1.map((m) => m.shape)).toEqual([
      [4, 5],
      [4, 5],
      [4, 5],
      [4, 5],
    ]);
    expect(cell.getDropoutMasks(4, 5, true)).toBe(m1); // reused within the sequence
    for (const m of m1) for (const v of arr(m)) expect([0, 2]).toContain(v);
    expect(arr(m1[0])).not.toEqual(arr(m1[1])); // per-gate masks differ
    const r1 = cell.getRecurrentDropoutMasks(4, 3, true)!;
    for (const v of arr(r1[0])) expect([0, 1 / 0.75].map((q) => Math.fround(q))).toContain(v);
    cell.resetDropoutMasks();
    const m2 = cell.getDropoutMasks(4, 5, true)!;
    expect(m2).not.toBe(m1);
    const again = new LSTMCell({ units: 3, dropout: 0.5, recurrentDropout: 0.25, seed: 7 });
    expect(arr(again.getDropoutMasks(4, 5, true)![2])).toEqual(arr(m1[2]));
    expect(new GRUCell({ units: 2, dropout: 0.1 }).getDropoutMasks(1, 2, true)!.length).toBe(3);
    expect(new SimpleRNNCell({ units: 2, dropout: 0.1 }).getDropoutMasks(1, 2, true)!.length).toBe(1);
  });

  it('inside an RNN layer the same masks apply at every step (manual loop with the cached masks agrees)', () => {
    for (const make of [
      () => new SimpleRNNCell({ units: 3, dropout: 0.4, recurrentDropout: 0.3, seed: 1 }),
      () => new GRUCell({ units: 3, dropout: 0.4, recurrentDropout: 0.3, seed: 2, resetAfter: true }),
      () => new GRUCell({ units: 3, dropout: 0.4, recurrentDropout: 0.3, seed: 2 }),
      () => new LSTMCell({ units: 3, dropout: 0.4, recurrentDropout: 0.3, seed: 3 }),
    ]) {
      const cell = make();
      const layer = layers.rnn({ cell, returnSequences: true });
      const xs = uniform([2, 4, 5], 9);
      const y = layer.apply(xs, { training: true }) as Tensor;
      // The masks of that call stay cached on the cell until the next sequence: step by hand with them.
      const masks = cell.getDropoutMasks(2, 5, true)!;
      expect(masks.length).toBeGreaterThan(0);
      let states = (Array.isArray(cell.stateSize) ? cell.stateSize : [cell.stateSize]).map(() => tensor(new Float32Array(6), [2, 3]));
      const outs: number[][] = [];
      for (let t = 0; t < 4; t++) {
        const xt = tensor(
          arr(xs).filter((_, i) => Math.floor(i / 5) % 4 === t),
          [2, 5],
        );
        const r = cell.call([xt, ...states], { training: true });
        outs.push(arr(r[0]));
        states = r.slice(1);
      }
      const yv = arr(y);
      for (let t = 0; t < 4; t++)
        for (let b = 0; b < 2; b++)
          for (let j = 0; j < 3; j++) {
            expect(Math.abs(yv[(b * 4 + t) * 3 + j] - outs[t][b * 3 + j])).toBeLessThan(1e-6);
          }
      // Not training: no dropout at all.
      const ref = layers.rnn({ cell: make(), returnSequences: true });
      ref.apply(xs);
      ref.setWeights(layer.getWeights());
      expect(arr(layer.apply(xs, { training: false }) as Tensor)).toEqual(arr(ref.apply(xs) as Tensor));
      expect(arr(layer.apply(xs) as Tensor)).toEqual(arr(ref.apply(xs) as Tensor));
      // Training differs from inference (masks are active).
      expect(arr(layer.apply(xs, { training: true }) as Tensor)).not.toEqual(arr(ref.apply(xs) as Tensor));
    }
  });
});

// ------------------------------------------------------------------ user-written cells

/** A minimal cell that is a plain Layer (not an RNNCell): h' = tanh(x·W + h). */
class MinimalCell extends Layer {
  static override className = 'MinimalCell';
  readonly stateSize: number;
  kernel!: LayerVariable;
  constructor(args: { units: number; name?: string }) {
    super(args);
    this.stateSize = args.units;
  }
  override build(s: Shape | Shape[]): void {
    const shape = (Array.isArray(s[0]) ? s[0] : s) as Shape;
    this.kernel = this.addWeight('kernel', [shape[shape.length - 1]!, this.stateSize], undefined, 'glorotUniform');
  }
  override call(inputs: Tensor | Tensor[]): Tensor[] {
    const [x, h] = inputs as Tensor[];
    const y = tanh(add(matMul(x, this.kernel), h));
    return [y, y];
  }
  override getConfig() {
    return { units: this.stateSize, ...super.getConfig() };
  }
}

/** An RNNCell using constants: h' = tanh(x·W + h + c), c a [batch, units] constant of the sequence. */
class ConstantCell extends RNNCell {
  static override className = 'ConstantCell';
  readonly stateSize: number;
  kernel!: LayerVariable;
  constructor(args: { units: number }) {
    super({});
    this.stateSize = args.units;
  }
  override build(s: Shape | Shape[]): void {
    const shape = (Array.isArray(s[0]) ? s[0] : s) as Shape;
    this.kernel = this.addWeight('kernel', [shape[shape.length - 1]!, this.stateSize], undefined, 'glorotUniform');
  }
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor[] {
    const [x, h] = inputs as Tensor[];
    const [c] = kwargs.constants as Tensor[];
    const y = tanh(add(add(matMul(x, this.kernel), h), c));
    return [y, y];
  }
}

describe('user-written cells in the generic rnn layer', () => {
  it('a plain Layer with stateSize and a one-step call runs in layers.rnn (and serializes once registered)', () => {
    registerClass(MinimalCell);
    const layer = layers.rnn({ cell: new MinimalCell({ units: 2 }), returnSequences: true, returnState: true });
    const xs = uniform([2, 3, 4], 1);
    const [seq, hT] = layer.apply(xs) as Tensor[];
    expect(seq.shape).toEqual([2, 3, 2]);
    expect(layer.weights.map((w) => w.originalName)).toEqual([`${layer.name}/kernel`]);
    const W = rows(layer.getWeights()[0]);
    let h: M = [
      [0, 0],
      [0, 0],
    ];
    const xv = arr(xs);
    for (let t = 0; t < 3; t++) {
      const xt = [0, 1].map((b) => xv.slice((b * 3 + t) * 4, (b * 3 + t + 1) * 4));
      h = zip(dot(xt, W), h, (a, b) => Math.tanh(a + b));
      const sv = arr(seq);
      h.flat().forEach((v, k) => expect(Math.abs(sv[(Math.floor(k / 2) * 3 + t) * 2 + (k % 2)] - v)).toBeLessThan(1e-6));
    }
    h.flat().forEach((v, k) => expect(Math.abs(arr(hT)[k] - v)).toBeLessThan(1e-6));
    const rebuilt = (layer.constructor as typeof Layer).fromConfig(JSON.parse(JSON.stringify(layer.getConfig())));
    expect(rebuilt.getConfig()).toEqual(layer.getConfig());
  });

  it('constants reach every step of the cell (tfjs note: tfjs throws NotImplemented)', () => {
    const layer = layers.rnn({ cell: new ConstantCell({ units: 2 }) });
    const xs = uniform([2, 3, 4], 2);
    const c = uniform([2, 2], 3);
    const y = layer.apply(xs, { constants: [c] }) as Tensor;
    const W = rows(layer.getWeights()[0]);
    let h: M = [
      [0, 0],
      [0, 0],
    ];
    const xv = arr(xs);
    for (let t = 0; t < 3; t++) {
      const xt = [0, 1].map((b) => xv.slice((b * 3 + t) * 4, (b * 3 + t + 1) * 4));
      h = zip(
        zip(dot(xt, W), h, (a, b) => a + b),
        rows(c),
        (a, b) => Math.tanh(a + b),
      );
    }
    h.flat().forEach((v, k) => expect(Math.abs(arr(y)[k] - v)).toBeLessThan(1e-6));
    // Without constants the cell's call fails: they really are what it reads.
    expect(() => layer.apply(xs)).toThrow();
    // A single tensor works as well as a list.
    expect(arr(layer.apply(xs, { constants: c }) as Tensor)).toEqual(arr(y));
  });
});
