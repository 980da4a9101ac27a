/**
 * The wasm sequence kernels (assembly/*_sequence.ts) against their TypeScript twins: the same raw inputs
 * run with setBackend('js') and setBackend('wasm'), and every output and gradient must agree within
 * 1e-5 relative to the array's scale, max(1, max |value|) (the kernels sum in different orders, and
 * BPTT through unbounded activations amplifies the last-bit differences of each product): masks, goBackwards, initial states, both GRU modes, shared and
 * per-gate dropout, every activation, ragged sizes (units not a multiple of the 4-lane / 8-column tiles).
 */
import { KERNEL_ACTIVATION_NAMES } from '../../src';
import { getBackend, resetBackendForTests, setBackend } from '../../src/backend/backend';
import { CaseRun, runCase } from './backend_runs';
import { CaseSpec, describeCase } from './cases';
import { expectNear } from '../helpers/expect_near';

afterAll(() => resetBackendForTests());

function run(spec: CaseSpec, backend: 'js' | 'wasm'): CaseRun {
  void setBackend(backend);
  expect(getBackend()).toBe(backend);
  const r = runCase(spec);
  expect(r.backend).toBe(backend);
  return r;
}

function compare(spec: CaseSpec): void {
  const js = run(spec, 'js');
  const wasm = run(spec, 'wasm');
  for (const k of ['inference', 'train'] as const) {
    expectNear(wasm[k].lastOutput, js[k].lastOutput, `${k}.lastOutput`);
    expectNear(wasm[k].sequenceOutputs, js[k].sequenceOutputs, `${k}.sequenceOutputs`);
    expectNear(wasm[k].finalH, js[k].finalH, `${k}.finalH`);
    expectNear(wasm[k].finalC, js[k].finalC, `${k}.finalC`);
  }
  const g = wasm.grads;
  const e = js.grads;
  expectNear(g.dInputs, e.dInputs, 'dInputs');
  expectNear(g.dKernel, e.dKernel, 'dKernel');
  expectNear(g.dRecurrentKernel, e.dRecurrentKernel, 'dRecurrentKernel');
  expectNear(g.dBias, e.dBias, 'dBias');
  expectNear(g.dInitialH, e.dInitialH, 'dInitialH');
  expectNear(g.dInitialC, e.dInitialC, 'dInitialC');
}

const CELLS: CaseSpec[] = [{ cell: 'simple' }, { cell: 'lstm' }, { cell: 'gru', resetAfter: false }, { cell: 'gru', resetAfter: true }];

const VARIANTS: Partial<CaseSpec>[] = [
  {},
  { useBias: false, returnSequences: false },
  { initialStates: true, goBackwards: true },
  { mask: true, initialStates: true },
  { mask: true, initialStates: true, goBackwards: true, maskedOutputInit: 'initialState' },
  { inDrop: 'shared', recDrop: 'shared', mask: true },
  { inDrop: 'perGate', recDrop: 'perGate', mask: true, initialStates: true, goBackwards: true },
  { B: 1, T: 1, D: 1, U: 1, initialStates: true },
  { B: 7, T: 9, D: 5, U: 13, mask: true, initialStates: true, recDrop: 'perGate' },
  { B: 13, T: 6, D: 9, U: 24, initialStates: true, goBackwards: true },
];

describe('sequence kernels: wasm backend vs the TypeScript twin', () => {
  for (const cell of CELLS) {
    for (const variant of VARIANTS) {
      const spec = { ...cell, ...variant };
      const size = variant.B ? ` [${variant.B},${variant.T},${variant.D}]→${variant.U}` : '';
      it(describeCase(spec) + size, () => compare(spec));
    }
    for (const name of KERNEL_ACTIVATION_NAMES) {
      it(`${describeCase(cell)}: activation ${name}`, () =>
        compare({ ...cell, act: name, mask: true, initialStates: true, U: 6, seed: 3 }));
      if (cell.cell !== 'simple') {
        it(`${describeCase(cell)}: recurrentActivation ${name}`, () =>
          compare({ ...cell, recAct: name, goBackwards: true, U: 5, seed: 4 }));
      }
    }
  }
});
