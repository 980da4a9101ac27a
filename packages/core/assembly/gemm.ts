// Single-precision matrix multiply with 128-bit SIMD: C (+)= op(A) · op(B), row-major, f32.
//
// The classic GotoBLAS/BLIS structure:
//   for each NC-wide column block of C           (jc)
//     for each KC-deep slice of the inner dim    (pc)   pack op(B)[pc.., jc..] into NR-wide panels
//       for each MC-tall row block of C          (ic)   pack op(A)[ic.., pc..] into MR-tall panels
//         for each NR-wide panel                 (jr)   (stays in L1 while ...)
//           for each MR-tall panel               (ir)   ... the register-blocked micro-kernel runs
// Packing makes every micro-kernel read contiguous and handles the transposes (transA/transB only
// change how panels are gathered) and the ragged edges (panels are zero-padded to MR/NR, edge tiles go
// through a small scratch tile). The micro-kernel keeps an MR×NR (4×8) block of C in MR·NR/4 v128 registers
// and updates it with `madd` (fma.ts: f32x4.mul + f32x4.add, or relaxed-simd's fused madd in the relaxed module).
// Packed A holds each value pre-broadcast to 4 lanes (`kernelSplat`); `kernel` (plain packed A, one
// load32_splat per value) remains for step_kernel.ts.
//
// The micro-kernel is deliberately a separate, non-inlined function: V8 first runs a wasm function in
// its baseline compiler and switches to optimized code only for later calls, so one long-running call
// would stay slow; many short calls to a small hot function tier up within the first multiply.
//
// All pointers are byte addresses in linear memory laid out by JavaScript; strides are in elements.

import { madd } from './fma';

export const MR = 4;
export const NR = 8;
const KC = 384;
const MC = 72; // multiple of MR: a packed (pre-broadcast) A block (MC×KC×16 B = 432 KiB) stays in L2
const NC = 1024; // multiple of NR
// From this many columns of C on, gemm packs A pre-broadcast (16 B a value) for kernelSplat; below, each packed
// value feeds too few B panels to pay for the larger packing (dX = dPin·Wᵀ with N = 64: 15.4 GMAC/s
// pre-broadcast, 15.9 plain), and A is packed plain for `kernel`.
const SPLAT_MIN_N = 128;

@inline function min(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

@inline function roundUp(x: i32, m: i32): i32 {
  return ((x + m - 1) / m) * m;
}

/** Bytes of workspace `gemm` needs for these sizes (packed A block, packed B block, one edge tile). */
export function gemmWorkspaceBytes(M: i32, N: i32, K: i32): usize {
  const kc = min(K, KC);
  const mc = roundUp(min(M, MC), MR);
  const nc = roundUp(min(N, NC), NR);
  const lanes = N >= SPLAT_MIN_N ? 4 : 1;
  return (<usize>(mc * kc * lanes + kc * nc + MR * NR)) << 2;
}

/**
 * C[M×N] (+)= op(A)[M×K] · op(B)[K×N].
 * op(A) is A (stored [M, lda]) or, with transA, Aᵀ (A stored [K, lda]); likewise op(B) for B
 * (stored [K, ldb], or [N, ldb] with transB). C is stored [M, ldc]. `accumulate` adds into C.
 * `work` points at gemmWorkspaceBytes(M, N, K) bytes of scratch, 16-byte aligned.
 */
export function gemm(
  a: usize, lda: i32, transA: bool,
  b: usize, ldb: i32, transB: bool,
  c: usize, ldc: i32,
  M: i32, N: i32, K: i32,
  accumulate: bool,
  work: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) {
      for (let i = 0; i < M; i++) memory.fill(c + ((<usize>(i * ldc)) << 2), 0, (<usize>N) << 2);
    }
    return;
  }
  const kcMax = min(K, KC);
  const mcMax = roundUp(min(M, MC), MR);
  const packA = work;
  const splat = N >= SPLAT_MIN_N;
  const lanes = splat ? 4 : 1;
  const packB = packA + ((<usize>(mcMax * kcMax * lanes)) << 2);
  const ncMax = roundUp(min(N, NC), NR);
  const tile = packB + ((<usize>(kcMax * ncMax)) << 2);
  const ldcBytes = (<usize>ldc) << 2;

  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      if (transB) packBTrans(b, ldb, pc, jc, kc, nc, packB);
      else packBNormal(b, ldb, pc, jc, kc, nc, packB);
      const addC = accumulate || pc > 0;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        if (splat) {
          if (transA) packATrans(a, lda, ic, pc, mc, kc, packA);
          else packANormal(a, lda, ic, pc, mc, kc, packA);
        } else if (transA) {
          packATransPlain(a, lda, ic, pc, mc, kc, packA);
        } else {
          packANormalPlain(a, lda, ic, pc, mc, kc, packA);
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = packB + ((<usize>(jr * kc)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = packA + ((<usize>(ir * kc * lanes)) << 2);
            const cp = c + ((<usize>((ic + ir) * ldc + jc + jr)) << 2);
            if (mr == MR && nr == NR) {
              if (splat) kernelSplat(ap, bp, kc, cp, ldcBytes, addC);
              else kernel(ap, bp, kc, cp, ldcBytes, addC);
            } else {
              if (splat) kernelSplat(ap, bp, kc, tile, NR << 2, false);
              else kernel(ap, bp, kc, tile, NR << 2, false);
              mergeTile(tile, cp, ldcBytes, mr, nr, addC);
            }
          }
        }
      }
    }
  }
}

