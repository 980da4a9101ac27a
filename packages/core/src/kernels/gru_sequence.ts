/**
 * Fused GRU over a whole sequence (Keras/tfjs math and weight layout, gate order z, r, h):
 * - resetAfter = false (tfjs GRU, Keras 1):
 *     z = σ(x·W_z + h·U_z + b_z), r = σ(x·W_r + h·U_r + b_r), hh = act(x·W_h + (r⊙h)·U_h + b_h)
 * - resetAfter = true (Keras 2/3 default, PyTorch); bias [2, 3·units] = [input bias; recurrent bias]:
 *     rec = h·U + b_rec;  z = σ(x·W_z + b_in_z + rec_z), r = σ(x·W_r + b_in_r + rec_r),
 *     hh = act(x·W_h + b_in_h + r⊙rec_h)
 * then h' = z⊙h + (1 − z)⊙hh. σ = recurrentActivation.
 * With recurrent dropout masks rm_g, h is replaced by h⊙rm_g in gate g's product (Keras).
 * `gruSequenceForward` / `gruSequenceBackward` are the TypeScript reference (the twin of
 * assembly/gru_sequence.ts); `gruSequence` is the op, run on the active backend (sequence_op.ts).
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
  transposeRecurrentKernel,
} from './sequence_common';
import { addRowVector, backpropRecurrent, gateMask, projectRecurrent } from './sequence_products';
import type { SequenceCellKernels } from './sequence_backend';
import { gemmStrided } from '../ops/gemm';
import { runSequenceOp, GruSequenceOptions } from './sequence_op';
import { CELL_GATES } from '../backend/wasm_interface.generated';
import type { Tensor } from '../tensor';

const G = CELL_GATES.gru;

/** Forward pass of a GRU over all time steps (`o.resetAfter` selects the variant). */
export function gruSequenceForward(a: SequenceArrays, o: RawSequenceOptions): SequenceForwardResult {
  const { batch: B, timeSteps: T, units: U } = a;
  const GU = G * U;
  const BU = B * U;
  const BGU = B * GU;
  const act = getKernelActivation(o.activation, 'gruSequence');
  const rec = getKernelActivation(o.recurrentActivation, 'gruSequence', 'recurrentActivation');
  const mask = o.mask;
  const store = o.storeForBackward;
  const resetAfter = o.resetAfter;
  const rm = o.recurrentDropoutMasks;

  const f = startForward(a, o, G);
  const { P, H, prevOut, seq, scratch } = f;
  const gates = new Float32Array((store ? T : 1) * BGU);
  // resetAfter: rec_h per step; otherwise r ⊙ (h ⊙ rm_h) per step (the input of U_h).
  const extra = new Float32Array((store ? T : 1) * BU);
  const R = resetAfter ? new Float32Array(BGU) : null;
  const rmH = rm ? gateMask(rm, 2) : null;

  for (let s = 0; s < T; s++) {
    const t = o.goBackwards ? T - 1 - s : s;
    const hp = (store ? s : s & 1) * BU;
    const hn = (store ? s + 1 : (s + 1) & 1) * BU;
    const gOff = store ? s * BGU : 0;
    const xOff = store ? s * BU : 0;
    if (R) {
      projectRecurrent(B, U, GU, 0, G, H, hp, a.recurrentKernel, rm, scratch, R, 0, GU);
      if (a.bias) addRowVector(R, B, GU, a.bias, GU);
      for (let b = 0; b < B; b++) {
        const sb = b * U;
        if (mask !== null && mask[b * T + t] === 0) {
          H.copyWithin(hn + sb, hp + sb, hp + sb + U);
          continue;
        }
        const row = gOff + b * GU;
        const rRow = b * GU;
        const pRow = (b * T + t) * GU;
        for (let j = 0; j < 2 * U; j++) gates[row + j] = P[pRow + j] + R[rRow + j];
        rec.applyInPlace(gates, row, 2 * U);
        for (let j = 0; j < U; j++) {
          const rh = R[rRow + 2 * U + j];
          extra[xOff + sb + j] = rh;
          gates[row + 2 * U + j] = P[pRow + 2 * U + j] + gates[row + U + j] * rh;
        }
        act.applyInPlace(gates, row + 2 * U, U);
        for (let j = 0; j < U; j++) {
          const z = gates[row + j];
          H[hn + sb + j] = z * H[hp + sb + j] + (1 - z) * gates[row + 2 * U + j];
        }
      }
    } else {
      projectRecurrent(B, U, GU, 0, 2, H, hp, a.recurrentKernel, rm, scratch, gates, gOff, GU);
      for (let b = 0; b < B; b++) {
        if (mask !== null && mask[b * T + t] === 0) continue;
        const row = gOff + b * GU;
        const pRow = (b * T + t) * GU;
        const sb = b * U;
        for (let j = 0; j < 2 * U; j++) gates[row + j] += P[pRow + j];
        rec.applyInPlace(gates, row, 2 * U);
        for (let j = 0; j < U; j++) {
          const q = rmH ? H[hp + sb + j] * rmH[sb + j] : H[hp + sb + j];
          extra[xOff + sb + j] = gates[row + U + j] * q;
        }
      }
      // (r ⊙ h)·U_h for all rows at once (masked rows are ignored below).
      gemmStrided(extra, xOff, U, false, a.recurrentKernel, 2 * U, GU, false, gates, gOff + 2 * U, GU, B, U, U, false);
      for (let b = 0; b < B; b++) {
        const sb = b * U;
        if (mask !== null && mask[b * T + t] === 0) {
          H.copyWithin(hn + sb, hp + sb, hp + sb + U);
          continue;
        }
        const row = gOff + b * GU;
        const pRow = (b * T + t) * GU;
        for (let j = 0; j < U; j++) gates[row + 2 * U + j] += P[pRow + 2 * U + j];
        act.applyInPlace(gates, row + 2 * U, U);
        for (let j = 0; j < U; j++) {
          const z = gates[row + j];
          H[hn + sb + j] = z * H[hp + sb + j] + (1 - z) * gates[row + 2 * U + j];
        }
      }
    }
    emitStepOutputs(mask, T, t, s, B, U, H, hn, prevOut, seq);
  }
  return forwardResult(a, o, f, null, { states: H, cells: null, gates, extra });
}

