// Shared pieces of the fused whole-sequence recurrences (LSTM, GRU, SimpleRNN) with 128-bit SIMD: the
// packed recurrent products, Keras masking of states and outputs, column sums. The WebAssembly twin of
// src/kernels/sequence_common.ts (same buffers, layouts and step order; see that file for the layouts and
// src/backend/sequence_wasm.ts for the glue); the cells are in lstm_sequence.ts, gru_sequence.ts and
// simple_rnn_sequence.ts, each running ALL time steps of a forward or a backpropagation-through-time loop in
// one call.
//
// The recurrent products run on the gemm micro-kernel (gemm.ts) with the recurrent kernel packed ONCE
// per call: one NR-wide panel set per gate over the full depth (K = units), so a step only packs its
// small left operand (h or dZ, batch rows) and streams the packed weights. The forwards project their inputs
// the same way, step by step (`inputProduct`: x_t·[W; b] with the input kernel packed once per call, `packInput`)
// into the step's gate buffer, to which the recurrent product is then added: no [B·T, G·U] projection buffer.
// Gate math is f32x4.
// All pointers are byte addresses laid out by JavaScript; sizes are in elements.
import { kernelSplat, mergeTile, MR, NR } from './gemm';
import { madd } from './fma';

@inline export function roundUp(x: i32, m: i32): i32 {
  return ((x + m - 1) / m) * m;
}

@inline export function f(p: usize, i: i32): usize {
  return p + ((<usize>i) << 2);
}

/** Floats of one gate's packed recurrent block: `packRecurrent` writes G of them. */
export function packedGateFloats(U: i32): i32 {
  return roundUp(U, NR) * U;
}

/** Floats of per-step scratch a sequence call needs at `work` (packed left operand + an edge tile). */
export function sequenceWorkFloats(B: i32, U: i32): i32 {
  return packedAFloats(B, U) + MR * NR;
}

/**
 * Floats of per-step scratch a forward call needs at `work`: a packed left operand deep enough for h (U) and for
 * [x_t, 1] (D + 1, when the call projects its inputs: `inputProduct`), and an edge tile.
 */
export function forwardWorkFloats(B: i32, U: i32, D: i32): i32 {
  return packedAFloats(B, max(U, D + 1)) + MR * NR;
}

/** Floats of one gate's packed input kernel [W_g; b_g] (depth D + 1): `packInput` writes G of them. */
export function packedInputFloats(D: i32, U: i32): i32 {
  return roundUp(U, NR) * (D + 1);
}

/**
 * Packs each gate's block of the input kernel w [D, G·U] with the bias b [G·U] (0 = none: zeros) below it,
 * [W_g; b_g], into NR-wide panels over depth D + 1: gate g's panels start at dst + g·packedInputFloats(D, U)
 * floats. The bias row is the last k, so a product row ends with 1·b: (x·W_g) + b, rounded as the gemm's
 * bias-prefilled accumulate rounds it.
 */
export function packInput(w: usize, bias: usize, D: i32, U: i32, G: i32, dst: usize): void {
  const GU = G * U;
  const per = packedInputFloats(D, U);
  for (let g = 0; g < G; g++) {
    for (let jr = 0; jr < U; jr += NR) {
      const panel = f(dst, g * per + jr * (D + 1));
      for (let k = 0; k <= D; k++) {
        const d = f(panel, k * NR);
        for (let j = 0; j < NR; j++) {
          const n = g * U + jr + j;
          let v: f32 = 0;
          if (jr + j < U) v = k < D ? load<f32>(f(w, k * GU + n)) : bias ? load<f32>(f(bias, n)) : 0;
          store<f32>(f(d, j), v);
        }
      }
    }
  }
}

/**
 * The input pre-activations of one step into out [B, G·U] (row stride ldo): with X != 0, (x_t·W_g) + b_g for
 * every gate from packInput's panels, x_t being rows X[b·ldx] (ldx = T·D for [B, T, D] inputs, already offset to
 * step t); else copies of P's rows P[b·ldp] (projections computed by the caller).
 */
export function inputProduct(
  X: usize, ldx: i32, packedW: usize, D: i32, P: usize, ldp: i32, B: i32, U: i32, G: i32, out: usize, ldo: i32, work: usize,
): void {
  const GU = G * U;
  if (!X) {
    for (let b = 0; b < B; b++) memory.copy(f(out, b * ldo), f(P, b * ldp), (<usize>GU) << 2);
    return;
  }
  const K = D + 1;
  const tile = f(work, packedAFloats(B, max(U, K)));
  packRowsWithOne(X, ldx, B, D, work);
  const per = packedInputFloats(D, U);
  for (let g = 0; g < G; g++) gemmPacked(work, f(packedW, g * per), B, U, K, f(out, g * U), ldo, false, tile);
}

