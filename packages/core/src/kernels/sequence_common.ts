/**
 * Shared pieces of the fused whole-sequence kernels (LSTM, GRU, SimpleRNN) on Float32Arrays:
 * the raw argument/result types, the input projection of all time steps, recurrent products
 * with per-gate dropout masks, Keras masking of states and outputs, and the weight/input
 * gradients accumulated over all steps at the end of backprop.
 *
 * Layouts (row-major):
 * - inputs [batch, timeSteps, inputDim], batch-major as Keras/tfjs; "row (b, t)" = b·timeSteps + t.
 * - input projection / its gradient `dPin` [batch·timeSteps, G·units], rows (b, t).
 * - per-step buffers in processing order s (s = t, or timeSteps−1−t with goBackwards):
 *   states [timeSteps+1, batch, units] (states[0] = initial state), gates [timeSteps, batch, G·units]
 *   (post-activation), `dRec` [timeSteps, batch, G·units].
 */
import type { KernelActivationName } from './activation_table';
import type { SequenceCellName } from './sequence_backend';
import { gemmStrided, transposeInto } from '../ops/gemm';
import { CELL_GATES } from '../backend/wasm_interface.generated';

/** Sizes of one sequence kernel call. */
export interface SequenceDims {
  batch: number;
  timeSteps: number;
  inputDim: number;
  units: number;
}

/** The data of one call on plain arrays (raw kernels; the ops build this from tensors). */
export interface SequenceArrays extends SequenceDims {
  /** [batch, timeSteps, inputDim]. */
  inputs: Float32Array;
  /** [inputDim, G·units]. */
  kernel: Float32Array;
  /** [units, G·units]. */
  recurrentKernel: Float32Array;
  /** [G·units] (GRU resetAfter: [2, 3·units], row 0 input bias, row 1 recurrent bias), or null without bias. */
  bias: Float32Array | null;
  /** [batch, units]; null means zeros. */
  initialH: Float32Array | null;
  /** [batch, units] (LSTM only); null means zeros. */
  initialC?: Float32Array | null;
  /**
   * True when `kernel`, `recurrentKernel` and `bias` are never changed in place (tensor values, as the fused ops
   * pass them): the wasm backend may then keep their packed form between inference calls, found again by array
   * identity. Default false (arrays the caller may reuse with new contents).
   */
  immutableWeights?: boolean;
}

/** Options of the raw kernels, fully resolved (see `SequenceKernelOptions` for the meaning of each). */
export interface RawSequenceOptions {
  activation: KernelActivationName;
  recurrentActivation: KernelActivationName;
  goBackwards: boolean;
  returnSequences: boolean;
  /** [batch, timeSteps]; a zero entry masks (skips) that step for that sequence; null: no mask. */
  mask: Float32Array | Int32Array | Uint8Array | null;
  /** 1 (shared by all gates) or G arrays [batch, inputDim]; null: no input dropout. */
  inputDropoutMasks: Float32Array[] | null;
  /** 1 (shared by all gates) or G arrays [batch, units]; null: no recurrent dropout. */
  recurrentDropoutMasks: Float32Array[] | null;
  /** What a masked step outputs before the first unmasked one: zeros (Keras) or the initial h (tfjs). */
  maskedOutputInit: 'zeros' | 'initialState';
  /** GRU only: Keras `reset_after`. */
  resetAfter: boolean;
  /** Keep every step's gates and states for `...Backward`; false keeps only two steps (inference). */
  storeForBackward: boolean;
}

/** What backward needs from forward, kept only with `storeForBackward`. Treat as opaque. */
export interface SequenceSaved {
  /** [timeSteps+1, batch, units]: h before each step, then the final h. */
  states: Float32Array;
  /** LSTM: [timeSteps+1, batch, units] cell states; else null. */
  cells: Float32Array | null;
  /** [timeSteps, batch, G·units] post-activation gates. */
  gates: Float32Array;
  /** LSTM: act(c) per step; GRU resetAfter: recurrent h-gate term h·U_h + b_rec_h per step; else null. */
  extra: Float32Array | null;
}

