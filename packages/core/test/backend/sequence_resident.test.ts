/**
 * Resident forward buffers (src/backend/sequence_resident.ts) on the raw kernels: a training forward on the wasm
 * backend returns a handle to its saved buffers in wasm memory instead of JavaScript copies (`saved` null, no copy
 * out counted), and its backward reads them in place; gradients equal the TypeScript reference kernels (LSTM, GRU
 * both modes, SimpleRNN; masks, goBackwards, dropout; batch 1, 3, 33; 1 and 2 threads, and a thread count changed
 * between the forward and the backward). Fallbacks, each with the same gradients: over the residency bound (copies
 * out, as before), evicted by newer forwards (spilled to JavaScript), a backward on the TypeScript backend, a
 * reloaded module; a forward or backward split under a lowered scratch limit stays resident (gathered in wasm).
 * Inference keeps nothing; release frees.
 */
import { resetBackendForTests, setBackend } from '../../src/backend/backend';
import {
  ResidentSaved,
  setResidentBuffersForTests,
  setResidentLimitForTests,
  takeSavedCopyOutCountForTests,
} from '../../src/backend/sequence_resident';
import { setSequenceScratchLimitForTests, takeSequenceCallCountForTests } from '../../src/backend/sequence_wasm_chunked';
import { takeMaskedTailCountForTests } from '../../src/backend/sequence_wasm_masked_tail';
import { retainedArena } from '../../src/backend/wasm';
import { WasmArena } from '../../src/backend/wasm_arena';
import { setThreadsCount } from '../../src/backend/threads/threads';
import { CaseRun, runCase } from '../kernels/backend_runs';
import { CaseSpec, describeCase } from '../kernels/cases';
import { loadWithThreads, restoreDefaults, takePoolRuns, useThreads } from './threads/helpers';
import { expectNear } from '../helpers/expect_near';

beforeAll(() => loadWithThreads(2));
afterAll(() => restoreDefaults());
afterEach(() => {
  setResidentBuffersForTests(true);
  resetBackendForTests();
});

function arena(): WasmArena {
  return retainedArena() as WasmArena;
}

/** Every output and gradient of `got` within 1e-5 of the scale of `want`'s. */
function expectSame(got: CaseRun, want: CaseRun): void {
  for (const k of ['inference', 'train'] as const) {
    expectNear(got[k].lastOutput, want[k].lastOutput, `${k}.lastOutput`);
    expectNear(got[k].sequenceOutputs, want[k].sequenceOutputs, `${k}.sequenceOutputs`);
    expectNear(got[k].finalH, want[k].finalH, `${k}.finalH`);
    expectNear(got[k].finalC, want[k].finalC, `${k}.finalC`);
  }
  for (const k of ['dInputs', 'dKernel', 'dRecurrentKernel', 'dBias', 'dInitialH', 'dInitialC'] as const) {
    expectNear(got.grads[k], want.grads[k], k);
  }
}

/** Every output and gradient as plain arrays (bit-exact comparisons). */
function exact(r: CaseRun): unknown {
  const g = r.grads;
  const a = (x: Float32Array | null) => (x ? Array.from(x) : null);
  return [r.train.lastOutput, r.train.sequenceOutputs, r.train.finalH, r.train.finalC, g.dInputs, g.dKernel, g.dRecurrentKernel]
    .map(a)
    .concat([a(g.dBias), a(g.dInitialH), a(g.dInitialC)]);
}

function reference(spec: CaseSpec): CaseRun {
  void setBackend('js');
  const r = runCase(spec);
  expect(r.backend).toBe('js');
  void setBackend('wasm');
  return r;
}

/** Runs `spec` on wasm; checks the training forward kept a resident handle and the inference forward nothing. */
function residentRun(spec: CaseSpec, between?: () => void): { run: CaseRun; handle: ResidentSaved; copies: number } {
  takeSavedCopyOutCountForTests();
  const run = runCase(spec, between);
  const copies = takeSavedCopyOutCountForTests();
  expect(run.backend).toBe('wasm');
  expect(run.inference.saved).toBeNull();
  expect(run.inference.savedHandle ?? null).toBeNull();
  expect(run.train.saved).toBeNull();
  expect(run.train.savedHandle).toBeInstanceOf(ResidentSaved);
  return { run, handle: run.train.savedHandle as ResidentSaved, copies };
}

