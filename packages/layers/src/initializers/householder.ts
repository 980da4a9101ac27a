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
export const BLOCK = 128;

/**
 * Below this many multiply-adds (≈ M·N²) the unblocked float64 product beats the gemm path
 * (copies to wasm and back, forming T); measured on node 20 x86-64.
 */
export const BLOCKED_MIN_WORK = 1 << 17;

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
 * (V = [v_j0 … v_{j0+b−1}] from coordinate j0 on, [L, b] with L = M − j0; T upper triangular, LAPACK's
 * dlarft forward/columnwise, from the Gram matrix VᵀV). It changes rows j0..N−1 of Qᵀ, from
 * coordinate j0 on (Zs [R, L], R = N − j0; everything else is zero or untouched): rows c ≥ j0 + b
 * ("old", Z_old), built by the later blocks, and the block's own rows c < j0 + b ("fresh"),
 * still sign_c·e_c, so that Z_fresh·V = S·V_top (S = diag(sign), V_top = the first b rows of V)
 * needs no multiply. Zs ← Zs − (Zs·V·Tᵀ)·Vᵀ then costs two gemms:
 *   [Z_old; Vᵀ]·V = [Z_old·V; VᵀV]   (one pass over the operands gives P_old and the Gram matrix)
 *   U = ([P_old; S·V_top]·Tᵀ)·Vᵀ      ([R, b]·[b, L])
 * The operands live contiguously in one of two buffers, [Z_old; Vᵀ] (rows in order of Q's
 * columns, then V's), and the update is written straight into the next block's layout (one more
 * block of coordinates on the left, the new rows on top, the next Vᵀ below), so each block streams
 * its region once outside the gemms. The last block (j0 = 0) writes gain·Qᵀ.
 */
export function applyReflectorsBlocked(r: Reflectors, M: number, N: number, gain = 1): Float32Array {
  const { v, offsets, block, tau, sign } = r;
  let cur = new Float32Array((N + block) * M);
  let nxt = new Float32Array((N + block) * M);
  let j0 = Math.floor((N - 1) / block) * block;
  let b = N - j0;
  let old = 0; // rows of Z_old
  let L = M - j0;
  cur.set(v.subarray(offsets[j0 / block], offsets[j0 / block] + b * L));
  for (;;) {
    const R = old + b;
    const vtValues = cur.subarray(old * L, R * L);
    const vt = new Tensor(vtValues, [b, L], 'float32');
    // [P_old; VᵀV] = [Z_old; Vᵀ]·V, [R, b].
    const pg = matMul(new Tensor(cur.subarray(0, R * L), [R, L], 'float32'), vt, false, true).dataSync() as Float32Array;
    const t = triangularFactor(pg, old * b, tau, j0, b);
    // [P_old; S·V_top], then ·Tᵀ.
    const p = pg.slice();
    for (let row = 0; row < b; row++) {
      const s = sign[j0 + row];
      const po = (old + row) * b;
      for (let i = 0; i < b; i++) p[po + i] = s * vtValues[i * L + row];
    }
    const pt = matMul(new Tensor(p, [R, b], 'float32'), new Tensor(t, [b, b], 'float32'), false, true);
    const u = matMul(pt, vt).dataSync() as Float32Array; // [R, L]: rows old, then fresh
    // Next layout: coordinates from j0n = j0 − nb on (Ln = L + nb), rows fresh then old (Q's columns
    // j0..N−1 in order), then the next block's Vᵀ. At j0 = 0 the same without the shift or Vᵀ.
    const last = j0 === 0;
    const nb = last ? 0 : block;
    const Ln = L + nb;
    const scale = last ? gain : 1;
    const dst = last ? new Float32Array(N * M) : nxt;
    for (let row = 0; row < b; row++) {
      const uo = (old + row) * L;
      const no = row * Ln;
      dst.fill(0, no, no + nb);
      for (let q = 0; q < L; q++) dst[no + nb + q] = -scale * u[uo + q];
      dst[no + nb + row] += scale * sign[j0 + row];
    }
    for (let row = 0; row < old; row++) {
      const co = row * L;
      const no = (b + row) * Ln;
      dst.fill(0, no, no + nb);
      for (let q = 0; q < L; q++) dst[no + nb + q] = scale * (cur[co + q] - u[co + q]);
    }
    if (last) return dst;
    old = R;
    j0 -= nb;
    b = nb;
    L = Ln;
    dst.set(v.subarray(offsets[j0 / block], offsets[j0 / block] + b * L), old * L);
    nxt = cur;
    cur = dst;
  }
}

/**
 * The b×b upper-triangular T with H_{j0}…H_{j0+b−1} = I − V·T·Vᵀ, from the Gram matrix VᵀV
 * (row-major [b, b] at `gram[off..]`): T_ii = τ_i, T[0:i, i] = −τ_i·T[0:i, 0:i]·(VᵀV)[0:i, i].
 * Float64 arithmetic.
 */
function triangularFactor(gram: Float32Array, off: number, tau: Float64Array, j0: number, b: number): Float32Array {
  const t = new Float64Array(b * b);
  const w = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    const ti = tau[j0 + i];
    t[i * b + i] = ti;
    if (ti === 0) continue;
    for (let j = 0; j < i; j++) w[j] = -ti * gram[off + j * b + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let l = j; l < i; l++) s += t[j * b + l] * w[l];
      t[j * b + i] = s;
    }
  }
  return Float32Array.from(t);
}