/** Adds (or copies, when !addC) the top-left mr×nr of an MR×NR tile into C. */
export function mergeTile(tile: usize, cp: usize, ldcBytes: usize, mr: i32, nr: i32, addC: bool): void {
  for (let r = 0; r < mr; r++) {
    const t = tile + ((<usize>(r * NR)) << 2);
    const row = cp + <usize>r * ldcBytes;
    for (let j = 0; j < nr; j++) {
      const o = (<usize>j) << 2;
      const v = load<f32>(t + o);
      store<f32>(row + o, addC ? load<f32>(row + o) + v : v);
    }
  }
}

// Packed A (pre-broadcast): for each MR-row panel, kc groups of MR vectors, value (r, k) in all 4 lanes of
// vector k·MR + r, so the micro-kernel reads A with plain vector loads (see kernelSplat).
function packANormal(a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const panel = dst + ((<usize>(ir * kc * 4)) << 2);
    for (let r = 0; r < MR; r++) {
      let d = panel + ((<usize>r) << 4);
      if (r < mr) {
        const s = a + ((<usize>((i0 + ir + r) * lda + p0)) << 2);
        for (let k = 0; k < kc; k++) {
          v128.store(d, v128.load32_splat(s + ((<usize>k) << 2)));
          d += MR << 4;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          v128.store(d, f32x4.splat(0));
          d += MR << 4;
        }
      }
    }
  }
}

function packATrans(a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  // op(A)[i][k] = A[k][i]: the MR values of packed column k are consecutive in A.
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const panel = dst + ((<usize>(ir * kc * 4)) << 2);
    let s = a + ((<usize>(p0 * lda + i0 + ir)) << 2);
    let d = panel;
    if (mr == MR) {
      for (let k = 0; k < kc; k++) {
        const v = v128.load(s);
        v128.store(d, i32x4.shuffle(v, v, 0, 0, 0, 0));
        v128.store(d, i32x4.shuffle(v, v, 1, 1, 1, 1), 16);
        v128.store(d, i32x4.shuffle(v, v, 2, 2, 2, 2), 32);
        v128.store(d, i32x4.shuffle(v, v, 3, 3, 3, 3), 48);
        s += (<usize>lda) << 2;
        d += MR << 4;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          v128.store(d + ((<usize>r) << 4), r < mr ? v128.load32_splat(s + ((<usize>r) << 2)) : f32x4.splat(0));
        }
        s += (<usize>lda) << 2;
        d += MR << 4;
      }
    }
  }
}

