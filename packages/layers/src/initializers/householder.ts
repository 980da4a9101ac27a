/**
 * Random orthogonal matrices as products of random Householder reflections (Stewart 1980), the
 * engine of the `Orthogonal` initializer.
 *
 * The result is the Q factor, sign-corrected so that diag(R) > 0, of the Householder QR of a
 * standard normal [M, N] matrix (M ≥ N). Householder QR of a Gaussian A reflects column k by
 * H_1…H_{k-1}, which depend only on columns 1..k-1; by rotational invariance the part of that column
 * from row k down is a fresh standard normal vector x_k of length M−k independent of everything
 * before, and H_k is the reflector that maps x_k to ±‖x_k‖e_1. So drawing x_1..x_N directly and
 * multiplying Q = H_1…H_N·diag(s) (first N columns, s_k = sign of the R diagonal entry) gives
 * exactly the distribution of Keras's `qr(normal)` — Haar on the orthonormal [M, N] frames — for half
 * the work: no factorization, only the formation of Q. Concretely, column k of Q is
 * H_1…H_{k-1}·[0; x_k/‖x_k‖], e.g. column 0 is the first draw normalized.
 *
 * Q is formed blocked (compact WY, as LAPACK's orgqr): reflectors are grouped in blocks of
 * `BLOCK`, each block is I − V·T·Vᵀ, and applying it to the part of Q built so far is two large
 * matrix multiplies through core's `matMul` (the wasm SIMD gemm when that backend is active), in
 * float32. Small matrices take the unblocked float64 path.
 */
import { matMul, RandomGenerator, Tensor } from '@recurrent/core';

/** Reflectors per block of the compact-WY product. */
export const BLOCK = 64;

/**
 * Below this many multiply-adds (≈ M·N²) the unblocked float64 product beats the gemm path
 * (copies to wasm and back, forming T); measured on node 20 x86-64.
 */
export const BLOCKED_MIN_WORK = 1 << 20;

// Ziggurat tables (Marsaglia & Tsang 2000, in Doornik's 2005 formulation): 128 layers of equal area
// ZIG_V under the unnormalized density exp(−x²/2); layer 0 is the base strip plus the tail beyond ZIG_R.
const ZIG_LAYERS = 128;
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
/** Right edges of the layers, ZIG_X[0] (V / f(R), the base strip's equal-area width) > ZIG_X[1] = R > … > ZIG_X[128] = 0. */
const ZIG_X = new Float64Array(ZIG_LAYERS + 1);
/** ZIG_X[i+1] / ZIG_X[i]: the fraction of layer i that lies entirely under the curve. */
const ZIG_RATIO = new Float64Array(ZIG_LAYERS);
(() => {
  let f = Math.exp(-0.5 * ZIG_R * ZIG_R);
  ZIG_X[0] = ZIG_V / f;
  ZIG_X[1] = ZIG_R;
  for (let i = 2; i < ZIG_LAYERS; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(ZIG_V / ZIG_X[i - 1] + f));
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  ZIG_X[ZIG_LAYERS] = 0;
  for (let i = 0; i < ZIG_LAYERS; i++) ZIG_RATIO[i] = ZIG_X[i + 1] / ZIG_X[i];
})();

/** A uniform in (0, 1) from `g` (redraws an exact 0). */
function openUniform(g: RandomGenerator): number {
  let u = g.next();
  while (u === 0) u = g.next();
  return u;
}

/**
 * Fills out[from..to) with standard normal draws from `g`'s uniforms by the ziggurat method: about
 * 99% of draws cost one `g.next()` and a table lookup (no log or trigonometry, unlike the
 * Box–Muller `RandomGenerator.normal`, which would be a large share of the initializer's time).
 * Each 32-bit uniform gives the layer (low 7 bits) and, independently, a signed position in it
 * (high 25 bits).
 */
