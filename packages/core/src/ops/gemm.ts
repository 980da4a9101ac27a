/**
 * The matrix multiply kernel on Float32Arrays: C (+)= op(A) · op(B), row-major with explicit leading
 * dimensions (so callers can multiply column slices, e.g. one gate's block of a [*, G·units] matrix,
 * in place). `gemm` / `gemmStrided` run the wasm SIMD kernel (backend/gemm_wasm.ts) when the 'wasm'
 * backend is active and the problem is big enough to gain from it, else the plain-TypeScript twin
 * `gemmJs` / `gemmJsStrided`: blocked over K and N so a panel of B stays in cache, with four rows of C
 * updated per pass so each loaded element of B is used four times (Aᵀ·B runs as a sum of outer products).
 */
import { gemmWasmStrided } from '../backend/gemm_wasm';

const K_BLOCK = 128;
const N_BLOCK = 512;

/**
 * C[m, n] (+)= Σ_k A[m, k] · B[k, n], where element (r, c) of X lives at `xOff + r·ldx + c`.
 * With `accumulate` false, the M×N block of C is overwritten (nothing else in C is touched).
 */
function gemmNN(
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  M: number,
  N: number,
  K: number,
  accumulate: boolean,
): void {
  if (!accumulate) {
    for (let i = 0; i < M; i++) c.fill(0, cOff + i * ldc, cOff + i * ldc + N);
  }
  for (let n0 = 0; n0 < N; n0 += N_BLOCK) {
    const n1 = Math.min(N, n0 + N_BLOCK);
    for (let k0 = 0; k0 < K; k0 += K_BLOCK) {
      const k1 = Math.min(K, k0 + K_BLOCK);
      let i = 0;
      for (; i + 3 < M; i += 4) {
        const r0 = cOff + i * ldc;
        const r1 = r0 + ldc;
        const r2 = r1 + ldc;
        const r3 = r2 + ldc;
        const a0 = aOff + i * lda;
        const a1 = a0 + lda;
        const a2 = a1 + lda;
        const a3 = a2 + lda;
        for (let k = k0; k < k1; k++) {
          const x0 = a[a0 + k];
          const x1 = a[a1 + k];
          const x2 = a[a2 + k];
          const x3 = a[a3 + k];
          const bRow = bOff + k * ldb;
          for (let j = n0; j < n1; j++) {
            const y = b[bRow + j];
            c[r0 + j] += x0 * y;
            c[r1 + j] += x1 * y;
            c[r2 + j] += x2 * y;
            c[r3 + j] += x3 * y;
          }
        }
      }
      for (; i < M; i++) {
        const r0 = cOff + i * ldc;
        const a0 = aOff + i * lda;
        for (let k = k0; k < k1; k++) {
          const x0 = a[a0 + k];
          if (x0 === 0) continue;
          const bRow = bOff + k * ldb;
          for (let j = n0; j < n1; j++) c[r0 + j] += x0 * b[bRow + j];
        }
      }
    }
  }
}

/**
 * C[m, n] (+)= Σ_k A[k, m] · B[k, n] (Aᵀ·B, e.g. a weight gradient Xᵀ·dZ summed over many rows k),
 * as a sum of outer products of matching rows of A and B, four rows of k per pass.
 */
function gemmTN(
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
  M: number,
  N: number,
  K: number,
  accumulate: boolean,
): void {
  if (!accumulate) {
    for (let i = 0; i < M; i++) c.fill(0, cOff + i * ldc, cOff + i * ldc + N);
  }
  const M_BLOCK = 64;
  for (let m0 = 0; m0 < M; m0 += M_BLOCK) {
    const m1 = Math.min(M, m0 + M_BLOCK);
    for (let n0 = 0; n0 < N; n0 += N_BLOCK) {
      const n1 = Math.min(N, n0 + N_BLOCK);
      let k = 0;
      for (; k + 3 < K; k += 4) {
        const a0 = aOff + k * lda;
        const a1 = a0 + lda;
        const a2 = a1 + lda;
        const a3 = a2 + lda;
        const b0 = bOff + k * ldb;
        const b1 = b0 + ldb;
        const b2 = b1 + ldb;
        const b3 = b2 + ldb;
        for (let m = m0; m < m1; m++) {
          const x0 = a[a0 + m];
          const x1 = a[a1 + m];
          const x2 = a[a2 + m];
          const x3 = a[a3 + m];
          if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
          const cRow = cOff + m * ldc;
          for (let j = n0; j < n1; j++) {
            c[cRow + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
          }
        }
      }
      for (; k < K; k++) {
        const a0 = aOff + k * lda;
        const b0 = bOff + k * ldb;
        for (let m = m0; m < m1; m++) {
          const x0 = a[a0 + m];
          if (x0 === 0) continue;
          const cRow = cOff + m * ldc;
          for (let j = n0; j < n1; j++) c[cRow + j] += x0 * b[b0 + j];
        }
      }
    }
  }
}

/** Writes the transpose of `src` [rows, cols] (row stride `lds`, at `off`) into `dst` [cols, rows] (contiguous). */
export function transposeInto(src: Float32Array, off: number, rows: number, cols: number, dst: Float32Array, lds = cols): void {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[off + r * lds + c];
      }
    }
  }
}

