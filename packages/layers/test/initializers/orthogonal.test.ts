/**
 * Orthogonal initializer: orthonormality, seeding, the Keras sign convention against independent
 * float64 references built from the same normal draws, and the Haar distribution.
 */
import { generatorFor, getBackend, setBackend, setSeed } from '@recurrent/core';
import { Orthogonal } from '@recurrent/layers';
import { BLOCK, BLOCKED_MIN_WORK, fillStandardNormal } from '../../src/initializers/householder';
import { orthogonalMatrix } from '../../src/initializers/orthogonal';

/** Largest |GᵀG − gain²·I| over the fewer of rows/columns of the row-major [rows, cols] matrix. */
function orthogonalityError(v: ArrayLike<number>, rows: number, cols: number, gain: number): number {
  const byRows = rows <= cols;
  const count = byRows ? rows : cols;
  const len = byRows ? cols : rows;
  const at = (k: number, i: number) => (byRows ? v[k * cols + i] : v[i * cols + k]);
  let worst = 0;
  for (let a = 0; a < count; a++) {
    for (let b = a; b < count; b++) {
      let d = 0;
      for (let i = 0; i < len; i++) d += at(a, i) * at(b, i);
      worst = Math.max(worst, Math.abs(d - (a === b ? gain * gain : 0)));
    }
  }
  return worst;
}

/** The draws x_0..x_{N−1} (x_k has M−k entries) in the order the initializer takes them. */
function draws(seed: number, M: number, N: number): Float64Array[] {
  const g = generatorFor(seed);
  const out: Float64Array[] = [];
  const buf = new Float64Array(M);
  for (let k = 0; k < N; k++) {
    fillStandardNormal(g, buf, k, M);
    out.push(buf.slice(k));
  }
  return out;
}

/**
 * Independent float64 reference: the textbook reflection H_k = I − 2wwᵀ/(wᵀw), w = x_k − β e_k with
 * β = −sign(x_k[0])·‖x_k‖ (acting on coordinates k..M−1); column k of Q is
 * H_0·…·H_{k−1}·[0; x_k/‖x_k‖] (so column 0 is x_0 normalized). Returns Q column by column.
 */
function referenceColumns(xs: Float64Array[], M: number): Float64Array[] {
  const ws = xs.map((x) => {
    const norm = Math.hypot(...x);
    const w = Float64Array.from(x);
    w[0] -= x[0] >= 0 ? -norm : norm;
    return w;
  });
  return xs.map((x, k) => {
    const norm = Math.hypot(...x);
    const y = new Float64Array(M);
    for (let i = k; i < M; i++) y[i] = x[i - k] / norm;
    for (let j = k - 1; j >= 0; j--) {
      const w = ws[j];
      let ww = 0;
      let wy = 0;
      for (let i = 0; i < w.length; i++) {
        ww += w[i] * w[i];
        wy += w[i] * y[j + i];
      }
      if (ww === 0) continue;
      const f = (2 * wy) / ww;
      for (let i = 0; i < w.length; i++) y[j + i] -= f * w[i];
    }
    return y;
  });
}

