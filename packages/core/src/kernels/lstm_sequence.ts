/**
 * Fused LSTM over a whole sequence (Keras/tfjs math and weight layout, gate order i, f, c, o):
 *   z = x·W + h·U + b;  i = σ(z_i), f = σ(z_f), c̃ = act(z_c), o = σ(z_o)   (σ = recurrentActivation)
 *   c' = f⊙c + i⊙c̃;  h' = o⊙act(c')
 * `lstmSequenceForward` / `lstmSequenceBackward` are the TypeScript reference on Float32Arrays (the twin of
 * assembly/lstm_sequence.ts); `lstmSequence` is the differentiable op (one tape node), which runs on the
 * active backend (sequence_op.ts).
 */
import { getKernelActivation } from './activation_table';
import {
  copyOrZeros,
  copyRange,
  emitStepOutputs,
  forwardResult,
  gatherStepOutputGrads,
  RawSequenceOptions,
  savedOf,
  SequenceArrays,
  SequenceBackwardLoop,
  SequenceForwardResult,
  sequenceInputGrads,
  SequenceInputGrads,
  SequenceOutputGrads,
  SequenceSaved,
  startForward,
  stateSlots,
  transposeRecurrentKernel,
} from './sequence_common';
import { backpropRecurrent, projectRecurrent } from './sequence_products';
import type { SequenceCellKernels } from './sequence_backend';
import { runSequenceOp, LstmSequenceOptions } from './sequence_op';
import { CELL_GATES } from '../backend/wasm_interface.generated';
import type { Tensor } from '../tensor';

const G = CELL_GATES.lstm;

/** Forward pass of an LSTM over all time steps. */
export function lstmSequenceForward(a: SequenceArrays, o: RawSequenceOptions): SequenceForwardResult {
  const { batch: B, timeSteps: T, units: U } = a;
  const GU = G * U;
  const BU = B * U;
  const BGU = B * GU;
  const act = getKernelActivation(o.activation, 'lstmSequence');
  const rec = getKernelActivation(o.recurrentActivation, 'lstmSequence', 'recurrentActivation');
  const mask = o.mask;
  const store = o.storeForBackward;

  const f = startForward(a, o, G);
  const { P, H, prevOut, seq, scratch } = f;
  const C = stateSlots(a, o, a.initialC);
  const gates = new Float32Array((store ? T : 1) * BGU);
  const actC = new Float32Array((store ? T : 1) * BU);

  for (let s = 0; s < T; s++) {
    const t = o.goBackwards ? T - 1 - s : s;
    const hp = (store ? s : s & 1) * BU;
    const hn = (store ? s + 1 : (s + 1) & 1) * BU;
    const gOff = store ? s * BGU : 0;
    const cOff = store ? s * BU : 0;
    projectRecurrent(B, U, GU, 0, G, H, hp, a.recurrentKernel, o.recurrentDropoutMasks, scratch, gates, gOff, GU);
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      if (mask !== null && mask[b * T + t] === 0) {
        H.copyWithin(hn + sb, hp + sb, hp + sb + U);
        C.copyWithin(hn + sb, hp + sb, hp + sb + U);
        continue;
      }
      const row = gOff + b * GU;
      const pRow = (b * T + t) * GU;
      for (let j = 0; j < GU; j++) gates[row + j] += P[pRow + j];
      rec.applyInPlace(gates, row, 2 * U);
      act.applyInPlace(gates, row + 2 * U, U);
      rec.applyInPlace(gates, row + 3 * U, U);
      for (let j = 0; j < U; j++) {
        C[hn + sb + j] = gates[row + U + j] * C[hp + sb + j] + gates[row + j] * gates[row + 2 * U + j];
      }
      act.applyTo(C, hn + sb, actC, cOff + sb, U);
      for (let j = 0; j < U; j++) H[hn + sb + j] = gates[row + 3 * U + j] * actC[cOff + sb + j];
    }
    emitStepOutputs(mask, T, t, s, B, U, H, hn, prevOut, seq);
  }
  return forwardResult(a, o, f, C, { states: H, cells: C, gates, extra: actC });
}

/** Backpropagation through time of `lstmSequenceForward` (which must have run with `storeForBackward`). */
export function lstmSequenceBackward(
  a: SequenceArrays,
  o: RawSequenceOptions,
  fwd: SequenceForwardResult,
  grads: SequenceOutputGrads,
): SequenceInputGrads {
  const saved = savedOf('lstmSequenceBackward', fwd);
  return sequenceInputGrads('lstm', a, o, saved, lstmBackwardLoop(a, o, saved, grads));
}

