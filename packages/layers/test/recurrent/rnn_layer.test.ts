/**
 * The RNN layers: harness, names and configs as tfjs, masks/output shapes, the fused-path choice,
 * fused vs op-by-op equality (incl. dropout), GRU resetAfter over sequences vs float64, finite
 * differences, stateful use and bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor, variableGrads, zeros } from '@recurrent/core';
import {
  deserialize,
  GRU,
  GRUCell,
  input,
  layers,
  LSTM,
  LSTMCell,
  resetNameCounters,
  RNN,
  serialize,
  SimpleRNN,
  SimpleRNNCell,
} from '../../src';
import type { SymbolicTensor } from '../../src';
import type { Layer } from '../../src';
import { checkGradients } from '@recurrent/test-utils';
import { runLayerHarness } from '../helpers/layer_harness';
import { asList, lossWeights, maxDiff, oursWithGrads, uniform, weightedLoss } from './rnn_test_utils';

runLayerHarness({
  make: () => new SimpleRNN({ units: 3 }),
  inputShape: [2, 5, 4],
  expectedOutputShape: [2, 3],
  expectedWeightShapes: [[4, 3], [3, 3], [3]],
  expectedParamCount: 24,
});
runLayerHarness({
  title: 'GRU returnSequences (resetAfter false)',
  make: () => new GRU({ units: 3, returnSequences: true }),
  inputShape: [2, 5, 4],
  expectedOutputShape: [2, 5, 3],
  expectedWeightShapes: [[4, 9], [3, 9], [9]],
  expectedParamCount: 72,
});
runLayerHarness({
  title: 'GRU resetAfter true, returnState, goBackwards, regularized',
  make: () =>
    layers.gru({
      units: 2,
      resetAfter: true,
      returnState: true,
      goBackwards: true,
      kernelRegularizer: 'l1',
      recurrentActivation: 'sigmoid',
    }),
  inputShape: [2, 5, 4],
  expectedOutputShape: [
    [2, 2],
    [2, 2],
  ],
  expectedWeightShapes: [
    [4, 6],
    [2, 6],
    [2, 6],
  ],
  expectedParamCount: 24 + 12 + 12,
});
runLayerHarness({
  title: 'LSTM returnSequences + returnState, no bias',
  make: () => new LSTM({ units: 2, returnSequences: true, returnState: true, useBias: false }),
  inputShape: [2, 5, 4],
  expectedOutputShape: [
    [2, 5, 2],
    [2, 2],
    [2, 2],
  ],
  expectedWeightShapes: [
    [4, 8],
    [2, 8],
  ],
  expectedParamCount: 48,
});
runLayerHarness({
  title: 'RNN over a SimpleRNNCell',
  make: () => layers.rnn({ cell: layers.simpleRNNCell({ units: 3, activation: 'relu' }) }),
  inputShape: [2, 5, 4],
  expectedOutputShape: [2, 3],
  expectedWeightShapes: [[4, 3], [3, 3], [3]],
  expectedParamCount: 24,
});
runLayerHarness({
  title: 'RNN over stacked cells, returnState',
  make: () => layers.rnn({ cell: [layers.gruCell({ units: 2 }), layers.lstmCell({ units: 3 })], returnState: true }),
  inputShape: [2, 5, 4],
  expectedOutputShape: [
    [2, 3],
    [2, 3],
    [2, 3],
    [2, 2],
  ],
  expectedWeightShapes: [[4, 6], [2, 6], [6], [2, 12], [3, 12], [12]],
  expectedParamCount: 24 + 12 + 6 + 24 + 36 + 12,
});

const arr = (t: Tensor): number[] => Array.from(t.dataSync());

describe('RNN layers: names and config as tfjs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(() => resetNameCounters());

  it('default names, weight names (tfjs drops the cell segment; stacked cells get RNNCell_k)', () => {
    const x = uniform([2, 3, 4], 1);
    const a = layers.lstm({ units: 2 });
    const b = layers.lstm({ units: 2 });
    const g = layers.gru({ units: 2 });
    const s = layers.simpleRNN({ units: 2 });
    const r = layers.rnn({ cell: layers.gruCell({ units: 2 }) });
    const st = layers.rnn({ cell: [layers.lstmCell({ units: 2 }), layers.simpleRNNCell({ units: 3 })] });
    expect([a.name, b.name, g.name, s.name, r.name, st.name]).toEqual(['lstm', 'lstm_1', 'gru', 'simple_rnn', 'rnn', 'rnn_1']);
    for (const l of [a, b, g, s, r, st]) l.apply(x);
    const names = (l: Layer) => l.weights.map((w) => w.originalName);
    expect(names(a)).toEqual(['lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias']);
    expect(names(b)).toEqual(['lstm_1/kernel', 'lstm_1/recurrent_kernel', 'lstm_1/bias']);
    expect(names(r)).toEqual(['rnn/kernel', 'rnn/recurrent_kernel', 'rnn/bias']);
    expect(names(st)).toEqual([
      'rnn_1/RNNCell_0/kernel',
      'rnn_1/RNNCell_0/recurrent_kernel',
      'rnn_1/RNNCell_0/bias',
      'rnn_1/RNNCell_1/kernel',
      'rnn_1/RNNCell_1/recurrent_kernel',
      'rnn_1/RNNCell_1/bias',
    ]);
    // tfjs's names for the same layers, with tfjs's own layer-name prefix replaced by ours.
    const tst = tf.layers.rnn({ cell: [tf.layers.lstmCell({ units: 2 }), tf.layers.simpleRNNCell({ units: 3 })] });
    const tl = tf.layers.lstm({ units: 2 });
    tst.apply(tf.zeros([2, 3, 4]));
    tl.apply(tf.zeros([2, 3, 4]));
    expect(tst.weights.map((w) => w.originalName.replace(tst.name, 'rnn_1'))).toEqual(names(st));
    expect(tl.weights.map((w) => w.originalName.replace(tl.name, 'lstm'))).toEqual(names(a));
  });

  const cases: [string, () => Layer, () => tf.layers.Layer][] = [
    [
      'LSTM',
      () => layers.lstm({ units: 3, returnState: true, dropout: 0.1 }),
      () => tf.layers.lstm({ units: 3, returnState: true, dropout: 0.1 }),
    ],
    ['GRU', () => layers.gru({ units: 3, goBackwards: true }), () => tf.layers.gru({ units: 3, goBackwards: true })],
    ['SimpleRNN', () => layers.simpleRNN({ units: 3, activation: 'relu' }), () => tf.layers.simpleRNN({ units: 3, activation: 'relu' })],
    [
      'RNN(GRUCell)',
      () => layers.rnn({ cell: layers.gruCell({ units: 2 }) }),
      () => tf.layers.rnn({ cell: tf.layers.gruCell({ units: 2 }) }),
    ],
    [
      'RNN(stacked)',
      () => layers.rnn({ cell: [layers.lstmCell({ units: 2 }), layers.simpleRNNCell({ units: 3 })], returnSequences: true }),
      () => tf.layers.rnn({ cell: [tf.layers.lstmCell({ units: 2 }), tf.layers.simpleRNNCell({ units: 3 })], returnSequences: true }),
    ],
  ];
  for (const [title, ours, theirs] of cases) {
    it(`${title}: getConfig has tfjs's keys with tfjs's values (documented differences aside)`, () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const a: any = ours().getConfig();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const b: any = theirs().getConfig();
      // Keys tfjs has (including those it leaves undefined) are all ours too.
      for (const k of Object.keys(b)) expect({ key: k, present: k in a }).toEqual({ key: k, present: true });
      // Extra keys: dtype (always stored here), and the LSTM's Keras defaults tfjs leaves undefined.
      for (const k of Object.keys(a)) if (!(k in b)) expect(['dtype']).toContain(k);
      const skip = new Set(['name', 'kernelInitializer', 'recurrentInitializer', 'unitForgetBias', 'implementation', 'cell', 'cells']);
      for (const k of Object.keys(b)) if (!skip.has(k)) expect({ key: k, value: a[k] }).toEqual({ key: k, value: b[k] });
      // Differences: glorotUniform is serialized as itself (tfjs writes VarianceScaling); unitForgetBias is
      // true (Keras) and implementation 2 for LSTM/GRU (tfjs leaves both undefined).
      if (title !== 'RNN(stacked)') {
        expect(a.kernelInitializer.className).toBe('GlorotUniform');
        expect(a.recurrentInitializer.className).toBe('Orthogonal');
      } else {
        expect(a.cells.map((c: { className: string }) => c.className)).toEqual(b.cells.map((c: { className: string }) => c.className));
        expect(a.cell.config.cells.length).toBe(2);
      }
      if (title === 'LSTM') expect([a.unitForgetBias, a.implementation]).toEqual([true, 2]);
      if (title.startsWith('RNN')) {
        expect(a.cell.className).toBe(b.cell.className);
        expect(Object.keys(a.cell.config).sort()).toEqual(
          expect.arrayContaining(
            Object.keys(b.cell.config)
              .filter((k) => k !== 'implementation')
              .sort(),
          ),
        );
      }
    });
  }

  it('round trips through the registry, including a serialized cell and stacked cells', () => {
    const st = layers.rnn({
      cell: [layers.lstmCell({ units: 2, unitForgetBias: false }), layers.gruCell({ units: 3, resetAfter: true })],
      returnState: true,
    });
    const back = deserialize<RNN>(JSON.parse(JSON.stringify(serialize(st))), 'layer');
    expect(back).toBeInstanceOf(RNN);
    expect(back.getConfig()).toEqual(st.getConfig());
    const x = uniform([2, 3, 4], 3);
    st.apply(x);
    back.apply(x);
    back.setWeights(st.getWeights());
    asList(back.apply(x)).forEach((t, i) => expect(arr(t)).toEqual(arr(asList(st.apply(x))[i])));
    const lstm = deserialize<LSTM>({ className: 'LSTM', config: { units: 4, seed: 3, dropout: 0.2 } }, 'layer');
    expect(lstm).toBeInstanceOf(LSTM);
    expect(lstm.getConfig().seed).toBe(3);
  });
});

describe('RNN layers: shapes and masks', () => {
  it('computeOutputShape for every combination; computeMask passes the mask only with returnSequences', () => {
    const m = tensor([[true, false, true]], [1, 3], 'bool');
    const x = uniform([1, 3, 2], 1);
    for (const returnSequences of [false, true]) {
      for (const returnState of [false, true]) {
        const l = layers.lstm({ units: 4, returnSequences, returnState });
        const out = asList(l.apply(x, { mask: m }));
        const shape = l.computeOutputShape([null, 3, 2]);
        const main = returnSequences ? [null, 3, 4] : [null, 4];
        expect(shape).toEqual(returnState ? [main, [null, 4], [null, 4]] : main);
        expect(out.map((o) => o.shape)).toEqual(
          returnState ? [returnSequences ? [1, 3, 4] : [1, 4], [1, 4], [1, 4]] : [returnSequences ? [1, 3, 4] : [1, 4]],
        );
        const cm = l.computeMask(x, m);
        if (returnState) expect(cm).toEqual([returnSequences ? m : null, null, null]);
        else expect(cm).toBe(returnSequences ? m : null);
      }
    }
    expect(layers.gru({ units: 2 }).supportsMasking).toBe(true);
  });

  it('a fully masked row keeps the initial state and outputs zeros (Keras)', () => {
    const l = layers.simpleRNN({ units: 2, returnSequences: true, returnState: true });
    const x = uniform([2, 3, 2], 4);
    const h0 = uniform([2, 2], 5);
    const mask = tensor(
      [
        [0, 0, 0],
        [1, 1, 1],
      ],
      [2, 3],
      'float32',
    );
    const [seq, h] = l.apply(x, { mask, initialState: [h0] }) as Tensor[];
    expect(arr(seq).slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(arr(h).slice(0, 2)).toEqual(arr(h0).slice(0, 2));
  });
});

describe('RNN layers: the fused path', () => {
  it('built-in cells run the fused kernel (no cell.call); custom activations, constants or useFusedKernel=false run cell.call per step', () => {
    const x = uniform([2, 4, 3], 1);
    const l = layers.lstm({ units: 2 });
    l.apply(x);
    const spy = jest.spyOn(l.cell, 'call');
    l.apply(x);
    expect(spy).not.toHaveBeenCalled();
    l.useFusedKernel = false;
    l.apply(x);
    expect(spy).toHaveBeenCalledTimes(4);
    const soft = layers.gru({ units: 2, activation: 'softplus' });
    soft.apply(x);
    const spy2 = jest.spyOn(soft.cell, 'call');
    soft.apply(x);
    expect(spy2).toHaveBeenCalledTimes(4);
    const custom = layers.simpleRNN({ units: 2, activation: (t: Tensor) => t.tanh() });
    custom.apply(x);
    expect((custom.cell as SimpleRNNCell).sequenceKernel({})).toBeNull();
  });

  const makers: [string, (seed: number) => RNN][] = [
    [
      'SimpleRNN',
      (s) => layers.simpleRNN({ units: 3, returnSequences: true, returnState: true, dropout: 0.3, recurrentDropout: 0.2, seed: s }),
    ],
    ['GRU', (s) => layers.gru({ units: 3, returnSequences: true, returnState: true, dropout: 0.3, recurrentDropout: 0.2, seed: s })],
    [
      'GRU resetAfter',
      (s) =>
        layers.gru({
          units: 3,
          resetAfter: true,
          returnState: true,
          dropout: 0.3,
          recurrentDropout: 0.2,
          seed: s,
          recurrentActivation: 'sigmoid',
        }),
    ],
    ['LSTM', (s) => layers.lstm({ units: 3, returnSequences: true, returnState: true, dropout: 0.3, recurrentDropout: 0.2, seed: s })],
    [
      'stacked',
      (s) =>
        layers.rnn({
          cell: [
            layers.lstmCell({ units: 2, dropout: 0.3, seed: s }),
            layers.gruCell({ units: 3, recurrentDropout: 0.2, resetAfter: true, seed: s + 1 }),
          ],
          returnSequences: true,
          returnState: true,
        }),
    ],
  ];
  for (const [title, make] of makers) {
    for (const training of [false, true]) {
      for (const goBackwards of [false, true]) {
        it(`${title}: fused and op-by-op agree (outputs, gradients 1e-5) — training ${training}, goBackwards ${goBackwards}, mask, initial state`, () => {
          const fused = make(5);
          const steps = make(5);
          steps.useFusedKernel = false;
          (fused as unknown as { goBackwards: boolean }).goBackwards = goBackwards;
          (steps as unknown as { goBackwards: boolean }).goBackwards = goBackwards;
          const x = uniform([3, 4, 2], 8, -2, 2);
          fused.apply(x);
          steps.apply(x);
          fused.setWeights(fused.getWeights().map((w, i) => uniform(w.shape, 30 + i, -0.7, 0.7)));
          steps.setWeights(fused.getWeights());
          const mask = tensor(
            [
              [1, 0, 1, 1],
              [1, 1, 1, 0],
              [0, 1, 1, 1],
            ],
            [3, 4],
            'float32',
          );
          const sizes = Array.isArray(fused.cell.stateSize) ? fused.cell.stateSize : [fused.cell.stateSize];
          const states = sizes.map((s, i) => uniform([3, s], 40 + i));
          const kwargs = { mask, training };
          const w = lossWeights(
            asList(fused.apply(x, { ...kwargs, initialState: states })).map((o) => o.shape),
            2,
          );
          // Reset both generators' positions: rebuild the pair with the same seeds and weights.
          const f2 = make(5);
          const s2 = make(5);
          s2.useFusedKernel = false;
          for (const l of [f2, s2]) {
            (l as unknown as { goBackwards: boolean }).goBackwards = goBackwards;
            l.apply(x);
            l.setWeights(fused.getWeights());
          }
          const a = oursWithGrads(f2, x, kwargs, states, w);
          const b = oursWithGrads(s2, x, kwargs, states, w);
          a.outputs.forEach((o, k) => expect(maxDiff(o, b.outputs[k])).toBeLessThan(1e-5));
          a.dInputs.forEach((g, k) => expect(maxDiff(g, b.dInputs[k])).toBeLessThan(1e-5));
          a.dWeights.forEach((g, k) => expect(maxDiff(g, b.dWeights[k])).toBeLessThan(1e-5));
          if (training) {
            // Dropout was active: the result differs from inference.
            const plain = asList(f2.apply(x, { mask, initialState: states }));
            expect(maxDiff(plain[0], a.outputs[0])).toBeGreaterThan(1e-3);
          }
        });
      }
    }
  }
});

describe('RNN layers: finite-difference gradients through rnn() (fused and op-by-op, masks, goBackwards)', () => {
  /** Central differences of the weighted loss w.r.t. each trainable weight (variables are perturbed in place). */
  function checkWeightGradients(layer: RNN, run: () => Tensor[], w: Float32Array[]): void {
    const vars = layer.trainableWeights;
    const loss = () => arr(weightedLoss(run(), w))[0];
    const { grads: g } = variableGrads(() => weightedLoss(run(), w), vars);
    const eps = 1e-2;
    for (const v of vars) {
      const base = Float32Array.from(v.dataSync());
      const an = arr(g[v.name]);
      for (let j = 0; j < base.length; j++) {
        const p = Float32Array.from(base);
        p[j] = base[j] + eps;
        v.assign(tensor(p, v.shape.slice()));
        const lp = loss();
        p[j] = base[j] - eps;
        v.assign(tensor(p, v.shape.slice()));
        const lm = loss();
        v.assign(tensor(base, v.shape.slice()));
        const num = (lp - lm) / (2 * eps);
        expect({ weight: v.originalName, j, ok: Math.abs(an[j] - num) <= 2e-3 + 1e-2 * Math.max(Math.abs(num), Math.abs(an[j])) }).toEqual({
          weight: v.originalName,
          j,
          ok: true,
        });
      }
    }
  }

  const cells: [string, () => RNN][] = [
    ['SimpleRNN', () => layers.simpleRNN({ units: 2, returnSequences: true })],
    ['GRU', () => layers.gru({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' })],
    ['GRU resetAfter', () => layers.gru({ units: 2, returnSequences: true, resetAfter: true, recurrentActivation: 'sigmoid' })],
    ['LSTM', () => layers.lstm({ units: 2, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' })],
    [
      'stacked',
      () =>
        layers.rnn({
          cell: [layers.simpleRNNCell({ units: 2 }), layers.lstmCell({ units: 2, recurrentActivation: 'sigmoid' })],
          returnSequences: true,
          returnState: true,
        }),
    ],
  ];
  for (const [title, make] of cells) {
    for (const fused of [true, false]) {
      it(`${title} (${fused ? 'fused' : 'op-by-op'})`, () => {
        const layer = make();
        layer.useFusedKernel = fused;
        (layer as unknown as { goBackwards: boolean }).goBackwards = true;
        const x = uniform([2, 3, 2], 3);
        layer.apply(x);
        layer.setWeights(layer.getWeights().map((w, i) => uniform(w.shape, 70 + i, -0.8, 0.8)));
        const mask = tensor(
          [
            [1, 0, 1],
            [1, 1, 0],
          ],
          [2, 3],
          'float32',
        );
        const sizes = Array.isArray(layer.cell.stateSize) ? layer.cell.stateSize : [layer.cell.stateSize];
        const states = sizes.map((s, i) => uniform([2, s], 80 + i));
        // Inputs and initial states: the shared checker (first output; others are covered by the weights check).
        checkGradients((xx, ...ss) => asList(layer.apply(xx, { mask, initialState: ss }))[0], [x, ...states]);
        const run = () => asList(layer.apply(x, { mask, initialState: states }));
        checkWeightGradients(
          layer,
          run,
          lossWeights(
            run().map((o) => o.shape),
            4,
          ),
        );
      });
    }
  }
});

describe('GRU resetAfter true over sequences vs a float64 reference loop', () => {
  for (const fused of [true, false]) {
    it(`outputs and final state (${fused ? 'fused' : 'op-by-op'}), with mask, goBackwards and initial state`, () => {
      const B = 2;
      const T = 4;
      const D = 3;
      const U = 2;
      const l = layers.gru({
        units: U,
        resetAfter: true,
        recurrentActivation: 'sigmoid',
        returnSequences: true,
        returnState: true,
        goBackwards: true,
      });
      l.useFusedKernel = fused;
      const x = uniform([B, T, D], 1, -1.5, 1.5);
      l.apply(x);
      l.setWeights([uniform([D, 3 * U], 2), uniform([U, 3 * U], 3), uniform([2, 3 * U], 4)]);
      const h0 = uniform([B, U], 5);
      const maskRows = [
        [1, 1, 0, 1],
        [1, 0, 1, 1],
      ];
      const [seq, hT] = l.apply(x, { initialState: [h0], mask: tensor(maskRows, [B, T]) }) as Tensor[];
      const [W, Uk, bias] = l.getWeights().map(arr);
      const sig = (v: number) => 1 / (1 + Math.exp(-v));
      const xv = arr(x);
      const outs: number[][][] = [];
      for (let b = 0; b < B; b++) {
        let h = arr(h0).slice(b * U, (b + 1) * U);
        let prevOut = [0, 0];
        const rowsOut: number[][] = [];
        for (let s = 0; s < T; s++) {
          const t = T - 1 - s;
          if (maskRows[b][t] === 1) {
            const xt = xv.slice((b * T + t) * D, (b * T + t + 1) * D);
            const xp = Array.from({ length: 3 * U }, (_, j) => xt.reduce((acc, v, k) => acc + v * W[k * 3 * U + j], bias[j]));
            const hp = Array.from({ length: 3 * U }, (_, j) => h.reduce((acc, v, k) => acc + v * Uk[k * 3 * U + j], bias[3 * U + j]));
            const z = h.map((_, j) => sig(xp[j] + hp[j]));
            const r = h.map((_, j) => sig(xp[U + j] + hp[U + j]));
            const hh = h.map((_, j) => Math.tanh(xp[2 * U + j] + r[j] * hp[2 * U + j]));
            h = h.map((hv, j) => z[j] * hv + (1 - z[j]) * hh[j]);
            prevOut = h;
          }
          rowsOut.push(prevOut);
        }
        outs.push(rowsOut);
        arr(hT)
          .slice(b * U, (b + 1) * U)
          .forEach((v, j) => expect(Math.abs(v - h[j])).toBeLessThan(1e-5));
      }
      const sv = arr(seq);
      for (let b = 0; b < B; b++)
        for (let s = 0; s < T; s++)
          for (let j = 0; j < U; j++) {
            expect(Math.abs(sv[(b * T + s) * U + j] - outs[b][s][j])).toBeLessThan(1e-5);
          }
    });
  }
});

describe('RNN layers: stateful use and bad input', () => {
  beforeEach(() => resetNameCounters());

  it('stateful carries states between calls; resetStates zeroes or sets them; the batch size is fixed (declared or by the first call)', () => {
    const l = layers.gru({ units: 2, stateful: true, batchInputShape: [2, 3, 4] });
    const x = uniform([2, 3, 4], 1);
    const y1 = arr(l.apply(x) as Tensor);
    const y2 = arr(l.apply(x) as Tensor);
    expect(y2).not.toEqual(y1);
    l.resetStates();
    expect(arr(l.apply(x) as Tensor)).toEqual(y1);
    const h = uniform([2, 2], 2);
    l.resetStates([h]);
    const fresh = layers.gru({ units: 2 });
    fresh.apply(x);
    fresh.setWeights(l.getWeights());
    expect(arr(l.apply(x) as Tensor)).toEqual(arr(fresh.apply(x, { initialState: [h] }) as Tensor));
    expect(() => l.resetStates([uniform([3, 2], 1)])).toThrow(/Layer gru: resetStates\[0\] must have shape \[2,2\].*received \[3,2\]/);
    expect(() => l.apply(uniform([3, 3, 4], 1))).toThrow(/gru.*batch size 2.*\[3,3,4\]/);
    // Without a declared batch size the first call fixes it, as Keras 3 (the RNN guide's eager stateful LSTM) and
    // tfjs 4.22 (it was refused here); another batch size is then refused.
    const noBatch = layers.lstm({ units: 2, stateful: true });
    const first = arr(noBatch.apply(x) as Tensor);
    expect(arr(noBatch.apply(x) as Tensor)).not.toEqual(first);
    noBatch.resetStates();
    expect(arr(noBatch.apply(x) as Tensor)).toEqual(first);
    expect(() => noBatch.apply(uniform([3, 3, 4], 1))).toThrow(/lstm.*batch size 2.*\[3,3,4\]/);
    const withBatchSize = layers.lstm({ units: 2, stateful: true, inputShape: [3, 4], batchSize: 2 });
    expect((withBatchSize.apply(x) as Tensor).shape).toEqual([2, 2]);
    expect(() => layers.lstm({ units: 2 }).resetStates()).toThrow(/lstm_\d+: resetStates\(\) can only be called on a stateful RNN/);
  });

  it('a stateful layer called on a functional input({batchShape}) takes its batch size from it (Keras 3, tfjs)', () => {
    // The Keras guides' stateful RNN: keras.Input(batch_shape=(2, 3, 2)) → LSTM(stateful=True). Was refused with
    // 'a stateful RNN needs a fixed batch size; pass batchInputShape'. test/keras_examples/ in models compares it with Keras.
    const inp = input({ batchShape: [2, 3, 4] });
    const l = layers.lstm({ units: 2, stateful: true });
    const sym = l.apply(inp) as SymbolicTensor;
    expect(sym.shape).toEqual([2, 2]);
    const declared = layers.lstm({ units: 2, stateful: true, batchInputShape: [2, 3, 4] });
    declared.apply(uniform([2, 3, 4], 1));
    declared.setWeights(l.getWeights());
    declared.resetStates();
    const x = uniform([2, 3, 4], 3);
    expect(arr(l.apply(x) as Tensor)).toEqual(arr(declared.apply(x) as Tensor));
    expect(arr(l.apply(x) as Tensor)).toEqual(arr(declared.apply(x) as Tensor)); // the states carried alike
    l.resetStates();
    declared.resetStates();
    expect(arr(l.apply(x) as Tensor)).toEqual(arr(declared.apply(x) as Tensor));
    expect(() => l.apply(uniform([3, 3, 4], 1))).toThrow(/lstm.*batch size 2.*\[3,3,4\]/);
    // Without a batch size anywhere, the message says both ways to give one.
    expect(() => layers.gru({ units: 2, stateful: true, name: 'nobatch' }).apply(input({ shape: [3, 4] }))).toThrow(
      /^Layer nobatch: a stateful RNN needs a fixed batch size; pass batchInputShape \(e\.g\. \[32, 10, 8\]\) or inputShape with batchSize when creating the layer, or call it on an input with a batch size \(input\(\{batchShape: \[32, 10, 8\]\}\)\) \(received batchInputShape none, input shape \[null,3,4\]\)\.$/,
    );
  });

  it("Keras's GRU weights (bias [2, 3·units], resetAfter: true, its default) on our default GRU: the error says what to change", () => {
    const gru = layers.gru({ units: 2, name: 'g' });
    gru.apply(uniform([1, 4, 3], 1));
    const keras = [zeros([3, 6]), zeros([2, 6]), zeros([2, 6])];
    const hint = "; a [2, 3·units] bias is Keras's GRU with resetAfter: true (its default): create the GRU with resetAfter: true.";
    expect(() => gru.setWeights(keras)).toThrow(
      `Layer g: weight 'g/bias' has shape [6], but setWeights received a value of shape [2,6]${hint}`,
    );
    // Other shape errors keep their plain form.
    expect(() => gru.setWeights([zeros([3, 6]), zeros([2, 6]), zeros([7])])).toThrow(
      "Layer g: weight 'g/bias' has shape [6], but setWeights received a value of shape [7].",
    );
  });

  it('errors name the layer and the expected vs received shapes', () => {
    const lstm = layers.lstm({ units: 3 });
    expect(() => lstm.apply(uniform([2, 4], 1))).toThrow(/layer lstm.*expected ndim=3, found ndim=2.*\[2,4\]/);
    lstm.apply(uniform([2, 5, 4], 1));
    expect(() => lstm.apply(uniform([2, 5, 6], 1))).toThrow(/layer lstm.*expected shape=\[null,null,4\], found shape=\[2,5,6\]/);
    expect(() => lstm.apply(uniform([2, 5, 4], 1), { initialState: [zeros([2, 3]), zeros([2, 4])] })).toThrow(
      /Layer lstm: initialState\[1\] must have shape \[2,3\] \(\[batch, stateSize\]\), received \[2,4\]/,
    );
    expect(() => lstm.apply(uniform([2, 5, 4], 1), { initialState: [zeros([2, 3])] })).toThrow(
      /Layer lstm: initialState expects 2 state tensor\(s\) of shapes \[2,3\], \[2,3\], received 1/,
    );
    expect(() => lstm.apply(uniform([2, 5, 4], 1), { mask: tensor([[1, 0]], [1, 2]) })).toThrow(
      /mask must have shape \[batch, timeSteps\] = \[2,5\], received \[1,2\]/,
    );
    expect(() => layers.rnn({ cell: {} as unknown as LSTMCell })).toThrow(/RNN: cell must be a recurrent cell/);
    expect(() => layers.gru({ units: -1 })).toThrow(/GRU: units must be a positive integer, received -1/);
    // apply([x, ...states]) is accepted as tfjs does.
    const [y] = asList(layers.simpleRNN({ units: 3, returnState: true }).apply([uniform([2, 5, 4], 1), zeros([2, 3])]));
    expect(y.shape).toEqual([2, 3]);
  });

  it('regularizers of the cell weights appear in the layer losses; trainable=false moves weights', () => {
    const l = layers.lstm({ units: 2, kernelRegularizer: 'l2', biasRegularizer: 'l1' });
    l.apply(uniform([1, 2, 3], 1));
    expect(l.losses.length).toBe(2);
    expect(l.trainableWeights.length).toBe(3);
    l.trainable = false;
    expect(l.trainableWeights.length).toBe(0);
    expect(l.nonTrainableWeights.length).toBe(3);
    expect(l.lstmCell).toBeInstanceOf(LSTMCell);
    expect((layers.gru({ units: 1 }) as GRU).gruCell).toBeInstanceOf(GRUCell);
  });
});

describe('RNN layers: a sequence of 0 time steps', () => {
  it('is refused naming the layer and the shape given (the message named rnn() and, for ConvLSTM, the projected shape)', () => {
    expect(() => layers.lstm({ units: 2, name: 'enc' }).apply(zeros([1, 0, 3]))).toThrow(
      /^Layer enc: the input has 0 time steps \(shape \[1,0,3\]\); at least one is needed\.$/,
    );
    expect(() => layers.convLstm2d({ filters: 2, kernelSize: 1, name: 'clstm' }).apply(zeros([1, 0, 3, 3, 1]))).toThrow(
      /^Layer clstm: the input has 0 time steps \(shape \[1,0,3,3,1\]\); at least one is needed\.$/,
    );
  });
});
