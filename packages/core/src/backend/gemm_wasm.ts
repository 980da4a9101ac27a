/** JS glue of the wasm gemm kernel (assembly/gemm.ts): same contract as `gemm` in ops/gemm.ts. */
import { wasmExportsIfActive } from './backend';
import { arena } from './wasm';

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

/**
 * C (+)= op(A) · op(B) on the wasm backend, with op(A) [M, K], op(B) [K, N] and row-major storage
 * at the given offsets (A stored [K, M] with transA, B stored [N, K] with transB).
 * Returns false, touching nothing, when the wasm backend is not active (or the problem is too big
 * for its memory), so the caller runs its TypeScript kernel instead.
 */
export function gemmWasm(
  a: Float32Array, aOff: number, transA: boolean,
  b: Float32Array, bOff: number, transB: boolean,
  c: Float32Array, cOff: number,
  M: number, N: number, K: number,
  accumulate = false,
): boolean {
  const w = wasmExportsIfActive();
  if (!w) return false;
  if (M === 0 || N === 0) return true;
  const work = w.gemmWorkspaceBytes(M, N, K);
  const fixed = K * N * 4 + (transA ? M * K * 4 : 0) + work + 64;
  const perRow = (transA ? 0 : K * 4) + N * 4;
  const rows = Math.min(M, Math.floor((maxScratchBytes - fixed) / perRow));
  if (rows < 1) return false;

  const mem = arena();
  const bPtr = mem.copyIn(b, bOff, K * N);
  const aAll = transA ? mem.copyIn(a, aOff, M * K) : 0;
  const workPtr = mem.alloc(work);
  const aChunk = transA ? 0 : mem.alloc(rows * K * 4);
  const cChunk = mem.alloc(rows * N * 4);
  const f32 = mem.f32(); // no allocation after this point, so the view stays valid
  for (let i0 = 0; i0 < M; i0 += rows) {
    const m = Math.min(rows, M - i0);
    let aPtr: number;
    if (transA) {
      aPtr = aAll + i0 * 4; // columns i0.. of the stored [K, M] matrix, row stride M
    } else {
      aPtr = aChunk;
      f32.set(a.subarray(aOff + i0 * K, aOff + (i0 + m) * K), aChunk >> 2);
    }
    if (accumulate) f32.set(c.subarray(cOff + i0 * N, cOff + (i0 + m) * N), cChunk >> 2);
    w.gemm(aPtr, transA ? M : K, transA ? 1 : 0, bPtr, transB ? K : N, transB ? 1 : 0, cChunk, N, m, N, K, accumulate ? 1 : 0, workPtr);
    c.set(f32.subarray(cChunk >> 2, (cChunk >> 2) + m * N), cOff + i0 * N);
  }
  return true;
}
