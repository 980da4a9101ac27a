/**
 * Packed weights kept between inference calls of the fused forwards (src/backend/sequence_packed_weights.ts): packed
 * once for the same weight tensors, re-packed for new weight or bias arrays, never for training forwards or for raw
 * arrays the caller may change in place, bounded by the limit, given back when the weights are garbage-collected;
 * results equal (bit for bit) those of forwards that pack in their scratch, on one thread and on two.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import * as core from '../../src';
import { ready, resetBackendForTests, setBackend } from '../../src/backend/backend';
import {
  releasePackedWeightsForTests,
  setPackedWeightsLimitForTests,
  takePackedWeightsStatsForTests,
} from '../../src/backend/sequence_packed_weights';
import { wasmSequenceBackend } from '../../src/backend/sequence_backend_wasm';
import { resetWasmForTests, retainedArena } from '../../src/backend/wasm';
import { WasmArena } from '../../src/backend/wasm_arena';
import { LSTM_KERNELS } from '../../src/kernels/lstm_sequence';
import { loadWithThreads, restoreDefaults, takePoolRuns } from './threads/helpers';

const [B, T, D, U] = [5, 4, 3, 10];

function weights(seed: number, G: number, biasRows = 1): core.Tensor[] {
  const r = (shape: number[], s: number) => core.randomNormal(shape, 0, 0.5, 'float32', seed * 10 + s);
  return [r([D, G * U], 1), r([U, G * U], 2), r(biasRows === 2 ? [2, G * U] : [G * U], 3)];
}

const x = () => core.randomNormal([B, T, D], 0, 1, 'float32', 99);
const OPTS = { activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true } as const;

function lstm(xs: core.Tensor, [W, R, b]: core.Tensor[]): number[] {
  const [, seq, h, c] = core.lstmSequence(xs, W, R, b, null, null, OPTS);
  return [...seq.dataSync(), ...h.dataSync(), ...(c as core.Tensor).dataSync()];
}

function gru(xs: core.Tensor, [W, R, b]: core.Tensor[]): number[] {
  const [, seq, h] = core.gruSequence(xs, W, R, b, null, { ...OPTS, resetAfter: true });
  return [...seq.dataSync(), ...h.dataSync()];
}

/** `f` with nothing kept (limit 0: every forward packs in its scratch). */
function uncached<R>(f: () => R): R {
  const old = setPackedWeightsLimitForTests(0);
  try {
    return f();
  } finally {
    setPackedWeightsLimitForTests(old);
  }
}

beforeEach(() => {
  void setBackend('wasm');
  releasePackedWeightsForTests();
  takePackedWeightsStatsForTests();
});
afterAll(() => {
  releasePackedWeightsForTests();
  resetBackendForTests();
});

