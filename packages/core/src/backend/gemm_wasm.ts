/** JS glue of the wasm gemm kernel (assembly/gemm.ts): same contract as `gemm`/`gemmStrided` in ops/gemm.ts. */
import { wasmExportsIfActive } from './backend';
import { arena } from './wasm';
import { activePool, threadsMinWork } from './threads/threads';
import { splitGemmByRows } from './threads/parallel_gemm';

/**
 * Most bytes one call lays out in wasm memory (which never shrinks). Larger problems are split into
 * row blocks of C; if even one row does not fit beside B, the caller's TypeScript kernel runs instead.
 */
let maxScratchBytes = 256 * 1024 * 1024;

/** Test hook: sets the scratch limit (to exercise the row blocking); returns the previous one. */
export function setGemmScratchLimitForTests(bytes: number): number {
  const old = maxScratchBytes;
  maxScratchBytes = bytes;
  return old;
}

/** Copies `rows` rows of `cols` floats (row stride `ld`, from `off`) to `dst` as a contiguous block at float index `at`. */
function gatherRows(src: Float32Array, off: number, ld: number, rows: number, cols: number, dst: Float32Array, at: number): void {
  if (ld === cols) {
    dst.set(src.subarray(off, off + rows * cols), at);
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(src.subarray(off + r * ld, off + r * ld + cols), at + r * cols);
}

/** Copies a contiguous block of `rows`×`cols` floats at float index `at` into rows of stride `ld` of `dst` from `off`. */
function scatterRows(src: Float32Array, at: number, rows: number, cols: number, dst: Float32Array, off: number, ld: number): void {
  if (ld === cols) {
    dst.set(src.subarray(at, at + rows * cols), off);
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(src.subarray(at + r * cols, at + (r + 1) * cols), off + r * ld);
}

/**
 * C (+)= op(A) · op(B) on the wasm backend (on all wasm threads for large products: rows of C split,
 * the same numbers as one thread), with op(A) [M, K], op(B) [K, N] and contiguous row-major
 * storage at the given offsets (A stored [K, M] with transA, B stored [N, K] with transB).
 * Returns false, touching nothing, when the wasm backend is not active (or the problem is too big
 * for its memory), so the caller runs its TypeScript kernel instead.
 */
export function gemmWasm(
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
): boolean {
  return gemmWasmStrided(a, aOff, transA ? M : K, transA, b, bOff, transB ? K : N, transB, c, cOff, N, M, N, K, accumulate);
}

/** `gemmWasm` with leading dimensions (row r of the stored A starts at `aOff + r·lda`, likewise B and C). */
export function gemmWasmStrided(
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
): boolean {
  const w = wasmExportsIfActive();
  if (!w) return false;
  if (M === 0 || N === 0) return true;
  const work = w.gemmWorkspaceBytes(M, N, K);
  const pool = M * N * K >= threadsMinWork.gemm && M >= 8 ? activePool() : null;
  const threads = pool ? pool.threads : 1;
  const fixed = K * N * 4 + (transA ? M * K * 4 : 0) + threads * (work + 16) + 64;
  const perRow = (transA ? 0 : K * 4) + N * 4;
  const rows = Math.min(M, Math.floor((maxScratchBytes - fixed) / perRow));
  if (rows < 1) return false;

  const mem = arena();
  const bPtr = mem.alloc(K * N * 4);
  const aAll = transA ? mem.alloc(M * K * 4) : 0;
  const works = Array.from({ length: threads }, () => mem.alloc(work));
  const aChunk = transA ? 0 : mem.alloc(rows * K * 4);
  const cChunk = mem.alloc(rows * N * 4);
  const f32 = mem.f32(); // no allocation after this point, so the view stays valid
  if (transB) gatherRows(b, bOff, ldb, N, K, f32, bPtr >>> 2);
  else gatherRows(b, bOff, ldb, K, N, f32, bPtr >>> 2);
  if (transA) gatherRows(a, aOff, lda, K, M, f32, aAll >>> 2);
  for (let i0 = 0; i0 < M; i0 += rows) {
    const m = Math.min(rows, M - i0);
    let aPtr: number;
    if (transA) {
      aPtr = aAll + i0 * 4; // columns i0.. of the stored [K, M] matrix, row stride M
    } else {
      aPtr = aChunk;
      gatherRows(a, aOff + i0 * lda, lda, m, K, f32, aChunk >>> 2);
    }
    if (accumulate) gatherRows(c, cOff + i0 * ldc, ldc, m, N, f32, cChunk >>> 2);
    const lda2 = transA ? M : K;
    const ldb2 = transB ? K : N;
    if (pool) {
      const calls = splitGemmByRows(
        { a: aPtr, lda: lda2, transA, b: bPtr, ldb: ldb2, transB, c: cChunk, ldc: N, M: m, N, K, accumulate },
        works,
      );
      pool.run(calls.map((c) => [c]));
    } else {
      w.gemm(aPtr, lda2, transA ? 1 : 0, bPtr, ldb2, transB ? 1 : 0, cChunk, N, m, N, K, accumulate ? 1 : 0, works[0]);
    }
    scatterRows(f32, cChunk >>> 2, m, N, c, cOff + i0 * ldc, ldc);
  }
  return true;
}
