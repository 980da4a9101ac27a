// One time step of the built-in cells (LSTM, GRU in both modes, SimpleRNN) for streaming inference, with
// 128-bit SIMD. The WebAssembly twin of src/kernels/step_kernel.ts (glue in src/backend/step_wasm.ts; cell kinds STEP_* in interface.generated.ts).
//
// The weights stay resident between calls: `packStepWeights` packs the stacked [W; U] ([D + U, G·U]) per
// gate into NR-wide panels over the full depth K = D + U (the gemm's packed-B layout), each gate padded to
// UP = roundUp(U, NR) columns, so a depth range [k0, k1) of a panel is contiguous and gate blocks never
// share a panel. The bias is kept padded the same way ([R, G, UP], R = 2 for GRU resetAfter).
// A step is then one matrix-vector product per row for batch 1 (`gemv`: four panels at a time, the weights
// streamed once) or the gemm micro-kernel over MR-row panels of [x, h] for larger batches, plus the gate
// math on f32x4 lanes. A whole sequence is one call (`stepSequence`: the input projections of a chunk of
// steps first, then per step h·U and the gate math), or, split by units across threads, one `stepProject`
// per chunk and one `stepColumns` per thread and step (a barrier between steps, src/backend/threads/pool.ts).
// All pointers are byte addresses laid out by JavaScript; sizes are in elements.
import { kernelSplat, mergeTile, MR, NR } from './gemm';
import { madd } from './fma';
import { applyAct } from './activation_table';
import { gatesOfKind, STEP_GRU, STEP_GRU_RESET_AFTER, STEP_LSTM, STEP_SIMPLE_RNN } from './interface.generated';


@inline function roundUp(x: i32, m: i32): i32 {
  return ((x + m - 1) / m) * m;
}

@inline function f(p: usize, i: i32): usize {
  return p + ((<usize>i) << 2);
}

/** Floats of the packed weights of one cell (G gate blocks of UP columns over depth D + U). */
export function stepPackedFloats(kind: i32, D: i32, U: i32): i32 {
  return gatesOfKind(kind) * roundUp(U, NR) * (D + U);
}

/** Floats of the padded bias ([R, G, UP]). */
export function stepBiasFloats(kind: i32, U: i32): i32 {
  return (kind == STEP_GRU_RESET_AFTER ? 2 : 1) * gatesOfKind(kind) * roundUp(U, NR);
}

/** Floats of per-call scratch for `batch` rows. */
export function stepWorkFloats(kind: i32, B: i32, D: i32, U: i32): i32 {
  const UP = roundUp(U, NR);
  const K = D + U;
  // z [B, (G + 1)·UP] (GRU resetAfter: the recurrent h-gate part in slot G), r⊙h [B, U], packed A rows
  // (pre-broadcast: 4 floats a value), a tile.
  return B * (gatesOfKind(kind) + 1) * UP + B * U + roundUp(B, MR) * K * 4 + MR * NR + 4;
}

/**
 * Packs kernel W [D, G·U] and recurrent kernel R [U, G·U] (row-major) as [W; R] per gate into NR-wide
 * panels over depth K = D + U: gate g's panel p holds column g·U + p·NR + j (j < NR, zero beyond U) at
 * dst + (s·UP·K + p·NR·K + k·NR + j) floats, s = gateSlot(kind, g). `bias` (0 = none) [R·G·U] is written
 * padded to `biasDst` in the same slots.
 */
export function packStepWeights(kind: i32, w: usize, r: usize, bias: usize, D: i32, U: i32, dst: usize, biasDst: usize): void {
  const G = gatesOfKind(kind);
  const GU = G * U;
  const UP = roundUp(U, NR);
  const K = D + U;
  for (let g = 0; g < G; g++) {
    const slot = gateSlot(kind, g);
    for (let p = 0; p < UP; p += NR) {
      const panel = f(dst, slot * UP * K + p * K);
      for (let k = 0; k < K; k++) {
        const d = f(panel, k * NR);
        const src = k < D ? f(w, k * GU + g * U) : f(r, (k - D) * GU + g * U);
        for (let j = 0; j < NR; j++) {
          const n = p + j;
          store<f32>(f(d, j), n < U ? load<f32>(f(src, n)) : 0);
        }
      }
    }
  }
  const rows = kind == STEP_GRU_RESET_AFTER ? 2 : 1;
  memory.fill(biasDst, 0, (<usize>(rows * G * UP)) << 2);
  if (bias) {
    for (let q = 0; q < rows * G; q++) memory.copy(f(biasDst, (q - q % G + gateSlot(kind, q % G)) * UP), f(bias, q * U), (<usize>U) << 2);
  }
}

