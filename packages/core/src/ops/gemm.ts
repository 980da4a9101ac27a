/**
 * The matrix multiply kernel on Float32Arrays: C (+)= A · B, row-major. `gemm` runs the wasm SIMD
 * kernel (backend/gemm_wasm.ts) when the 'wasm' backend is active and the problem is big enough to
 * gain from it, else its plain-TypeScript twin `gemmJs`: blocked over K and N so a panel of B stays
 * in cache, with four rows of C updated per pass so each loaded element of B is used four times.
 */
import { gemmWasm } from '../backend/gemm_wasm';

const K_BLOCK = 128;
const N_BLOCK = 512;

/**
 * C[m, n] (+)= Σ_k A[m, k] · B[k, n] for row-major A [M, K], B [K, N], C [M, N] at the given offsets.
 * Set `accumulate` to add into C instead of overwriting it.
 */
export function gemmNN(
  a: Float32Array, aOff: number,
  b: Float32Array, bOff: number,
  c: Float32Array, cOff: number,
  M: number, N: number, K: number,
  accumulate = false,
): void {
  if (!accumulate) c.fill(0, cOff, cOff + M * N);
  for (let n0 = 0; n0 < N; n0 += N_BLOCK) {
    const n1 = Math.min(N, n0 + N_BLOCK);
    for (let k0 = 0; k0 < K; k0 += K_BLOCK) {
      const k1 = Math.min(K, k0 + K_BLOCK);
      let i = 0;
      for (; i + 3 < M; i += 4) {
        const r0 = cOff + i * N;
        const r1 = r0 + N;
        const r2 = r1 + N;
        const r3 = r2 + N;
        const a0 = aOff + i * K;
        for (let k = k0; k < k1; k++) {
          const x0 = a[a0 + k];
          const x1 = a[a0 + K + k];
          const x2 = a[a0 + 2 * K + k];
          const x3 = a[a0 + 3 * K + k];
          const bRow = bOff + k * N;
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
        const r0 = cOff + i * N;
        const a0 = aOff + i * K;
        for (let k = k0; k < k1; k++) {
          const x0 = a[a0 + k];
          if (x0 === 0) continue;
          const bRow = bOff + k * N;
          for (let j = n0; j < n1; j++) c[r0 + j] += x0 * b[bRow + j];
        }
      }
    }
  }
}

/** Writes the transpose of row-major `src` [rows, cols] (at `off`) into `dst` [cols, rows]. */
export function transposeInto(src: Float32Array, off: number, rows: number, cols: number, dst: Float32Array): void {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[off + r * cols + c];
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
 * (A stored [K, M] when transA, B stored [N, K] when transB). Runs on the active backend.
 */
export function gemm(
  a: Float32Array, aOff: number, transA: boolean,
  b: Float32Array, bOff: number, transB: boolean,
  c: Float32Array, cOff: number,
  M: number, N: number, K: number,
  accumulate = false,
): void {
  if (M * N * K >= WASM_GEMM_MIN_WORK && gemmWasm(a, aOff, transA, b, bOff, transB, c, cOff, M, N, K, accumulate)) return;
  gemmJs(a, aOff, transA, b, bOff, transB, c, cOff, M, N, K, accumulate);
}

/**
 * The TypeScript twin of `gemm`, whatever the backend. A transposed operand is copied to row-major
 * order first (O(size) next to O(M·N·K)).
 */
export function gemmJs(
  a: Float32Array, aOff: number, transA: boolean,
  b: Float32Array, bOff: number, transB: boolean,
  c: Float32Array, cOff: number,
  M: number, N: number, K: number,
  accumulate = false,
): void {
  let aa = a;
  let ao = aOff;
  if (transA) {
    aa = new Float32Array(M * K);
    transposeInto(a, aOff, K, M, aa);
    ao = 0;
  }
  let bb = b;
  let bo = bOff;
  if (transB) {
    bb = new Float32Array(K * N);
    transposeInto(b, bOff, N, K, bb);
    bo = 0;
  }
  gemmNN(aa, ao, bb, bo, c, cOff, M, N, K, accumulate);
}
