/**
 * The wasm gemm against its TypeScript twin (and a float64 reference) on random matrices: every
 * transpose combination, ragged sizes around the kernel's 4×8 register tile and its K/M/N blocks,
 * accumulate, operand offsets, and the row blocking used when a problem exceeds the scratch limit.
 */
import { gemmJs, gemmJsStrided, gemm, WASM_GEMM_MIN_WORK } from '../../src/ops/gemm';
import * as core from '../../src';
import { gemmWasm, gemmWasmStrided, setGemmScratchLimitForTests } from '../../src/backend/gemm_wasm';
import { getBackend, resetBackendForTests, setBackend } from '../../src/backend/backend';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomArray(n: number, rnd: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd() * 4;
  return out;
}

interface Case {
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
  aOff?: number;
  bOff?: number;
  cOff?: number;
}

/** Runs one case on both kernels and checks each against float64 within the float32 error bound. */
function check({ M, N, K, transA, transB, accumulate, aOff = 0, bOff = 0, cOff = 0 }: Case, seed: number): void {
  const rnd = lcg(seed);
  const a = randomArray(aOff + M * K, rnd);
  const b = randomArray(bOff + K * N, rnd);
  const c0 = randomArray(cOff + M * N + 3, rnd);
  const cw = c0.slice();
  const cj = c0.slice();
  expect(gemmWasm(a, aOff, transA, b, bOff, transB, cw, cOff, M, N, K, accumulate)).toBe(true);
  gemmJs(a, aOff, transA, b, bOff, transB, cj, cOff, M, N, K, accumulate);
  const u = 2 ** -24;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let exact = accumulate ? c0[cOff + i * N + j] : 0;
      let mag = Math.abs(exact);
      for (let k = 0; k < K; k++) {
        const x = transA ? a[aOff + k * M + i] : a[aOff + i * K + k];
        const y = transB ? b[bOff + j * K + k] : b[bOff + k * N + j];
        exact += x * y;
        mag += Math.abs(x * y);
      }
      // Each float32 sum of K+1 terms is within (K+1)·u·Σ|terms| of the exact value (plus rounding of the result).
      const tol = (K + 2) * u * mag + 1e-30;
      const w = cw[cOff + i * N + j];
      const js = cj[cOff + i * N + j];
      if (!(Math.abs(w - exact) <= tol) || !(Math.abs(w - js) <= 2 * tol)) {
        throw new Error(
          `M=${M} N=${N} K=${K} tA=${transA} tB=${transB} acc=${accumulate} at [${i},${j}]: wasm ${w}, js ${js}, exact ${exact}`,
        );
      }
    }
  }
  // Nothing outside C's region is touched.
  for (let i = 0; i < cOff; i++) expect(cw[i]).toBe(c0[i]);
  for (let i = cOff + M * N; i < cw.length; i++) expect(cw[i]).toBe(c0[i]);
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 7, 5],
  [33, 17, 65],
  [4, 8, 1],
  [5, 9, 2],
  [6, 8, 1],
  [7, 9, 2],
  [12, 16, 33],
  [73, 41, 20], // M crosses the 72-row A block
  [5, 1030, 9], // N crosses the 1024-column B block
  [13, 11, 777], // K spans three 384-deep slices
  [1, 64, 64],
  [64, 1, 64],
  // N ≥ 128: A packed pre-broadcast for kernelSplat (8 k per iteration, an exit test after each k)
  [73, 130, 21], // M crosses the A block, ragged N, K not a multiple of 8
  [13, 136, 777], // three K slices (the last 9 deep)
  [6, 128, 1],
];

