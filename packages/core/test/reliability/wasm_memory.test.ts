/**
 * Issue #13 item 1: no silent zeros once a call needs more than 2 GiB of wasm memory. The sequence and
 * step kernels split their work (batch rows; forward also time steps) so that no call lays out more than a
 * bounded arena. Here the bound is lowered through test hooks so that small problems take every split path
 * (a few rows per call, one row in blocks of steps, one step at a time), and each result is compared with
 * the unsplit wasm call (the reference) and the TypeScript kernels. The arena arithmetic is unsigned: a
 * byte pointer of 2 GiB and more maps to a positive float index, and a request past 4 GiB is refused by
 * name instead of wrapping.
 */
import { createStepKernel, StepCellKind } from '../../src';
import { getBackend, resetBackendForTests, setBackend } from '../../src/backend/backend';
import { setSequenceScratchLimitForTests, takeSequenceCallCountForTests } from '../../src/backend/sequence_wasm_chunked';
import { sequenceForwardBytes } from '../../src/backend/sequence_wasm';
import { setStepScratchLimitForTests } from '../../src/backend/step_wasm';
import { arena, wasmExports } from '../../src/backend/wasm';
import { align16, floatIndex } from '../../src/backend/wasm_arena';
import { CaseRun, runCase } from '../kernels/backend_runs';
import { buildCase, CaseSpec, describeCase } from '../kernels/cases';
import { randomArray, rng } from '../kernels/reference';
import { expectNear } from '../helpers/expect_near';

afterAll(() => resetBackendForTests());

function run(spec: CaseSpec, backend: 'js' | 'wasm', limit: number | null): CaseRun {
  void setBackend(backend);
  expect(getBackend()).toBe(backend);
  const old = limit === null ? null : setSequenceScratchLimitForTests(limit);
  try {
    const r = runCase(spec);
    expect(r.backend).toBe(backend);
    return r;
  } finally {
    if (old !== null) setSequenceScratchLimitForTests(old);
  }
}

function compareRuns(got: CaseRun, want: CaseRun): void {
  for (const k of ['inference', 'train'] as const) {
    expectNear(got[k].lastOutput, want[k].lastOutput, `${k}.lastOutput`);
    expectNear(got[k].sequenceOutputs, want[k].sequenceOutputs, `${k}.sequenceOutputs`);
    expectNear(got[k].finalH, want[k].finalH, `${k}.finalH`);
    expectNear(got[k].finalC, want[k].finalC, `${k}.finalC`);
  }
  const g = got.grads;
  const e = want.grads;
  expectNear(g.dInputs, e.dInputs, 'dInputs');
  expectNear(g.dKernel, e.dKernel, 'dKernel');
  expectNear(g.dRecurrentKernel, e.dRecurrentKernel, 'dRecurrentKernel');
  expectNear(g.dBias, e.dBias, 'dBias');
  expectNear(g.dInitialH, e.dInitialH, 'dInitialH');
  expectNear(g.dInitialC, e.dInitialC, 'dInitialC');
}

const CELLS: CaseSpec[] = [{ cell: 'simple' }, { cell: 'lstm' }, { cell: 'gru', resetAfter: false }, { cell: 'gru', resetAfter: true }];

const VARIANTS: Partial<CaseSpec>[] = [
  { B: 9, T: 11, D: 3, U: 6 },
  { B: 9, T: 11, D: 3, U: 6, useBias: false, returnSequences: false },
  { B: 7, T: 12, D: 2, U: 5, initialStates: true, goBackwards: true },
  { B: 8, T: 10, D: 4, U: 5, mask: true, initialStates: true, goBackwards: true, maskedOutputInit: 'initialState' },
  { B: 6, T: 9, D: 3, U: 4, inDrop: 'perGate', recDrop: 'perGate', mask: true, initialStates: true },
  { B: 5, T: 8, D: 3, U: 4, inDrop: 'shared', recDrop: 'shared', goBackwards: true },
];

/** Limits that force: a few rows per call, one row per call, one row in blocks of steps, one step per call. */
function limitsFor(spec: CaseSpec): number[] {
  const w = wasmExports();
  if (!w) throw new Error('wasm not loaded');
  const { ref, returnSequences } = buildCase(spec);
  const bytes = (B: number, T: number, store: boolean) =>
    sequenceForwardBytes(
      w,
      {
        cell: ref.cell,
        batch: B,
        timeSteps: T,
        units: ref.U,
        P: spec.inDrop ? new Float32Array(0) : null,
        inputDim: ref.D,
        inputs: new Float32Array(0),
        kernel: new Float32Array(0),
        inputBias: null,
        recurrentKernel: new Float32Array(0),
        biasRec: null,
        initialH: null,
        initialC: null,
        prevOutInit: null,
        mask: spec.mask ? new Float32Array(0) : null,
        recurrentDropoutMasks: spec.recDrop ? [new Float32Array(0)] : null,
        goBackwards: false,
        returnSequences,
        store,
        resetAfter: false,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
      },
      B,
      T,
    );
  return [bytes(3, ref.T, true), bytes(1, ref.T, true), bytes(1, 3, true), bytes(1, 1, false)];
}