/**
 * The saved buffers of a training forward held outside JavaScript arrays (the wasm backend keeps them resident in
 * wasm memory, backend/sequence_resident.ts), owned by the forward's tape node. Opaque to everyone but the backend
 * that made it; any backward can still read them through `copyOut`.
 */
export interface SequenceSavedHandle {
  /** Bytes held. */
  readonly bytes: number;
  /**
   * The buffers as JavaScript arrays (a copy: the fallback when a backward cannot read them where they are);
   * with `only`, just those fields are filled (the others are empty arrays / null).
   */
  copyOut(only?: readonly (keyof SequenceSaved)[]): SequenceSaved;
  /** Frees them (idempotent); `copyOut` throws afterwards. */
  release(): void;
}

/** Outputs of a raw forward. */
export interface SequenceForwardResult {
  /** [batch, units]: the output of the last processed step (after masking). */
  lastOutput: Float32Array;
  /** [batch, timeSteps, units] in processing order, or null unless `returnSequences`. */
  sequenceOutputs: Float32Array | null;
  /** [batch, units]. */
  finalH: Float32Array;
  /** [batch, units] (LSTM), else null. */
  finalC: Float32Array | null;
  /** Present when run with `storeForBackward`, unless `savedHandle` holds them instead. */
  saved: SequenceSaved | null;
  /**
   * With `storeForBackward` on a backend that keeps the saved buffers itself (wasm): their handle, and `saved` is
   * null (no copy out). Released by the tape node's dispose (sequence_op.ts) or when garbage-collected.
   */
  savedHandle?: SequenceSavedHandle | null;
}

/** Gradients of a loss with respect to the forward outputs; null means zeros. */
export interface SequenceOutputGrads {
  dLastOutput: Float32Array | null;
  dSequenceOutputs: Float32Array | null;
  dFinalH: Float32Array | null;
  dFinalC?: Float32Array | null;
}

/** What a backpropagation-through-time loop (TypeScript or wasm) hands to the weight-gradient tail. */
export interface SequenceBackwardLoop {
  /** [batch·timeSteps, G·units]: gradient of the input projection, rows (b, t). */
  dPin: Float32Array;
  /** [timeSteps, batch, G·units]: gradient of the recurrent products per step (processing order). */
  dRec: Float32Array;
  /** Gradient of the initial h, without the leftover output gradient `dCarry`. */
  dh: Float32Array;
  /** LSTM: gradient of the initial c; else null. */
  dc: Float32Array | null;
  /** Output gradient carried past the first step (added to dh for maskedOutputInit 'initialState'). */
  dCarry: Float32Array;
}

/** Gradients with respect to the forward inputs (same layouts). */
export interface SequenceInputGrads {
  dInputs: Float32Array;
  dKernel: Float32Array;
  dRecurrentKernel: Float32Array;
  /** Same shape as the bias, or null when the call had none. */
  dBias: Float32Array | null;
  dInitialH: Float32Array;
  /** LSTM only. */
  dInitialC: Float32Array | null;
}

/**
 * `fwd.saved` (copied out of `fwd.savedHandle` when the forward kept them elsewhere), or an error naming
 * `kernelName` when the forward did not store its intermediates.
 */
export function savedOf(kernelName: string, fwd: SequenceForwardResult): SequenceSaved {
  if (fwd.saved) return fwd.saved;
  if (fwd.savedHandle) return fwd.savedHandle.copyOut();
  throw new Error(`${kernelName}: the forward pass did not store its intermediates (storeForBackward: false).`);
}

/**
 * The gradient of the initial h from a BPTT loop's `dh`, plus (in place) the output gradient `dCarry`
 * carried past the first step when masked steps output the initial state (maskedOutputInit 'initialState').
 */
export function initialHGrad(o: RawSequenceOptions, dh: Float32Array, dCarry: Float32Array): Float32Array {
  if (o.maskedOutputInit === 'initialState') for (let i = 0; i < dh.length; i++) dh[i] += dCarry[i];
  return dh;
}

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