describe('wasm gemm vs TypeScript gemm', () => {
  beforeAll(() => {
    resetBackendForTests();
    expect(getBackend()).toBe('wasm');
  });

  let seed = 1;
  for (const [M, N, K] of SHAPES) {
    it(`[${M}x${K}]·[${K}x${N}], all transposes, with and without accumulate`, () => {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const accumulate of [false, true]) check({ M, N, K, transA, transB, accumulate }, seed++);
        }
      }
    });
  }

  it('reads and writes at operand offsets', () => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        check({ M: 9, N: 13, K: 10, transA, transB, accumulate: true, aOff: 5, bOff: 3, cOff: 7 }, seed++);
        check({ M: 9, N: 13, K: 10, transA, transB, accumulate: false, aOff: 1, bOff: 2, cOff: 11 }, seed++);
      }
    }
  });

  it('with leading dimensions: column slices of wider matrices, same as the contiguous product', () => {
    // Operands are the column block [c0, c0 + cols) of wider row-major matrices; C's other columns stay put.
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) {
          const [M, N, K] = [13, 11, 17];
          const rnd = lcg(seed++);
          const [lda, ldb, ldc] = [(transA ? M : K) + 5, (transB ? K : N) + 3, N + 7];
          const a = randomArray(2 + (transA ? K : M) * lda, rnd);
          const b = randomArray(1 + (transB ? N : K) * ldb, rnd);
          const c0 = randomArray(4 + M * ldc, rnd);
          // Contiguous copies of the slices.
          const ac = new Float32Array((transA ? K : M) * (transA ? M : K));
          const aCols = transA ? M : K;
          for (let r = 0; r < (transA ? K : M); r++) for (let j = 0; j < aCols; j++) ac[r * aCols + j] = a[2 + r * lda + j];
          const bCols = transB ? K : N;
          const bc = new Float32Array((transB ? N : K) * bCols);
          for (let r = 0; r < (transB ? N : K); r++) for (let j = 0; j < bCols; j++) bc[r * bCols + j] = b[1 + r * ldb + j];
          const cc = new Float32Array(M * N);
          for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) cc[i * N + j] = c0[4 + i * ldc + j];
          const cw = c0.slice();
          const cj = c0.slice();
          const ccw = cc.slice();
          const ccj = cc.slice();
          expect(gemmWasmStrided(a, 2, lda, transA, b, 1, ldb, transB, cw, 4, ldc, M, N, K, accumulate)).toBe(true);
          gemmJsStrided(a, 2, lda, transA, b, 1, ldb, transB, cj, 4, ldc, M, N, K, accumulate);
          gemmWasm(ac, 0, transA, bc, 0, transB, ccw, 0, M, N, K, accumulate);
          gemmJs(ac, 0, transA, bc, 0, transB, ccj, 0, M, N, K, accumulate);
          for (let i = 0; i < c0.length; i++) {
            const r = i - 4;
            const inside = r >= 0 && Math.floor(r / ldc) < M && r % ldc < N;
            if (!inside) {
              expect(cw[i]).toBe(c0[i]);
              expect(cj[i]).toBe(c0[i]);
            } else {
              const k = Math.floor(r / ldc) * N + (r % ldc);
              expect(cw[i]).toBe(ccw[k]);
              expect(cj[i]).toBe(ccj[k]);
            }
          }
        }
      }
    }
  });

  it('pre-broadcast path (N ≥ 128): every depth K mod 8 (kernelSplat exits after any of its 8 k)', () => {
    for (let K = 1; K <= 17; K++) {
      for (const transA of [false, true]) check({ M: 5, N: 128, K, transA, transB: K % 2 === 1, accumulate: K % 3 === 0 }, seed++);
    }
  });

  it('K = 0 gives zeros, or leaves C as it was with accumulate', () => {
    const c = new Float32Array([1, 2, 3, 4, 5, 6]);
    expect(gemmWasm(new Float32Array(0), 0, false, new Float32Array(0), 0, false, c, 0, 2, 3, 0, true)).toBe(true);
    expect(Array.from(c)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(gemmWasm(new Float32Array(0), 0, false, new Float32Array(0), 0, false, c, 0, 2, 3, 0, false)).toBe(true);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('splits C into row blocks when the problem exceeds the scratch limit', () => {
    // B is 40×30 floats (4.8 KB): a 40 KB limit leaves room for a few rows at a time only.
    const old = setGemmScratchLimitForTests(40_000);
    try {
      for (const transA of [false, true]) {
        for (const accumulate of [false, true]) check({ M: 101, N: 30, K: 40, transA, transB: false, accumulate }, seed++);
      }
      // Not even one row fits beside B: gemmWasm declines and gemm falls back to TypeScript.
      setGemmScratchLimitForTests(1000);
      const a = new Float32Array(8 * 40).fill(1);
      const b = new Float32Array(40 * 30).fill(0.5);
      const c = new Float32Array(8 * 30);
      expect(gemmWasm(a, 0, false, b, 0, false, c, 0, 8, 30, 40)).toBe(false);
      gemm(a, 0, false, b, 0, false, c, 0, 8, 30, 40);
      expect(c.every((v) => v === 20)).toBe(true);
    } finally {
      setGemmScratchLimitForTests(old);
    }
  });

  it('gemmWasm declines when the js backend is selected', async () => {
    await setBackend('js');
    try {
      const c = new Float32Array(4);
      expect(gemmWasm(new Float32Array(4), 0, false, new Float32Array(4), 0, false, c, 0, 2, 2, 2)).toBe(false);
    } finally {
      resetBackendForTests();
    }
  });
});

describe('matMul routing', () => {
  afterEach(() => resetBackendForTests());

  // Summation order differs between the kernels, so on random data their float32 results differ in
  // the last bits: matMul's output identifies which kernel ran.
  it("runs the wasm kernel on 'wasm' and the TypeScript kernel on 'js'", async () => {
    const [M, K, N] = [40, 300, 30];
    const rnd = lcg(99);
    const a = randomArray(M * K, rnd);
    const b = randomArray(K * N, rnd);
    const viaWasm = new Float32Array(M * N);
    const viaJs = new Float32Array(M * N);
    gemmWasm(a, 0, false, b, 0, false, viaWasm, 0, M, N, K);
    gemmJs(a, 0, false, b, 0, false, viaJs, 0, M, N, K);
    expect(Array.from(viaWasm)).not.toEqual(Array.from(viaJs));

    const x = core.tensor2d(a, [M, K]);
    const y = core.tensor2d(b, [K, N]);
    await setBackend('wasm');
    expect(Array.from(core.matMul(x, y).dataSync())).toEqual(Array.from(viaWasm));
    await setBackend('js');
    expect(Array.from(core.matMul(x, y).dataSync())).toEqual(Array.from(viaJs));
  });

  it('keeps tiny products (M·N·K < WASM_GEMM_MIN_WORK) in TypeScript', () => {
    const K = 500;
    expect(K).toBeLessThan(WASM_GEMM_MIN_WORK);
    const rnd = lcg(7);
    const a = randomArray(K, rnd);
    const b = randomArray(K, rnd);
    const [viaGemm, viaJs, viaWasm] = [new Float32Array(1), new Float32Array(1), new Float32Array(1)];
    gemmWasm(a, 0, false, b, 0, false, viaWasm, 0, 1, 1, K);
    gemmJs(a, 0, false, b, 0, false, viaJs, 0, 1, 1, K);
    expect(viaWasm[0]).not.toBe(viaJs[0]); // the kernels are distinguishable on this data
    gemm(a, 0, false, b, 0, false, viaGemm, 0, 1, 1, K);
    expect(viaGemm[0]).toBe(viaJs[0]);
  });
});