/**
 * Where gate g (the sequence kernels' order) sits in the packed weights: LSTM's gates are packed i, f, o, c
 * (the three sigmoid gates adjacent, so one activation pass covers them); other cells keep their order.
 */
@inline function gateSlot(kind: i32, g: i32): i32 {
  return kind == STEP_LSTM && g >= 2 ? 5 - g : g;
}

/**
 * out[j] (+)= Σ_{k0 ≤ k < k1} v[k − k0]·B[k][j] for the nPanels NR-wide panels at `bp` (panel depth K),
 * j < nPanels·NR. Four panels (32 columns, 8 accumulators) per pass over v, two k per iteration: that
 * halves the time of the one-k loop under V8 (~19 → ~38 GFLOP/s for 160×512); four k per iteration spills.
 * An odd k is peeled off BEFORE the loop: a tail after it made V8 keep worse registers in the loop (−35%).
 */
function gemv(v: usize, bp: usize, K: i32, k0: i32, k1: i32, nPanels: i32, out: usize, addC: bool): void {
  const n4 = nPanels & ~3;
  if (n4 > 0) gemv4(v, bp, K, k0, k1, n4, out, addC);
  if (nPanels > n4) {
    const kc = k1 - k0;
    const panelBytes = (<usize>(K * NR)) << 2;
    const b = bp + <usize>n4 * panelBytes + ((<usize>(k0 * NR)) << 2);
    gemvPanels(v, b, panelBytes, (kc & 1) != 0, v + ((<usize>kc) << 2), nPanels - n4, f(out, n4 * NR), addC);
  }
}

/**
 * `gemv` for nPanels a multiple of 4. V8's register allocation of the loop is fragile: code after it
 * (an odd-k tail, adding C at the end) or beside it (the 1-panel loop) made it ~1.6× slower, so the
 * accumulators start from C (or zero) and an odd k is peeled off before the loop.
 */
@noinline
function gemv4(v: usize, bp: usize, K: i32, k0: i32, k1: i32, nPanels: i32, out: usize, addC: bool): void {
  const kc = k1 - k0;
  const panelBytes = (<usize>(K * NR)) << 2;
  const vEnd = v + ((<usize>kc) << 2);
  let b = bp + ((<usize>(k0 * NR)) << 2);
  let o = out;
  for (let p = 0; p < nPanels; p += 4) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let a4 = f32x4.splat(0);
    let a5 = f32x4.splat(0);
    let a6 = f32x4.splat(0);
    let a7 = f32x4.splat(0);
    if (addC) {
      a0 = v128.load(o);
      a1 = v128.load(o, 16);
      a2 = v128.load(o, 32);
      a3 = v128.load(o, 48);
      a4 = v128.load(o, 64);
      a5 = v128.load(o, 80);
      a6 = v128.load(o, 96);
      a7 = v128.load(o, 112);
    }
    let q0 = b;
    let q1 = b + panelBytes;
    let q2 = q1 + panelBytes;
    let q3 = q2 + panelBytes;
    let vp = v;
    if (kc & 1) {
      const x = v128.load32_splat(vp);
      a0 = madd(x, v128.load(q0), a0);
      a1 = madd(x, v128.load(q0, 16), a1);
      a2 = madd(x, v128.load(q1), a2);
      a3 = madd(x, v128.load(q1, 16), a3);
      a4 = madd(x, v128.load(q2), a4);
      a5 = madd(x, v128.load(q2, 16), a5);
      a6 = madd(x, v128.load(q3), a6);
      a7 = madd(x, v128.load(q3, 16), a7);
      q0 += NR * 4;
      q1 += NR * 4;
      q2 += NR * 4;
      q3 += NR * 4;
      vp += 4;
    }
    while (vp < vEnd) {
      let x = v128.load32_splat(vp);
      a0 = madd(x, v128.load(q0), a0);
      a1 = madd(x, v128.load(q0, 16), a1);
      a2 = madd(x, v128.load(q1), a2);
      a3 = madd(x, v128.load(q1, 16), a3);
      a4 = madd(x, v128.load(q2), a4);
      a5 = madd(x, v128.load(q2, 16), a5);
      a6 = madd(x, v128.load(q3), a6);
      a7 = madd(x, v128.load(q3, 16), a7);
      x = v128.load32_splat(vp, 4);
      a0 = madd(x, v128.load(q0, 32), a0);
      a1 = madd(x, v128.load(q0, 48), a1);
      a2 = madd(x, v128.load(q1, 32), a2);
      a3 = madd(x, v128.load(q1, 48), a3);
      a4 = madd(x, v128.load(q2, 32), a4);
      a5 = madd(x, v128.load(q2, 48), a5);
      a6 = madd(x, v128.load(q3, 32), a6);
      a7 = madd(x, v128.load(q3, 48), a7);
      q0 += 2 * NR * 4;
      q1 += 2 * NR * 4;
      q2 += 2 * NR * 4;
      q3 += 2 * NR * 4;
      vp += 8;
    }
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
    v128.store(o, a4, 64);
    v128.store(o, a5, 80);
    v128.store(o, a6, 96);
    v128.store(o, a7, 112);
    b += panelBytes * 4;
    o += 4 * NR * 4;
  }
}