/** packA's layout of [A, 1] for A [M, D] (row stride lda): depth D + 1, the last k 1 (0 in padding rows). */
function packRowsWithOne(a: usize, lda: i32, M: i32, D: i32, dst: usize): void {
  const K = D + 1;
  for (let ir = 0; ir < M; ir += MR) {
    const panel = f(dst, ir * K * 4);
    for (let r = 0; r < MR; r++) {
      const row = ir + r;
      let d = panel + ((<usize>r) << 4);
      if (row < M) {
        const s = f(a, row * lda);
        let k = 0;
        for (; k + 4 <= D; k += 4) {
          const v = v128.load(f(s, k));
          v128.store(d, i32x4.shuffle(v, v, 0, 0, 0, 0));
          v128.store(d, i32x4.shuffle(v, v, 1, 1, 1, 1), MR << 4);
          v128.store(d, i32x4.shuffle(v, v, 2, 2, 2, 2), MR << 5);
          v128.store(d, i32x4.shuffle(v, v, 3, 3, 3, 3), (MR << 4) * 3);
          d += MR << 6;
        }
        for (; k < D; k++) {
          v128.store(d, f32x4.splat(load<f32>(f(s, k))));
          d += MR << 4;
        }
        v128.store(d, f32x4.splat(1));
      } else {
        for (let k = 0; k < K; k++) {
          v128.store(d, f32x4.splat(0));
          d += MR << 4;
        }
      }
    }
  }
}

/** Floats of a packed (pre-broadcast) left operand of B rows and depth K: `packA` writes them at `work`. */
export function packedAFloats(B: i32, K: i32): i32 {
  return roundUp(B, MR) * K * 4;
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
      if (!transposed && jr + NR <= U) {
        // op(B)[k][jr..jr+8] = U[k][gU + jr..]: two vector copies per k.
        let s = f(base, jr);
        let d = panel;
        for (let k = 0; k < U; k++) {
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
          s += (<usize>GU) << 2;
          d += NR << 2;
        }
        continue;
      }
      // Column j of the panel: op(B)[k][n] = U[k][gU + n], or U[n][gU + k] transposed (zero for n ≥ U).
      for (let j = 0; j < NR; j++) {
        const n = jr + j;
        let d = f(panel, j);
        if (n >= U) {
          for (let k = 0; k < U; k++) {
            store<f32>(d, 0);
            d += NR << 2;
          }
        } else if (transposed) {
          let s = f(base, n * GU);
          for (let k = 0; k < U; k++) {
            store<f32>(d, load<f32>(s));
            s += 4;
            d += NR << 2;
          }
        } else {
          let s = f(base, n);
          for (let k = 0; k < U; k++) {
            store<f32>(d, load<f32>(s));
            s += (<usize>GU) << 2;
            d += NR << 2;
          }
        }
      }
    }
  }
}

/**
 * Packs A [M, K] (row stride lda), each element scaled by m[i·ldm + k] when m != 0, into MR-row panels of
 * pre-broadcast values (gemm.ts packANormal's layout, read by kernelSplat).
 */
export function packA(a: usize, lda: i32, m: usize, ldm: i32, M: i32, K: i32, dst: usize): void {
  for (let ir = 0; ir < M; ir += MR) {
    const panel = f(dst, ir * K * 4);
    for (let r = 0; r < MR; r++) {
      const row = ir + r;
      let d = panel + ((<usize>r) << 4);
      if (row < M) {
        const s = f(a, row * lda);
        const ms = m ? f(m, row * ldm) : 0;
        let k = 0;
        // Four k at a time: one vector load (times the mask), four lane shuffles.
        for (; k + 4 <= K; k += 4) {
          let v = v128.load(f(s, k));
          if (m) v = f32x4.mul(v, v128.load(f(ms, k)));
          v128.store(d, i32x4.shuffle(v, v, 0, 0, 0, 0));
          v128.store(d, i32x4.shuffle(v, v, 1, 1, 1, 1), MR << 4);
          v128.store(d, i32x4.shuffle(v, v, 2, 2, 2, 2), MR << 5);
          v128.store(d, i32x4.shuffle(v, v, 3, 3, 3, 3), (MR << 4) * 3);
          d += MR << 6;
        }
        for (; k < K; k++) {
          v128.store(d, f32x4.splat(m ? load<f32>(f(s, k)) * load<f32>(f(ms, k)) : load<f32>(f(s, k))));
          d += MR << 4;
        }
      } else {
        for (let k = 0; k < K; k++) {
          v128.store(d, f32x4.splat(0));
          d += MR << 4;
        }
      }
    }
  }
}

