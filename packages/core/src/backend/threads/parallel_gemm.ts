/**
 * gemm split by rows of C across threads. Each C element is the same sum in the same order whatever the
 * split (the micro-kernel accumulates one element's products over k in a register, then adds C), so a
 * split product equals the unsplit one bit for bit; parts start at multiples of MR (4) so the tiles
 * stay the same too.
 */
import type { WasmCall } from './pool';

/** Rows of one micro-kernel tile (assembly/gemm.ts MR). */
const MR = 4;

/** Pointer arguments of one wasm `gemm` call: C (+)= op(A)·op(B). */
export interface GemmCall {
  a: number;
  lda: number;
  transA: boolean;
  b: number;
  ldb: number;
  transB: boolean;
  c: number;
  ldc: number;
  M: number;
  N: number;
  K: number;
  accumulate: boolean;
}

/** [start, end) ranges splitting `n` into at most `parts` contiguous pieces starting at multiples of `align`. */
export function splitRange(n: number, parts: number, align = 1): [number, number][] {
  const size = Math.max(align, Math.ceil(n / parts / align) * align);
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += size) out.push([s, Math.min(n, s + size)]);
  return out;
}

/** The wasm call of `g` restricted to rows [r0, r1) of C, with workspace `work`. */
export function gemmRowsCall(g: GemmCall, r0: number, r1: number, work: number): WasmCall {
  const a = g.transA ? g.a + r0 * 4 : g.a + r0 * g.lda * 4;
  return {
    fn: 'gemm',
    args: [
      a,
      g.lda,
      g.transA ? 1 : 0,
      g.b,
      g.ldb,
      g.transB ? 1 : 0,
      g.c + r0 * g.ldc * 4,
      g.ldc,
      r1 - r0,
      g.N,
      g.K,
      g.accumulate ? 1 : 0,
      work,
    ],
  };
}

/**
 * `g` as one call per thread (rows of C split evenly at multiples of MR), thread i using workspace
 * `works[i]` (each at least `gemmWorkspaceBytes(M, N, K)` bytes). Fewer calls than threads when M is small.
 */
export function splitGemmByRows(g: GemmCall, works: number[]): WasmCall[] {
  return splitRange(g.M, works.length, MR).map(([r0, r1], i) => gemmRowsCall(g, r0, r1, works[i]));
}