/**
 * The last 0–3 panels of `gemv`, one at a time (accumulators from C, odd k first, as gemv4). Each column
 * is one sum in k order (no even/odd partial sums), as in gemv4, so a product split at any depth (the
 * input projection first, then h·U) gives the same floats as one pass.
 */
@noinline
function gemvPanels(v: usize, b: usize, panelBytes: usize, odd: bool, vEnd: usize, n: i32, o: usize, addC: bool): void {
  for (let p = 0; p < n; p++) {
    let q0 = b;
    let vp = v;
    let a0 = addC ? v128.load(o) : f32x4.splat(0);
    let a1 = addC ? v128.load(o, 16) : f32x4.splat(0);
    if (odd) {
      const x = v128.load32_splat(vp);
      a0 = madd(x, v128.load(q0), a0);
      a1 = madd(x, v128.load(q0, 16), a1);
      q0 += NR * 4;
      vp += 4;
    }
    while (vp < vEnd) {
      const x = v128.load32_splat(vp);
      const y = v128.load32_splat(vp, 4);
      a0 = madd(x, v128.load(q0), a0);
      a1 = madd(x, v128.load(q0, 16), a1);
      a0 = madd(y, v128.load(q0, 32), a0);
      a1 = madd(y, v128.load(q0, 48), a1);
      q0 += 2 * NR * 4;
      vp += 8;
    }
    v128.store(o, a0);
    v128.store(o, a1, 16);
    b += panelBytes;
    o += NR * 4;
  }
}

/**
 * Packs rows of `src` (B rows, stride ld, `width` values each) into MR-row panels of depth kc at depth offset
 * kOff, each value pre-broadcast to 4 lanes (gemm.ts packANormal's layout: vector k·MR + r of a panel holds
 * row r's value k), for `kernelSplat` (~10% faster per k than `kernel` on a plainly packed A; the same sums).
 */
function packRows(src: usize, ld: i32, B: i32, width: i32, kc: i32, kOff: i32, dst: usize): void {
  for (let ir = 0; ir < B; ir += MR) {
    for (let r = 0; r < MR; r++) {
      const row = ir + r;
      let d = f(dst, (ir * kc + kOff * MR + r) * 4);
      if (row < B) {
        const s = f(src, row * ld);
        for (let k = 0; k < width; k++) {
          v128.store(d, v128.load32_splat(f(s, k)));
          d += MR << 4;
        }
      } else {
        for (let k = 0; k < width; k++) {
          v128.store(d, f32x4.splat(0));
          d += MR << 4;
        }
      }
    }
  }
}

