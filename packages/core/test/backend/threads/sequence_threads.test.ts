/**
 * The fused sequence kernels on several wasm threads: forward and backward split by batch rows must give
 * exactly (bit for bit) what one thread gives, and agree with the TypeScript kernels within 1e-5 of each
 * array's scale: LSTM, GRU (resetAfter both), SimpleRNN; masks, goBackwards, dropout, batch sizes 1, 3, 33.
 */
import {
  resolveSequenceOptions, SequenceArrays, SequenceForwardResult, SequenceInputGrads, SequenceKernelOptions,
  RawSequenceOptions, SequenceOutputGrads,
} from '../../../src';
import { setBackend } from '../../../src/backend/backend';
import { GRU_KERNELS } from '../../../src/kernels/gru_sequence';
import { LSTM_KERNELS } from '../../../src/kernels/lstm_sequence';
import { SIMPLE_RNN_KERNELS } from '../../../src/kernels/simple_rnn_sequence';
import { sequenceBackend } from '../../../src/kernels/sequence_op';
import { buildCase, CaseSpec, describeCase, optionsOf } from '../../kernels/cases';
import { gatesOf, randomArray, rng } from '../../kernels/reference';
import { loadWithThreads, restoreDefaults, takePoolRuns, useThreads } from './helpers';

type Fwd = (a: SequenceArrays, o: RawSequenceOptions) => SequenceForwardResult;
type Bwd = (a: SequenceArrays, o: RawSequenceOptions, f: SequenceForwardResult, g: SequenceOutputGrads) => SequenceInputGrads;

/** The cell's forward and backward on the backend chosen now (sequenceBackend(): wasm, or the TypeScript kernels after setBackend('js')). */
function kernelsOf(cell: CaseSpec['cell']): [Fwd, Bwd] {
  const k = cell === 'lstm' ? LSTM_KERNELS : cell === 'gru' ? GRU_KERNELS : SIMPLE_RNN_KERNELS;
  return [(a, o) => sequenceBackend().forward(k, a, o), (a, o, f, g) => sequenceBackend().backward(k, a, o, f, g)];
}

interface Run {
  inference: SequenceForwardResult;
  train: SequenceForwardResult;
  grads: SequenceInputGrads;
}

function run(spec: CaseSpec): Run {
  const { ref, returnSequences } = buildCase(spec);
  const G = gatesOf(ref.cell);
  const { B, T, D, U } = ref;
  const a: SequenceArrays = {
    batch: B, timeSteps: T, inputDim: D, units: U,
    inputs: Float32Array.from(ref.x),
    kernel: Float32Array.from(ref.W),
    recurrentKernel: Float32Array.from(ref.R),
    bias: ref.bias ? Float32Array.from(ref.bias) : null,
    initialH: ref.h0 ? Float32Array.from(ref.h0) : null,
    initialC: ref.c0 ? Float32Array.from(ref.c0) : null,
  };
  const opts: SequenceKernelOptions = optionsOf(ref, returnSequences);
  if (opts.mask && !(opts.mask instanceof Float32Array)) opts.mask = Float32Array.from(ref.mask as number[]);
  const [fwd, bwd] = kernelsOf(ref.cell);
  const inference = fwd(a, resolveSequenceOptions('test', G, a, opts, false));
  const o = resolveSequenceOptions('test', G, a, opts, true);
  const train = fwd(a, o);
  const r = rng(77);
  const grads = bwd(a, o, train, {
    dLastOutput: Float32Array.from(randomArray(r, B * U)),
    dSequenceOutputs: returnSequences ? Float32Array.from(randomArray(r, B * T * U)) : null,
    dFinalH: Float32Array.from(randomArray(r, B * U)),
    dFinalC: ref.cell === 'lstm' ? Float32Array.from(randomArray(r, B * U)) : null,
  });
  return { inference, train, grads };
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

function expectNear(actual: Float32Array | null, expected: Float32Array | null, what: string): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  const a = actual as Float32Array;
  expect(a.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - expected[i]) <= 1e-5 * scale)) throw new Error(`${what}[${i}]: threads ${a[i]} vs js ${expected[i]}`);
  }
}

const THREADS = 3;

beforeAll(() => loadWithThreads(THREADS));
afterAll(() => restoreDefaults());

const CELLS: CaseSpec[] = [
  { cell: 'simple' },
  { cell: 'lstm' },
  { cell: 'gru', resetAfter: false },
  { cell: 'gru', resetAfter: true },
];

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
