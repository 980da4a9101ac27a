// Fused LSTM over a whole sequence (forward and backpropagation through time), 128-bit SIMD. The WebAssembly twin of
// src/kernels/lstm_sequence.ts (same buffers, layouts and step order; shared pieces in sequence_common.ts).
import { applyAct, scaleByDerivative } from './activation_table';
import { LSTM_GATES } from './interface.generated';
import { madd } from './fma';
import { active, emitStepOutputs, f, gatherStepOutputGrads, inputProduct, recurrentBackprop, recurrentProduct } from './sequence_common';

/**
 * LSTM forward over all steps (gates i, f, c, o). The input pre-activations come from X [B, T, D] with the packed
 * [W; b] (packInput, depth D + 1; X != 0), computed step by step as the recurrence needs them, or from P [B·T, 4U]
 * (input projections plus bias, rows (b, t); X = 0). Either way a gate's pre-activation is (h·U) + ((x·W) + b).
 * H, C [nStates, B, U] with state 0 set; gates [nG, B, 4U]; actC [nG, B, U]; prevOut [B, U] set to the
 * masked-output init; seq [B, T, U] or 0; mask [B, T] f32 or 0. keep: store every step (nStates = T+1,
 * nG = T), else two alternating states and one gate buffer.
 */
export function lstmForward(
  P: usize, X: usize, packedW: usize, D: i32, packedU: usize, H: usize, C: usize, gates: usize, actC: usize, prevOut: usize, seq: usize,
  mask: usize, rm: usize, rmPerGate: bool,
  B: i32, T: i32, U: i32, goBackwards: bool, keep: bool, act: i32, rec: i32, work: usize,
): void {
  const GU = LSTM_GATES * U;
  const BU = B * U;
  const BGU = B * GU;
  const rowBytes = (<usize>U) << 2;
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    const hp = (keep ? s : s & 1) * BU;
    const hn = (keep ? s + 1 : (s + 1) & 1) * BU;
    const gOff = keep ? s * BGU : 0;
    const cOff = keep ? s * BU : 0;
    inputProduct(X ? f(X, t * D) : 0, T * D, packedW, D, P ? f(P, t * GU) : 0, T * GU, B, U, LSTM_GATES, f(gates, gOff), GU, work);
    recurrentProduct(f(H, hp), rm, rmPerGate, B, U, 0, 4, packedU, f(gates, gOff), GU, work, true);
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      if (!active(mask, b * T + t)) {
        memory.copy(f(H, hn + sb), f(H, hp + sb), rowBytes);
        memory.copy(f(C, hn + sb), f(C, hp + sb), rowBytes);
        continue;
      }
      const gi = f(gates, gOff + b * GU);
      const gf = f(gi, U);
      const gc = f(gi, 2 * U);
      const go = f(gi, 3 * U);
      applyAct(rec, gi, gi, 2 * U);
      applyAct(act, gc, gc, U);
      applyAct(rec, go, go, U);
      const cp = f(C, hp + sb);
      const cn = f(C, hn + sb);
      const ac = f(actC, cOff + sb);
      const hnp = f(H, hn + sb);
      let j = 0;
      for (; j + 4 <= U; j += 4) {
        const o = (<usize>j) << 2;
        v128.store(cn + o, madd(v128.load(gf + o), v128.load(cp + o), f32x4.mul(v128.load(gi + o), v128.load(gc + o))));
      }
      for (; j < U; j++) {
        const o = (<usize>j) << 2;
        store<f32>(cn + o, load<f32>(gf + o) * load<f32>(cp + o) + load<f32>(gi + o) * load<f32>(gc + o));
      }
      applyAct(act, cn, ac, U);
      j = 0;
      for (; j + 4 <= U; j += 4) {
        const o = (<usize>j) << 2;
        v128.store(hnp + o, f32x4.mul(v128.load(go + o), v128.load(ac + o)));
      }
      for (; j < U; j++) {
        const o = (<usize>j) << 2;
        store<f32>(hnp + o, load<f32>(go + o) * load<f32>(ac + o));
      }
    }
    emitStepOutputs(mask, T, t, s, B, U, f(H, hn), prevOut, seq);
  }
}

