/**
 * Shared pieces of the fused whole-sequence kernels (LSTM, GRU, SimpleRNN) on Float32Arrays: the raw
 * argument/result types, the start and end of a forward (states, outputs, Keras masking of states and outputs)
 * and of a backward (the weight/input gradients of all steps); the matrix products themselves are in
 * sequence_products.ts.
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
import { addRowVector, columnSums, inputGradients, projectInputs, recurrentKernelGrad } from './sequence_products';
import { transposeInto } from '../ops/gemm';
import { CELL_GATES } from '../backend/wasm_interface.generated';
import { ValueError } from '../errors';

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
  throw new ValueError(`${kernelName}: the forward pass did not store its intermediates (storeForBackward: false).`);
}

/**
 * The gradient of the initial h from a BPTT loop's `dh`, plus (in place) the output gradient `dCarry`
 * carried past the first step when masked steps output the initial state (maskedOutputInit 'initialState').
 */
export function initialHGrad(o: RawSequenceOptions, dh: Float32Array, dCarry: Float32Array): Float32Array {
  if (o.maskedOutputInit === 'initialState') for (let i = 0; i < dh.length; i++) dh[i] += dCarry[i];
  return dh;
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