// Packed A for `kernel` (used when C has few columns, see SPLAT_MIN_N): for each MR-row panel, kc groups of MR
// consecutive values (column k of the panel).
function packANormalPlain(a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const panel = dst + ((<usize>(ir * kc)) << 2);
    if (mr == MR) {
      const ldaBytes = (<usize>lda) << 2;
      let s0 = a + ((<usize>((i0 + ir) * lda + p0)) << 2);
      let d = panel;
      const s1 = s0 + ldaBytes;
      const s2 = s1 + ldaBytes;
      const s3 = s2 + ldaBytes;
      for (let k = 0; k < kc; k++) {
        const o = (<usize>k) << 2;
        store<f32>(d, load<f32>(s0 + o));
        store<f32>(d, load<f32>(s1 + o), 4);
        store<f32>(d, load<f32>(s2 + o), 8);
        store<f32>(d, load<f32>(s3 + o), 12);
        d += MR << 2;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const d = panel + ((<usize>(k * MR)) << 2);
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < mr ? load<f32>(a + ((<usize>((i0 + ir + r) * lda + p0 + k)) << 2)) : 0;
          store<f32>(d + ((<usize>r) << 2), v);
        }
      }
    }
  }
}

function packATransPlain(a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  // op(A)[i][k] = A[k][i]: each packed column is MR consecutive stored values.
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const panel = dst + ((<usize>(ir * kc)) << 2);
    for (let k = 0; k < kc; k++) {
      const s = a + ((<usize>((p0 + k) * lda + i0 + ir)) << 2);
      const d = panel + ((<usize>(k * MR)) << 2);
      if (mr == MR) {
        v128.store(d, v128.load(s)); // MR = 4 values
      } else {
        for (let r = 0; r < MR; r++) {
          store<f32>(d + ((<usize>r) << 2), r < mr ? load<f32>(s + ((<usize>r) << 2)) : 0);
        }
      }
    }
  }
}

// Packed B: for each NR-column panel, kc rows of NR consecutive values.
function packBNormal(b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const panel = dst + ((<usize>(jr * kc)) << 2);
    for (let k = 0; k < kc; k++) {
      const s = b + ((<usize>((p0 + k) * ldb + j0 + jr)) << 2);
      const d = panel + ((<usize>(k * NR)) << 2);
      if (nr == NR) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      } else {
        for (let j = 0; j < NR; j++) {
          store<f32>(d + ((<usize>j) << 2), j < nr ? load<f32>(s + ((<usize>j) << 2)) : 0);
        }
      }
    }
  }
}

function packBTrans(b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  // op(B)[k][j] = B[j][k]: gather NR stored rows, one value from each per packed row.
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const panel = dst + ((<usize>(jr * kc)) << 2);
    for (let j = 0; j < NR; j++) {
      let d = panel + ((<usize>j) << 2);
      if (j < nr) {
        let s = b + ((<usize>((j0 + jr + j) * ldb + p0)) << 2);
        for (let k = 0; k < kc; k++) {
          store<f32>(d, load<f32>(s));
          s += 4;
          d += NR << 2;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          store<f32>(d, 0);
          d += NR << 2;
        }
      }
    }
  }
}

/**
 * The MR×NR (4×8) micro-kernel: C tile (+)= packed A panel · packed B panel over kc.
 * 4×8 keeps 8 accumulators + 2 B vectors + 1 broadcast A value + the product temporary in registers
 * (V8 on x64 allocates 15 xmm registers; a 6×8 tile spilled 4 accumulators to the stack every step).
 * The loop runs on the B pointer against its end (one induction variable less); unrolling over k
 * makes V8 hoist all loads of the unrolled body and spill again, so it is not unrolled.
 */
