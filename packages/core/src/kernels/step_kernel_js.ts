/**
 * The TypeScript twin of the one-step kernel (step_kernel.ts): weights packed once into float64 rows, one step
 * computed with the shared activation table. It is the reference the wasm step kernel is tested against, and the
 * kernel used where wasm does not run.
 */
import type { KernelActivation } from './activation_table';

/** The cells a step kernel computes. */
export type StepCellKind = 'lstm' | 'gru' | 'simpleRNN';

/** Gates of a cell: LSTM 4, GRU 3, SimpleRNN 1. */
export function gatesOf(cell: StepCellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** Largest packed float64 copy (elements) the TypeScript twin keeps; bigger cells multiply the float32 weights in place. */
const MAX_PACKED = 1 << 21;

/**
 * The weights of one step as ONE transposed float64 matrix: row j holds output j's weights over the
 * stacked vector v = [x (D values); h (U values)], so each output is a dot product read straight along a
 * row (no float32→float64 conversion per element, four outputs per pass).
 */
interface Packed {
  /** [N, K] with K = D + U. */
  wt: Float64Array;
  K: number;
  /** Scratch for v (float64). */
  v: Float64Array;
}

function pack(kernel: Float32Array, recurrent: Float32Array, D: number, U: number, N: number): Packed | null {
  const K = D + U;
  if (N * K > MAX_PACKED) return null;
  const wt = new Float64Array(N * K);
  for (let k = 0; k < D; k++) for (let j = 0, o = k * N; j < N; j++) wt[j * K + k] = kernel[o + j];
  for (let k = 0; k < U; k++) for (let j = 0, o = k * N; j < N; j++) wt[j * K + D + k] = recurrent[o + j];
  return { wt, K, v: new Float64Array(K) };
}

/**
 * z[d + j] += Σ_{k0 ≤ k < k1} wt[j·K + k]·v[k] for j0 ≤ j < j1, with (j1 − j0) a multiple of 4: four
 * outputs per pass over v. (Kept free of never-taken branches: V8 deoptimizes an optimized loop again and
 * again on a branch it has no type feedback for.)
 */
function dotRows4(
  wt: Float64Array,
  K: number,
  j0: number,
  j1: number,
  k0: number,
  k1: number,
  v: Float64Array,
  z: Float32Array,
  d: number,
): void {
  for (let j = j0; j < j1; j += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const a = j * K;
    const b = a + K;
    const c = b + K;
    const e = c + K;
    for (let k = k0; k < k1; k++) {
      const vk = v[k];
      s0 += wt[a + k] * vk;
      s1 += wt[b + k] * vk;
      s2 += wt[c + k] * vk;
      s3 += wt[e + k] * vk;
    }
    z[d + j] += s0;
    z[d + j + 1] += s1;
    z[d + j + 2] += s2;
    z[d + j + 3] += s3;
  }
}

function dotRows1(
  wt: Float64Array,
  K: number,
  j0: number,
  j1: number,
  k0: number,
  k1: number,
  v: Float64Array,
  z: Float32Array,
  d: number,
): void {
  for (let j = j0; j < j1; j++) {
    let s = 0;
    const a = j * K;
    for (let k = k0; k < k1; k++) s += wt[a + k] * v[k];
    z[d + j] += s;
  }
}

function dotRows(
  wt: Float64Array,
  K: number,
  j0: number,
  j1: number,
  k0: number,
  k1: number,
  v: Float64Array,
  z: Float32Array,
  zOff: number,
): void {
  const j4 = j0 + ((j1 - j0) & ~3);
  if (j4 > j0) dotRows4(wt, K, j0, j4, k0, k1, v, z, zOff - j0);
  if (j1 > j4) dotRows1(wt, K, j4, j1, k0, k1, v, z, zOff - j0);
}

/** z[zOff + j] += Σ_k x[xOff + k]·W[k·ldw + wOff + j] for j < N. */
function rowTimesMatrix(
  x: Float32Array,
  xOff: number,
  K: number,
  W: Float32Array,
  ldw: number,
  wOff: number,
  N: number,
  z: Float32Array,
  zOff: number,
): void {
  let k = 0;
  for (; k + 3 < K; k += 4) {
    const x0 = x[xOff + k];
    const x1 = x[xOff + k + 1];
    const x2 = x[xOff + k + 2];
    const x3 = x[xOff + k + 3];
    const o0 = k * ldw + wOff;
    const o1 = o0 + ldw;
    const o2 = o1 + ldw;
    const o3 = o2 + ldw;
    for (let j = 0; j < N; j++) z[zOff + j] += x0 * W[o0 + j] + x1 * W[o1 + j] + x2 * W[o2 + j] + x3 * W[o3 + j];
  }
  for (; k < K; k++) {
    const x0 = x[xOff + k];
    const o0 = k * ldw + wOff;
    for (let j = 0; j < N; j++) z[zOff + j] += x0 * W[o0 + j];
  }
}

/** The TypeScript twin of one step (the reference of the wasm kernel). */
export class JsStep {
  private packed: Packed | null = null;
  private packedFor: [Float32Array, Float32Array] | null = null;
  private z = new Float32Array(0);
  private rh = new Float32Array(0);

  constructor(
    private readonly cell: StepCellKind,
    private readonly resetAfter: boolean,
    private readonly D: number,
    private readonly U: number,
    private readonly act: KernelActivation,
    private readonly rec: KernelActivation,
  ) {}

  /** Pre-activations of one row for outputs j0 ≤ j < j1 over the parts of v = [x_b; h_b] ('xh', 'x' or 'h'). */
  private pre(
    W: Float32Array,
    R: Float32Array,
    x: Float32Array,
    xOff: number,
    h: Float32Array,
    hOff: number,
    j0: number,
    j1: number,
    parts: 'xh' | 'x' | 'h',
    z: Float32Array,
    zOff: number,
    accumulate: boolean,
  ): void {
    const { D, U } = this;
    const N = gatesOf(this.cell) * U;
    const p = this.packed;
    if (!accumulate) z.fill(0, zOff, zOff + j1 - j0);
    if (p) {
      const v = p.v;
      if (parts !== 'h') for (let k = 0; k < D; k++) v[k] = x[xOff + k];
      if (parts !== 'x') for (let k = 0; k < U; k++) v[D + k] = h[hOff + k];
      dotRows(p.wt, p.K, j0, j1, parts === 'h' ? D : 0, parts === 'x' ? D : D + U, v, z, zOff);
      return;
    }
    if (parts !== 'h') rowTimesMatrix(x, xOff, D, W, N, j0, j1 - j0, z, zOff);
    if (parts !== 'x') rowTimesMatrix(h, hOff, U, R, N, j0, j1 - j0, z, zOff);
  }

  step(
    W: Float32Array,
    R: Float32Array,
    bias: Float32Array | null,
    x: Float32Array,
    h: Float32Array,
    c: Float32Array | null,
    hOut: Float32Array,
    cOut: Float32Array | null,
    B: number,
  ): void {
    const { D, U, act, rec } = this;
    const G = gatesOf(this.cell);
    const GU = G * U;
    if (!this.packedFor || this.packedFor[0] !== W || this.packedFor[1] !== R) {
      this.packed = pack(W, R, D, U, GU);
      this.packedFor = [W, R];
    }
    if (this.z.length < 4 * U) this.z = new Float32Array(4 * U);
    const z = this.z;
    const addBias = (zOff: number, bOff: number, n: number) => {
      if (bias) for (let j = 0; j < n; j++) z[zOff + j] += bias[bOff + j];
    };
    for (let b = 0; b < B; b++) {
      const s = b * U;
      const xo = b * D;
      if (this.cell === 'simpleRNN') {
        this.pre(W, R, x, xo, h, s, 0, U, 'xh', z, 0, false);
        addBias(0, 0, U);
        act.applyTo(z, 0, hOut, s, U);
      } else if (this.cell === 'lstm') {
        this.pre(W, R, x, xo, h, s, 0, GU, 'xh', z, 0, false);
        addBias(0, 0, GU);
        rec.applyInPlace(z, 0, 2 * U);
        act.applyInPlace(z, 2 * U, U);
        rec.applyInPlace(z, 3 * U, U);
        const cc = c as Float32Array;
        const co = cOut as Float32Array;
        for (let j = 0; j < U; j++) co[s + j] = z[U + j] * cc[s + j] + z[j] * z[2 * U + j];
        act.applyTo(co, s, hOut, s, U);
        for (let j = 0; j < U; j++) hOut[s + j] *= z[3 * U + j];
      } else {
        // z: gates z, r (pre-activation, then activated), candidate input part, candidate recurrent part.
        this.pre(W, R, x, xo, h, s, 0, 2 * U, 'xh', z, 0, false);
        this.pre(W, R, x, xo, h, s, 2 * U, GU, 'x', z, 2 * U, false);
        addBias(0, 0, GU);
        if (this.resetAfter) {
          // rec_h = h·R_h + b_rec_h; gates z, r also get b_rec. hh = act(x_h + r ⊙ rec_h).
          addBias(0, GU, 2 * U);
          this.pre(W, R, x, xo, h, s, 2 * U, GU, 'h', z, GU, false);
          addBias(GU, GU + 2 * U, U);
          rec.applyInPlace(z, 0, 2 * U);
          for (let j = 0; j < U; j++) z[2 * U + j] += z[U + j] * z[GU + j];
        } else {
          // hh = act(x_h + b_h + (r ⊙ h)·R_h).
          rec.applyInPlace(z, 0, 2 * U);
          if (this.rh.length < U) this.rh = new Float32Array(U);
          const rh = this.rh;
          for (let j = 0; j < U; j++) rh[j] = z[U + j] * h[s + j];
          this.pre(W, R, x, xo, rh, 0, 2 * U, GU, 'h', z, 2 * U, true);
        }
        act.applyInPlace(z, 2 * U, U);
        for (let j = 0; j < U; j++) {
          const hh = z[2 * U + j];
          hOut[s + j] = hh + z[j] * (h[s + j] - hh);
        }
      }
    }
  }
}