/** The TypeScript BPTT loop of `lstmSequenceBackward` (twin of the wasm `lstmBackward`). */
export function lstmBackwardLoop(
  a: SequenceArrays,
  o: RawSequenceOptions,
  saved: SequenceSaved,
  grads: SequenceOutputGrads,
): SequenceBackwardLoop {
  const { batch: B, timeSteps: T, units: U } = a;
  const GU = G * U;
  const BU = B * U;
  const BGU = B * GU;
  const act = getKernelActivation(o.activation, 'lstmSequence');
  const rec = getKernelActivation(o.recurrentActivation, 'lstmSequence', 'recurrentActivation');
  const mask = o.mask;
  const { cells, gates, extra } = saved;
  const C = cells as Float32Array;
  const actC = extra as Float32Array;
  const rkT = transposeRecurrentKernel(a.recurrentKernel, U, GU);

  const dPin = new Float32Array(B * T * GU);
  const dRec = new Float32Array(T * BGU);
  const dc = copyOrZeros(grads.dFinalC, BU);
  const scratch = new Float32Array(BU);
  let dh: Float32Array = copyOrZeros(grads.dFinalH, BU);
  let dhPrev: Float32Array = new Float32Array(BU);
  const dCarry = new Float32Array(BU);
  for (let s = T - 1; s >= 0; s--) {
    const t = o.goBackwards ? T - 1 - s : s;
    gatherStepOutputGrads(mask, T, t, s, B, U, grads.dLastOutput, grads.dSequenceOutputs, dCarry, dh);
    const gOff = s * BGU;
    const hp = s * BU;
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      if (mask !== null && mask[b * T + t] === 0) {
        // The state was carried: its gradient passes through; dc is unchanged in place.
        for (let j = 0; j < U; j++) dhPrev[sb + j] = dh[sb + j];
        continue;
      }
      const row = gOff + b * GU;
      const cRow = hp + sb;
      // dh·o·act'(c') into the o-slot first, then use it for dc'.
      for (let j = 0; j < U; j++) dRec[row + 3 * U + j] = dh[sb + j] * gates[row + 3 * U + j];
      act.scaleByDerivative(actC, cRow, dRec, row + 3 * U, U);
      for (let j = 0; j < U; j++) {
        const dcTotal = dc[sb + j] + dRec[row + 3 * U + j];
        dRec[row + j] = dcTotal * gates[row + 2 * U + j]; // di
        dRec[row + U + j] = dcTotal * C[cRow + j]; // df
        dRec[row + 2 * U + j] = dcTotal * gates[row + j]; // dc̃
        dRec[row + 3 * U + j] = dh[sb + j] * actC[cRow + j]; // do
        dc[sb + j] = dcTotal * gates[row + U + j];
        dhPrev[sb + j] = 0;
      }
      rec.scaleByDerivative(gates, row, dRec, row, 2 * U);
      act.scaleByDerivative(gates, row + 2 * U, dRec, row + 2 * U, U);
      rec.scaleByDerivative(gates, row + 3 * U, dRec, row + 3 * U, U);
      copyRange(dRec, row, dPin, (b * T + t) * GU, GU);
    }
    backpropRecurrent(B, U, 0, G, dRec, gOff, GU, rkT, o.recurrentDropoutMasks, scratch, dhPrev);
    const tmp = dh;
    dh = dhPrev;
    dhPrev = tmp;
  }
  return { dPin, dRec, dh, dc: dc, dCarry };
}

/** The LSTM reference kernels, as the sequence backends take them. */
export const LSTM_KERNELS: SequenceCellKernels = {
  cell: 'lstm',
  gates: G,
  forward: lstmSequenceForward,
  backward: lstmSequenceBackward,
};

/**
 * Runs an LSTM over the whole sequence as one differentiable op (one tape node).
 *
 * @param inputs [batch, timeSteps, inputDim]
 * @param kernel [inputDim, 4·units] (gates i, f, c, o)
 * @param recurrentKernel [units, 4·units]
 * @param bias [4·units] or null (useBias: false)
 * @param initialH [batch, units] or null (zeros)
 * @param initialC [batch, units] or null (zeros)
 * @returns `[lastOutput [batch, units], sequenceOutputs [batch, timeSteps, units] (or [batch, 0, units]
 *   unless `returnSequences`), finalH [batch, units], finalC [batch, units]]`
 */
export function lstmSequence(
  inputs: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor | null,
  initialH: Tensor | null,
  initialC: Tensor | null,
  options: LstmSequenceOptions,
): [Tensor, Tensor, Tensor, Tensor] {
  return runSequenceOp(
    { kernelName: 'lstmSequence', hasCellState: true, kernels: LSTM_KERNELS },
    inputs,
    kernel,
    recurrentKernel,
    bias,
    initialH,
    initialC,
    options,
  ) as [Tensor, Tensor, Tensor, Tensor];
}
