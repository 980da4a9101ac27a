/** Orthogonal initializer: a fast blocked Gram–Schmidt QR of a Gaussian matrix in float64. */
import { DataType, generatorFor, Tensor, tensor } from '@recurrent/core';
import type { ConfigDict } from '../serialization/registry';
import { checkNumericDtype, Initializer } from './initializer';

/** Args of `Orthogonal`. */
export interface OrthogonalArgs {
  /** Multiplier of the orthogonal matrix (default 1). */
  gain?: number;
  /** Seed: the same seed gives the same values on every call. */
  seed?: number;
}

/**
 * A random orthogonal matrix (Haar-distributed), as Keras: the shape is flattened to
 * [prod(shape[:-1]), shape[-1]]; the Q factor of a standard normal matrix of the taller
 * orientation, with the sign of each column fixed so that diag(R) > 0, transposed if needed,
 * times `gain`. Rows (or columns, whichever are fewer) are orthonormal·gain.
 *
 * tfjs note: tfjs runs `linalg.qr` through generic ops and freezes for seconds on RNN-sized
 * kernels (it even warns above 2000 elements); this computes the same factor with a blocked
 * modified Gram–Schmidt on a Float64Array (Gram–Schmidt yields diag(R) > 0 directly).
 */
export class Orthogonal extends Initializer {
  static override className = 'Orthogonal';
  readonly gain: number;
  readonly seed?: number;

  constructor(args: OrthogonalArgs = {}) {
    super();
    this.gain = args.gain ?? 1;
    this.seed = args.seed ?? undefined;
  }

  apply(shape: number[], dtype?: DataType): Tensor {
    const d = checkNumericDtype('Orthogonal', dtype);
    if (!Array.isArray(shape) || shape.length < 2) {
      throw new Error(`Orthogonal: the shape must have rank >= 2, received [${Array.isArray(shape) ? shape.join(',') : String(shape)}].`);
    }
    let numRows = 1;
    for (let i = 0; i < shape.length - 1; i++) numRows *= shape[i];
    const numCols = shape[shape.length - 1];
    const out = orthogonalMatrix(numRows, numCols, this.gain, this.seed);
    return tensor(out, shape.slice(), d);
  }