/** The buffers every forward kernel starts from (`startForward`). */
export interface ForwardBuffers {
  /** [batch·timeSteps, G·units]: x·W (+ the input bias; GRU resetAfter: its row 0), rows (b, t). */
  P: Float32Array;
  /** h states (`stateSlots`), slot 0 the initial h. */
  H: Float32Array;
  /** [batch, units]: the running output (`emitStepOutputs`). */
  prevOut: Float32Array;
  /** [batch, timeSteps, units] with `returnSequences`, else null. */
  seq: Float32Array | null;
  /** batch·units floats (for `projectRecurrent`). */
  scratch: Float32Array;
}

/**
 * State slots: [timeSteps+1, batch, units] with `storeForBackward` (every step's state kept), else two that
 * alternate; slot 0 holds `initial` (null: zeros).
 */
export function stateSlots(a: SequenceArrays, o: RawSequenceOptions, initial: Float32Array | null | undefined): Float32Array {
  const BU = a.batch * a.units;
  const states = new Float32Array((o.storeForBackward ? a.timeSteps + 1 : 2) * BU);
  if (initial) states.set(initial.subarray(0, BU));
  return states;
}

/** The input projection of all steps with the input bias, x·W + b [batch·timeSteps, G·units], rows (b, t) (`projectInputs`). */
export function inputProjection(a: SequenceArrays, o: RawSequenceOptions, G: number): Float32Array {
  const { batch: B, timeSteps: T, inputDim: D } = a;
  const GU = G * a.units;
  const P = new Float32Array(B * T * GU);
  projectInputs(a, G, a.inputs, a.kernel, o.inputDropoutMasks, o.inputDropoutMasks ? new Float32Array(B * T * D) : null, P);
  if (a.bias) addRowVector(P, B * T, GU, a.bias, 0); // GRU resetAfter: row 0 is the input bias
  return P;
}

/** The start of a forward kernel of G gates: the input projection of all steps, the h states and the outputs. */
export function startForward(a: SequenceArrays, o: RawSequenceOptions, G: number): ForwardBuffers {
  const { batch: B, timeSteps: T, units: U } = a;
  const BU = B * U;
  const P = inputProjection(a, o, G);
  const prevOut = new Float32Array(BU);
  if (o.maskedOutputInit === 'initialState' && a.initialH) prevOut.set(a.initialH.subarray(0, BU));
  const seq = o.returnSequences ? new Float32Array(B * T * U) : null;
  return { P, H: stateSlots(a, o, a.initialH), prevOut, seq, scratch: new Float32Array(BU) };
}

/**
 * The result of a forward kernel after its time loop: the outputs, the final h (and `C`, the LSTM's cell states) from
 * slot timeSteps (timeSteps & 1 without storeForBackward), and `saved` when storing for backward.
 */
export function forwardResult(
  a: SequenceArrays,
  o: RawSequenceOptions,
  f: ForwardBuffers,
  C: Float32Array | null,
  saved: SequenceSaved,
): SequenceForwardResult {
  const BU = a.batch * a.units;
  const T = a.timeSteps;
  const fin = (o.storeForBackward ? T : T & 1) * BU;
  return {
    lastOutput: f.prevOut,
    sequenceOutputs: f.seq,
    finalH: f.H.slice(fin, fin + BU),
    finalC: C ? C.slice(fin, fin + BU) : null,
    saved: o.storeForBackward ? saved : null,
  };
}

/**
 * The end of every `...SequenceBackward` after its BPTT loop (TypeScript or wasm): weight, input and initial-state
 * gradients. GRU: without resetAfter, the h gate's recurrent product took r ⊙ (h ⊙ rm_h) (saved as `extra`), not h;
 * with resetAfter, the bias has a recurrent row [2, 3·units], whose gradient is the column sums of dRec.
 */
