/** The wasm gemm split by rows of C across threads: bit-identical to one thread, and right against float64 sums. */
import { gemmWasmStrided } from '../../../src/backend/gemm_wasm';
import { loadWithThreads, restoreDefaults, takePoolRuns, useThreads } from './helpers';

beforeAll(() => loadWithThreads(3));
afterAll(() => restoreDefaults());

function data(n: number, k: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.1));
}

/** C = op(A)·op(B) (+ C0 with accumulate) with leading dimensions padded by 3; returns C. */
function product(M: number, N: number, K: number, transA: boolean, transB: boolean, accumulate: boolean): Float32Array {
  const lda = (transA ? M : K) + 3;
  const ldb = (transB ? K : N) + 3;
  const ldc = N + 3;
  const a = data((transA ? K : M) * lda, 0.37);
  const b = data((transB ? N : K) * ldb, 0.91);
  const c = data(M * ldc, 0.13);
  expect(gemmWasmStrided(a, 0, lda, transA, b, 0, ldb, transB, c, 0, ldc, M, N, K, accumulate)).toBe(true);
  // float64 reference
  const c0 = data(M * ldc, 0.13);
  let worst = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = accumulate ? c0[i * ldc + j] : 0;
      for (let k = 0; k < K; k++) s += a[transA ? k * lda + i : i * lda + k] * b[transB ? j * ldb + k : k * ldb + j];
      worst = Math.max(worst, Math.abs(s - c[i * ldc + j]));
    }
  }
  expect(worst).toBeLessThan(1e-4);
  return c;
}

describe('gemm on wasm threads', () => {
  it.each([
    [37, 29, 41, false, false, false],
    [64, 16, 8, true, false, true],
    [9, 70, 33, false, true, false],
    [101, 13, 17, true, true, true],
  ])('M=%i N=%i K=%i transA=%p transB=%p accumulate=%p: 3 threads = 1 thread', async (M, N, K, tA, tB, acc) => {
    await useThreads(1);
    const one = product(M, N, K, tA, tB, acc);
    await useThreads(3);
    takePoolRuns();
    const three = product(M, N, K, tA, tB, acc);
    expect(takePoolRuns()).toBe(1);
    expect(Array.from(three)).toEqual(Array.from(one));
  });
});
