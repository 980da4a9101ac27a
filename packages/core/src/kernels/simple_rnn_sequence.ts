/**
 * Fused SimpleRNN over a whole sequence (Keras/tfjs): h' = act(x·W + h·U + b).
 * Dropout masks (one each, G = 1) multiply x and h before their products, as Keras.
 * `simpleRNNSequenceForward` / `simpleRNNSequenceBackward` are the TypeScript reference (the twin of
 * assembly/simple_rnn_sequence.ts); `simpleRNNSequence` is the op, run on the active backend (sequence_op.ts).
 */
import { getKernelActivation } from './activation_table';
import {
  addRowVector,
  backpropRecurrent,
  columnSums,
  copyOrZeros,
  copyRange,
  emitStepOutputs,
  gatherStepOutputGrads,
  initialHGrad,
  inputGradients,
  projectInputs,
  projectRecurrent,
  RawSequenceOptions,
  recurrentKernelGrad,
  savedOf,
  SequenceArrays,
  SequenceBackwardLoop,
  SequenceForwardResult,
  SequenceInputGrads,
  SequenceOutputGrads,
  SequenceSaved,
} from './sequence_common';
import type { SequenceCellKernels } from './sequence_backend';
import { runSequenceOp, SequenceKernelOptions } from './sequence_op';
import { transposeInto } from '../ops/gemm';
import { CELL_GATES } from '../backend/wasm_interface.generated';
import type { Tensor } from '../tensor';

const G = CELL_GATES.simpleRNN;

/** Forward pass of a SimpleRNN over all time steps. */
export function simpleRNNSequenceForward(a: SequenceArrays, o: RawSequenceOptions): SequenceForwardResult {
  const { batch: B, timeSteps: T, inputDim: D, units: U } = a;
  const BU = B * U;
  const act = getKernelActivation(o.activation, 'simpleRNNSequence');
  const mask = o.mask;
  const store = o.storeForBackward;

  const P = new Float32Array(B * T * U);
  projectInputs(a, G, a.inputs, a.kernel, o.inputDropoutMasks, o.inputDropoutMasks ? new Float32Array(B * T * D) : null, P);
  if (a.bias) addRowVector(P, B * T, U, a.bias, 0);

  // h after each step is the activation output, so the states double as the saved gates.
  const H = new Float32Array((store ? T + 1 : 2) * BU);
  if (a.initialH) H.set(a.initialH.subarray(0, BU));
  const prevOut = new Float32Array(BU);
  if (o.maskedOutputInit === 'initialState' && a.initialH) prevOut.set(a.initialH.subarray(0, BU));
  const seq = o.returnSequences ? new Float32Array(B * T * U) : null;
  const scratch = new Float32Array(BU);

  for (let s = 0; s < T; s++) {
    const t = o.goBackwards ? T - 1 - s : s;
    const hp = (store ? s : s & 1) * BU;
    const hn = (store ? s + 1 : (s + 1) & 1) * BU;
    projectRecurrent(B, U, U, 0, 1, H, hp, a.recurrentKernel, o.recurrentDropoutMasks, scratch, H, hn, U);
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      if (mask !== null && mask[b * T + t] === 0) {
        H.copyWithin(hn + sb, hp + sb, hp + sb + U);
        continue;
      }
      const pRow = (b * T + t) * U;
      for (let j = 0; j < U; j++) H[hn + sb + j] += P[pRow + j];
      act.applyInPlace(H, hn + sb, U);
    }
    emitStepOutputs(mask, T, t, s, B, U, H, hn, prevOut, seq);
  }
  const fin = (store ? T : T & 1) * BU;
  return {
    lastOutput: prevOut,
    sequenceOutputs: seq,
    finalH: H.slice(fin, fin + BU),
    finalC: null,
    saved: store ? { states: H, cells: null, gates: H.subarray(BU), extra: null } : null,
  };
}

/** Backpropagation through time of `simpleRNNSequenceForward` (which must have run with `storeForBackward`). */
export function simpleRNNSequenceBackward(
  a: SequenceArrays,
  o: RawSequenceOptions,
  fwd: SequenceForwardResult,
  grads: SequenceOutputGrads,
): SequenceInputGrads {
  const saved = savedOf('simpleRNNSequenceBackward', fwd);
  return simpleRNNWeightGrads(a, o, saved, simpleRNNBackwardLoop(a, o, saved, grads));
}

