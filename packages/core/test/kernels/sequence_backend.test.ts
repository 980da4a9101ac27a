/**
 * One backend choice for the fused sequence kernels (src/kernels/sequence_op.ts `sequenceBackend()`): wasm when
 * the module is active, else the TypeScript reference (`jsSequenceBackend`). The reference files themselves call
 * no wasm, and a forward on one backend can be backpropagated on the other (the saved layouts are shared).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { resolveSequenceOptions, SequenceArrays } from '../../src';
import { resetBackendForTests, setBackend } from '../../src/backend/backend';
import { wasmSequenceBackend } from '../../src/backend/sequence_backend_wasm';
import { jsSequenceBackend } from '../../src/kernels/sequence_backend';
import { sequenceBackend } from '../../src/kernels/sequence_op';
import { LSTM_KERNELS } from '../../src/kernels/lstm_sequence';
import { GRU_KERNELS } from '../../src/kernels/gru_sequence';
import { SIMPLE_RNN_KERNELS } from '../../src/kernels/simple_rnn_sequence';
import { buildCase, CaseSpec, describeCase, maxAbsDiff, optionsOf } from './cases';
import { gatesOf, randomArray, rng } from './reference';

afterAll(() => resetBackendForTests());

function setup(spec: CaseSpec) {
  const { ref, returnSequences } = buildCase(spec);
  const a: SequenceArrays = {
    batch: ref.B,
    timeSteps: ref.T,
    inputDim: ref.D,
    units: ref.U,
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
  const r = rng(5);
  const { B, T, U } = ref;
  const grads = {
    dLastOutput: Float32Array.from(randomArray(r, B * U)),
    dSequenceOutputs: returnSequences ? Float32Array.from(randomArray(r, B * T * U)) : null,
    dFinalH: Float32Array.from(randomArray(r, B * U)),
    dFinalC: ref.cell === 'lstm' ? Float32Array.from(randomArray(r, B * U)) : null,
  };
  const kernels = ref.cell === 'lstm' ? LSTM_KERNELS : ref.cell === 'gru' ? GRU_KERNELS : SIMPLE_RNN_KERNELS;
  return { a, o, grads, kernels };
}

describe('sequenceBackend()', () => {
  it("is the wasm backend under setBackend('wasm') and the TypeScript reference under setBackend('js')", async () => {
    await setBackend('wasm');
    expect(sequenceBackend()).toBe(wasmSequenceBackend);
    await setBackend('js');
    expect(sequenceBackend()).toBe(jsSequenceBackend);
    resetBackendForTests();
  });

  const cells: CaseSpec[] = [
    { cell: 'lstm', mask: true, initialStates: true, maskedOutputInit: 'initialState' },
    { cell: 'gru', resetAfter: true, goBackwards: true, recDrop: 'perGate' },
    { cell: 'gru', resetAfter: false, mask: true, inDrop: 'shared' },
    { cell: 'simple', initialStates: true, returnSequences: true },
  ];
  for (const spec of cells) {
    it(`${describeCase(spec)}: a wasm forward backpropagated by the reference = the reference forward and backward`, () => {
      const { a, o, grads, kernels } = setup(spec);
      const fw = wasmSequenceBackend.forward(kernels, a, o);
      const fj = jsSequenceBackend.forward(kernels, a, o);
      expect(maxAbsDiff(fw.finalH, fj.finalH)).toBeLessThan(1e-5);
      const mixed = jsSequenceBackend.backward(kernels, a, o, fw, grads);
      const ref = jsSequenceBackend.backward(kernels, a, o, fj, grads);
      for (const k of ['dInputs', 'dKernel', 'dRecurrentKernel', 'dInitialH'] as const) {
        expect(maxAbsDiff(mixed[k], ref[k])).toBeLessThan(1e-4);
      }
      const back = wasmSequenceBackend.backward(kernels, a, o, fj, grads);
      expect(maxAbsDiff(back.dKernel, ref.dKernel)).toBeLessThan(1e-4);
    });
  }
});

describe('the TypeScript reference kernels', () => {
  it('lstm/gru/simple_rnn_sequence.ts import no wasm glue (only the generated interface constants)', () => {
    for (const f of ['lstm_sequence.ts', 'gru_sequence.ts', 'simple_rnn_sequence.ts', 'sequence_common.ts']) {
      const text = readFileSync(path.join(__dirname, '../../src/kernels', f), 'utf8');
      const backendImports = [...text.matchAll(/from '\.\.\/backend\/([\w.]+)'/g)].map((m) => m[1]);
      expect({ f, backendImports: backendImports.filter((m) => m !== 'wasm_interface.generated') }).toEqual({ f, backendImports: [] });
    }
  });
});
