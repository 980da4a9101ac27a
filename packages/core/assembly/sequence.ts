// Fused whole-sequence recurrences (LSTM, GRU, SimpleRNN) with 128-bit SIMD: each export runs ALL time steps of a
// forward or a backpropagation-through-time loop in one call. The WebAssembly twins of
// src/kernels/lstm_sequence.ts, gru_sequence.ts and simple_rnn_sequence.ts (same buffers, layouts and step order; see
// src/kernels/sequence_common.ts for the layouts and src/backend/sequence_wasm.ts for the glue).
//
// The recurrent products run on the gemm micro-kernel (gemm.ts) with the recurrent kernel packed ONCE
// per call: one NR-wide panel set per gate over the full depth (K = units), so a step only packs its
// small left operand (h or dZ, batch rows) and streams the packed weights. Gate math is f32x4.
// All pointers are byte addresses laid out by JavaScript; sizes are in elements.
import { kernel, mergeTile, MR, NR } from './gemm';
import { applyAct, scaleByDerivative } from './activations';

@inline function roundUp(x: i32, m: i32): i32 {
  return ((x + m - 1) / m) * m;
}

@inline function f(p: usize, i: i32): usize {
  return p + ((<usize>i) << 2);
}

/** Floats of one gate's packed recurrent block: `packRecurrent` writes G of them. */
export function packedGateFloats(U: i32): i32 {
  return roundUp(U, NR) * U;
}

/** Floats of per-step scratch a sequence call needs at `work` (packed left operand + an edge tile). */
export function sequenceWorkFloats(B: i32, U: i32): i32 {
  return roundUp(B, MR) * U + MR * NR;
}

/**
 * Packs each gate's block of the recurrent kernel u [U, G·U] into NR-wide panels over the full depth:
 * U_g (forward, h·U_g) or, with `transposed`, U_gᵀ (backward, dZ_g·U_gᵀ). Gate g's panels start at
 * dst + g·packedGateFloats(U) floats.
 */
export function packRecurrent(u: usize, U: i32, G: i32, transposed: bool, dst: usize): void {
  const GU = G * U;
  const per = packedGateFloats(U);
  for (let g = 0; g < G; g++) {
    const base = f(u, g * U);
    const out = f(dst, g * per);
    for (let jr = 0; jr < U; jr += NR) {
      const panel = f(out, jr * U);
      for (let k = 0; k < U; k++) {
        const d = f(panel, k * NR);
        for (let j = 0; j < NR; j++) {
          const n = jr + j;
          let v: f32 = 0;
          // op(B)[k][n] = U[k][gU + n], or U[n][gU + k] transposed.
          if (n < U) v = transposed ? load<f32>(f(base, n * GU + k)) : load<f32>(f(base, k * GU + n));
          store<f32>(f(d, j), v);
        }
      }
    }
  }
}

/** Packs A [M, K] (row stride lda), each element scaled by m[i·ldm + k] when m != 0, into MR-row panels. */
function packA(a: usize, lda: i32, m: usize, ldm: i32, M: i32, K: i32, dst: usize): void {
  for (let ir = 0; ir < M; ir += MR) {
    const panel = f(dst, ir * K);
    for (let r = 0; r < MR; r++) {
      const row = ir + r;
      let d = f(panel, r);
      if (row < M) {
        const s = f(a, row * lda);
        if (m) {
          const ms = f(m, row * ldm);
          for (let k = 0; k < K; k++) {
            store<f32>(d, load<f32>(f(s, k)) * load<f32>(f(ms, k)));
            d += MR << 2;
          }
        } else {
          for (let k = 0; k < K; k++) {
            store<f32>(d, load<f32>(f(s, k)));
            d += MR << 2;
          }
        }
      } else {
        for (let k = 0; k < K; k++) {
          store<f32>(d, 0);
          d += MR << 2;
        }
      }
    }
  }
}