describe('packed weights kept between inference calls', () => {
  it('the same weight tensors pack once; results equal the forwards that pack each time', () => {
    const xs = x();
    const w = weights(1, 4);
    const want = uncached(() => lstm(xs, w));
    expect(takePackedWeightsStatsForTests().packs).toBe(0);
    const first = lstm(xs, w);
    const second = lstm(xs, w);
    const s = takePackedWeightsStatsForTests();
    expect([s.packs, s.hits, s.entries]).toEqual([1, 1, 1]);
    expect((retainedArena() as WasmArena).retainedBytes()).toBe(s.bytes);
    expect(first).toEqual(want);
    expect(second).toEqual(want);
  });

  it('a new kernel, recurrent kernel or bias array packs again (GRU resetAfter: the input bias row)', () => {
    const xs = x();
    const [W, R, b] = weights(2, 3, 2);
    const [W2, R2, b2] = weights(3, 3, 2);
    const runs: [core.Tensor[], string][] = [
      [[W2, R, b], 'kernel'],
      [[W2, R2, b], 'recurrent kernel'],
      [[W2, R2, b2], 'bias'],
    ];
    // (Computed first: the limit 0 of `uncached` gives back everything kept.)
    const want = runs.map(([w]) => uncached(() => gru(xs, w)));
    gru(xs, [W, R, b]);
    runs.forEach(([w, what], i) => {
      takePackedWeightsStatsForTests();
      const got = gru(xs, w);
      expect([what, takePackedWeightsStatsForTests().packs]).toEqual([what, 1]);
      expect([what, got]).toEqual([what, want[i]]);
    });
    // A bias that differs only in its second row (the recurrent bias, not packed) still gives its own answer.
    const bRec = core.concat([b2.slice([0, 0], [1, 3 * U]), core.onesLike(b2.slice([1, 0], [1, 3 * U]))], 0);
    const wantRec = uncached(() => gru(xs, [W2, R2, bRec]));
    gru(xs, [W2, R2, b2]);
    expect(gru(xs, [W2, R2, bRec])).toEqual(wantRec);
  });

  it('a reloaded module packs again (the kept region belonged to the old one)', async () => {
    const xs = x();
    const w = weights(10, 4);
    const want = uncached(() => lstm(xs, w));
    lstm(xs, w);
    resetWasmForTests();
    resetBackendForTests();
    await ready();
    takePackedWeightsStatsForTests();
    expect(lstm(xs, w)).toEqual(want);
    expect(takePackedWeightsStatsForTests().packs).toBe(1);
  });

  it('training forwards and raw arrays that may change in place are not kept', () => {
    const xs = x();
    const w = weights(4, 4).map((t) => core.variable(t));
    const { value } = core.variableGrads(() => core.lstmSequence(xs, w[0], w[1], w[2], null, null, OPTS)[0].sum(), w as core.Variable[]);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const a = {
      batch: B,
      timeSteps: T,
      inputDim: D,
      units: U,
      inputs: Float32Array.from(xs.dataSync()),
      kernel: Float32Array.from(w[0].dataSync()),
      recurrentKernel: Float32Array.from(w[1].dataSync()),
      bias: Float32Array.from(w[2].dataSync()),
      initialH: null,
    };
    const o = core.resolveSequenceOptions('test', 4, a, OPTS, false);
    const before = Array.from(wasmSequenceBackend.forward(LSTM_KERNELS, a, o).finalH);
    a.recurrentKernel.fill(0.25); // changed in place: the next forward must see it
    const after = Array.from(wasmSequenceBackend.forward(LSTM_KERNELS, a, o).finalH);
    expect(after).not.toEqual(before);
    const ref = LSTM_KERNELS.forward(a, o).finalH;
    after.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThanOrEqual(1e-5));
    const s = takePackedWeightsStatsForTests();
    expect([s.packs, s.hits, s.entries]).toEqual([0, 0, 0]);
  });

  it('the limit bounds what is kept (least recently used given back first)', () => {
    const xs = x();
    const ws = [weights(5, 4), weights(6, 4), weights(7, 4)];
    lstm(xs, ws[0]);
    const one = takePackedWeightsStatsForTests().bytes;
    const old = setPackedWeightsLimitForTests(2 * one);
    try {
      lstm(xs, ws[1]);
      lstm(xs, ws[0]); // used last: kept when the third comes
      lstm(xs, ws[2]);
      let s = takePackedWeightsStatsForTests();
      expect([s.packs, s.hits, s.entries, s.bytes]).toEqual([2, 1, 2, 2 * one]);
      lstm(xs, ws[0]);
      lstm(xs, ws[1]);
      s = takePackedWeightsStatsForTests();
      expect([s.packs, s.hits]).toEqual([1, 1]);
      expect(lstm(xs, ws[2])).toEqual(uncached(() => lstm(xs, ws[2])));
    } finally {
      setPackedWeightsLimitForTests(old);
    }
  });

  it('weights dropped by the program are given back when garbage-collected', async () => {
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc') as () => void;
    (() => {
      lstm(x(), weights(8, 4));
    })();
    expect(takePackedWeightsStatsForTests().entries).toBe(1);
    for (let i = 0; i < 20 && takePackedWeightsStatsForTests().entries > 0; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(takePackedWeightsStatsForTests().entries).toBe(0);
    expect((retainedArena() as WasmArena).retainedBytes()).toBe(0);
  });
});

describe('packed weights kept, on two threads', () => {
  beforeAll(() => loadWithThreads(2));
  afterAll(() => restoreDefaults());

  it('threaded forwards use the kept weights and give what one uncached thread gives', async () => {
    const xs = core.randomNormal([8, T, D], 0, 1, 'float32', 5);
    const w = weights(9, 4);
    core.setThreadsCount(1);
    await core.ready();
    const want = uncached(() => lstm(xs, w));
    core.setThreadsCount(2);
    await core.ready();
    releasePackedWeightsForTests();
    takePackedWeightsStatsForTests();
    takePoolRuns();
    const got = [lstm(xs, w), lstm(xs, w)];
    expect(takePoolRuns()).toBe(2);
    const s = takePackedWeightsStatsForTests();
    expect([s.packs, s.hits]).toEqual([1, 1]);
    expect(got).toEqual([want, want]);
  });
});