const CELLS: CaseSpec[] = [{ cell: 'lstm' }, { cell: 'gru', resetAfter: true }, { cell: 'gru', resetAfter: false }, { cell: 'simple' }];

const VARIANTS: Partial<CaseSpec>[] = [
  { B: 1, T: 4, D: 3, U: 5, initialStates: true },
  { B: 3, mask: true, initialStates: true, goBackwards: true, maskedOutputInit: 'initialState' },
  { B: 33, T: 6, D: 4, U: 9, mask: true, goBackwards: true },
  { B: 3, inDrop: 'shared', recDrop: 'shared', mask: true },
  { B: 7, T: 4, D: 3, U: 6, inDrop: 'perGate', recDrop: 'perGate', initialStates: true, goBackwards: true },
];

describe('resident saved buffers: the wasm forward hands its backward a handle, no copy out', () => {
  for (const threads of [1, 2]) {
    for (const cell of CELLS) {
      for (const variant of VARIANTS) {
        const spec = { ...cell, ...variant };
        it(`${threads} thread(s), ${describeCase(spec)} [${spec.B},${spec.T ?? 5}]: gradients = the TypeScript kernels`, async () => {
          const want = reference(spec);
          await useThreads(threads);
          const before = arena().retainedBytes();
          const { run, handle, copies } = residentRun(spec);
          expectSame(run, want);
          // With dropout masks too the weight-gradient tail runs in wasm (no copy).
          expect(copies).toBe(0);
          expect(handle.resident).toBe(true);
          expect(arena().retainedBytes()).toBe(before + handle.bytes);
          handle.release();
          expect(arena().retainedBytes()).toBe(before);
          expect(() => handle.copyOut()).toThrow(/saved forward buffers were released/);
        });
      }
    }
  }

  for (const cell of CELLS) {
    const spec: CaseSpec = { ...cell, B: 9, T: 5, D: 3, U: 7, mask: true, initialStates: true };
    it(`${describeCase(spec)}: a thread count changed between forward and backward gathers in wasm (no copy), same gradients`, async () => {
      await useThreads(2);
      const two = residentRun(spec);
      two.handle.release();
      await useThreads(1);
      const one = residentRun(spec);
      one.handle.release();
      expect(exact(one.run)).toEqual(exact(two.run));
      // 2 → 1 and 1 → 2 threads between the forward and the backward.
      await useThreads(2);
      const down = residentRun(spec, () => setThreadsCount(1));
      await useThreads(1);
      const up = residentRun(spec, () => setThreadsCount(2));
      for (const r of [down, up]) {
        expect(r.copies).toBe(0);
        expect(exact(r.run)).toEqual(exact(two.run));
        r.handle.release();
      }
      expect(arena().retainedBytes()).toBe(0);
    });
  }
});

