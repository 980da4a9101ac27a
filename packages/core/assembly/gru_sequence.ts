// Fused GRU over a whole sequence (both resetAfter variants; forward and backpropagation through time), 128-bit SIMD. The WebAssembly twin of
// src/kernels/gru_sequence.ts (same buffers, layouts and step order; shared pieces in sequence_common.ts).
import { applyAct, scaleByDerivative } from './activation_table';
import { GRU_GATES } from './interface.generated';
import { madd } from './fma';
import {
  active, addInto, emitStepOutputs, f, gatherStepOutputGrads, gemmPacked, inputProduct, packA, packedAFloats, packedGateFloats, recurrentBackprop,
  recurrentProduct,
} from './sequence_common';

/**
 * GRU forward over all steps (gates z, r, h), both variants. The input part of each gate, (x·W) + b (the input
 * bias), from X with packed [W; b] or from P [B·T, 3U] as lstmForward, is written to the step's gate buffer
 * first; the recurrent products are then added to it. resetAfter: biasRec [3U] (or 0) is the recurrent bias, R [B, 3U] scratch, extra keeps
 * rec_h per step; otherwise extra keeps r ⊙ (h ⊙ rm_h) per step. Other buffers as lstmForward.
 */
export function gruForward(
  P: usize, X: usize, packedW: usize, D: i32, packedU: usize, biasRec: usize, H: usize, gates: usize, extra: usize, R: usize, prevOut: usize, seq: usize,
  mask: usize, rm: usize, rmPerGate: bool,
  B: i32, T: i32, U: i32, goBackwards: bool, keep: bool, resetAfter: bool, act: i32, rec: i32, work: usize,
): void {
  const GU = GRU_GATES * U;
  const BU = B * U;
  const BGU = B * GU;
  const rowBytes = (<usize>U) << 2;
  const rmH = rm ? (rmPerGate ? f(rm, 2 * BU) : rm) : 0;
  const per = packedGateFloats(U);
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    const hp = (keep ? s : s & 1) * BU;
    const hn = (keep ? s + 1 : (s + 1) & 1) * BU;
    const gOff = keep ? s * BGU : 0;
    const xOff = keep ? s * BU : 0;
    inputProduct(X ? f(X, t * D) : 0, T * D, packedW, D, P ? f(P, t * GU) : 0, T * GU, B, U, GRU_GATES, f(gates, gOff), GU, work);
    if (resetAfter) {
      recurrentProduct(f(H, hp), rm, rmPerGate, B, U, 0, 3, packedU, R, GU, work);
    } else {
      recurrentProduct(f(H, hp), rm, rmPerGate, B, U, 0, 2, packedU, f(gates, gOff), GU, work, true);
    }
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      const xr = f(extra, xOff + sb);
      if (!active(mask, b * T + t)) {
        memory.fill(xr, 0, rowBytes);
        continue;
      }
      const gz = f(gates, gOff + b * GU);
      const gr = f(gz, U);
      const gh = f(gz, 2 * U);
      if (resetAfter) {
        // gz, gr hold the input parts: + (h·U + b_rec); gh: its input part + r ⊙ (h·U_h + b_rec_h).
        const rz = f(R, b * GU);
        const rh = f(rz, 2 * U);
        if (biasRec) addInto(rz, biasRec, GU);
        addInto(gz, rz, 2 * U);
        applyAct(rec, gz, gz, 2 * U);
        memory.copy(xr, rh, rowBytes);
        let j = 0;
        for (; j + 4 <= U; j += 4) {
          const o = (<usize>j) << 2;
          v128.store(gh + o, f32x4.add(v128.load(gh + o), f32x4.mul(v128.load(gr + o), v128.load(rh + o))));
        }
        for (; j < U; j++) {
          const o = (<usize>j) << 2;
          store<f32>(gh + o, load<f32>(gh + o) + load<f32>(gr + o) * load<f32>(rh + o));
        }
      } else {
        applyAct(rec, gz, gz, 2 * U);
        const hr = f(H, hp + sb);
        let j = 0;
        if (!rmH) {
          for (; j + 4 <= U; j += 4) {
            const o = (<usize>j) << 2;
            v128.store(xr + o, f32x4.mul(v128.load(gr + o), v128.load(hr + o)));
          }
        }
        for (; j < U; j++) {
          const o = (<usize>j) << 2;
          const q = rmH ? load<f32>(hr + o) * load<f32>(f(rmH, sb + j)) : load<f32>(hr + o);
          store<f32>(xr + o, load<f32>(gr + o) * q);
        }
      }
    }
    if (!resetAfter) {
      // (r ⊙ h)·U_h + the input part, for all rows at once (masked rows are ignored below).
      const tile = f(work, packedAFloats(B, U));
      packA(f(extra, xOff), U, 0, 0, B, U, work);
      gemmPacked(work, f(packedU, 2 * per), B, U, U, f(gates, gOff + 2 * U), GU, true, tile);
    }
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      if (!active(mask, b * T + t)) {
        memory.copy(f(H, hn + sb), f(H, hp + sb), rowBytes);
        continue;
      }
      const gz = f(gates, gOff + b * GU);
      const gh = f(gz, 2 * U);
      applyAct(act, gh, gh, U);
      const hpr = f(H, hp + sb);
      const hnr = f(H, hn + sb);
      let j = 0;
      for (; j + 4 <= U; j += 4) {
        const o = (<usize>j) << 2;
        const z = v128.load(gz + o);
        v128.store(hnr + o, madd(z, v128.load(hpr + o), f32x4.mul(f32x4.sub(f32x4.splat(1), z), v128.load(gh + o))));
      }
      for (; j < U; j++) {
        const o = (<usize>j) << 2;
        const z = load<f32>(gz + o);
        store<f32>(hnr + o, z * load<f32>(hpr + o) + (1 - z) * load<f32>(gh + o));
      }
    }
    emitStepOutputs(mask, T, t, s, B, U, f(H, hn), prevOut, seq);
  }
}