export function fillStandardNormal(g: RandomGenerator, out: Float64Array, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    for (;;) {
      const bits = (g.next() * 4294967296) >>> 0;
      const i = bits & (ZIG_LAYERS - 1);
      const u = ((bits >>> 7) + 0.5) / 16777216 - 1; // (−1, 1), symmetric
      if (Math.abs(u) < ZIG_RATIO[i]) {
        out[k] = u * ZIG_X[i];
        break;
      }
      if (i === 0) {
        // The tail beyond R (Marsaglia 1964).
        let x: number;
        let y: number;
        do {
          x = Math.log(openUniform(g)) / ZIG_R;
          y = Math.log(openUniform(g));
        } while (-2 * y < x * x);
        out[k] = u < 0 ? x - ZIG_R : ZIG_R - x;
        break;
      }
      // The wedge of layer i: accept x under the curve.
      const x = u * ZIG_X[i];
      const f0 = Math.exp(-0.5 * (ZIG_X[i] * ZIG_X[i] - x * x));
      const f1 = Math.exp(-0.5 * (ZIG_X[i + 1] * ZIG_X[i + 1] - x * x));
      if (f1 + g.next() * (f0 - f1) < 1) {
        out[k] = x;
        break;
      }
    }
  }
}

/**
 * The N random reflectors H_k = I − τ_k v_k v_kᵀ of an [M, N] Haar frame and the column signs.
 * v is stored by blocks of `block` reflectors: the block starting at j0 (b reflectors) is a
 * row-major [b, M − j0] matrix at `offsets[j0 / block]`; its row i is v_{j0+i} from coordinate j0 on
 * (zeros, then v_{j0+i}[j0+i] = 1, then the rest), i.e. exactly Vᵀ of the block.
 */
export interface Reflectors {
  v: Float32Array | Float64Array;
  offsets: number[];
  block: number;
  tau: Float64Array;
  /** ±1: sign of R's k-th diagonal entry in the underlying QR; multiplies column k of Q. */
  sign: Float64Array;
}

/**
 * Draws x_k (M−k standard normals from `fillStandardNormal`, for k = 0..N−1 in order) and turns each
 * into the reflector mapping x_k to β_k·e_1, β_k = −sign(x_k[0])·‖x_k‖ (LAPACK's dlarfg convention;
 * a length-1 x gives τ = 0 and β = x). Arithmetic in float64; `v` float32 or float64 as asked.
 */
export function randomReflectors(g: RandomGenerator, M: number, N: number, block: number, float64: boolean): Reflectors {
  const offsets: number[] = [];
  let size = 0;
  for (let j0 = 0; j0 < N; j0 += block) {
    offsets.push(size);
    size += Math.min(block, N - j0) * (M - j0);
  }
  const v = float64 ? new Float64Array(size) : new Float32Array(size);
  const tau = new Float64Array(N);
  const sign = new Float64Array(N);
  const x = new Float64Array(M);
  for (let k = 0; k < N; k++) {
    const j0 = k - (k % block);
    const L = M - j0;
    const off = offsets[j0 / block] + (k - j0) * L - j0; // coordinate i at off + i
    fillStandardNormal(g, x, k, M);
    const alpha = x[k];
    let ss = 0;
    for (let i = k + 1; i < M; i++) ss += x[i] * x[i];
    v[off + k] = 1;
    if (ss === 0) {
      // H = I, R_kk = alpha.
      tau[k] = 0;
      sign[k] = alpha < 0 ? -1 : 1;
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + ss);
    const beta = alpha >= 0 ? -norm : norm;
    tau[k] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = k + 1; i < M; i++) v[off + i] = x[i] * scale;
    sign[k] = beta > 0 ? 1 : -1;
  }
  return { v, offsets, block, tau, sign };
}

/**
 * gain·Qᵀ for Q = H_0…H_{N−1}·diag(sign) restricted to its first N columns: row-major [N, M], row c
 * is column c of Q (orthonormal rows).
 */
export function haarFrameTransposed(g: RandomGenerator, M: number, N: number, gain: number): Float32Array {
  if (N <= 1 || M * N * N < BLOCKED_MIN_WORK) {
    const z = applyReflectorsUnblocked(randomReflectors(g, M, N, N, true), M, N);
    const out = new Float32Array(z.length);
    for (let i = 0; i < z.length; i++) out[i] = gain * z[i];
    return out;
  }
  return applyReflectorsBlocked(randomReflectors(g, M, N, BLOCK, false), M, N, gain);
}