  override getConfig(): ConfigDict {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

/**
 * Row-major [numRows, numCols] matrix with orthonormal rows or columns (whichever are fewer), times gain.
 * @internal exported for tests.
 */
export function orthogonalMatrix(numRows: number, numCols: number, gain: number, seed?: number): Float32Array {
  const M = Math.max(numRows, numCols);
  const N = Math.min(numRows, numCols);
  const out = new Float32Array(numRows * numCols);
  if (N === 0) return out;
  // The N columns of the [M, N] Gaussian matrix, each stored contiguously (row k = column k).
  const q = new Float64Array(N * M);
  const g = generatorFor(seed);
  for (let i = 0; i < q.length; i++) q[i] = g.normal();
  orthonormalizeRows(q, N, M);
  if (numRows < numCols) {
    // Output = Qᵀ: row r is column r of Q, already contiguous.
    for (let i = 0; i < q.length; i++) out[i] = gain * q[i];
  } else {
    // Output = Q [numRows = M, numCols = N].
    for (let c = 0; c < N; c++) {
      const off = c * M;
      for (let r = 0; r < M; r++) out[r * N + c] = gain * q[off + r];
    }
  }
  return out;
}

/** Projects vectors j (and j2 ≥ 0) against the 4 orthonormal vectors k..k+3: x ← x − Σ (q·x) q, one pass for the dots, one for the update. */
function projectFour(q: Float64Array, m: number, k: number, j: number, j2: number): void {
  const o0 = k * m;
  const o1 = o0 + m;
  const o2 = o1 + m;
  const o3 = o2 + m;
  const jo = j * m;
  if (j2 < 0) {
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let i = 0; i < m; i++) {
      const x = q[jo + i];
      d0 += q[o0 + i] * x; d1 += q[o1 + i] * x; d2 += q[o2 + i] * x; d3 += q[o3 + i] * x;
    }
    for (let i = 0; i < m; i++) q[jo + i] -= d0 * q[o0 + i] + d1 * q[o1 + i] + d2 * q[o2 + i] + d3 * q[o3 + i];
    return;
  }
  const jp = j2 * m;
  let d0 = 0, d1 = 0, d2 = 0, d3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;
  for (let i = 0; i < m; i++) {
    const x = q[jo + i];
    const y = q[jp + i];
    const q0 = q[o0 + i], q1 = q[o1 + i], q2 = q[o2 + i], q3 = q[o3 + i];
    d0 += q0 * x; d1 += q1 * x; d2 += q2 * x; d3 += q3 * x;
    e0 += q0 * y; e1 += q1 * y; e2 += q2 * y; e3 += q3 * y;
  }
  for (let i = 0; i < m; i++) {
    const q0 = q[o0 + i], q1 = q[o1 + i], q2 = q[o2 + i], q3 = q[o3 + i];
    q[jo + i] -= d0 * q0 + d1 * q1 + d2 * q2 + d3 * q3;
    q[jp + i] -= e0 * q0 + e1 * q1 + e2 * q2 + e3 * q3;
  }
}

/** Projects vector j against the orthonormal vectors from..to-1, one at a time (modified Gram–Schmidt). */
function projectEach(q: Float64Array, m: number, from: number, to: number, j: number): void {
  const jo = j * m;
  for (let p = from; p < to; p++) {
    const po = p * m;
    let dot = 0;
    for (let i = 0; i < m; i++) dot += q[po + i] * q[jo + i];
    for (let i = 0; i < m; i++) q[jo + i] -= dot * q[po + i];
  }
}

/** Projects vectors j (and j2 ≥ 0) against the orthonormal vectors from..to-1, in groups of four, in order. */
function projectRange(q: Float64Array, m: number, from: number, to: number, j: number, j2: number): void {
  let k = from;
  for (; k + 4 <= to; k += 4) projectFour(q, m, k, j, j2);
  if (k < to) {
    projectEach(q, m, k, to, j);
    if (j2 >= 0) projectEach(q, m, k, to, j2);
  }
}

/**
 * Orthonormalizes the n rows (each of length m, n ≤ m) of `q` in place, in order, by modified
 * Gram–Schmidt applied four vectors at a time. Vectors are processed in panels of 32: a panel is
 * orthonormalized, then every later vector (two at a time) is projected against the whole panel
 * while it is hot in cache, so the trailing matrix streams from memory once per panel rather
 * than once per vector; each loaded element feeds 4–8 multiply-adds.
 */
function orthonormalizeRows(q: Float64Array, n: number, m: number): void {
  const PANEL = 32;
  for (let k0 = 0; k0 < n; k0 += PANEL) {
    const k1 = Math.min(n, k0 + PANEL);
    for (let k = k0; k < k1; k++) {
      // Vector k has been projected against everything before the panel and the panel vectors before it.
      projectEach(q, m, Math.max(k0, k - ((k - k0) % 4)), k, k);
      normalize(q, m, k);
      if ((k - k0) % 4 === 3 || k === k1 - 1) {
        const g0 = k - ((k - k0) % 4);
        for (let j = k + 1; j < k1; j++) projectRange(q, m, g0, k + 1, j, -1);
      }
    }
    let j = k1;
    for (; j + 1 < n; j += 2) projectRange(q, m, k0, k1, j, j + 1);
    if (j < n) projectRange(q, m, k0, k1, j, -1);
  }
}

/** Scales vector k to unit length. */
function normalize(q: Float64Array, m: number, k: number): void {
  const ko = k * m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += q[ko + i] * q[ko + i];
  if (!(ss > 0)) throw new Error('Orthogonal: the random matrix is rank-deficient (zero column); try another seed.');
  const inv = 1 / Math.sqrt(ss);
  for (let i = 0; i < m; i++) q[ko + i] *= inv;
}