/**
 * Below this many multiply-adds (M·N·K) the TypeScript kernel is as fast as copying to wasm and back,
 * so small products stay in TypeScript (crossover near 8×8·8×8 measured with matMul on node 20,
 * x86-64; at 16×16·16×16 wasm is already ~2x faster).
 */
export const WASM_GEMM_MIN_WORK = 512;

/**
 * C (+)= op(A) · op(B) with optional transposes, where op(A) is [M, K] and op(B) is [K, N]
 * (A stored [K, M] when transA, B stored [N, K] when transB), all contiguous. Runs on the active backend.
 */
export function gemm(
  a: Float32Array,
  aOff: number,
  transA: boolean,
  b: Float32Array,
  bOff: number,
  transB: boolean,
  c: Float32Array,
  cOff: number,
  M: number,
  N: number,
  K: number,
  accumulate = false,
): void {
  gemmStrided(a, aOff, transA ? M : K, transA, b, bOff, transB ? K : N, transB, c, cOff, N, M, N, K, accumulate);
}

/**
 * `gemm` with leading dimensions: row r of the stored A starts at `aOff + r·lda` (likewise B, C), so
 * the operands may be column slices of wider matrices. Only the M×N block of C is written.
 */
export function gemmStrided(
  a: Float32Array,
  aOff: number,
  lda: number,
  transA: boolean,
  b: Float32Array,
  bOff: number,
  ldb: number,
  transB: boolean,
  c: Float32Array,
  cOff: number,
  ldc: number,
  M: number,
  N: number,
  K: number,
  accumulate = false,
): void {
  if (M * N * K >= WASM_GEMM_MIN_WORK && gemmWasmStrided(a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, M, N, K, accumulate)) {
    return;
  }
  gemmJsStrided(a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, M, N, K, accumulate);
}

/**
 * The TypeScript twin of `gemm`, whatever the backend. A transposed operand is copied to row-major
 * order first (O(size) next to O(M·N·K)), except Aᵀ·B, which runs as outer products in place.
 */
export function gemmJs(
  a: Float32Array,
  aOff: number,
  transA: boolean,
  b: Float32Array,
  bOff: number,
  transB: boolean,
  c: Float32Array,
  cOff: number,
  M: number,
  N: number,
  K: number,
  accumulate = false,
): void {
  gemmJsStrided(a, aOff, transA ? M : K, transA, b, bOff, transB ? K : N, transB, c, cOff, N, M, N, K, accumulate);
}

/** The TypeScript twin of `gemmStrided`. */
export function gemmJsStrided(
  a: Float32Array,
  aOff: number,
  lda: number,
  transA: boolean,
  b: Float32Array,
  bOff: number,
  ldb: number,
  transB: boolean,
  c: Float32Array,
  cOff: number,
  ldc: number,
  M: number,
  N: number,
  K: number,
  accumulate = false,
): void {
  let bb = b;
  let bo = bOff;
  let lb = ldb;
  if (transB) {
    bb = new Float32Array(K * N);
    transposeInto(b, bOff, N, K, bb, ldb);
    bo = 0;
    lb = N;
  }
  if (transA) {
    gemmTN(a, aOff, lda, bb, bo, lb, c, cOff, ldc, M, N, K, accumulate);
    return;
  }
  gemmNN(a, aOff, lda, bb, bo, lb, c, cOff, ldc, M, N, K, accumulate);
}