/** Backpropagation through time of `gruSequenceForward` (which must have run with `storeForBackward`). */
export function gruSequenceBackward(
  a: SequenceArrays,
  o: RawSequenceOptions,
  fwd: SequenceForwardResult,
  grads: SequenceOutputGrads,
): SequenceInputGrads {
  const saved = savedOf('gruSequenceBackward', fwd);
  return sequenceInputGrads('gru', a, o, saved, gruBackwardLoop(a, o, saved, grads));
}

/** The TypeScript BPTT loop of `gruSequenceBackward` (twin of the wasm `gruBackward`). */
export function gruBackwardLoop(
  a: SequenceArrays,
  o: RawSequenceOptions,
  saved: SequenceSaved,
  grads: SequenceOutputGrads,
): SequenceBackwardLoop {
  const { batch: B, timeSteps: T, units: U } = a;
  const GU = G * U;
  const BU = B * U;
  const BGU = B * GU;
  const act = getKernelActivation(o.activation, 'gruSequence');
  const rec = getKernelActivation(o.recurrentActivation, 'gruSequence', 'recurrentActivation');
  const mask = o.mask;
  const resetAfter = o.resetAfter;
  const rm = o.recurrentDropoutMasks;
  const rmH = rm ? gateMask(rm, 2) : null;
  const { states: H, gates } = saved;
  const extra = saved.extra as Float32Array;
  const rkT = transposeRecurrentKernel(a.recurrentKernel, U, GU);

  const dPin = new Float32Array(B * T * GU);
  const dRec = new Float32Array(T * BGU);
  const scratch = new Float32Array(BU);
  const ds = resetAfter ? null : new Float32Array(BU);
  let dh: Float32Array = copyOrZeros(grads.dFinalH, BU);
  let dhPrev: Float32Array = new Float32Array(BU);
  const dCarry = new Float32Array(BU);
  for (let s = T - 1; s >= 0; s--) {
    const t = o.goBackwards ? T - 1 - s : s;
    gatherStepOutputGrads(mask, T, t, s, B, U, grads.dLastOutput, grads.dSequenceOutputs, dCarry, dh);
    const gOff = s * BGU;
    const hp = s * BU;
    // h' = z⊙h + (1 − z)⊙hh: the z and hh slots get dz and dhh (pre-activation scaling below).
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      if (mask !== null && mask[b * T + t] === 0) {
        for (let j = 0; j < U; j++) dhPrev[sb + j] = dh[sb + j];
        continue;
      }
      const row = gOff + b * GU;
      for (let j = 0; j < U; j++) {
        const g = dh[sb + j];
        const z = gates[row + j];
        dRec[row + j] = g * (H[hp + sb + j] - gates[row + 2 * U + j]);
        dRec[row + 2 * U + j] = g * (1 - z);
        dhPrev[sb + j] = g * z;
      }
      act.scaleByDerivative(gates, row + 2 * U, dRec, row + 2 * U, U);
      if (resetAfter) {
        // hh = act(p_h + r⊙rec_h): dr = da_h⊙rec_h; d(rec_h) = da_h⊙r (after dPin takes da_h).
        for (let j = 0; j < U; j++) dRec[row + U + j] = dRec[row + 2 * U + j] * extra[hp + sb + j];
        rec.scaleByDerivative(gates, row, dRec, row, 2 * U);
        copyRange(dRec, row, dPin, (b * T + t) * GU, GU);
        for (let j = 0; j < U; j++) dRec[row + 2 * U + j] *= gates[row + U + j];
      }
    }
    if (resetAfter) {
      backpropRecurrent(B, U, 0, G, dRec, gOff, GU, rkT, rm, scratch, dhPrev);
    } else {
      const dS = ds as Float32Array;
      // s = r⊙q with q = h⊙rm_h, and (s·U_h) feeds hh: dS = da_h·U_hᵀ.
      gemmStrided(dRec, gOff + 2 * U, GU, false, rkT, 2 * U * U, U, false, dS, 0, U, B, U, U, false);
      for (let b = 0; b < B; b++) {
        if (mask !== null && mask[b * T + t] === 0) continue;
        const sb = b * U;
        const row = gOff + b * GU;
        for (let j = 0; j < U; j++) {
          const m = rmH ? rmH[sb + j] : 1;
          const r = gates[row + U + j];
          dRec[row + U + j] = dS[sb + j] * H[hp + sb + j] * m; // dr
          dhPrev[sb + j] += dS[sb + j] * r * m;
        }
        rec.scaleByDerivative(gates, row, dRec, row, 2 * U);
        copyRange(dRec, row, dPin, (b * T + t) * GU, GU);
      }
      backpropRecurrent(B, U, 0, 2, dRec, gOff, GU, rkT, rm, scratch, dhPrev);
    }
    const tmp = dh;
    dh = dhPrev;
    dhPrev = tmp;
  }
  return { dPin, dRec, dh, dc: null, dCarry };
}