/** C[M×N] (row stride ldc) (+)= packed A (MR panels, depth K) · packed B (NR panels, depth K). */
function gemmPacked(ap: usize, bp: usize, M: i32, N: i32, K: i32, c: usize, ldc: i32, addC: bool, tile: usize): void {
  const ldcBytes = (<usize>ldc) << 2;
  for (let jr = 0; jr < N; jr += NR) {
    const nr = min(NR, N - jr);
    const bpp = f(bp, jr * K);
    for (let ir = 0; ir < M; ir += MR) {
      const mr = min(MR, M - ir);
      const app = f(ap, ir * K);
      const cp = f(c, ir * ldc + jr);
      if (mr == MR && nr == NR) {
        kernel(app, bpp, K, cp, ldcBytes, addC);
      } else {
        kernel(app, bpp, K, tile, NR << 2, false);
        mergeTile(tile, cp, ldcBytes, mr, nr, addC);
      }
    }
  }
}

/**
 * out[b, g·U + j] (row stride ldo) = ((h ⊙ rm_g)·U_g)[b, j] for gates g0..g1−1. `rm` is 0 (no recurrent
 * dropout), one [B, U] mask, or G consecutive ones (`rmPerGate`).
 */
function recurrentProduct(
  h: usize, rm: usize, rmPerGate: bool, B: i32, U: i32, g0: i32, g1: i32, packedU: usize,
  out: usize, ldo: i32, work: usize,
): void {
  const per = packedGateFloats(U);
  const tile = f(work, roundUp(B, MR) * U);
  if (!rmPerGate) packA(h, U, rm, U, B, U, work);
  for (let g = g0; g < g1; g++) {
    if (rmPerGate) packA(h, U, f(rm, g * B * U), U, B, U, work);
    gemmPacked(work, f(packedU, g * per), B, U, U, f(out, g * U), ldo, false, tile);
  }
}

/** dh += Σ_g (dA_g · U_gᵀ) ⊙ rm_g over gates g0..g1−1 (dA rows of stride ldA); `scratch` holds B·U floats. */
function recurrentBackprop(
  dA: usize, ldA: i32, B: i32, U: i32, g0: i32, g1: i32, packedUT: usize, rm: usize, rmPerGate: bool,
  scratch: usize, dh: usize, work: usize,
): void {
  const per = packedGateFloats(U);
  const tile = f(work, roundUp(B, MR) * U);
  const n = B * U;
  for (let g = g0; g < g1; g++) {
    packA(f(dA, g * U), ldA, 0, 0, B, U, work);
    if (!rm) {
      gemmPacked(work, f(packedUT, g * per), B, U, U, dh, U, true, tile);
      continue;
    }
    gemmPacked(work, f(packedUT, g * per), B, U, U, scratch, U, false, tile);
    const m = rmPerGate ? f(rm, g * n) : rm;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      v128.store(f(dh, i), f32x4.add(v128.load(f(dh, i)), f32x4.mul(v128.load(f(scratch, i)), v128.load(f(m, i)))));
    }
    for (; i < n; i++) store<f32>(f(dh, i), load<f32>(f(dh, i)) + load<f32>(f(scratch, i)) * load<f32>(f(m, i)));
  }
}

/** dst[i] += src[i] for i < n. */
function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(f(dst, i), f32x4.add(v128.load(f(dst, i)), v128.load(f(src, i))));
  for (; i < n; i++) store<f32>(f(dst, i), load<f32>(f(dst, i)) + load<f32>(f(src, i)));
}

@inline function active(mask: usize, i: i32): bool {
  return mask == 0 || load<f32>(f(mask, i)) != 0;
}

/** After a step: active rows' h becomes the running output; then it goes to sequence position s. */
function emitStepOutputs(mask: usize, T: i32, t: i32, s: i32, B: i32, U: i32, h: usize, prevOut: usize, seq: usize): void {
  const bytes = (<usize>U) << 2;
  for (let b = 0; b < B; b++) {
    const o = b * U;
    if (active(mask, b * T + t)) memory.copy(f(prevOut, o), f(h, o), bytes);
    if (seq) memory.copy(f(seq, (b * T + s) * U), f(prevOut, o), bytes);
  }
}