export function sequenceInputGrads(
  cell: SequenceCellName,
  a: SequenceArrays,
  o: RawSequenceOptions,
  saved: SequenceSaved,
  loop: SequenceBackwardLoop,
): SequenceInputGrads {
  const { batch: B, timeSteps: T, units: U } = a;
  const G = CELL_GATES[cell];
  const GU = G * U;
  const rm = o.recurrentDropoutMasks;
  const { dPin, dRec } = loop;
  const resetAfter = cell === 'gru' && o.resetAfter;
  const resetBeforeH = cell === 'gru' && !o.resetAfter;
  const dRecurrentKernel = new Float32Array(U * GU);
  const rmScratch = rm ? new Float32Array(T * B * U) : null;
  recurrentKernelGrad(B, U, GU, 0, resetBeforeH ? 2 : G, T * B, saved.states, dRec, rm, rmScratch, dRecurrentKernel);
  if (resetBeforeH) recurrentKernelGrad(B, U, GU, 2, 3, T * B, saved.extra as Float32Array, dRec, null, null, dRecurrentKernel);
  const { dInputs, dKernel } = inputGradients(a, G, a.inputs, a.kernel, o.inputDropoutMasks, dPin);
  let dBias: Float32Array | null = null;
  if (a.bias) {
    dBias = new Float32Array(resetAfter ? 2 * GU : GU);
    columnSums(dPin, B * T, GU, dBias, 0);
    if (resetAfter) columnSums(dRec, T * B, GU, dBias, GU);
  }
  return { dInputs, dKernel, dRecurrentKernel, dBias, dInitialH: initialHGrad(o, loop.dh, loop.dCarry), dInitialC: loop.dc };
}

/**
 * After a step: the output of active rows becomes the new h, masked rows repeat the previous
 * output (`prevOut` [batch, units] holds the running output); then the step's outputs go to
 * sequence position s when sequences are kept.
 */
export function emitStepOutputs(
  mask: RawSequenceOptions['mask'],
  T: number,
  t: number,
  s: number,
  batch: number,
  U: number,
  states: Float32Array,
  hOff: number,
  prevOut: Float32Array,
  seq: Float32Array | null,
): void {
  for (let b = 0; b < batch; b++) {
    const o = b * U;
    if (mask === null || mask[b * T + t] !== 0) {
      const h = hOff + o;
      for (let j = 0; j < U; j++) prevOut[o + j] = states[h + j];
    }
    if (seq) {
      const so = (b * T + s) * U;
      for (let j = 0; j < U; j++) seq[so + j] = prevOut[o + j];
    }
  }
}

/**
 * Backward of `emitStepOutputs` (and of the state carry for h): adds the gradient of the step's
 * output to dh for active rows; for masked rows it moves to `dCarry` (the gradient of the previous
 * output). `dh` holds the gradient of h after step s on entry, of the cell's computed h on exit
 * for active rows (masked rows keep the pass-through gradient of the carried state).
 */
export function gatherStepOutputGrads(
  mask: RawSequenceOptions['mask'],
  T: number,
  t: number,
  s: number,
  batch: number,
  U: number,
  dLast: Float32Array | null,
  dSeq: Float32Array | null,
  dCarry: Float32Array,
  dh: Float32Array,
): void {
  const last = s === T - 1 && dLast !== null;
  for (let b = 0; b < batch; b++) {
    const o = b * U;
    const so = (b * T + s) * U;
    const active = mask === null || mask[b * T + t] !== 0;
    for (let j = 0; j < U; j++) {
      let g = dCarry[o + j];
      if (dSeq) g += dSeq[so + j];
      if (last) g += (dLast as Float32Array)[o + j];
      if (active) {
        dh[o + j] += g;
        dCarry[o + j] = 0;
      } else {
        dCarry[o + j] = g;
      }
    }
  }
}

/** dst[dOff .. dOff+n) = src[sOff .. sOff+n) without creating views (hot loops). */
export function copyRange(src: Float32Array, sOff: number, dst: Float32Array, dOff: number, n: number): void {
  for (let i = 0; i < n; i++) dst[dOff + i] = src[sOff + i];
}

/** A copy of `src` or zeros of length n. */
export function copyOrZeros(src: Float32Array | null | undefined, n: number): Float32Array {
  const out = new Float32Array(n);
  if (src) out.set(src.subarray(0, n));
  return out;
}

/** Transposes the recurrent kernel [units, G·units] to [G·units, units] (block g = U_gᵀ). */
export function transposeRecurrentKernel(recurrentKernel: Float32Array, U: number, GU: number): Float32Array {
  const t = new Float32Array(GU * U);
  transposeInto(recurrentKernel, 0, U, GU, t, GU);
  return t;
}