/**
 * out[b, j] (row stride ldo) (+)= Σ over depth [k0, k1) of the packed gate blocks g0..g1−1 (contiguous,
 * nPanels panels in all) times the rows: v1 (rows of stride ld1, depth [k0, kMid)) then v2 (stride ld2,
 * depth [kMid, k1)); v1 or v2 is unused when its range is empty.
 */
function product(
  v1: usize, ld1: i32, v2: usize, ld2: i32, B: i32, k0: i32, kMid: i32, k1: i32,
  bp: usize, K: i32, nPanels: i32, out: usize, ldo: i32, addC: bool, work: usize,
): void {
  if (B == 1) {
    // x and h adjacent in memory (as the glue lays them out): one pass over the whole depth.
    if (kMid > k0 && k1 > kMid && v2 == f(v1, kMid - k0)) {
      gemv(v1, bp, K, k0, k1, nPanels, out, addC);
      return;
    }
    if (kMid > k0) gemv(v1, bp, K, k0, kMid, nPanels, out, addC);
    if (k1 > kMid) gemv(v2, bp, K, kMid, k1, nPanels, out, addC || kMid > k0);
    return;
  }
  const kc = k1 - k0;
  const tile = f(work, roundUp(B, MR) * kc * 4);
  if (kMid > k0) packRows(v1, ld1, B, kMid - k0, kc, 0, work);
  if (k1 > kMid) packRows(v2, ld2, B, k1 - kMid, kc, kMid - k0, work);
  const ldoBytes = (<usize>ldo) << 2;
  for (let p = 0; p < nPanels; p++) {
    const bpp = f(bp, p * NR * K + k0 * NR);
    for (let ir = 0; ir < B; ir += MR) {
      const mr = min(MR, B - ir);
      const app = f(work, ir * kc * 4);
      const cp = f(out, ir * ldo + p * NR);
      if (mr == MR) {
        kernelSplat(app, bpp, kc, cp, ldoBytes, addC);
      } else {
        kernelSplat(app, bpp, kc, tile, NR << 2, false);
        mergeTile(tile, cp, ldoBytes, mr, NR, addC);
      }
    }
  }
}