/** Backward of emitStepOutputs and the h carry (see gatherStepOutputGrads in sequence_common.ts). */
function gatherStepOutputGrads(
  mask: usize, T: i32, t: i32, s: i32, B: i32, U: i32, dLast: usize, dSeq: usize, dCarry: usize, dh: usize,
): void {
  const last = s == T - 1 && dLast != 0;
  for (let b = 0; b < B; b++) {
    const o = b * U;
    const so = (b * T + s) * U;
    const on = active(mask, b * T + t);
    for (let j = 0; j < U; j++) {
      let g = load<f32>(f(dCarry, o + j));
      if (dSeq) g += load<f32>(f(dSeq, so + j));
      if (last) g += load<f32>(f(dLast, o + j));
      if (on) {
        store<f32>(f(dh, o + j), load<f32>(f(dh, o + j)) + g);
        store<f32>(f(dCarry, o + j), 0);
      } else {
        store<f32>(f(dCarry, o + j), g);
      }
    }
  }
}

/**
 * LSTM forward over all steps (gates i, f, c, o). P [B·T, 4U]: input projections plus bias, rows (b, t).
 * H, C [nStates, B, U] with state 0 set; gates [nG, B, 4U]; actC [nG, B, U]; prevOut [B, U] set to the
 * masked-output init; seq [B, T, U] or 0; mask [B, T] f32 or 0. keep: store every step (nStates = T+1,
 * nG = T), else two alternating states and one gate buffer.
 */
