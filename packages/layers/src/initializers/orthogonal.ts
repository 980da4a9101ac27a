/** Orthogonal initializer: a Haar-random orthonormal frame, formed as blocked products of random Householder reflections. */
import { checkArgsOf } from '../serialization/registry';
import { DataType, generatorFor, Tensor, tensor, ValueError } from '@recurrent/core';
import { haarFrameTransposed } from './householder';
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
 * kernels (it even warns above 2000 elements). Here Q is generated directly as the product of the
 * random Householder reflections that QR of a Gaussian matrix would produce (Stewart's method, same
 * distribution and sign convention, half the work of factorizing), formed in compact-WY blocks whose
 * updates are matrix multiplies (the wasm gemm): see `householder.ts`. Seeded values differ from
 * tfjs/Keras (different random streams), the distribution is the same.
 */
export class Orthogonal extends Initializer {
  static override className = 'Orthogonal';
  readonly gain: number;
  readonly seed?: number;

  constructor(args: OrthogonalArgs = {}) {
    super();
    this.gain = args.gain ?? 1;
    this.seed = args.seed ?? undefined;
    if (new.target === Orthogonal) checkArgsOf(this, args); // unknown keys, 'false' strings (factories and files check too)
  }

  apply(shape: number[], dtype?: DataType): Tensor {
    const d = checkNumericDtype('Orthogonal', dtype);
    if (!Array.isArray(shape) || shape.length < 2) {
      throw new ValueError(
        `Orthogonal: the shape must have rank >= 2, received [${Array.isArray(shape) ? shape.join(',') : String(shape)}].`,
      );
    }
    let numRows = 1;
    for (let i = 0; i < shape.length - 1; i++) numRows *= shape[i];
    const numCols = shape[shape.length - 1];
    const out = orthogonalMatrix(numRows, numCols, this.gain, this.seed);
    // A fresh Float32Array: wrap it without the element-by-element copy of `tensor()`.
    return d === 'float32' ? new Tensor(out, shape.slice(), 'float32') : tensor(out, shape.slice(), d);
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
  if (N === 0) return new Float32Array(numRows * numCols);
  // gain·Qᵀ [N, M]: row c is column c of the [M, N] Haar frame Q.
  const z = haarFrameTransposed(generatorFor(seed), M, N, gain);
  if (numRows < numCols) return z; // the output is Qᵀ
  // The output is Q [numRows = M, numCols = N]: transpose in tiles.
  const out = new Float32Array(numRows * numCols);
  const B = 32;
  for (let c0 = 0; c0 < N; c0 += B) {
    const c1 = Math.min(N, c0 + B);
    for (let r0 = 0; r0 < M; r0 += B) {
      const r1 = Math.min(M, r0 + B);
      for (let c = c0; c < c1; c++) {
        const zo = c * M;
        for (let r = r0; r < r1; r++) out[r * N + c] = z[zo + r];
      }
    }
  }
  return out;
}
