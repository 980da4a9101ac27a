/**
 * The fused sequence kernels on several wasm threads: forward and backward split by batch rows must give
 * exactly (bit for bit) what one thread gives, and agree with the TypeScript kernels within 1e-5 of each
 * array's scale: LSTM, GRU (resetAfter both), SimpleRNN; masks, goBackwards, dropout, batch sizes 1, 3, 33.
 */
import { setBackend } from '../../../src/backend/backend';
import { CaseRun, runCase } from '../../kernels/backend_runs';
import { CaseSpec, describeCase } from '../../kernels/cases';
import { loadWithThreads, restoreDefaults, takePoolRuns, useThreads } from './helpers';
import { expectNear } from '../../helpers/expect_near';

type Run = CaseRun;

/** `spec` on the backend chosen now (wasm, or the TypeScript kernels after setBackend('js')). */
function run(spec: CaseSpec): Run {
  return runCase(spec);
}

/** Every output and gradient of a run, by name. */
function arraysOf(r: Run): [string, Float32Array | null][] {
  const out: [string, Float32Array | null][] = [];
  for (const k of ['inference', 'train'] as const) {
    out.push([`${k}.lastOutput`, r[k].lastOutput], [`${k}.sequenceOutputs`, r[k].sequenceOutputs]);
    out.push([`${k}.finalH`, r[k].finalH], [`${k}.finalC`, r[k].finalC]);
  }
  const g = r.grads;
  out.push(['dInputs', g.dInputs], ['dKernel', g.dKernel], ['dRecurrentKernel', g.dRecurrentKernel], ['dBias', g.dBias]);
  out.push(['dInitialH', g.dInitialH], ['dInitialC', g.dInitialC ?? null]);
  return out;
}

const THREADS = 3;

beforeAll(() => loadWithThreads(THREADS));
afterAll(() => restoreDefaults());

const CELLS: CaseSpec[] = [{ cell: 'simple' }, { cell: 'lstm' }, { cell: 'gru', resetAfter: false }, { cell: 'gru', resetAfter: true }];

const VARIANTS: Partial<CaseSpec>[] = [
  { B: 3 },
  { B: 33, T: 7, D: 5, U: 13, mask: true, initialStates: true },
  { B: 33, T: 6, D: 4, U: 8, goBackwards: true, returnSequences: false, useBias: false },
  { B: 3, mask: true, initialStates: true, goBackwards: true, maskedOutputInit: 'initialState' },
  { B: 5, inDrop: 'shared', recDrop: 'shared', mask: true },
  { B: 7, T: 4, D: 3, U: 6, inDrop: 'perGate', recDrop: 'perGate', mask: true, initialStates: true, goBackwards: true },
  { B: 1, T: 3, D: 2, U: 5, initialStates: true },
];

describe(`sequence kernels: ${THREADS} wasm threads vs 1 thread vs the TypeScript kernels`, () => {
  for (const cell of CELLS) {
    for (const variant of VARIANTS) {
      const spec = { ...cell, ...variant };
      it(`${describeCase(spec)} [${spec.B},${spec.T ?? 5},${spec.D ?? 3}]→${spec.U ?? 4}`, async () => {
        await useThreads(1);
        const one = run(spec);
        await useThreads(THREADS);
        takePoolRuns();
        const many = run(spec);
        // Batch 1 stays on one thread; otherwise the forwards (2) and the backward (1 or 2) dispatched.
        if (spec.B === 1) expect(takePoolRuns()).toBe(0);
        else expect(takePoolRuns()).toBeGreaterThanOrEqual(3);
        await setBackend('js');
        const js = run(spec);
        await setBackend('wasm');
        const m = arraysOf(many);
        arraysOf(one).forEach(([name, v], i) => {
          expect([name, m[i][1] === null ? null : Array.from(m[i][1] as Float32Array)]).toEqual([name, v === null ? null : Array.from(v)]);
        });
        const j = arraysOf(js);
        m.forEach(([name, v], i) => expectNear(v, j[i][1], name));
      });
    }
  }
});
