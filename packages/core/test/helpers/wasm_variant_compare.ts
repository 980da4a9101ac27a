/**
 * Runs the wasm kernels (sequence forward/backward, gemm, one-step cells) of whichever module build is loaded in THIS process against the TypeScript reference
 * kernels and reports the largest differences. backend/wasm_variant.test.ts runs it in a child process started
 * with `node --experimental-wasm-relaxed-simd` (through relaxed_simd_child.js), so that the relaxed-SIMD build
 * is the one loaded, and asserts on the report; the same function checks the plain build in the jest process.
 */
import {
  createStepKernel,
  resolveSequenceOptions,
  SequenceArrays,
  StepCellKind,
  SequenceForwardResult,
  SequenceInputGrads,
  wasmFeatures,
  WasmFeatures,
} from '../../src';
import { resetBackendForTests, setBackend } from '../../src/backend/backend';
import { wasmSequenceBackend } from '../../src/backend/sequence_backend_wasm';
import { wasmExports } from '../../src/backend/wasm';
import { gemmStrided } from '../../src/ops/gemm';
import { LSTM_KERNELS } from '../../src/kernels/lstm_sequence';
import { GRU_KERNELS } from '../../src/kernels/gru_sequence';
import { SIMPLE_RNN_KERNELS } from '../../src/kernels/simple_rnn_sequence';
import { jsSequenceBackend, SequenceBackend } from '../../src/kernels/sequence_backend';
import { buildCase, CaseSpec, describeCase, optionsOf } from '../kernels/cases';
import { gatesOf, randomArray, rng } from '../kernels/reference';

/** One compared array: the largest |wasm − reference| over max(1, max |reference|). */
export interface VariantDiff {
  name: string;
  relErr: number;
}

export interface VariantReport {
  features: WasmFeatures;
  /** Export names of the loaded module (the same for both builds). */
  exports: string[];
  diffs: VariantDiff[];
}

function relErr(a: Float32Array | null, e: Float32Array | null): number {
  if (a === null || e === null) return a === e ? 0 : Infinity;
  if (a.length !== e.length) return Infinity;
  let scale = 1;
  for (let i = 0; i < e.length; i++) scale = Math.max(scale, Math.abs(e[i]));
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    m = Number.isNaN(d) ? Infinity : Math.max(m, d);
  }
  return m / scale;
}

const CASES: CaseSpec[] = [
  { cell: 'lstm', B: 5, T: 7, D: 6, U: 13, mask: true, initialStates: true },
  { cell: 'lstm', B: 9, T: 4, D: 3, U: 24, goBackwards: true, recDrop: 'perGate' },
  { cell: 'gru', resetAfter: true, B: 6, T: 6, D: 5, U: 11, initialStates: true, returnSequences: true },
  { cell: 'gru', resetAfter: false, B: 4, T: 8, D: 4, U: 9, mask: true, inDrop: 'shared' },
  { cell: 'simple', B: 7, T: 9, D: 5, U: 16, act: 'relu' },
  { cell: 'simple', B: 3, T: 5, D: 2, U: 6, goBackwards: true, initialStates: true },
];

function run(spec: CaseSpec, backend: SequenceBackend): { fwd: SequenceForwardResult; grads: SequenceInputGrads } {
  const { ref, returnSequences } = buildCase(spec);
  const { B, T, D, U } = ref;
  const a: SequenceArrays = {
    batch: B,
    timeSteps: T,
    inputDim: D,
    units: U,
    inputs: Float32Array.from(ref.x),
    kernel: Float32Array.from(ref.W),
    recurrentKernel: Float32Array.from(ref.R),
    bias: ref.bias ? Float32Array.from(ref.bias) : null,
    initialH: ref.h0 ? Float32Array.from(ref.h0) : null,
    initialC: ref.c0 ? Float32Array.from(ref.c0) : null,
  };
  const opts = optionsOf(ref, returnSequences);
  if (opts.mask && !(opts.mask instanceof Float32Array)) opts.mask = Float32Array.from(ref.mask as number[]);
  const o = resolveSequenceOptions('test', gatesOf(ref.cell), a, opts, true);
  const kernels = ref.cell === 'lstm' ? LSTM_KERNELS : ref.cell === 'gru' ? GRU_KERNELS : SIMPLE_RNN_KERNELS;
  const fwd = backend.forward(kernels, a, o);
  const r = rng(9);
  const grads = backend.backward(kernels, a, o, fwd, {
    dLastOutput: Float32Array.from(randomArray(r, B * U)),
    dSequenceOutputs: returnSequences ? Float32Array.from(randomArray(r, B * T * U)) : null,
    dFinalH: Float32Array.from(randomArray(r, B * U)),
    dFinalC: ref.cell === 'lstm' ? Float32Array.from(randomArray(r, B * U)) : null,
  });
  return { fwd, grads };
}