/** C[M×N] (row stride ldc) (+)= packed A (MR panels, depth K) · packed B (NR panels, depth K). */
export function gemmPacked(ap: usize, bp: usize, M: i32, N: i32, K: i32, c: usize, ldc: i32, addC: bool, tile: usize): void {
  const ldcBytes = (<usize>ldc) << 2;
  for (let jr = 0; jr < N; jr += NR) {
    const nr = min(NR, N - jr);
    const bpp = f(bp, jr * K);
    for (let ir = 0; ir < M; ir += MR) {
      const mr = min(MR, M - ir);
      const app = f(ap, ir * K * 4);
      const cp = f(c, ir * ldc + jr);
      if (mr == MR && nr == NR) {
        kernelSplat(app, bpp, K, cp, ldcBytes, addC);
      } else {
        kernelSplat(app, bpp, K, tile, NR << 2, false);
        mergeTile(tile, cp, ldcBytes, mr, nr, addC);
      }
    }
  }
}

/**
 * out[b, g·U + j] (row stride ldo) (+)= ((h ⊙ rm_g)·U_g)[b, j] for gates g0..g1−1 (`addC`: the product plus what
 * out holds, e.g. inputProduct's pre-activations). `rm` is 0 (no recurrent dropout), one [B, U] mask, or G
 * consecutive ones (`rmPerGate`).
 */
export function recurrentProduct(
  h: usize, rm: usize, rmPerGate: bool, B: i32, U: i32, g0: i32, g1: i32, packedU: usize,
  out: usize, ldo: i32, work: usize, addC: bool = false,
): void {
  const per = packedGateFloats(U);
  const tile = f(work, packedAFloats(B, U));
  if (!rmPerGate) packA(h, U, rm, U, B, U, work);
  for (let g = g0; g < g1; g++) {
    if (rmPerGate) packA(h, U, f(rm, g * B * U), U, B, U, work);
    gemmPacked(work, f(packedU, g * per), B, U, U, f(out, g * U), ldo, addC, tile);
  }
}

/** dh += Σ_g (dA_g · U_gᵀ) ⊙ rm_g over gates g0..g1−1 (dA rows of stride ldA); `scratch` holds B·U floats. */
export function recurrentBackprop(
  dA: usize, ldA: i32, B: i32, U: i32, g0: i32, g1: i32, packedUT: usize, rm: usize, rmPerGate: bool,
  scratch: usize, dh: usize, work: usize,
): void {
  const per = packedGateFloats(U);
  const tile = f(work, packedAFloats(B, U));
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
      v128.store(f(dh, i), madd(v128.load(f(scratch, i)), v128.load(f(m, i)), v128.load(f(dh, i))));
    }
    for (; i < n; i++) store<f32>(f(dh, i), load<f32>(f(dh, i)) + load<f32>(f(scratch, i)) * load<f32>(f(m, i)));
  }
}

/** dst[i] += src[i] for i < n. */
export function addInto(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(f(dst, i), f32x4.add(v128.load(f(dst, i)), v128.load(f(src, i))));
  for (; i < n; i++) store<f32>(f(dst, i), load<f32>(f(dst, i)) + load<f32>(f(src, i)));
}

@inline export function active(mask: usize, i: i32): bool {
  return mask == 0 || load<f32>(f(mask, i)) != 0;
}

/** After a step: active rows' h becomes the running output; then it goes to sequence position s. */
export function emitStepOutputs(mask: usize, T: i32, t: i32, s: i32, B: i32, U: i32, h: usize, prevOut: usize, seq: usize): void {
  const bytes = (<usize>U) << 2;
  for (let b = 0; b < B; b++) {
    const o = b * U;
    if (active(mask, b * T + t)) memory.copy(f(prevOut, o), f(h, o), bytes);
    if (seq) memory.copy(f(seq, (b * T + s) * U), f(prevOut, o), bytes);
  }
}

/** Backward of emitStepOutputs and the h carry (see gatherStepOutputGrads in sequence_common.ts). */
export function gatherStepOutputGrads(
  mask: usize, T: i32, t: i32, s: i32, B: i32, U: i32, dLast: usize, dSeq: usize, dCarry: usize, dh: usize,
): void {
  const last = s == T - 1 && dLast != 0;
  for (let b = 0; b < B; b++) {
    const o = b * U;
    const so = (b * T + s) * U;
    const on = active(mask, b * T + t);
    let j = 0;
    for (; j + 4 <= U; j += 4) {
      let g = v128.load(f(dCarry, o + j));
      if (dSeq) g = f32x4.add(g, v128.load(f(dSeq, so + j)));
      if (last) g = f32x4.add(g, v128.load(f(dLast, o + j)));
      if (on) {
        v128.store(f(dh, o + j), f32x4.add(v128.load(f(dh, o + j)), g));
        v128.store(f(dCarry, o + j), f32x4.splat(0));
      } else {
        v128.store(f(dCarry, o + j), g);
      }
    }
    for (; j < U; j++) {
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

/** dst[j] = Σ_r src[r·width + j] for j < width, summed row by row (the order of columnSums in sequence_common.ts). */
export function columnSums(src: usize, rows: i32, width: i32, dst: usize): void {
  memory.fill(dst, 0, (<usize>width) << 2);
  for (let r = 0; r < rows; r++) addInto(dst, f(src, r * width), width);
}