/**
 * GRU backpropagation through time (both variants) over the stored forward (H [T+1, B, U], gates
 * [T, B, 3U], extra [T, B, U]). Buffers and result as lstmBackward (no cell state); dS [B, U] scratch.
 */
export function gruBackward(
  packedUT: usize, H: usize, gates: usize, extra: usize,
  dh: usize, dhPrev: usize, dCarry: usize, scratch: usize, dS: usize,
  dLast: usize, dSeq: usize, mask: usize, rm: usize, rmPerGate: bool, dRec: usize, dPin: usize,
  B: i32, T: i32, U: i32, goBackwards: bool, resetAfter: bool, act: i32, rec: i32, work: usize,
): usize {
  const GU = GRU_GATES * U;
  const BU = B * U;
  const BGU = B * GU;
  const rowBytes = (<usize>U) << 2;
  const rmH = rm ? (rmPerGate ? f(rm, 2 * BU) : rm) : 0;
  const per = packedGateFloats(U);
  memory.fill(dRec, 0, (<usize>(T * BGU)) << 2);
  memory.fill(dPin, 0, (<usize>(T * BGU)) << 2);
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
      const gz = f(gates, gOff + b * GU);
      const gr = f(gz, U);
      const gh = f(gz, 2 * U);
      const dz = f(dRec, gOff + b * GU);
      const dr = f(dz, U);
      const dhh = f(dz, 2 * U);
      const hpr = f(H, hp + sb);
      let j = 0;
      for (; j + 4 <= U; j += 4) {
        const o = (<usize>j) << 2;
        const g = v128.load(dhr + o);
        const z = v128.load(gz + o);
        v128.store(dz + o, f32x4.mul(g, f32x4.sub(v128.load(hpr + o), v128.load(gh + o))));
        v128.store(dhh + o, f32x4.mul(g, f32x4.sub(f32x4.splat(1), z)));
        v128.store(dpr + o, f32x4.mul(g, z));
      }
      for (; j < U; j++) {
        const o = (<usize>j) << 2;
        const g = load<f32>(dhr + o);
        const z = load<f32>(gz + o);
        store<f32>(dz + o, g * (load<f32>(hpr + o) - load<f32>(gh + o)));
        store<f32>(dhh + o, g * (1 - z));
        store<f32>(dpr + o, g * z);
      }
      scaleByDerivative(act, gh, dhh, U);
      if (resetAfter) {
        const xr = f(extra, hp + sb);
        for (j = 0; j < U; j++) {
          const o = (<usize>j) << 2;
          store<f32>(dr + o, load<f32>(dhh + o) * load<f32>(xr + o));
        }
        scaleByDerivative(rec, gz, dz, 2 * U);
        memory.copy(f(dPin, (b * T + t) * GU), dz, (<usize>GU) << 2);
        for (j = 0; j < U; j++) {
          const o = (<usize>j) << 2;
          store<f32>(dhh + o, load<f32>(dhh + o) * load<f32>(gr + o));
        }
      }
    }
    if (resetAfter) {
      recurrentBackprop(f(dRec, gOff), GU, B, U, 0, 3, packedUT, rm, rmPerGate, scratch, prev, work);
    } else {
      // s = r ⊙ q with q = h ⊙ rm_h, and s·U_h feeds hh: dS = da_h · U_hᵀ.
      const tile = f(work, packedAFloats(B, U));
      packA(f(dRec, gOff + 2 * U), GU, 0, 0, B, U, work);
      gemmPacked(work, f(packedUT, 2 * per), B, U, U, dS, U, false, tile);
      for (let b = 0; b < B; b++) {
        if (!active(mask, b * T + t)) continue;
        const sb = b * U;
        const gz = f(gates, gOff + b * GU);
        const gr = f(gz, U);
        const dz = f(dRec, gOff + b * GU);
        const dr = f(dz, U);
        const hpr = f(H, hp + sb);
        const dpr = f(prev, sb);
        const dsr = f(dS, sb);
        for (let j = 0; j < U; j++) {
          const o = (<usize>j) << 2;
          const m: f32 = rmH ? load<f32>(f(rmH, sb + j)) : 1;
          const d = load<f32>(dsr + o);
          store<f32>(dr + o, d * load<f32>(hpr + o) * m);
          store<f32>(dpr + o, load<f32>(dpr + o) + d * load<f32>(gr + o) * m);
        }
        scaleByDerivative(rec, gz, dz, 2 * U);
        memory.copy(f(dPin, (b * T + t) * GU), dz, (<usize>GU) << 2);
      }
      recurrentBackprop(f(dRec, gOff), GU, B, U, 0, 2, packedUT, rm, rmPerGate, scratch, prev, work);
    }
    const tmp = cur;
    cur = prev;
    prev = tmp;
  }
  return cur;
}
