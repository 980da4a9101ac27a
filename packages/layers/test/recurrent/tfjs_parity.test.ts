/**
 * Parity with tfjs-layers: the same layer built in tfjs, given our weights and inputs, must give the
 * same outputs (1e-5) and gradients w.r.t. inputs, initial states and weights (1e-4), for every layer
 * and option tfjs supports. Each case runs on both our paths (fused kernel and op-by-op cell steps).
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import { layers, Layer, RNN, resetNameCounters } from '../../src';
import { asList, lossWeights, maxDiff, maxRelDiff, oursWithGrads, theirsWithGrads, toTf, uniform } from './rnn_test_utils';

type Kind = 'simpleRNN' | 'gru' | 'lstm';

interface Case {
  title: string;
  kind: Kind | 'stacked';
  opts?: Record<string, unknown>;
  mask?: number[][];
  initialState?: boolean;
  batch?: number;
  time?: number;
}

const B = 3;
const T = 5;
const D = 4;
const U = 3;

function makeOurs(c: Case): RNN {
  const o = { units: U, ...(c.opts ?? {}) };
  switch (c.kind) {
    case 'simpleRNN':
      return layers.simpleRNN(o);
    case 'gru':
      return layers.gru(o);
    case 'lstm':
      return layers.lstm({ unitForgetBias: false, ...o });
    default:
      return layers.rnn({
        cell: [layers.lstmCell({ units: 2 }), layers.gruCell({ units: 3 }), layers.simpleRNNCell({ units: 4 })],
        ...(c.opts ?? {}),
      });
  }
}

function makeTheirs(c: Case): tf.layers.Layer {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const o: any = { units: U, ...(c.opts ?? {}) };
  switch (c.kind) {
    case 'simpleRNN':
      return tf.layers.simpleRNN(o);
    case 'gru':
      return tf.layers.gru(o);
    case 'lstm':
      return tf.layers.lstm(o);
    default:
      return tf.layers.rnn({
        cell: [tf.layers.lstmCell({ units: 2 }), tf.layers.gruCell({ units: 3 }), tf.layers.simpleRNNCell({ units: 4 })],
        ...o,
      });
  }
}

const MASK = [
  [1, 1, 0, 1, 1],
  [1, 0, 0, 0, 1],
  [1, 1, 1, 1, 1],
];
const PADDED = [
  [1, 1, 1, 0, 0],
  [0, 0, 1, 1, 1],
  [1, 1, 1, 1, 1],
];

const CASES: Case[] = [];
for (const kind of ['simpleRNN', 'gru', 'lstm', 'stacked'] as const) {
  CASES.push(
    { title: 'defaults', kind },
    { title: 'returnSequences', kind, opts: { returnSequences: true } },
    { title: 'returnState', kind, opts: { returnState: true } },
    { title: 'returnSequences + returnState + goBackwards', kind, opts: { returnSequences: true, returnState: true, goBackwards: true } },
    { title: 'mask (holes)', kind, opts: { returnSequences: true, returnState: true }, mask: MASK },
    { title: 'mask (left and right padding), goBackwards', kind, opts: { returnSequences: true, goBackwards: true }, mask: PADDED },
    { title: 'initial state', kind, opts: { returnState: true }, initialState: true },
    {
      title: 'initial state + mask + goBackwards',
      kind,
      opts: { returnSequences: true, returnState: true, goBackwards: true },
      initialState: true,
      mask: MASK,
    },
  );
}
for (const kind of ['simpleRNN', 'gru', 'lstm'] as const) {
  CASES.push(
    { title: 'useBias false', kind, opts: { useBias: false, returnSequences: true } },
    { title: 'relu activation', kind, opts: { activation: 'relu', returnSequences: true } },
    { title: 'softplus activation (no fused kernel)', kind, opts: { activation: 'softplus' } },
    { title: 'linear activation', kind, opts: { activation: 'linear', returnState: true } },
  );
}
for (const kind of ['gru', 'lstm'] as const) {
  CASES.push(
    {
      title: 'sigmoid recurrentActivation, elu activation',
      kind,
      opts: { recurrentActivation: 'sigmoid', activation: 'elu', returnSequences: true },
    },
    { title: 'softsign/tanh, goBackwards', kind, opts: { recurrentActivation: 'tanh', activation: 'softsign', goBackwards: true } },
  );
}

function mask(c: Case): Tensor | undefined {
  return c.mask
    ? tensor(
        c.mask.flat().map((v) => v === 1),
        [B, T],
        'bool',
      )
    : undefined;
}

function initialStates(layer: RNN, c: Case): Tensor[] {
  if (!c.initialState) return [];
  const sizes = Array.isArray(layer.cell.stateSize) ? layer.cell.stateSize : [layer.cell.stateSize];
  return sizes.map((s, i) => uniform([B, s], 100 + i, -0.8, 0.8));
}

describe('RNN layers match tfjs-layers (outputs 1e-5, gradients 1e-4)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  beforeEach(() => resetNameCounters());

  for (const c of CASES) {
    for (const fused of [true, false]) {
      it(`${c.kind}: ${c.title} (${fused ? 'fused' : 'op-by-op'})`, () => {
        const ours = makeOurs(c);
        ours.useFusedKernel = fused;
        const theirs = makeTheirs(c);
        const x = uniform([B, T, D], 7, -1.5, 1.5);
        const m = mask(c);
        const states = initialStates(ours, c);
        // Build both, then copy our weights into tfjs.
        ours.apply(x);
        theirs.apply(toTf(x));
        // Make biases nonzero so they are exercised.
        ours.setWeights(ours.getWeights().map((w, i) => uniform(w.shape, 50 + i, -0.6, 0.6)));
        theirs.setWeights(ours.getWeights().map(toTf));

        const kwargs = m ? { mask: m } : {};
        const tkwargs = m ? { mask: toTf(m) } : {};
        const outShapes = asList(ours.apply(x, states.length ? { ...kwargs, initialState: states } : kwargs)).map((o) => o.shape);
        const w = lossWeights(outShapes, 3);
        const a = oursWithGrads(ours, x, kwargs, states, w);
        const b = theirsWithGrads(theirs, toTf(x), tkwargs, states.map(toTf), w);

        expect(a.outputs.length).toBe(b.outputs.length);
        a.outputs.forEach((o, k) => expect({ output: k, diff: maxDiff(o, b.outputs[k]) < 1e-5 }).toEqual({ output: k, diff: true }));
        a.dInputs.forEach((g, k) => expect({ dInput: k, diff: maxRelDiff(g, b.dInputs[k]) < 1e-4 }).toEqual({ dInput: k, diff: true }));
        expect(a.dWeights.length).toBe(b.dWeights.length);
        a.dWeights.forEach((g, k) => expect({ dWeight: k, diff: maxRelDiff(g, b.dWeights[k]) < 1e-4 }).toEqual({ dWeight: k, diff: true }));
      });
    }
  }

  for (const kind of ['simpleRNN', 'gru', 'lstm', 'stacked'] as const) {
    it(`${kind}: stateful across two calls, then resetStates`, () => {
      const c: Case = { title: 'stateful', kind, opts: { stateful: true, batchInputShape: [B, T, D], returnSequences: true } };
      const ours = makeOurs(c);
      const theirs = makeTheirs(c);
      const x1 = uniform([B, T, D], 11);
      const x2 = uniform([B, T, D], 12);
      ours.apply(x1);
      theirs.apply(toTf(x1));
      ours.setWeights(ours.getWeights().map((w, i) => uniform(w.shape, 60 + i, -0.6, 0.6)));
      theirs.setWeights(ours.getWeights().map(toTf));
      ours.resetStates();
      theirs.resetStates();
      for (const x of [x1, x2]) {
        const a = ours.apply(x) as Tensor;
        const b = theirs.apply(toTf(x)) as tf.Tensor;
        expect(maxDiff(a, b)).toBeLessThan(1e-5);
      }
      const s = ours.states!;
      const ts = (theirs as unknown as { states: tf.Tensor[] }).states;
      expect(s.length).toBe(ts.length);
      s.forEach((st, i) => expect(maxDiff(st, ts[i])).toBeLessThan(1e-5));
      ours.resetStates();
      theirs.resetStates();
      expect(maxDiff(ours.apply(x2) as Tensor, theirs.apply(toTf(x2)) as tf.Tensor)).toBeLessThan(1e-5);
    });
  }

  it('LSTM unitForgetBias: tfjs off vs ours off give the same initial bias (zeros); ours defaults to Keras ones', () => {
    const x = uniform([2, 3, 4], 1);
    const off = layers.lstm({ units: 2, unitForgetBias: false });
    const theirsOff = tf.layers.lstm({ units: 2 });
    off.apply(x);
    theirsOff.apply(toTf(x));
    expect(Array.from(off.getWeights()[2].dataSync())).toEqual(Array.from(theirsOff.getWeights()[2].dataSync()));
    const on = layers.lstm({ units: 2 });
    const theirsOn = tf.layers.lstm({ units: 2, unitForgetBias: true });
    on.apply(x);
    theirsOn.apply(toTf(x));
    expect(Array.from(on.getWeights()[2].dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(on.getWeights()[2].dataSync())).toEqual(Array.from(theirsOn.getWeights()[2].dataSync()));
  });

  it('stacked cells expose states in tfjs order (reverse cell order) with the same shapes', () => {
    const ours = layers.rnn({ cell: [layers.lstmCell({ units: 2 }), layers.simpleRNNCell({ units: 3 })], returnState: true });
    const theirs = tf.layers.rnn({ cell: [tf.layers.lstmCell({ units: 2 }), tf.layers.simpleRNNCell({ units: 3 })], returnState: true });
    const x = uniform([2, 4, 5], 2);
    const a = ours.apply(x) as Tensor[];
    const b = theirs.apply(toTf(x)) as tf.Tensor[];
    expect(a.map((t) => t.shape)).toEqual(b.map((t) => t.shape));
    expect(a.map((t) => t.shape)).toEqual([
      [2, 3],
      [2, 3],
      [2, 2],
      [2, 2],
    ]);
    expect(ours.cell.stateSize).toEqual([3, 2, 2]);
    theirs.setWeights(ours.getWeights().map(toTf));
    const b2 = theirs.apply(toTf(x)) as tf.Tensor[];
    a.forEach((t, i) => expect(maxDiff(t, b2[i])).toBeLessThan(1e-5));
    // The final h of the top cell equals the output.
    expect(maxDiff(a[0], a[1])).toBe(0);
  });
});

void (null as unknown as Layer);

describe('integer inputs (tfjs upcasts int32 to float32 in its ops; Dense, Conv1D and ConvLSTM here cast too)', () => {
  it.each([
    ['LSTM', () => [layers.lstm({ units: 3, returnSequences: true }), tf.layers.lstm({ units: 3, returnSequences: true })]],
    ['GRU', () => [layers.gru({ units: 3 }), tf.layers.gru({ units: 3 })]],
    ['SimpleRNN', () => [layers.simpleRNN({ units: 3 }), tf.layers.simpleRNN({ units: 3 })]],
  ] as const)('%s on an int32 sequence gives tfjs numbers (it threw "rnn: inputs must be float32", naming no layer)', (_t, make) => {
    resetNameCounters();
    const [ours, theirs] = make() as unknown as [Layer, tf.layers.Layer];
    const ints = tensor([1, -2, 0, 3, 2, 1, -1, 0, 4, 2, -3, 1], [2, 3, 2], 'int32');
    const floats = tensor(Array.from(ints.values), [2, 3, 2], 'float32');
    ours.apply(floats);
    theirs.apply(toTf(floats));
    theirs.setWeights(ours.getWeights().map(toTf));
    const y = ours.apply(ints) as Tensor;
    const ty = theirs.apply(tf.tensor(Array.from(ints.values), [2, 3, 2], 'int32')) as tf.Tensor;
    expect(maxDiff(y, ty)).toBeLessThan(1e-5);
    expect(Array.from(y.values)).toEqual(Array.from((ours.apply(floats) as Tensor).values));
  });
});
