// Fused SimpleRNN over a whole sequence (forward and backpropagation through time), 128-bit SIMD. The WebAssembly twin of
// src/kernels/simple_rnn_sequence.ts (same buffers, layouts and step order; shared pieces in sequence_common.ts).
import { applyAct, scaleByDerivative } from './activation_table';
import { active, emitStepOutputs, f, gatherStepOutputGrads, inputProduct, recurrentBackprop, recurrentProduct } from './sequence_common';

/**
 * SimpleRNN forward over all steps: h' = act(((h ⊙ rm)·U) + ((x·W) + b)), the input part from X with packed
 * [W; b] or from P [B·T, U] (input projections plus bias, rows (b, t)) as lstmForward. H [nStates, B, U] with state 0 set (each later state is the step's activation output, so
 * the states double as the saved gates); other buffers as lstmForward (rm: 0 or one [B, U] mask).
 */
export function simpleForward(
  P: usize, X: usize, packedW: usize, D: i32, packedU: usize, H: usize, prevOut: usize, seq: usize, mask: usize, rm: usize,
  B: i32, T: i32, U: i32, goBackwards: bool, keep: bool, act: i32, work: usize,
): void {
  const BU = B * U;
  const rowBytes = (<usize>U) << 2;
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    const hp = (keep ? s : s & 1) * BU;
    const hn = (keep ? s + 1 : (s + 1) & 1) * BU;
    inputProduct(X ? f(X, t * D) : 0, T * D, packedW, D, P ? f(P, t * U) : 0, T * U, B, U, 1, f(H, hn), U, work);
    recurrentProduct(f(H, hp), rm, false, B, U, 0, 1, packedU, f(H, hn), U, work, true);
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      const row = f(H, hn + sb);
      if (!active(mask, b * T + t)) {
        memory.copy(row, f(H, hp + sb), rowBytes);
        continue;
      }
      applyAct(act, row, row, U);
    }
    emitStepOutputs(mask, T, t, s, B, U, f(H, hn), prevOut, seq);
  }
}

/**
 * SimpleRNN backpropagation through time over the stored forward (H [T+1, B, U]). Buffers and result as
 * lstmBackward without the cell state: dRec [T, B, U] step order, dPin [B·T, U] rows (b, t) (or 0 to skip).
 */
export function simpleBackward(
  packedUT: usize, H: usize, dh: usize, dhPrev: usize, dCarry: usize, scratch: usize,
  dLast: usize, dSeq: usize, mask: usize, rm: usize, dRec: usize, dPin: usize,
  B: i32, T: i32, U: i32, goBackwards: bool, act: i32, work: usize,
): usize {
  const BU = B * U;
  const rowBytes = (<usize>U) << 2;
  memory.fill(dRec, 0, (<usize>(T * BU)) << 2);
  if (dPin) memory.fill(dPin, 0, (<usize>(T * BU)) << 2);
  memory.fill(dCarry, 0, (<usize>BU) << 2);
  let cur = dh;
  let prev = dhPrev;
  for (let s = T - 1; s >= 0; s--) {
    const t = goBackwards ? T - 1 - s : s;
    gatherStepOutputGrads(mask, T, t, s, B, U, dLast, dSeq, dCarry, cur);
    const off = s * BU;
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      const dhr = f(cur, sb);
      const dpr = f(prev, sb);
      if (!active(mask, b * T + t)) {
        memory.copy(dpr, dhr, rowBytes);
        continue;
      }
      const dr = f(dRec, off + sb);
      memory.copy(dr, dhr, rowBytes);
      memory.fill(dpr, 0, rowBytes);
      scaleByDerivative(act, f(H, off + BU + sb), dr, U);
      if (dPin) memory.copy(f(dPin, (b * T + t) * U), dr, rowBytes);
    }
    recurrentBackprop(f(dRec, off), U, B, U, 0, 1, packedUT, rm, false, scratch, prev, work);
    const tmp = cur;
    cur = prev;
    prev = tmp;
  }
  return cur;
}