/** Unblocked float64 (`r` stored as one block): Z = Qᵀ, from diag(sign), applying H_{N−1} first. */
export function applyReflectorsUnblocked(r: Reflectors, M: number, N: number): Float64Array {
  const { v, tau, sign } = r;
  const z = new Float64Array(N * M);
  for (let c = 0; c < N; c++) z[c * M + c] = sign[c];
  for (let k = N - 1; k >= 0; k--) {
    const t = tau[k];
    if (t === 0) continue;
    const vo = k * M;
    // Columns c < k of Q are still sign·e_c, untouched by H_k (rows ≥ k).
    for (let c = k; c < N; c++) {
      const zo = c * M;
      let d = 0;
      for (let i = k; i < M; i++) d += v[vo + i] * z[zo + i];
      d *= t;
      for (let i = k; i < M; i++) z[zo + i] -= d * v[vo + i];
    }
  }
  return z;
}

/**
 * Blocked float32: blocks of reflectors j0..j0+b−1, last block first. A block is I − V·T·Vᵀ
 * (T upper triangular, LAPACK's dlarft forward/columnwise). The part of Qᵀ it changes is
 * Zs = Qᵀ[j0:N, j0:M] (R × L; rows c < j0 are still sign·e_c and coordinates < j0 of the other rows
 * are zero), updated as Zs ← Zs − ((Zs·V)·Tᵀ)·Vᵀ: two [R, L]·[L, b]-sized gemms.
 * Zs lives contiguously in one of two buffers; the update of one block is written straight into the
 * next (larger) block's layout, so each block streams its region once outside the gemms. The last
 * block (j0 = 0) leaves gain·Qᵀ in place.
 */
export function applyReflectorsBlocked(r: Reflectors, M: number, N: number, gain = 1): Float32Array {
  const { v, offsets, block, tau, sign } = r;
  let cur = new Float32Array(N * M);
  let nxt = new Float32Array(N * M);
  let j0 = Math.floor((N - 1) / block) * block;
  let R = N - j0;
  let L = M - j0;
  for (let row = 0; row < R; row++) cur[row * L + row] = sign[j0 + row];
  for (;;) {
    const b = Math.min(block, N - j0);
    const vt = new Tensor(v.subarray(offsets[j0 / block], offsets[j0 / block] + b * L) as Float32Array, [b, L], 'float32');
    const gram = matMul(vt, vt, false, true).dataSync() as Float32Array;
    const t = new Tensor(triangularFactor(gram, tau, j0, b), [b, b], 'float32');
    const zs = new Tensor(cur.subarray(0, R * L), [R, L], 'float32');
    const pt = matMul(matMul(zs, vt, false, true), t, false, true); // [R, b] = Zs·V·Tᵀ
    const u = matMul(pt, vt).dataSync() as Float32Array; // [R, L]
    if (j0 === 0) {
      for (let i = 0; i < R * L; i++) cur[i] = gain * (cur[i] - u[i]);
      return cur;
    }
    // Next block: rows and coordinates from j0 − block on. Its first `block` rows are fresh sign·e_c.
    const j0n = j0 - block;
    const Rn = R + block;
    const Ln = L + block;
    nxt.fill(0, 0, block * Ln);
    for (let row = 0; row < block; row++) nxt[row * Ln + row] = sign[j0n + row];
    for (let row = 0; row < R; row++) {
      const no = (row + block) * Ln;
      const co = row * L;
      nxt.fill(0, no, no + block);
      for (let p = 0; p < L; p++) nxt[no + block + p] = cur[co + p] - u[co + p];
    }
    const tmp = cur;
    cur = nxt;
    nxt = tmp;
    j0 = j0n;
    R = Rn;
    L = Ln;
  }
}

/**
 * The b×b upper-triangular T with H_{j0}…H_{j0+b−1} = I − V·T·Vᵀ, from the Gram matrix VᵀV
 * (row-major [b, b]): T_ii = τ_i, T[0:i, i] = −τ_i·T[0:i, 0:i]·(VᵀV)[0:i, i]. Float64 arithmetic.
 */
function triangularFactor(gram: Float32Array, tau: Float64Array, j0: number, b: number): Float32Array {
  const t = new Float64Array(b * b);
  const w = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    const ti = tau[j0 + i];
    t[i * b + i] = ti;
    if (ti === 0) continue;
    for (let j = 0; j < i; j++) w[j] = -ti * gram[j * b + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let l = j; l < i; l++) s += t[j * b + l] * w[l];
      t[j * b + i] = s;
    }
  }
  return Float32Array.from(t);
}