describe('dropout masks: LSTM, GRU (both modes) and SimpleRNN run the masked weight-gradient tail in wasm (1 and 2 threads)', () => {
  const MASKED: Partial<CaseSpec>[] = [
    { B: 3, inDrop: 'shared', recDrop: 'shared', mask: true, goBackwards: true, initialStates: true },
    { B: 3, T: 4, D: 3, U: 6, inDrop: 'perGate', recDrop: 'perGate', mask: true, goBackwards: true },
    { B: 33, T: 6, D: 4, U: 9, inDrop: 'shared', recDrop: 'shared', mask: true, goBackwards: true },
    { B: 33, T: 6, D: 4, U: 9, inDrop: 'perGate', recDrop: 'perGate', mask: true, goBackwards: true },
    { B: 33, T: 5, D: 5, U: 3, inDrop: 'perGate', mask: true, goBackwards: true },
    { B: 3, T: 5, D: 2, U: 7, recDrop: 'perGate', mask: true },
    { B: 33, T: 4, D: 3, U: 5, recDrop: 'shared', initialStates: true },
    { B: 3, T: 6, D: 4, U: 5, inDrop: 'shared', goBackwards: true },
  ];
  for (const threads of [1, 2]) {
    for (const cell of CELLS) {
      for (const variant of MASKED) {
        const spec = { ...cell, ...variant };
        it(`${threads} thread(s), ${describeCase(spec)} [${spec.B},${spec.T ?? 5}]: the wasm tail, no copy out; gradients = the TypeScript kernels`, async () => {
          const want = reference(spec);
          await useThreads(threads);
          takeMaskedTailCountForTests();
          const { run, handle, copies } = residentRun(spec, () => takePoolRuns());
          expectSame(run, want);
          expect(takeMaskedTailCountForTests()).toBe(1);
          // On 2 threads the backward's tail gemms run on the pool: after the loop's run, one run per mask group of
          // each masked product (an unmasked product: one run). GRU without resetAfter masks h for z and r only
          // (its h-gate block, from the saved r ⊙ masked h, runs with the first group).
          const G = spec.cell === 'lstm' ? 4 : spec.cell === 'gru' ? 3 : 1;
          const R = spec.cell === 'gru' && !spec.resetAfter ? 2 : G;
          const groups = (k: CaseSpec['inDrop'], n: number) => (k === 'perGate' ? n : 1);
          expect(takePoolRuns()).toBe(threads === 1 ? 0 : 1 + groups(spec.recDrop, R) + groups(spec.inDrop, G));
          expect(copies).toBe(0);
          handle.release();
        });
      }
    }
  }

  // LSTM and GRU (SimpleRNN's backward fits the lowered limit whole).
  for (const cell of CELLS.slice(0, 3)) {
    const spec: CaseSpec = { ...cell, B: 5, T: 6, D: 3, U: 8, inDrop: 'perGate', recDrop: 'shared', mask: true, goBackwards: true };
    it(`${describeCase(spec)}: a masked backward split by batch rows under a lowered scratch limit runs the wasm tail per block (input mask rows too)`, async () => {
      const want = reference(spec);
      await useThreads(1);
      takeMaskedTailCountForTests();
      let old = 0;
      const split = residentRun(spec, () => {
        old = setSequenceScratchLimitForTests(20000);
        takeSequenceCallCountForTests();
      });
      setSequenceScratchLimitForTests(old);
      const blocks = takeSequenceCallCountForTests();
      expect(blocks).toBeGreaterThan(1);
      expect(takeMaskedTailCountForTests()).toBe(blocks);
      expect(split.copies).toBe(0);
      expectSame(split.run, want);
      split.handle.release();
    });
  }
});