/**
 * LSTM backpropagation through time over the stored forward (H, C [T+1, B, U], gates [T, B, 4U],
 * actC [T, B, U]). dh, dc [B, U] hold dFinalH, dFinalC; dhPrev, dCarry, scratch [B, U] are scratch.
 * Writes dRec [T, B, 4U] (pre-activation gate gradients, step order) and dPin [B·T, 4U] (rows (b, t);
 * the same rows as dRec, reordered; skipped when dPin is 0);
 * masked rows are zero. Returns the pointer (dh or dhPrev) holding dInitialH (before the dCarry term);
 * dc ends as dInitialC, dCarry as the leftover output gradient.
 */
export function lstmBackward(
  packedUT: usize, H: usize, C: usize, gates: usize, actC: usize,
  dh: usize, dhPrev: usize, dc: usize, dCarry: usize, scratch: usize,
  dLast: usize, dSeq: usize, mask: usize, rm: usize, rmPerGate: bool, dRec: usize, dPin: usize,
  B: i32, T: i32, U: i32, goBackwards: bool, act: i32, rec: i32, work: usize,
): usize {
  const GU = LSTM_GATES * U;
  const BU = B * U;
  const BGU = B * GU;
  const rowBytes = (<usize>U) << 2;
  memory.fill(dRec, 0, (<usize>(T * BGU)) << 2);
  if (dPin) memory.fill(dPin, 0, (<usize>(T * BGU)) << 2);
  memory.fill(dCarry, 0, (<usize>BU) << 2);
  let cur = dh;
  let prev = dhPrev;
  for (let s = T - 1; s >= 0; s--) {
    const t = goBackwards ? T - 1 - s : s;
    gatherStepOutputGrads(mask, T, t, s, B, U, dLast, dSeq, dCarry, cur);
    const gOff = s * BGU;
    const hp = s * BU;
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      const dhr = f(cur, sb);
      const dpr = f(prev, sb);
      if (!active(mask, b * T + t)) {
        memory.copy(dpr, dhr, rowBytes);
        continue;
      }
      const gi = f(gates, gOff + b * GU);
      const gf = f(gi, U);
      const gc = f(gi, 2 * U);
      const go = f(gi, 3 * U);
      const di = f(dRec, gOff + b * GU);
      const df = f(di, U);
      const dg = f(di, 2 * U);
      const dO = f(di, 3 * U);
      const cRow = f(C, hp + sb);
      const acRow = f(actC, hp + sb);
      const dcr = f(dc, sb);
      let j = 0;
      for (; j + 4 <= U; j += 4) {
        const o = (<usize>j) << 2;
        v128.store(dO + o, f32x4.mul(v128.load(dhr + o), v128.load(go + o)));
      }
      for (; j < U; j++) {
        const o = (<usize>j) << 2;
        store<f32>(dO + o, load<f32>(dhr + o) * load<f32>(go + o));
      }
      scaleByDerivative(act, acRow, dO, U);
      j = 0;
      for (; j + 4 <= U; j += 4) {
        const o = (<usize>j) << 2;
        const dct = f32x4.add(v128.load(dcr + o), v128.load(dO + o));
        v128.store(di + o, f32x4.mul(dct, v128.load(gc + o)));
        v128.store(df + o, f32x4.mul(dct, v128.load(cRow + o)));
        v128.store(dg + o, f32x4.mul(dct, v128.load(gi + o)));
        v128.store(dO + o, f32x4.mul(v128.load(dhr + o), v128.load(acRow + o)));
        v128.store(dcr + o, f32x4.mul(dct, v128.load(gf + o)));
        v128.store(dpr + o, f32x4.splat(0));
      }
      for (; j < U; j++) {
        const o = (<usize>j) << 2;
        const dct = load<f32>(dcr + o) + load<f32>(dO + o);
        store<f32>(di + o, dct * load<f32>(gc + o));
        store<f32>(df + o, dct * load<f32>(cRow + o));
        store<f32>(dg + o, dct * load<f32>(gi + o));
        store<f32>(dO + o, load<f32>(dhr + o) * load<f32>(acRow + o));
        store<f32>(dcr + o, dct * load<f32>(gf + o));
        store<f32>(dpr + o, 0);
      }
      scaleByDerivative(rec, gi, di, 2 * U);
      scaleByDerivative(act, gc, dg, U);
      scaleByDerivative(rec, go, dO, U);
      if (dPin) memory.copy(f(dPin, (b * T + t) * GU), di, (<usize>GU) << 2);
    }
    recurrentBackprop(f(dRec, gOff), GU, B, U, 0, 4, packedUT, rm, rmPerGate, scratch, prev, work);
    const tmp = cur;
    cur = prev;
    prev = tmp;
  }
  return cur;
}
