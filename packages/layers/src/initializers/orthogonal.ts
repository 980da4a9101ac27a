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

/** Orthonormalizes vector k of `q` (length m) against vectors from..k-1 (modified Gram–Schmidt), then normalizes it. */
function orthonormalizeOne(q: Float64Array, m: number, from: number, k: number): void {
  const ko = k * m;
  for (let p = from; p < k; p++) {
    const po = p * m;
    let dot = 0;
    for (let i = 0; i < m; i++) dot += q[po + i] * q[ko + i];
    for (let i = 0; i < m; i++) q[ko + i] -= dot * q[po + i];
  }
  let ss = 0;
  for (let i = 0; i < m; i++) ss += q[ko + i] * q[ko + i];
  if (!(ss > 0)) throw new Error('Orthogonal: the random matrix is rank-deficient (zero column); try another seed.');
  const inv = 1 / Math.sqrt(ss);
  for (let i = 0; i < m; i++) q[ko + i] *= inv;
}

/**
 * Orthonormalizes the n rows (each of length m, n ≤ m) of `q` in place, in order: block modified
 * Gram–Schmidt with panels of 4 vectors; each remaining vector is projected against a whole panel
 * in one pass (two vectors at a time) so every loaded element feeds 4–8 multiply-adds.
 */
function orthonormalizeRows(q: Float64Array, n: number, m: number): void {
  const B = 4;
  let k = 0;
  for (; k + B <= n; k += B) {
    for (let p = k; p < k + B; p++) orthonormalizeOne(q, m, k, p);
    const o0 = k * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    let j = k + B;
    for (; j + 1 < n; j += 2) {
      const jo = j * m;
      const jp = jo + m;
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
    for (; j < n; j++) {
      const jo = j * m;
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (let i = 0; i < m; i++) {
        const x = q[jo + i];
        d0 += q[o0 + i] * x; d1 += q[o1 + i] * x; d2 += q[o2 + i] * x; d3 += q[o3 + i] * x;
      }
      for (let i = 0; i < m; i++) q[jo + i] -= d0 * q[o0 + i] + d1 * q[o1 + i] + d2 * q[o2 + i] + d3 * q[o3 + i];
    }
  }
  const tail = k;
  for (; k < n; k++) orthonormalizeOne(q, m, tail, k);
}