describe('sequence kernels split by batch and time under a lowered arena limit = the unsplit call', () => {
  for (const cell of CELLS) {
    for (const variant of VARIANTS) {
      const spec = { ...cell, ...variant };
      it(`${describeCase(spec)} [${spec.B},${spec.T},${spec.D}]→${spec.U}`, () => {
        const js = run(spec, 'js', null);
        const whole = run(spec, 'wasm', null);
        compareRuns(whole, js);
        takeSequenceCallCountForTests();
        run(spec, 'wasm', null);
        expect(takeSequenceCallCountForTests()).toBe(3); // inference, training forward, backward: one call each
        const B = spec.B as number;
        const T = spec.T as number;
        // Every lowered limit splits; the last one runs the inference one step of one row per call.
        const minCalls = [4, 4, 4, B * T];
        limitsFor(spec).forEach((limit, i) => {
          compareRuns(run(spec, 'wasm', limit), whole);
          expect(takeSequenceCallCountForTests()).toBeGreaterThanOrEqual(minCalls[i]);
        });
      });
    }
  }
});

describe('step kernels split by batch under a lowered region limit', () => {
  for (const cell of ['lstm', 'gru', 'simpleRNN'] as StepCellKind[]) {
    it(cell, () => {
      void setBackend('wasm');
      const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
      const B = 11;
      const D = 3;
      const U = 7;
      const r = rng(5);
      const f = (n: number) => Float32Array.from(randomArray(r, n));
      const W = f(D * G * U);
      const R = f(U * G * U);
      const bias = f((cell === 'gru' ? 2 : 1) * G * U);
      const x = f(B * D);
      const h = f(B * U);
      const c = cell === 'lstm' ? f(B * U) : null;
      const stepWith = (limit: number | null) => {
        const old = limit === null ? null : setStepScratchLimitForTests(limit);
        try {
          const k = createStepKernel(cell, W, R, bias, { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true });
          const hOut = new Float32Array(B * U);
          const cOut = c ? new Float32Array(B * U) : null;
          k.step(x, h, c, hOut, cOut, B);
          k.dispose();
          return { hOut, cOut };
        } finally {
          if (old !== null) setStepScratchLimitForTests(old);
        }
      };
      const whole = stepWith(null);
      for (const limit of [4096, 1]) {
        const split = stepWith(limit);
        // Batch 1 takes the kernel's vector path (another summation order), hence not bit-exact.
        expectNear(split.hOut, whole.hOut, 'h', 1e-6);
        expectNear(split.cOut, whole.cOut, 'c', 1e-6);
      }
    });
  }
});

describe('wasm arena arithmetic is unsigned and checked', () => {
  it('byte pointers of 2 GiB and more give positive float indices; sizes of 2 GiB and more align without wrapping', () => {
    expect(floatIndex(2 ** 31)).toBe(2 ** 29);
    expect(floatIndex(2 ** 32 - 16)).toBe(2 ** 30 - 4);
    expect(align16(2 ** 31 + 1)).toBe(2 ** 31 + 16);
    expect(align16(3 * 2 ** 30)).toBe(3 * 2 ** 30);
  });

  it('a request past 4 GiB or of a non-integer size is refused by name (no wrap, no grow)', () => {
    void setBackend('wasm');
    const mem = arena();
    const before = (wasmExports() as NonNullable<ReturnType<typeof wasmExports>>).memory.buffer.byteLength;
    expect(() => mem.alloc(5 * 2 ** 30)).toThrow(
      /wasm backend: a kernel call needs \d+ bytes of wasm memory; a wasm32 memory holds at most 4294967296/,
    );
    expect(() => mem.alloc(-1)).toThrow(/cannot reserve -1 bytes/);
    expect(() => mem.alloc(NaN)).toThrow(/cannot reserve NaN bytes/);
    expect((wasmExports() as NonNullable<ReturnType<typeof wasmExports>>).memory.buffer.byteLength).toBe(before);
  });
});