/** dst[i] += src[i] for i < n (n a multiple of 4). */
/** dst[j] = a[j]·b[j] for j < n (n exactly: the tail after the last full vector is scalar). */
@inline function mulInto(dst: usize, a: usize, b: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = (<usize>j) << 2;
    v128.store(dst + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; j < n; j++) {
    const o = (<usize>j) << 2;
    store<f32>(dst + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

@inline function addInto4(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) v128.store(f(dst, i), f32x4.add(v128.load(f(dst, i)), v128.load(f(src, i))));
}

/**
 * One step of `batch` rows: x [B, D], h [B, U], c [B, U] (LSTM; else 0) in; hOut, cOut [B, U] out (may
 * not alias the inputs). `packed`/`bias` from packStepWeights (bias 0 = none); `work` holds
 * stepWorkFloats floats, 16-byte aligned.
 */
export function cellStep(
  kind: i32, packed: usize, bias: usize, x: usize, h: usize, c: usize, hOut: usize, cOut: usize,
  B: i32, D: i32, U: i32, act: i32, rec: i32, work: usize,
): void {
  const G = gatesOfKind(kind);
  const UP = roundUp(U, NR);
  const K = D + U;
  const panels = UP / NR;
  const ZW = (G + 1) * UP; // row width of z
  const z = work;
  const rh = f(z, B * ZW);
  const w2 = f(rh, roundUp(B * U, 4));
  if (kind == STEP_LSTM || kind == STEP_SIMPLE_RNN) {
    product(x, D, h, U, B, 0, D, K, packed, K, G * panels, z, ZW, false, w2);
  } else {
    // Gates z, r over [x; h]; the candidate's input part alone; its recurrent part below.
    product(x, D, h, U, B, 0, D, K, packed, K, 2 * panels, z, ZW, false, w2);
    product(x, D, 0, 0, B, 0, D, D, f(packed, 2 * UP * K), K, panels, f(z, 2 * UP), ZW, false, w2);
    if (kind == STEP_GRU_RESET_AFTER) product(0, 0, h, U, B, D, D, K, f(packed, 2 * UP * K), K, panels, f(z, 3 * UP), ZW, false, w2);
  }
  finishStep(kind, packed, bias, z, rh, h, c, hOut, cOut, B, D, U, act, rec, w2);
}

/** Steps of `stepSequence` whose input projections are computed together (z rows of ≤ ~64 KB, at least 1). */
function sequenceChunk(kind: i32, B: i32, U: i32, T: i32): i32 {
  const ZW = (gatesOfKind(kind) + 1) * roundUp(U, NR);
  return max(1, min(T, 16384 / (B * ZW)));
}

/** Floats of `stepSequence`'s workspace for `batch` rows and T steps. */
export function stepSequenceWorkFloats(kind: i32, B: i32, D: i32, U: i32, T: i32): i32 {
  const ZW = (gatesOfKind(kind) + 1) * roundUp(U, NR);
  const rows = sequenceChunk(kind, B, U, T) * B;
  const pack = max(roundUp(rows, MR) * D, roundUp(B, MR) * (D + U)) * 4;
  return rows * ZW + roundUp(B * U, 4) + pack + MR * NR + 4;
}

/**
 * T steps of `batch` rows in ONE call (batch-1 inference of a whole sequence): X [T, B, D] step-major;
 * H [(T + 1), B, U] with H[0] the initial h, step s writes H[s + 1]; C [2, B, U] (LSTM; else 0) with
 * C[0] the initial c, step s reads C[s & 1] and writes C[(s + 1) & 1]. The input projections x·W of a
 * chunk of steps are one product over all its rows (the gemm micro-kernel, each weight panel reused
 * by MR rows), so a step is only h·U (added to them) and the gate math; the sums are the same, in
 * the same order, as `cellStep`'s for batch 1. `work` holds stepSequenceWorkFloats floats.
 */
export function stepSequence(
  kind: i32, packed: usize, bias: usize, X: usize, H: usize, C: usize,
  B: i32, T: i32, D: i32, U: i32, act: i32, rec: i32, work: usize,
): void {
  const G = gatesOfKind(kind);
  const UP = roundUp(U, NR);
  const K = D + U;
  const panels = UP / NR;
  const ZW = (G + 1) * UP;
  const n = sequenceChunk(kind, B, U, T);
  const zs = work;
  const rh = f(zs, n * B * ZW);
  const w2 = f(rh, roundUp(B * U, 4));
  const hRow = (<usize>(B * U)) << 2;
  const zStep = (<usize>(B * ZW)) << 2;
  const candidate = f(packed, 2 * UP * K);
  for (let s0 = 0; s0 < T; s0 += n) {
    const m = min(n, T - s0);
    // x·W of every gate for steps s0 .. s0 + m − 1 (for GRU the candidate's too: it has no h part).
    product(f(X, s0 * B * D), D, 0, 0, m * B, 0, D, D, packed, K, G * panels, zs, ZW, false, w2);
    for (let s = s0; s < s0 + m; s++) {
      const z = zs + <usize>(s - s0) * zStep;
      const h = H + <usize>s * hRow;
      const hOut = h + hRow;
      const c = C ? C + <usize>(s & 1) * hRow : 0;
      const cOut = C ? C + <usize>((s + 1) & 1) * hRow : 0;
      if (kind == STEP_LSTM || kind == STEP_SIMPLE_RNN) {
        product(0, 0, h, U, B, D, D, K, packed, K, G * panels, z, ZW, true, w2);
      } else {
        product(0, 0, h, U, B, D, D, K, packed, K, 2 * panels, z, ZW, true, w2);
        if (kind == STEP_GRU_RESET_AFTER) product(0, 0, h, U, B, D, D, K, candidate, K, panels, f(z, 3 * UP), ZW, false, w2);
      }
      finishStep(kind, packed, bias, z, rh, h, c, hOut, cOut, B, D, U, act, rec, w2);
    }
  }
}

/**
 * The gate math of one step from the pre-activations z [B, ZW] (bias not yet added; for GRU without
 * resetAfter the candidate's recurrent part is added here, from r ⊙ h).
 */
function finishStep(
  kind: i32, packed: usize, bias: usize, z: usize, rh: usize, h: usize, c: usize, hOut: usize, cOut: usize,
  B: i32, D: i32, U: i32, act: i32, rec: i32, w2: usize,
): void {
  const G = gatesOfKind(kind);
  const UP = roundUp(U, NR);
  const K = D + U;
  const ZW = (G + 1) * UP;
  for (let b = 0; b < B; b++) {
    rowMath(kind, f(z, b * ZW), UP, bias, f(h, b * U), f(hOut, b * U), f(c, b * U), f(cOut, b * U), f(rh, b * U), U, act, rec);
  }
  if (kind == STEP_GRU) {
    product(0, 0, rh, U, B, D, D, K, f(packed, 2 * UP * K), K, UP / NR, f(z, 2 * UP), ZW, true, w2);
    for (let b = 0; b < B; b++) {
      const zr = f(z, b * ZW);
      gruOut(zr, f(zr, 2 * UP), f(h, b * U), f(hOut, b * U), act, U, roundUp(U, 4));
    }
  }
}

/**
 * The gate math of n units of one row: zr the row's pre-activations of the first unit (gate blocks
 * `gs` floats apart), bias the padded bias at the same unit (0 = none), hr/ho/cp/co/rr (r ⊙ h, GRU
 * without resetAfter) at the same unit. Activations run over roundUp(n, 4) lanes (z and the bias are
 * padded; the extra lanes are never stored to h or c).
 */
function rowMath(
  kind: i32, zr: usize, gs: i32, bias: usize, hr: usize, ho: usize, cp: usize, co: usize, rr: usize, n: i32, act: i32, rec: i32,
): void {
  const nA = roundUp(n, 4);
  const G = gatesOfKind(kind);
  const rowBytes = (<usize>n) << 2;
  // A whole row (not a block of units of `stepColumns`): gate blocks (and the padded bias) are adjacent, so
  // one pass covers several gates (the padding lanes are computed too, and never stored).
  const whole = roundUp(n, NR) == gs;
  if (bias) {
    if (whole) addInto4(zr, bias, G * gs);
    else for (let g = 0; g < G; g++) addInto4(f(zr, g * gs), f(bias, g * gs), nA);
  }
  if (kind == STEP_SIMPLE_RNN) {
    applyAct(act, zr, zr, nA);
    memory.copy(ho, zr, rowBytes);
    return;
  }
  if (kind == STEP_LSTM) {
    // Packed order i, f, o, c (gateSlot).
    const gi = zr;
    const gf = f(zr, gs);
    const go = f(zr, 2 * gs);
    const gc = f(zr, 3 * gs);
    if (whole) {
      applyAct(rec, gi, gi, 3 * gs);
    } else {
      applyAct(rec, gi, gi, nA);
      applyAct(rec, gf, gf, nA);
      applyAct(rec, go, go, nA);
    }
    applyAct(act, gc, gc, nA);
    // c' = f⊙c + i⊙c̃ (into cOut and the c̃ slot), h' = o⊙act(c').
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      const cn = madd(v128.load(gf + o), v128.load(cp + o), f32x4.mul(v128.load(gi + o), v128.load(gc + o)));
      v128.store(gc + o, cn);
      v128.store(co + o, cn);
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      const cn = load<f32>(gf + o) * load<f32>(cp + o) + load<f32>(gi + o) * load<f32>(gc + o);
      store<f32>(gc + o, cn);
      store<f32>(co + o, cn);
    }
    applyAct(act, gc, gf, nA);
    mulInto(ho, go, gf, n);
    return;
  }
  const gz = zr;
  const gr = f(zr, gs);
  const gh = f(zr, 2 * gs);
  const zh = f(zr, 3 * gs);
  // resetAfter: z and r also get the recurrent bias b_rec, the candidate's recurrent part b_rec_h.
  if (bias && kind == STEP_GRU_RESET_AFTER) {
    const biasRec = f(bias, G * gs);
    addInto4(gz, biasRec, nA);
    addInto4(gr, f(biasRec, gs), nA);
    addInto4(zh, f(biasRec, 2 * gs), nA);
  }
  if (whole) {
    applyAct(rec, gz, gz, 2 * gs);
  } else {
    applyAct(rec, gz, gz, nA);
    applyAct(rec, gr, gr, nA);
  }
  if (kind == STEP_GRU_RESET_AFTER) {
    // hh = act(x·W_h + b_in_h + r ⊙ (h·U_h + b_rec_h)).
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(gh + o, madd(v128.load(gr + o), v128.load(zh + o), v128.load(gh + o)));
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      store<f32>(gh + o, load<f32>(gh + o) + load<f32>(gr + o) * load<f32>(zh + o));
    }
  }
  // (resetAfter false: the candidate's recurrent part (r ⊙ h)·U_h is added by the caller.)
  if (kind == STEP_GRU) {
    mulInto(rr, gr, hr, n);
    return;
  }
  gruOut(gz, gh, hr, ho, act, n, nA);
}