/** The GRU reference kernels, as the sequence backends take them. */
export const GRU_KERNELS: SequenceCellKernels = {
  cell: 'gru',
  gates: G,
  forward: gruSequenceForward,
  backward: gruSequenceBackward,
};

/**
 * Runs a GRU over the whole sequence as one differentiable op (one tape node).
 *
 * @param inputs [batch, timeSteps, inputDim]
 * @param kernel [inputDim, 3·units] (gates z, r, h)
 * @param recurrentKernel [units, 3·units]
 * @param bias [3·units], or [2, 3·units] with `resetAfter`, or null (useBias: false)
 * @param initialH [batch, units] or null (zeros)
 * @returns `[lastOutput [batch, units], sequenceOutputs [batch, timeSteps, units] (or [batch, 0, units]
 *   unless `returnSequences`), finalH [batch, units]]`
 */
export function gruSequence(
  inputs: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor | null,
  initialH: Tensor | null,
  options: GruSequenceOptions,
): [Tensor, Tensor, Tensor] {
  return runSequenceOp(
    { kernelName: 'gruSequence', hasCellState: false, kernels: GRU_KERNELS },
    inputs,
    kernel,
    recurrentKernel,
    bias,
    initialH,
    null,
    options,
  ) as [Tensor, Tensor, Tensor];
}
