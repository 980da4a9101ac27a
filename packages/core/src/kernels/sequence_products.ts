/**
 * The matrix products of the fused sequence kernels' TypeScript reference loops, with per-gate dropout masks:
 * the input projection of all time steps, the recurrent product of a step and its gradient, and the weight and
 * input gradients accumulated over all steps at the end of backprop (layouts: sequence_common.ts).
 */
import type { SequenceDims } from './sequence_common';
import { gemmStrided, transposeInto } from '../ops/gemm';

/** The dropout mask of gate `g`: one shared array or one per gate. */
export function gateMask(masks: Float32Array[], g: number): Float32Array {
  return masks.length === 1 ? masks[0] : masks[g];
}

/** True when every gate uses the same mask array (one product serves all gates). */
export function masksShared(masks: Float32Array[]): boolean {
  for (let g = 1; g < masks.length; g++) if (masks[g] !== masks[0]) return false;
  return true;
}

/**
 * dst[r, j] = src[r, j] · mask[rowToMask(r), j] for `rows` rows of `width`, where rows map to mask
 * rows by `Math.floor(r / per)` (batch-major rows (b, t): per = timeSteps) or `r % per` (step-major
 * rows (s, b): per = batch).
 */
export function scaleRowsByMask(
  src: Float32Array,
  srcOff: number,
  dst: Float32Array,
  rows: number,
  width: number,
  mask: Float32Array,
  per: number,
  batchMajor: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const m = (batchMajor ? Math.floor(r / per) : r % per) * width;
    const s = srcOff + r * width;
    const d = r * width;
    for (let j = 0; j < width; j++) dst[d + j] = src[s + j] * mask[m + j];
  }
}

/** out[r, :] += bias for `rows` rows of `width`. */
export function addRowVector(out: Float32Array, rows: number, width: number, bias: Float32Array, biasOff: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let j = 0; j < width; j++) out[o + j] += bias[biasOff + j];
  }
}

/** Column sums of `src` [rows, width] into `dst` at `dstOff` (overwrites). */
export function columnSums(src: Float32Array, rows: number, width: number, dst: Float32Array, dstOff: number): void {
  dst.fill(0, dstOff, dstOff + width);
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let j = 0; j < width; j++) dst[dstOff + j] += src[o + j];
  }
}

/**
 * How many products a computation over gates g0..g1−1 with dropout masks `masks` takes: one for all the gates
 * when they share one mask (or have none), else one per gate.
 */
function maskGroups(masks: Float32Array[] | null, g0: number, g1: number): number {
  return !masks || masksShared(masks) ? 1 : g1 - g0;
}

/**
 * The input projection of all time steps: P [batch·timeSteps, G·units] = (X ⊙ m_g)·W_g per gate
 * (one gemm over all steps; one per gate only when the gates have different dropout masks).
 * `scratch` must hold batch·timeSteps·inputDim floats when masks are given.
 */
export function projectInputs(
  d: SequenceDims,
  G: number,
  x: Float32Array,
  kernel: Float32Array,
  masks: Float32Array[] | null,
  scratch: Float32Array | null,
  out: Float32Array,
): void {
  const { batch, timeSteps: T, inputDim: D, units: U } = d;
  const rows = batch * T;
  const GU = G * U;
  const groups = maskGroups(masks, 0, G);
  const width = groups === 1 ? GU : U;
  for (let g = 0; g < groups; g++) {
    let xm = x;
    if (masks) {
      xm = scratch as Float32Array;
      scaleRowsByMask(x, 0, xm, rows, D, gateMask(masks, g), T, true);
    }
    gemmStrided(xm, 0, D, false, kernel, g * U, GU, false, out, g * U, GU, rows, width, D, false);
  }
}

/**
 * One step's recurrent products for gates g0..g1−1: out[b, g·U + j] = ((h ⊙ rm_g)·U_g)[b, j],
 * written into rows of stride `ldo` starting at `outOff`. `scratch` holds batch·units floats.
 */
export function projectRecurrent(
  batch: number,
  U: number,
  GU: number,
  g0: number,
  g1: number,
  h: Float32Array,
  hOff: number,
  recurrentKernel: Float32Array,
  masks: Float32Array[] | null,
  scratch: Float32Array,
  out: Float32Array,
  outOff: number,
  ldo: number,
): void {
  const groups = maskGroups(masks, g0, g1);
  const width = groups === 1 ? (g1 - g0) * U : U;
  for (let g = g0; g < g0 + groups; g++) {
    if (masks) scaleRowsByMask(h, hOff, scratch, batch, U, gateMask(masks, g), batch, false);
    const src = masks ? scratch : h;
    gemmStrided(src, masks ? 0 : hOff, U, false, recurrentKernel, g * U, GU, false, out, outOff + g * U, ldo, batch, width, U, false);
  }
}