function gemmCase(M: number, N: number, K: number, transA: boolean, transB: boolean): Float32Array {
  const r = rng(M * 131 + N * 7 + K);
  const a = Float32Array.from(randomArray(r, M * K));
  const b = Float32Array.from(randomArray(r, K * N));
  const c = Float32Array.from(randomArray(r, M * N));
  gemmStrided(a, 0, transA ? M : K, transA, b, 0, transB ? K : N, transB, c, 0, N, M, N, K, true);
  return c;
}

/** One step of a step kernel (resident weights; batch 1 runs the gemv path, larger batches the gemm micro-kernel). */
function stepCase(cell: StepCellKind, B: number, D: number, U: number, resetAfter: boolean): Float32Array[] {
  const G = cell === 'lstm' ? 4 : cell === 'simpleRNN' ? 1 : 3;
  const r = rng(B * 17 + D * 5 + U);
  const W = Float32Array.from(randomArray(r, D * G * U, -0.8, 0.8));
  const R = Float32Array.from(randomArray(r, U * G * U, -0.8, 0.8));
  const bias = Float32Array.from(randomArray(r, (resetAfter ? 2 : 1) * G * U, -0.5, 0.5));
  const x = Float32Array.from(randomArray(r, B * D));
  const h0 = Float32Array.from(randomArray(r, B * U));
  const c0 = cell === 'lstm' ? Float32Array.from(randomArray(r, B * U)) : null;
  const k = createStepKernel(cell, W, R, bias, { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter });
  const h = new Float32Array(B * U);
  const c = c0 ? new Float32Array(B * U) : null;
  k.step(x, h0, c0, h, c, B);
  k.dispose();
  return c ? [h, c] : [h];
}

/** Compares the loaded wasm build with the TypeScript reference (its gemm too: the reference runs under setBackend('js')). */
export function compareLoadedWasmWithReference(): VariantReport {
  const diffs: VariantDiff[] = [];
  for (const spec of CASES) {
    void setBackend('wasm');
    const w = run(spec, wasmSequenceBackend);
    void setBackend('js');
    const j = run(spec, jsSequenceBackend);
    const name = describeCase(spec);
    for (const k of ['lastOutput', 'sequenceOutputs', 'finalH', 'finalC'] as const)
      diffs.push({ name: `${name}: ${k}`, relErr: relErr(w.fwd[k], j.fwd[k]) });
    for (const k of ['dInputs', 'dKernel', 'dRecurrentKernel', 'dBias', 'dInitialH', 'dInitialC'] as const) {
      diffs.push({ name: `${name}: ${k}`, relErr: relErr(w.grads[k], j.grads[k]) });
    }
  }
  for (const [M, N, K, ta, tb] of [
    [37, 45, 129, false, false],
    [64, 72, 400, true, false],
    [5, 300, 33, false, true],
  ] as const) {
    void setBackend('wasm');
    const w = gemmCase(M, N, K, ta, tb);
    void setBackend('js');
    const j = gemmCase(M, N, K, ta, tb);
    diffs.push({ name: `gemm ${M}x${N}x${K}${ta ? ' transA' : ''}${tb ? ' transB' : ''}`, relErr: relErr(w, j) });
  }
  for (const [cell, B, D, U, resetAfter] of [
    ['lstm', 1, 40, 37, false],
    ['lstm', 6, 9, 16, false],
    ['gru', 1, 33, 20, true],
    ['gru', 5, 7, 13, false],
    ['simpleRNN', 1, 8, 64, false],
  ] as const) {
    void setBackend('wasm');
    const w = stepCase(cell, B, D, U, resetAfter);
    void setBackend('js');
    const j = stepCase(cell, B, D, U, resetAfter);
    w.forEach((v, i) =>
      diffs.push({
        name: `step ${cell}${resetAfter ? ' resetAfter' : ''} batch ${B} ${D}→${U}: ${i ? 'c' : 'h'}`,
        relErr: relErr(v, j[i]),
      }),
    );
  }
  resetBackendForTests();
  const exportsOf = wasmExports();
  return { features: wasmFeatures(), exports: exportsOf ? Object.keys(exportsOf).sort() : [], diffs };
}
