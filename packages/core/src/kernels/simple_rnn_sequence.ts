/**
 * Fused SimpleRNN over a whole sequence (Keras/tfjs): h' = act(x·W + h·U + b).
 * Dropout masks (one each, G = 1) multiply x and h before their products, as Keras.
 */
import { getKernelActivation } from './activation_table';
import {
  addRowVector, asLoop, backpropRecurrent, columnSums, copyOrZeros, copyRange, emitStepOutputs, gatherStepOutputGrads, inputGradients,
  projectInputs, projectRecurrent, RawSequenceOptions, recurrentKernelGrad, SequenceArrays, SequenceBackwardLoop,
  SequenceForwardResult, SequenceInputGrads, SequenceOutputGrads, SequenceSaved,
} from './sequence_common';
import { runSequenceOp, SequenceKernelOptions } from './sequence_op';
import { transposeInto } from '../ops/gemm';
import { sequenceWasmActive } from '../backend/sequence_wasm';
import { sequenceBackwardWasm, sequenceForwardWasm } from '../backend/sequence_wasm_chunked';
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

  // On wasm without input dropout, the projection is computed inside the wasm call (P stays null).
  let P: Float32Array | null = null;
  if (!sequenceWasmActive(o) || o.inputDropoutMasks) {
    P = new Float32Array(B * T * U);
    projectInputs(a, G, a.inputs, a.kernel, o.inputDropoutMasks, o.inputDropoutMasks ? new Float32Array(B * T * D) : null, P);
    if (a.bias) addRowVector(P, B * T, U, a.bias, 0);
  }

  const fin = (store ? T : T & 1) * BU;
  const wz = sequenceForwardWasm({
    cell: 'simple', batch: B, timeSteps: T, units: U, P, inputDim: D, inputs: a.inputs, kernel: a.kernel, inputBias: a.bias,
    recurrentKernel: a.recurrentKernel, biasRec: null, initialH: a.initialH, initialC: null,
    prevOutInit: o.maskedOutputInit === 'initialState' ? a.initialH : null,
    mask, recurrentDropoutMasks: o.recurrentDropoutMasks, goBackwards: o.goBackwards, returnSequences: o.returnSequences,
    store, resetAfter: false, activation: o.activation, recurrentActivation: o.recurrentActivation,
  });
  if (wz) {
    return {
      lastOutput: wz.prevOut,
      sequenceOutputs: wz.seq,
      finalH: wz.H.slice(fin, fin + BU),
      finalC: null,
      saved: store ? { states: wz.H, cells: null, gates: wz.H.subarray(BU), extra: null } : null,
    };
  }

  const Px = P as Float32Array; // computed above whenever the TypeScript loop runs
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
      for (let j = 0; j < U; j++) H[hn + sb + j] += Px[pRow + j];
      act.applyInPlace(H, hn + sb, U);
    }
    emitStepOutputs(mask, T, t, s, B, U, H, hn, prevOut, seq);
  }
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
  a: SequenceArrays, o: RawSequenceOptions, fwd: SequenceForwardResult, grads: SequenceOutputGrads,
): SequenceInputGrads {
  if (!fwd.saved) throw new Error('simpleRNNSequenceBackward: the forward pass did not store its intermediates (storeForBackward: false).');
  const { batch: B, timeSteps: T, units: U } = a;
  const BU = B * U;
  const H = fwd.saved.states;
  const rm = o.recurrentDropoutMasks;
  // Without dropout masks the wasm call also computes the weight and input gradients (its tail).
  const tail = rm || o.inputDropoutMasks ? null : { inputDim: a.inputDim, inputs: a.inputs, kernel: a.kernel, biasRows: a.bias ? 1 as const : 0 as const };
  const wz = sequenceBackwardWasm({
    cell: 'simple', batch: B, timeSteps: T, units: U, recurrentKernel: a.recurrentKernel, H, C: null, gates: fwd.saved.gates,
    extra: new Float32Array(0), dLastOutput: grads.dLastOutput, dSequenceOutputs: grads.dSequenceOutputs, dFinalH: grads.dFinalH,
    dFinalC: null, mask: o.mask, recurrentDropoutMasks: rm, goBackwards: o.goBackwards, resetAfter: false,
    activation: o.activation, recurrentActivation: o.recurrentActivation, tail,
  });
  if (wz && o.maskedOutputInit === 'initialState') for (let i = 0; i < BU; i++) wz.dh[i] += wz.dCarry[i];
  if (wz && wz.weights) return { ...wz.weights, dInitialH: wz.dh, dInitialC: null };
  const loop = wz ? asLoop(wz) : simpleRNNBackwardLoop(a, o, fwd.saved, grads);
  const { dPin, dRec, dh, dCarry } = loop;
  if (!wz && o.maskedOutputInit === 'initialState') for (let i = 0; i < BU; i++) dh[i] += dCarry[i];

  const dRecurrentKernel = new Float32Array(U * U);
  recurrentKernelGrad(B, U, U, 0, 1, T * B, H, dRec, rm, rm ? new Float32Array(T * BU) : null, dRecurrentKernel);
  const { dInputs, dKernel } = inputGradients(a, G, a.inputs, a.kernel, o.inputDropoutMasks, dPin);
  let dBias: Float32Array | null = null;
  if (a.bias) {
    dBias = new Float32Array(U);
    columnSums(dPin, B * T, U, dBias, 0);
  }
  return { dInputs, dKernel, dRecurrentKernel, dBias, dInitialH: dh, dInitialC: null };
}

/** The TypeScript BPTT loop of `simpleRNNSequenceBackward` (twin of the wasm `simpleBackward`). */
function simpleRNNBackwardLoop(
  a: SequenceArrays, o: RawSequenceOptions, saved: SequenceSaved, grads: SequenceOutputGrads,
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
  inputs: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor | null,
  initialH: Tensor | null, options: SequenceKernelOptions,
): [Tensor, Tensor, Tensor] {
  return runSequenceOp(
    { kernelName: 'simpleRNNSequence', gates: G, hasCellState: false, forward: simpleRNNSequenceForward, backward: simpleRNNSequenceBackward },
    inputs, kernel, recurrentKernel, bias, initialH, null, options,
  ) as [Tensor, Tensor, Tensor];
}