@noinline
export function kernel(ap: usize, bp: usize, kc: i32, cp: usize, ldcBytes: usize, addC: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  const bEnd = bp + ((<usize>kc) << 5); // NR floats per k
  while (bp < bEnd) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(ap);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(ap, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(ap, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(ap, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    ap += MR << 2;
    bp += NR << 2;
  }
  storeTile(cp, ldcBytes, addC, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * The micro-kernel on pre-broadcast A (packANormal's layout: MR vectors per k), bit for bit the sums of
 * `kernel`, faster on V8/x64 with plain SIMD, where it runs near the FP-side limit measured on Zen 4
 * (~4.4 FP ops + vector loads per cycle: 16 mul/add + 6 loads per k take ~5 cycles):
 * - A is read by vector loads whose offsets fold into the address: V8 computes a separate address (lea)
 *   for each load32_splat with an offset.
 * - eight k per iteration with an exit test after each: V8 schedules a block's loads before its arithmetic,
 *   so one block of two k would keep 12 loaded vectors + 8 accumulators live (spills); each test ends a
 *   block, whose arithmetic the exit path also needs, so each k keeps 6 + 8. An eighth of the loop
 *   overhead (pointer updates, V8's stack check, the back branch) per k: 1.39 → 1.31 ns per k on Zen 4
 *   against two k per iteration, 1.45 for the one-k loop of `kernel`.
 * (bench/seq_kernels.mjs times the sequence kernels built from any assembly/ folder.)
 */
@noinline
export function kernelSplat(ap: usize, bp: usize, kc: i32, cp: usize, ldcBytes: usize, addC: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  const bLast = bp + ((<usize>(kc - 1)) << 5); // the last k's NR floats of B
  if (kc > 0) {
    while (true) {
      let b0: v128, b1: v128, x: v128;
      // k + 0
      b0 = v128.load(bp, 0);
      b1 = v128.load(bp, 16);
      x = v128.load(ap, 0);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load(ap, 16);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load(ap, 32);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load(ap, 48);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      if (bp >= bLast) break;
      // k + 1
      b0 = v128.load(bp, 32);
      b1 = v128.load(bp, 48);
      x = v128.load(ap, 64);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load(ap, 80);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load(ap, 96);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load(ap, 112);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      if (bp + 32 >= bLast) break;
      // k + 2
      b0 = v128.load(bp, 64);
      b1 = v128.load(bp, 80);
      x = v128.load(ap, 128);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load(ap, 144);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load(ap, 160);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load(ap, 176);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      if (bp + 64 >= bLast) break;
      // k + 3
      b0 = v128.load(bp, 96);
      b1 = v128.load(bp, 112);
      x = v128.load(ap, 192);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load(ap, 208);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load(ap, 224);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load(ap, 240);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      if (bp + 96 >= bLast) break;
      // k + 4
      b0 = v128.load(bp, 128);
      b1 = v128.load(bp, 144);
      x = v128.load(ap, 256);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load(ap, 272);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load(ap, 288);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load(ap, 304);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      if (bp + 128 >= bLast) break;
      // k + 5
      b0 = v128.load(bp, 160);
      b1 = v128.load(bp, 176);
      x = v128.load(ap, 320);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load(ap, 336);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load(ap, 352);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load(ap, 368);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      if (bp + 160 >= bLast) break;
      // k + 6
      b0 = v128.load(bp, 192);
      b1 = v128.load(bp, 208);
      x = v128.load(ap, 384);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load(ap, 400);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load(ap, 416);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load(ap, 432);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      if (bp + 192 >= bLast) break;
      // k + 7
      b0 = v128.load(bp, 224);
      b1 = v128.load(bp, 240);
      x = v128.load(ap, 448);
      c00 = madd(x, b0, c00);
      c01 = madd(x, b1, c01);
      x = v128.load(ap, 464);
      c10 = madd(x, b0, c10);
      c11 = madd(x, b1, c11);
      x = v128.load(ap, 480);
      c20 = madd(x, b0, c20);
      c21 = madd(x, b1, c21);
      x = v128.load(ap, 496);
      c30 = madd(x, b0, c30);
      c31 = madd(x, b1, c31);
      ap += (MR << 4) * 8;
      bp += (NR << 2) * 8;
      if (bp > bLast) break;
    }
  }
  storeTile(cp, ldcBytes, addC, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** Writes (or adds, with addC) the 4×8 accumulators into C. */
@inline
function storeTile(
  cp: usize, ldcBytes: usize, addC: bool,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
): void {
  let p = cp;
  if (addC) {
    c00 = f32x4.add(c00, v128.load(p));
    c01 = f32x4.add(c01, v128.load(p, 16));
    p += ldcBytes;
    c10 = f32x4.add(c10, v128.load(p));
    c11 = f32x4.add(c11, v128.load(p, 16));
    p += ldcBytes;
    c20 = f32x4.add(c20, v128.load(p));
    c21 = f32x4.add(c21, v128.load(p, 16));
    p += ldcBytes;
    c30 = f32x4.add(c30, v128.load(p));
    c31 = f32x4.add(c31, v128.load(p, 16));
    p = cp;
  }
  v128.store(p, c00);
  v128.store(p, c01, 16);
  p += ldcBytes;
  v128.store(p, c10);
  v128.store(p, c11, 16);
  p += ldcBytes;
  v128.store(p, c20);
  v128.store(p, c21, 16);
  p += ldcBytes;
  v128.store(p, c30);
  v128.store(p, c31, 16);
}