describe('resident saved buffers: fallbacks give the same gradients', () => {
  const spec: CaseSpec = { cell: 'lstm', B: 5, T: 6, D: 3, U: 8, mask: true, initialStates: true, goBackwards: true };

  it('switched off (the old path): the forward copies out, the backward copies in, bit-identical gradients', async () => {
    await useThreads(1);
    const kept = residentRun(spec);
    kept.handle.release();
    setResidentBuffersForTests(false);
    takeSavedCopyOutCountForTests();
    const copied = runCase(spec);
    expect(takeSavedCopyOutCountForTests()).toBe(1);
    expect(copied.train.saved).not.toBeNull();
    expect(copied.train.savedHandle ?? null).toBeNull();
    expect(exact(copied)).toEqual(exact(kept.run));
    expect(arena().retainedBytes()).toBe(0);
  });

  for (const threads of [1, 2]) {
    it(`${threads} thread(s): over the residency bound the forward copies out (no handle); same gradients`, async () => {
      await useThreads(threads);
      const kept = residentRun(spec);
      const bytes = kept.handle.bytes;
      kept.handle.release();
      const old = setResidentLimitForTests(bytes - 16);
      try {
        takeSavedCopyOutCountForTests();
        const over = runCase(spec);
        expect(takeSavedCopyOutCountForTests()).toBe(1);
        expect(over.train.saved).not.toBeNull();
        expect(over.train.savedHandle ?? null).toBeNull();
        expect(exact(over)).toEqual(exact(kept.run));
        expect(arena().retainedBytes()).toBe(0);
      } finally {
        setResidentLimitForTests(old);
      }
    });
  }

  it('newer forwards evict (spill) the oldest above the bound; the evicted backward reads the spilled copy', async () => {
    await useThreads(1);
    const first = residentRun(spec);
    const bytes = first.handle.bytes;
    first.handle.release();
    const old = setResidentLimitForTests(2 * bytes);
    const handles: ResidentSaved[] = [];
    try {
      takeSavedCopyOutCountForTests();
      const evicted = runCase(spec, () => {
        // Three more training forwards whose backward never runs: at most two regions stay resident.
        for (let i = 0; i < 3; i++) {
          handles.push(runCase({ ...spec, seed: 5 + i }).train.savedHandle as ResidentSaved);
          expect(arena().retainedBytes()).toBeLessThanOrEqual(2 * bytes);
        }
      });
      // The case's own forward and the first extra one were spilled (one copy out each).
      expect(takeSavedCopyOutCountForTests()).toBe(2);
      expect((evicted.train.savedHandle as ResidentSaved).resident).toBe(false);
      expect(handles.map((h) => h.resident)).toEqual([false, true, true]);
      expect(exact(evicted)).toEqual(exact(first.run));
      expect(arena().retainedBytes()).toBe(2 * bytes);
      setResidentLimitForTests(0);
      expect(arena().retainedBytes()).toBe(0);
      expect(handles.every((h) => !h.resident)).toBe(true);
    } finally {
      setResidentLimitForTests(old);
      handles.forEach((h) => h.release());
    }
  });

  it('a backward on the TypeScript backend copies the buffers out of wasm (the only copy) and agrees', async () => {
    await useThreads(2);
    const want = reference(spec);
    const mixed = residentRun(spec, () => void setBackend('js'));
    expect(mixed.copies).toBe(1);
    expectSame(mixed.run, want);
    mixed.handle.release();
  });

  for (const threads of [1, 2]) {
    it(`${threads} thread(s): a backward split by batch rows under a lowered scratch limit gathers its rows in wasm`, async () => {
      await useThreads(threads);
      const whole = residentRun(spec);
      whole.handle.release();
      let old = 0;
      // 20000 bytes: the forward (B = 5) fits one call, the backward only blocks of 3 rows.
      const split = residentRun(spec, () => {
        old = setSequenceScratchLimitForTests(20000);
        takeSequenceCallCountForTests();
      });
      setSequenceScratchLimitForTests(old);
      expect(takeSequenceCallCountForTests()).toBe(2); // two blocks
      expect(split.copies).toBe(0);
      expectSame(split.run, whole.run);
      split.handle.release();
      expect(arena().retainedBytes()).toBe(0);
    });
  }

  it('a forward split by batch rows keeps its buffers resident (a region block per block of rows); no copy, same gradients', async () => {
    await useThreads(1);
    const whole = residentRun(spec);
    whole.handle.release();
    // 12000 bytes: the inference forward in one call, the training forward in blocks of 3 and 2 rows, the backward of 1.
    const old = setSequenceScratchLimitForTests(12000);
    try {
      takeSequenceCallCountForTests();
      const split = residentRun(spec);
      expect(takeSequenceCallCountForTests()).toBe(1 + 2 + 5);
      expect(split.copies).toBe(0);
      expectSame(split.run, whole.run);
      split.handle.release();
      expect(arena().retainedBytes()).toBe(0);
    } finally {
      setSequenceScratchLimitForTests(old);
    }
  });

  it("a forward split into blocks of steps fills its rows' region block slot by slot; no copy, same gradients", async () => {
    await useThreads(1);
    const whole = residentRun(spec);
    whole.handle.release();
    // 4500 bytes: not even one row's 6 steps fit one forward call; the backward runs with the usual limit.
    const old = setSequenceScratchLimitForTests(4500);
    let forwardCalls = 0;
    try {
      takeSequenceCallCountForTests();
      const split = residentRun(spec, () => {
        forwardCalls = takeSequenceCallCountForTests();
        setSequenceScratchLimitForTests(old);
      });
      expect(forwardCalls).toBeGreaterThanOrEqual(2 * 2 * 5); // both forwards: 5 rows, at least 2 blocks of steps each
      expect(split.copies).toBe(0);
      expectSame(split.run, whole.run);
      split.handle.release();
    } finally {
      setSequenceScratchLimitForTests(old);
    }
  });

  it('a module reloaded between forward and backward: the backward reads the old memory, same gradients', async () => {
    await useThreads(1);
    const whole = residentRun(spec);
    whole.handle.release();
    const reloaded = residentRun(spec, () => {
      restoreDefaults();
      void setBackend('wasm');
    });
    expect(reloaded.copies).toBe(0);
    expect(exact(reloaded.run)).toEqual(exact(whole.run));
    reloaded.handle.release();
    await loadWithThreads(2);
  });
});