export function lstmForward(
  P: usize, packedU: usize, H: usize, C: usize, gates: usize, actC: usize, prevOut: usize, seq: usize,
  mask: usize, rm: usize, rmPerGate: bool,
  B: i32, T: i32, U: i32, goBackwards: bool, keep: bool, act: i32, rec: i32, work: usize,
): void {
  const GU = 4 * U;
  const BU = B * U;
  const BGU = B * GU;
  const rowBytes = (<usize>U) << 2;
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    const hp = (keep ? s : s & 1) * BU;
    const hn = (keep ? s + 1 : (s + 1) & 1) * BU;
    const gOff = keep ? s * BGU : 0;
    const cOff = keep ? s * BU : 0;
    recurrentProduct(f(H, hp), rm, rmPerGate, B, U, 0, 4, packedU, f(gates, gOff), GU, work);
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
      addInto(gi, f(P, (b * T + t) * GU), GU);
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
        v128.store(cn + o, f32x4.add(f32x4.mul(v128.load(gf + o), v128.load(cp + o)), f32x4.mul(v128.load(gi + o), v128.load(gc + o))));
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
  const GU = 4 * U;
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
      for (let j = 0; j < U; j++) {
        const o = (<usize>j) << 2;
        store<f32>(dO + o, load<f32>(dhr + o) * load<f32>(go + o));
      }
      scaleByDerivative(act, acRow, dO, U);
      let j = 0;
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

/**
 * GRU forward over all steps (gates z, r, h), both variants. P [B·T, 3U]: input projections plus the
 * (input) bias. resetAfter: biasRec [3U] (or 0) is the recurrent bias, R [B, 3U] scratch, extra keeps
 * rec_h per step; otherwise extra keeps r ⊙ (h ⊙ rm_h) per step. Other buffers as lstmForward.
 */
export function gruForward(
  P: usize, packedU: usize, biasRec: usize, H: usize, gates: usize, extra: usize, R: usize, prevOut: usize, seq: usize,
  mask: usize, rm: usize, rmPerGate: bool,
  B: i32, T: i32, U: i32, goBackwards: bool, keep: bool, resetAfter: bool, act: i32, rec: i32, work: usize,
): void {
  const GU = 3 * U;
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
    if (resetAfter) {
      recurrentProduct(f(H, hp), rm, rmPerGate, B, U, 0, 3, packedU, R, GU, work);
    } else {
      recurrentProduct(f(H, hp), rm, rmPerGate, B, U, 0, 2, packedU, f(gates, gOff), GU, work);
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
      const pz = f(P, (b * T + t) * GU);
      const ph = f(pz, 2 * U);
      if (resetAfter) {
        const rz = f(R, b * GU);
        const rh = f(rz, 2 * U);
        if (biasRec) addInto(rz, biasRec, GU);
        memory.copy(gz, pz, (<usize>(2 * U)) << 2);
        addInto(gz, rz, 2 * U);
        applyAct(rec, gz, gz, 2 * U);
        memory.copy(xr, rh, rowBytes);
        for (let j = 0; j < U; j++) {
          const o = (<usize>j) << 2;
          store<f32>(gh + o, load<f32>(ph + o) + load<f32>(gr + o) * load<f32>(rh + o));
        }
      } else {
        addInto(gz, pz, 2 * U);
        applyAct(rec, gz, gz, 2 * U);
        const hr = f(H, hp + sb);
        for (let j = 0; j < U; j++) {
          const o = (<usize>j) << 2;
          const q = rmH ? load<f32>(hr + o) * load<f32>(f(rmH, sb + j)) : load<f32>(hr + o);
          store<f32>(xr + o, load<f32>(gr + o) * q);
        }
      }
    }
    if (!resetAfter) {
      // (r ⊙ h)·U_h for all rows at once (masked rows are ignored below).
      const tile = f(work, roundUp(B, MR) * U);
      packA(f(extra, xOff), U, 0, 0, B, U, work);
      gemmPacked(work, f(packedU, 2 * per), B, U, U, f(gates, gOff + 2 * U), GU, false, tile);
    }
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      if (!active(mask, b * T + t)) {
        memory.copy(f(H, hn + sb), f(H, hp + sb), rowBytes);
        continue;
      }
      const gz = f(gates, gOff + b * GU);
      const gh = f(gz, 2 * U);
      if (!resetAfter) addInto(gh, f(P, (b * T + t) * GU + 2 * U), U);
      applyAct(act, gh, gh, U);
      const hpr = f(H, hp + sb);
      const hnr = f(H, hn + sb);
      let j = 0;
      for (; j + 4 <= U; j += 4) {
        const o = (<usize>j) << 2;
        const z = v128.load(gz + o);
        v128.store(hnr + o, f32x4.add(f32x4.mul(z, v128.load(hpr + o)), f32x4.mul(f32x4.sub(f32x4.splat(1), z), v128.load(gh + o))));
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
  const GU = 3 * U;
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
      const tile = f(work, roundUp(B, MR) * U);
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

/** dst[j] = Σ_r src[r·width + j] for j < width, summed row by row (the order of columnSums in sequence_common.ts). */
export function columnSums(src: usize, rows: i32, width: i32, dst: usize): void {
  memory.fill(dst, 0, (<usize>width) << 2);
  for (let r = 0; r < rows; r++) addInto(dst, f(src, r * width), width);
}

/**
 * SimpleRNN forward over all steps: h' = act(P + (h ⊙ rm)·U). P [B·T, U]: input projections plus bias,
 * rows (b, t). H [nStates, B, U] with state 0 set (each later state is the step's activation output, so
 * the states double as the saved gates); other buffers as lstmForward (rm: 0 or one [B, U] mask).
 */
export function simpleForward(
  P: usize, packedU: usize, H: usize, prevOut: usize, seq: usize, mask: usize, rm: usize,
  B: i32, T: i32, U: i32, goBackwards: bool, keep: bool, act: i32, work: usize,
): void {
  const BU = B * U;
  const rowBytes = (<usize>U) << 2;
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    const hp = (keep ? s : s & 1) * BU;
    const hn = (keep ? s + 1 : (s + 1) & 1) * BU;
    recurrentProduct(f(H, hp), rm, false, B, U, 0, 1, packedU, f(H, hn), U, work);
    for (let b = 0; b < B; b++) {
      const sb = b * U;
      const row = f(H, hn + sb);
      if (!active(mask, b * T + t)) {
        memory.copy(row, f(H, hp + sb), rowBytes);
        continue;
      }
      addInto(row, f(P, (b * T + t) * U), U);
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