/**
 * Backprop of `projectRecurrent` into h: dh[b, :] += Σ_g (dA_g · U_gᵀ)[b, :] ⊙ rm_g, where dA rows have
 * stride `ldA` and `recurrentKernelT` is the transposed recurrent kernel [G·units, units].
 * `scratch` holds batch·units floats.
 */
export function backpropRecurrent(
  batch: number,
  U: number,
  g0: number,
  g1: number,
  dA: Float32Array,
  dAOff: number,
  ldA: number,
  recurrentKernelT: Float32Array,
  masks: Float32Array[] | null,
  scratch: Float32Array,
  dh: Float32Array,
): void {
  const groups = maskGroups(masks, g0, g1);
  const K = groups === 1 ? (g1 - g0) * U : U;
  const n = batch * U;
  for (let g = g0; g < g0 + groups; g++) {
    // Without masks the product accumulates into dh directly.
    gemmStrided(dA, dAOff + g * U, ldA, false, recurrentKernelT, g * U * U, U, false, masks ? scratch : dh, 0, U, batch, U, K, !masks);
    if (!masks) continue;
    const m = gateMask(masks, g);
    for (let i = 0; i < n; i++) dh[i] += scratch[i] * m[i];
  }
}

/**
 * dU[:, gate columns g0..g1−1] = Σ over all steps (h_s ⊙ rm_g)ᵀ · dRec_s,g, as one gemm over
 * `rows` = timeSteps·batch step-major rows of `hs` [rows, units]. `scratch` holds rows·units floats
 * when masks are given.
 */
export function recurrentKernelGrad(
  batch: number,
  U: number,
  GU: number,
  g0: number,
  g1: number,
  rows: number,
  hs: Float32Array,
  dRec: Float32Array,
  masks: Float32Array[] | null,
  scratch: Float32Array | null,
  dU: Float32Array,
): void {
  const groups = maskGroups(masks, g0, g1);
  const width = groups === 1 ? (g1 - g0) * U : U;
  for (let g = g0; g < g0 + groups; g++) {
    let hm = hs;
    if (masks) {
      hm = scratch as Float32Array;
      scaleRowsByMask(hs, 0, hm, rows, U, gateMask(masks, g), batch, false);
    }
    gemmStrided(hm, 0, U, true, dRec, g * U, GU, false, dU, g * U, GU, U, width, rows, false);
  }
}

/**
 * From dPin [batch·timeSteps, G·units] (gradient of the input projection, rows (b, t)):
 * dKernel = Σ_g (X ⊙ m_g)ᵀ·dPin_g and dInputs = Σ_g (dPin_g·W_gᵀ) ⊙ m_g, each one gemm over all steps.
 */
export function inputGradients(
  d: SequenceDims,
  G: number,
  x: Float32Array,
  kernel: Float32Array,
  masks: Float32Array[] | null,
  dPin: Float32Array,
): { dInputs: Float32Array; dKernel: Float32Array } {
  const { batch, timeSteps: T, inputDim: D, units: U } = d;
  const rows = batch * T;
  const GU = G * U;
  const dKernel = new Float32Array(D * GU);
  const dInputs = new Float32Array(rows * D);
  const kernelT = new Float32Array(GU * D);
  transposeInto(kernel, 0, D, GU, kernelT, GU);
  if (!masks) {
    gemmStrided(x, 0, D, true, dPin, 0, GU, false, dKernel, 0, GU, D, GU, rows, false);
    gemmStrided(dPin, 0, GU, false, kernelT, 0, D, false, dInputs, 0, D, rows, D, GU, false);
    return { dInputs, dKernel };
  }
  const xm = new Float32Array(rows * D);
  const tmp = new Float32Array(rows * D);
  const shared = masksShared(masks);
  const groups = shared ? 1 : G;
  for (let g = 0; g < groups; g++) {
    const c0 = shared ? 0 : g * U;
    const width = shared ? GU : U;
    scaleRowsByMask(x, 0, xm, rows, D, masks[g], T, true);
    gemmStrided(xm, 0, D, true, dPin, c0, GU, false, dKernel, c0, GU, D, width, rows, false);
    gemmStrided(dPin, c0, GU, false, kernelT, c0 * D, D, false, tmp, 0, D, rows, D, width, false);
    const m = masks[g];
    for (let r = 0; r < rows; r++) {
      const o = r * D;
      const mo = Math.floor(r / T) * D;
      for (let j = 0; j < D; j++) dInputs[o + j] += tmp[o + j] * m[mo + j];
    }
  }
  return { dInputs, dKernel };
}
