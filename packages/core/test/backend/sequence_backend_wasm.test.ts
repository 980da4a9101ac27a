/**
 * `wasmSequenceBackend` hands a call its glue declines to the cell's reference kernels: here the module is
 * marked unavailable (as without SIMD), so `sequenceForwardWasm` / `sequenceBackwardWasm` return null and the
 * results must be exactly the reference's.
 */
import { resolveSequenceOptions, SequenceArrays } from '../../src';
import { resetBackendForTests } from '../../src/backend/backend';
import { wasmSequenceBackend } from '../../src/backend/sequence_backend_wasm';
import { resetWasmForTests } from '../../src/backend/wasm';
import { LSTM_KERNELS } from '../../src/kernels/lstm_sequence';
import { GRU_KERNELS } from '../../src/kernels/gru_sequence';

afterAll(() => {
  resetWasmForTests();
  resetBackendForTests();
});

function arrays(G: number, B: number, T: number, D: number, U: number, biasRows: number): SequenceArrays {
  const fill = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k + 1) * 0.5);
  return {
    batch: B,
    timeSteps: T,
    inputDim: D,
    units: U,
    inputs: fill(B * T * D, 0.7),
    kernel: fill(D * G * U, 1.3),
    recurrentKernel: fill(U * G * U, 0.9),
    bias: fill(biasRows * G * U, 2.1),
    initialH: fill(B * U, 0.3),
    initialC: G === 4 ? fill(B * U, 0.4) : null,
  };
}

describe('wasmSequenceBackend when the glue declines', () => {
  it.each([
    ['lstm', LSTM_KERNELS, 1, { activation: 'tanh', recurrentActivation: 'sigmoid' }],
    ['gru (resetAfter)', GRU_KERNELS, 2, { activation: 'tanh', recurrentActivation: 'hardSigmoid', resetAfter: true, goBackwards: true }],
  ] as const)('%s: forward and backward equal the reference kernels exactly', (_name, kernels, biasRows, opts) => {
    resetWasmForTests({ unavailable: 'test: no SIMD' });
    const a = arrays(kernels.gates, 3, 4, 2, 5, biasRows);
    const o = resolveSequenceOptions('test', kernels.gates, a, { ...opts, returnSequences: true }, true);
    const f = wasmSequenceBackend.forward(kernels, a, o);
    const fr = kernels.forward(a, o);
    expect(f).toEqual(fr);
    const g = { dLastOutput: a.initialH, dSequenceOutputs: null, dFinalH: a.initialH, dFinalC: a.initialC };
    expect(wasmSequenceBackend.backward(kernels, a, o, f, g)).toEqual(kernels.backward(a, o, fr, g));
  });
});
