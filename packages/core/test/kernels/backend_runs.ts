/**
 * Runs one kernel test case (cases.ts) through the sequence backend chosen now: an inference forward, a
 * training forward and its backward with random output gradients; shared by the tests that compare
 * backends, thread counts and memory splits with one another.
 */
import { resolveSequenceOptions, SequenceArrays, SequenceForwardResult, SequenceInputGrads, SequenceKernelOptions } from '../../src';
import { GRU_KERNELS } from '../../src/kernels/gru_sequence';
import { LSTM_KERNELS } from '../../src/kernels/lstm_sequence';
import { sequenceBackend } from '../../src/kernels/sequence_op';
import { SIMPLE_RNN_KERNELS } from '../../src/kernels/simple_rnn_sequence';
import { buildCase, CaseSpec, optionsOf } from './cases';
import { gatesOf, randomArray, rng } from './reference';

/** The outputs of one case: both forwards and the input/weight gradients. */
export interface CaseRun {
  inference: SequenceForwardResult;
  train: SequenceForwardResult;
  grads: SequenceInputGrads;
}

/**
 * Runs `spec` on `sequenceBackend()` (wasm, or the TypeScript kernels after setBackend('js')); returns that backend's
 * name too. `between` runs after the training forward, before its backward (which asks `sequenceBackend()` again).
 */
export function runCase(spec: CaseSpec, between?: () => void): CaseRun & { backend: 'wasm' | 'js' } {
  const { ref, returnSequences } = buildCase(spec);
  const G = gatesOf(ref.cell);
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
  const opts: SequenceKernelOptions = optionsOf(ref, returnSequences);
  if (opts.mask && !(opts.mask instanceof Float32Array)) opts.mask = Float32Array.from(ref.mask as number[]);
  const k = ref.cell === 'lstm' ? LSTM_KERNELS : ref.cell === 'gru' ? GRU_KERNELS : SIMPLE_RNN_KERNELS;
  const be = sequenceBackend();
  const inference = be.forward(k, a, resolveSequenceOptions('test', G, a, opts, false));
  const o = resolveSequenceOptions('test', G, a, opts, true);
  const train = be.forward(k, a, o);
  if (between) between();
  const r = rng(77);
  const grads = sequenceBackend().backward(k, a, o, train, {
    dLastOutput: Float32Array.from(randomArray(r, B * U)),
    dSequenceOutputs: returnSequences ? Float32Array.from(randomArray(r, B * T * U)) : null,
    dFinalH: Float32Array.from(randomArray(r, B * U)),
    dFinalC: ref.cell === 'lstm' ? Float32Array.from(randomArray(r, B * U)) : null,
  });
  return { inference, train, grads, backend: be.name };
}