/**
 * Textbook Householder QR in float64 of a row-major [m, n] matrix (m ≥ n), Q's columns made so that
 * diag(R) > 0 (the Keras convention: Q·sign(diag(R))). Returns Q row-major [m, n].
 */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const betas: number[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(m);
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const alpha = r[k * n + k];
    const beta = alpha >= 0 ? -norm : norm; // R_kk
    for (let i = k; i < m; i++) v[i] = r[i * n + k];
    v[k] -= beta;
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i] * v[i];
    for (let c = k; c < n; c++) {
      let d = 0;
      for (let i = k; i < m; i++) d += v[i] * r[i * n + c];
      const f = vv === 0 ? 0 : (2 * d) / vv;
      for (let i = k; i < m; i++) r[i * n + c] -= f * v[i];
    }
    vs.push(vv === 0 ? new Float64Array(m) : v.map((x) => x / Math.sqrt(vv / 2)));
    betas.push(r[k * n + k]);
  }
  // Q = H_0…H_{n−1}·I[:, :n], then column k times sign(R_kk).
  const q = new Float64Array(m * n);
  for (let c = 0; c < n; c++) q[c * n + c] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]; // H = I − v·vᵀ
    for (let c = 0; c < n; c++) {
      let d = 0;
      for (let i = k; i < m; i++) d += v[i] * q[i * n + c];
      for (let i = k; i < m; i++) q[i * n + c] -= d * v[i];
    }
  }
  for (let c = 0; c < n; c++) {
    if (betas[c] < 0) for (let i = 0; i < m; i++) q[i * n + c] = -q[i * n + c];
  }
  return q;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('Orthogonal initializer', () => {
  it('the test shapes cover both code paths and several blocks', () => {
    expect(64 * 64 * 64).toBeGreaterThanOrEqual(BLOCKED_MIN_WORK); // blocked
    expect(9 * 5 * 5).toBeLessThan(BLOCKED_MIN_WORK); // unblocked
    expect(Math.ceil(260 / BLOCK)).toBeGreaterThanOrEqual(3); // several blocks, the last one partial
    expect(260 % BLOCK).not.toBe(0);
  });

  it.each([
    [[6, 4], 1],
    [[4, 6], 2],
    [[5, 5], 1],
    [[1, 7], 1],
    [[7, 1], 0.5],
    [[3, 5, 7], 1.5],
    [[2, 3, 40], 1],
    [[64, 64], 1],
    [[300, 200], 1.5],
    [[200, 300], 1],
    [[260, 260], 1],
    [[3, 100, 150], 2],
    [[150, 3, 100], 1],
  ])('%j, gain %d: shape kept, GᵀG = gain²·I on the smaller side', (shape, gain) => {
    const s = shape as number[];
    const w = new Orthogonal({ gain, seed: 11 }).apply(s);
    expect(w.shape).toEqual(s);
    expect(w.dtype).toBe('float32');
    const cols = s[s.length - 1];
    expect(orthogonalityError(w.dataSync(), w.size / cols, cols, gain)).toBeLessThan(1e-5 * gain * gain);
  });

  it('int32 dtype and empty shapes', () => {
    const w = new Orthogonal({ gain: 3, seed: 1 }).apply([4, 4], 'int32');
    expect(w.dtype).toBe('int32');
    expect(new Orthogonal({ seed: 1 }).apply([0, 5]).shape).toEqual([0, 5]);
  });

  it('seeded: the same seed gives the same values, another seed others; unseeded follows setSeed', () => {
    for (const shape of [
      [5, 9],
      [200, 130],
    ]) {
      const o = new Orthogonal({ seed: 3 });
      const a = o.apply(shape).dataSync();
      expect(maxAbsDiff(o.apply(shape).dataSync(), a)).toBe(0);
      expect(maxAbsDiff(new Orthogonal({ seed: 3 }).apply(shape).dataSync(), a)).toBe(0);
      expect(maxAbsDiff(new Orthogonal({ seed: 4 }).apply(shape).dataSync(), a)).toBeGreaterThan(0.01);
      setSeed(21);
      const u1 = new Orthogonal().apply(shape).dataSync();
      const u2 = new Orthogonal().apply(shape).dataSync();
      setSeed(21);
      expect(maxAbsDiff(new Orthogonal().apply(shape).dataSync(), u1)).toBe(0);
      expect(maxAbsDiff(u1, u2)).toBeGreaterThan(0.01);
    }
  });

  it('a wide kernel is the transpose of the tall one of the same seed', () => {
    for (const [r, c] of [
      [5, 9],
      [130, 300],
    ]) {
      const tall = orthogonalMatrix(c, r, 1, 6);
      const wide = orthogonalMatrix(r, c, 1, 6);
      let worst = 0;
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) worst = Math.max(worst, Math.abs(wide[i * c + j] - tall[j * r + i]));
      expect(worst).toBe(0);
    }
  });

  it.each([
    [9, 5],
    [12, 12],
    [300, 200],
    [260, 260],
    [700, 130],
  ])('[%d, %d]: equals the float64 product of textbook reflections of the same draws (column 0 = x_0/‖x_0‖)', (M, N) => {
    const q = orthogonalMatrix(M, N, 1, 17);
    const xs = draws(17, M, N);
    const cols = referenceColumns(xs, M);
    let worst = 0;
    for (let c = 0; c < N; c++) for (let i = 0; i < M; i++) worst = Math.max(worst, Math.abs(q[i * N + c] - cols[c][i]));
    expect(worst).toBeLessThan(M * N > 1000 ? 2e-5 : 1e-6);
    // The first column is the first Gaussian column normalized, as in QR with diag(R) > 0.
    const norm = Math.hypot(...xs[0]);
    for (let i = 0; i < M; i++) expect(q[i * N]).toBeCloseTo(xs[0][i] / norm, 6);
  });

  it.each([
    [8, 8],
    [200, 200],
    [300, 140],
  ])('[%d, %d]: is the Keras Q (sign-corrected Householder QR) of the Gaussian matrix A the draws define', (M, N) => {
    // A's column k = H_0…H_{k−1}·[r_k; x_k] for independent normal r_k (k entries): a standard normal
    // matrix (the reflections depend only on earlier columns), A = Q·R with R_kk = ‖x_k‖ > 0.
    const xs = draws(23, M, N);
    const cols = referenceColumns(xs, M);
    const g = generatorFor(99);
    const a = new Float64Array(M * N);
    for (let k = 0; k < N; k++) {
      const rk = Math.hypot(...xs[k]);
      for (let i = 0; i < M; i++) a[i * N + k] = rk * cols[k][i];
      for (let j = 0; j < k; j++) {
        const rjk = g.normal();
        for (let i = 0; i < M; i++) a[i * N + k] += rjk * cols[j][i];
      }
    }
    const q = orthogonalMatrix(M, N, 1, 23);
    expect(maxAbsDiff(q, householderQ(a, M, N))).toBeLessThan(M > 100 ? 1e-4 : 1e-6);
  });

  it('the wasm gemm and the TypeScript fallback give the same matrix', async () => {
    const before = getBackend();
    const wasm = orthogonalMatrix(300, 200, 1, 5);
    await setBackend('js');
    try {
      const js = orthogonalMatrix(300, 200, 1, 5);
      expect(maxAbsDiff(wasm, js)).toBeLessThan(1e-5);
    } finally {
      await setBackend(before);
    }
  });

  it('Haar moments: E[tr Q] = 0 and E[(tr Q)²] = 1 (fails without the sign correction), entries ~ N(0, 1/n)', () => {
    for (const [n, draws] of [
      [4, 3000],
      [64, 400],
    ]) {
      let s1 = 0;
      let s2 = 0;
      let sum = 0;
      let sumSq = 0;
      for (let d = 0; d < draws; d++) {
        const q = orthogonalMatrix(n, n, 1, 1000 + d);
        let tr = 0;
        for (let i = 0; i < n; i++) tr += q[i * n + i];
        s1 += tr;
        s2 += tr * tr;
        for (let i = 0; i < n; i += 1) {
          sum += q[i * n + ((i * 7 + d) % n)];
          sumSq += q[i * n + ((i * 7 + d) % n)] ** 2;
        }
      }
      // tr Q is close to N(0, 1) for Haar O(n); standard errors ≈ 1/√draws and √(2/draws).
      expect(Math.abs(s1 / draws)).toBeLessThan(5 / Math.sqrt(draws));
      expect(Math.abs(s2 / draws - 1)).toBeLessThan(5 * Math.sqrt(2 / draws));
      const count = n * draws;
      expect(Math.abs(sum / count)).toBeLessThan(5 / Math.sqrt(n * count));
      expect(Math.abs((sumSq / count) * n - 1)).toBeLessThan(0.1);
    }
  });

  it('the normal draws (ziggurat) are standard normal: moments and CDF', () => {
    const n = 400000;
    const x = new Float64Array(n);
    fillStandardNormal(generatorFor(8), x, 0, n);
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (const z of x) {
      m1 += z;
      m2 += z * z;
      m4 += z ** 4;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    // Φ at a few points (including the ziggurat's tail boundary 3.44) within 5 binomial standard errors.
    const phi: [number, number][] = [
      [-3.5, 0.000232629],
      [-2, 0.022750132],
      [-1, 0.158655254],
      [-0.3, 0.382088578],
      [0, 0.5],
      [0.7, 0.758036348],
      [1.5, 0.933192799],
      [3, 0.998650102],
      [3.44, 0.999709143],
    ];
    for (const [z, p] of phi) {
      let below = 0;
      for (const v of x) if (v < z) below++;
      expect(Math.abs(below / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-6);
    }
    let far = 0;
    for (const v of x) if (Math.abs(v) > 4) far++;
    expect(far).toBeGreaterThan(0); // the tail beyond R is reached
  });
});