/** Floats of `stepProject`'s workspace for `rows` rows. */
export function stepProjectWorkFloats(D: i32, rows: i32): i32 {
  return roundUp(rows, MR) * D * 4 + MR * NR + 4;
}

/**
 * The input projections x·W (every gate; bias not added) of `rows` rows of X [rows, D] into Z [rows, ZW]
 * (ZW = (G + 1)·UP): what `stepSequence` computes for a chunk of steps. `work`: stepProjectWorkFloats.
 */
export function stepProject(kind: i32, packed: usize, X: usize, rows: i32, D: i32, U: i32, Z: usize, work: usize): void {
  const G = gatesOfKind(kind);
  const UP = roundUp(U, NR);
  product(X, D, 0, 0, rows, 0, D, D, packed, D + U, G * (UP / NR), Z, (G + 1) * UP, false, work);
}

/**
 * Step s of a batch-1 sequence for the units [u0, u1) only (u0 a multiple of NR; u1 too, or U): the
 * gate columns of those units (h·U added to Z's row s − s0 from `stepProject`) and their gate math,
 * writing those units of H[s + 1] (and C[(s + 1) & 1]); layouts as `stepSequence`. Threads that split
 * the units of a step this way (a barrier between steps) compute exactly what one thread computes:
 * each column is the same sum in the same order. LSTM, SimpleRNN and GRU with resetAfter (without it,
 * (r ⊙ h)·U_h needs every unit's r first).
 */