/** The end of `simpleRNNSequenceBackward` after its BPTT loop (TypeScript or wasm): weight, input and initial-state gradients. */
export function simpleRNNWeightGrads(
  a: SequenceArrays,
  o: RawSequenceOptions,
  saved: SequenceSaved,
  loop: SequenceBackwardLoop,
): SequenceInputGrads {
  const { batch: B, timeSteps: T, units: U } = a;
  const BU = B * U;
  const rm = o.recurrentDropoutMasks;
  const { dPin, dRec } = loop;
  const dRecurrentKernel = new Float32Array(U * U);
  recurrentKernelGrad(B, U, U, 0, 1, T * B, saved.states, dRec, rm, rm ? new Float32Array(T * BU) : null, dRecurrentKernel);
  const { dInputs, dKernel } = inputGradients(a, G, a.inputs, a.kernel, o.inputDropoutMasks, dPin);
  let dBias: Float32Array | null = null;
  if (a.bias) {
    dBias = new Float32Array(U);
    columnSums(dPin, B * T, U, dBias, 0);
  }
  return { dInputs, dKernel, dRecurrentKernel, dBias, dInitialH: initialHGrad(o, loop.dh, loop.dCarry), dInitialC: null };
}

/** The TypeScript BPTT loop of `simpleRNNSequenceBackward` (twin of the wasm `simpleBackward`). */
export function simpleRNNBackwardLoop(
  a: SequenceArrays,
  o: RawSequenceOptions,
  saved: SequenceSaved,
  grads: SequenceOutputGrads,
): SequenceBackwardLoop {
  const { batch: B, timeSteps: T, units: U } = a;
  const BU = B * U;
  const act = getKernelActivation(o.activation, 'simpleRNNSequence');
  const mask = o.mask;
  const H = saved.states;
  const rkT = new Float32Array(U * U);
  transposeInto(a.recurrentKernel, 0, U, U, rkT, U);

  const dPin = new Float32Array(B * T * U);
  const dRec = new Float32Array(T * BU);
  let dh: Float32Array = copyOrZeros(grads.dFinalH, BU);
  let dhPrev: Float32Array = new Float32Array(BU);
  const dCarry = new Float32Array(BU);
  const scratch = new Float32Array(BU);

  for (let s = T - 1; s >= 0; s--) {
    const t = o.goBackwards ? T - 1 - s : s;
    gatherStepOutputGrads(mask, T, t, s, B, U, grads.dLastOutput, grads.dSequenceOutputs, dCarry, dh);
    const off = s * BU;
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      if (mask !== null && mask[b * T + t] === 0) {
        for (let j = 0; j < U; j++) dhPrev[sb + j] = dh[sb + j];
        continue;
      }
      for (let j = 0; j < U; j++) {
        dRec[off + sb + j] = dh[sb + j];
        dhPrev[sb + j] = 0;
      }
      act.scaleByDerivative(H, off + BU + sb, dRec, off + sb, U);
      copyRange(dRec, off + sb, dPin, (b * T + t) * U, U);
    }
    backpropRecurrent(B, U, 0, 1, dRec, off, U, rkT, o.recurrentDropoutMasks, scratch, dhPrev);
    const tmp = dh;
    dh = dhPrev;
    dhPrev = tmp;
  }
  return { dPin, dRec, dh, dc: null, dCarry };
}

/** The SimpleRNN reference kernels, as the sequence backends take them. */
export const SIMPLE_RNN_KERNELS: SequenceCellKernels = {
  cell: 'simpleRNN',
  gates: G,
  forward: simpleRNNSequenceForward,
  backward: simpleRNNSequenceBackward,
};

/**
 * Runs a SimpleRNN over the whole sequence as one differentiable op (one tape node).
 *
 * @param inputs [batch, timeSteps, inputDim]
 * @param kernel [inputDim, units]
 * @param recurrentKernel [units, units]
 * @param bias [units] or null (useBias: false)
 * @param initialH [batch, units] or null (zeros)
 * @returns `[lastOutput [batch, units], sequenceOutputs [batch, timeSteps, units] (or [batch, 0, units]
 *   unless `returnSequences`), finalH [batch, units]]`
 */
export function simpleRNNSequence(
  inputs: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor | null,
  initialH: Tensor | null,
  options: SequenceKernelOptions,
): [Tensor, Tensor, Tensor] {
  return runSequenceOp(
    { kernelName: 'simpleRNNSequence', hasCellState: false, kernels: SIMPLE_RNN_KERNELS },
    inputs,
    kernel,
    recurrentKernel,
    bias,
    initialH,
    null,
    options,
  ) as [Tensor, Tensor, Tensor];
}