export function stepColumns(
  kind: i32, packed: usize, bias: usize, Z: usize, H: usize, C: usize, s: i32, s0: i32,
  D: i32, U: i32, act: i32, rec: i32, u0: i32, u1: i32,
): void {
  const G = gatesOfKind(kind);
  const UP = roundUp(U, NR);
  const K = D + U;
  const ZW = (G + 1) * UP;
  const z = f(Z, (s - s0) * ZW);
  const h = f(H, s * U);
  const hOut = f(h, U);
  const c = C ? f(C, (s & 1) * U) : 0;
  const cOut = C ? f(C, ((s + 1) & 1) * U) : 0;
  const np = (roundUp(u1, NR) - u0) / NR;
  const gates = kind == STEP_GRU_RESET_AFTER ? 2 : G;
  for (let g = 0; g < gates; g++) gemv(h, f(packed, g * UP * K + u0 * K), K, D, K, np, f(z, g * UP + u0), true);
  if (kind == STEP_GRU_RESET_AFTER) gemv(h, f(packed, 2 * UP * K + u0 * K), K, D, K, np, f(z, 3 * UP + u0), false);
  const cu = C ? f(c, u0) : 0;
  const cou = C ? f(cOut, u0) : 0;
  rowMath(kind, f(z, u0), UP, bias ? f(bias, u0) : 0, f(h, u0), f(hOut, u0), cu, cou, 0, u1 - u0, act, rec);
}

/** hh = act(gh) in place; h' = hh + z ⊙ (h − hh). */
function gruOut(gz: usize, gh: usize, hr: usize, ho: usize, act: i32, U: i32, UP: i32): void {
  applyAct(act, gh, gh, UP);
  let j = 0;
  for (; j + 4 <= U; j += 4) {
    const o = (<usize>j) << 2;
    const hh = v128.load(gh + o);
    v128.store(ho + o, madd(v128.load(gz + o), f32x4.sub(v128.load(hr + o), hh), hh));
  }
  for (; j < U; j++) {
    const o = (<usize>j) << 2;
    const hh = load<f32>(gh + o);
    store<f32>(ho + o, hh + load<f32>(gz + o) * (load<f32>(hr + o) - hh));
  }
}
