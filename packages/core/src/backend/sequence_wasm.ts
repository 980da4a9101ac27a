/**
 * JS glue of the fused sequence kernels in wasm (assembly/*_sequence.ts): the whole time loop of an
 * LSTM/GRU/SimpleRNN forward or backward in one call. The TypeScript kernels (src/kernels/*_sequence.ts) decide
 * what runs where: they compute the input projection and the weight gradients with core `gemm`
 * (wasm too) and call these for the recurrence; each returns null when the wasm backend is not active.
 */
import { wasmExportsIfActive } from './backend';
import { align16, arena, WasmArena } from './wasm';
import type { WasmExports } from './wasm';
import { CELL_GATES, WASM_ACTIVATION_IDS } from './wasm_interface.generated';
import { cancelResident, countSavedCopyOut, registerResident, reserveResident, residentBlockBytes } from './sequence_resident';
import type { ResidentSaved, SavedBuffer, SavedLayout } from './sequence_resident';

/** Activation ids of the module (one definition: scripts/wasm_interface.mjs). */
export const ACTIVATION_IDS: { readonly [name: string]: number } = WASM_ACTIVATION_IDS;

/** The wasm kernels run only activations they implement; anything else keeps the TypeScript loop. */
function activationsKnown(a: { activation: string; recurrentActivation: string }): boolean {
  return (
    Object.prototype.hasOwnProperty.call(ACTIVATION_IDS, a.activation) &&
    Object.prototype.hasOwnProperty.call(ACTIVATION_IDS, a.recurrentActivation)
  );
}

export type SequenceMask = Float32Array | Int32Array | Uint8Array | null;

/** What the recurrence of one forward call needs (input projections already computed). */
export type WasmSequenceCell = 'lstm' | 'gru' | 'simple';

export interface WasmSequenceForwardArgs {
  cell: WasmSequenceCell;
  batch: number;
  timeSteps: number;
  units: number;
  /**
   * [batch·timeSteps, G·units]: x·W (+ input bias), rows (b, t); or null to compute it here from
   * `inputs`, `kernel` and `inputBias` (no input dropout), saving its copies out of and into wasm.
   */
  P: Float32Array | null;
  inputDim: number;
  inputs: Float32Array;
  kernel: Float32Array;
  /** [G·units] input bias, or null. */
  inputBias: Float32Array | null;
  recurrentKernel: Float32Array;
  /** GRU resetAfter: the recurrent bias [3·units]; else null. */
  biasRec: Float32Array | null;
  initialH: Float32Array | null;
  initialC: Float32Array | null;
  /** What a masked step outputs before the first unmasked one (null: zeros). */
  prevOutInit: Float32Array | null;
  mask: SequenceMask;
  recurrentDropoutMasks: Float32Array[] | null;
  goBackwards: boolean;
  returnSequences: boolean;
  store: boolean;
  resetAfter: boolean;
  activation: string;
  recurrentActivation: string;
}

/** The saved forward buffers as JavaScript arrays, laid out as the TypeScript kernels lay theirs (see sequence_common.ts). */
export interface WasmSavedArrays {
  /** [T+1, B, U]. */
  H: Float32Array;
  /** LSTM only. */
  C: Float32Array | null;
  /** [T, B, G·U]; SimpleRNN: empty. */
  gates: Float32Array;
  /** LSTM: act(c); GRU: rec_h (resetAfter) or r ⊙ (h ⊙ rm_h); SimpleRNN: empty. */
  extra: Float32Array;
}

/** What a forward returns: its outputs, and with `store` its saved buffers (copied out, or resident in wasm). */
export interface WasmSequenceForwardResult {
  prevOut: Float32Array;
  seq: Float32Array | null;
  /** [B, U]: h after the last step. */
  finalH: Float32Array;
  /** [B, U] (LSTM), else null. */
  finalC: Float32Array | null;
  /** With `store`, when the buffers were copied out (not resident); else null. */
  saved: WasmSavedArrays | null;
  /** With `store`, when the buffers stay resident in wasm memory (sequence_resident.ts); else null. */
  resident: ResidentSaved | null;
}

/** The layout of a forward's saved buffers (sequence_resident.ts). */
export function savedLayoutOf(a: { cell: WasmSequenceCell; batch: number; timeSteps: number; units: number }): SavedLayout {
  return { cell: a.cell, batch: a.batch, timeSteps: a.timeSteps, units: a.units, gates: gatesOf(a.cell) };
}

/** Gates G of a cell: LSTM 4, GRU 3, SimpleRNN 1 (scripts/wasm_interface.mjs). */
export function gatesOf(cell: WasmSequenceCell): number {
  return cell === 'lstm' ? CELL_GATES.lstm : cell === 'gru' ? CELL_GATES.gru : CELL_GATES.simpleRNN;
}

function masksShared(masks: Float32Array[]): boolean {
  for (let g = 1; g < masks.length; g++) if (masks[g] !== masks[0]) return false;
  return true;
}

/** Copies the step mask (as f32) and recurrent dropout masks in; returns their pointers (0 = none). */
function copyMasks(mem: WasmArena, B: number, T: number, U: number, mask: SequenceMask, rm: Float32Array[] | null) {
  let maskPtr = 0;
  if (mask) {
    maskPtr = mem.alloc(B * T * 4);
    mem.f32().set(mask.subarray(0, B * T), maskPtr >>> 2);
  }
  let rmPtr = 0;
  let rmPerGate = 0;
  if (rm) {
    const shared = masksShared(rm);
    rmPerGate = shared ? 0 : 1;
    const n = B * U;
    rmPtr = mem.alloc((shared ? 1 : rm.length) * n * 4);
    const f = mem.f32();
    if (shared) f.set(rm[0].subarray(0, n), rmPtr >>> 2);
    else rm.forEach((m, g) => f.set(m.subarray(0, n), (rmPtr >>> 2) + g * n));
  }
  return { maskPtr, rmPtr, rmPerGate };
}

/** Allocates `slots`·n floats and fills the first n from `src` (zeros when null); returns the pointer. */
export function copyInOrZeros(mem: WasmArena, src: Float32Array | null, n: number, slots = 1): number {
  const ptr = mem.alloc(slots * n * 4);
  const f = mem.f32();
  if (src) f.set(src.subarray(0, n), ptr >>> 2);
  else f.fill(0, ptr >>> 2, (ptr >>> 2) + n);
  return ptr;
}

/** A copy of n floats at `ptr`. */
export function out(mem: WasmArena, ptr: number, n: number): Float32Array {
  return mem.f32().slice(ptr >>> 2, (ptr >>> 2) + n);
}

/** Rows (s, b) of a [T·B, D] block at `ptr` as rows (b, t(s)) of a new array. */
export function batchMajorRows(mem: WasmArena, ptr: number, B: number, T: number, D: number, goBackwards: boolean): Float32Array {
  const res = new Float32Array(B * T * D);
  const v = mem.f32();
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const src = (ptr >>> 2) + (s * B + b) * D;
      res.set(v.subarray(src, src + D), (b * T + t) * D);
    }
  }
  return res;
}

/** True when a forward with these activations runs in wasm now. */
export function sequenceWasmActive(o: { activation: string; recurrentActivation: string }): boolean {
  return wasmExportsIfActive() !== null && activationsKnown(o);
}

/** Sum of the 16-byte aligned sizes (in bytes) of `floats` counts, plus a margin. */
function arenaBytes(floats: number[]): number {
  let s = 64;
  for (const n of floats) s += align16(n * 4);
  return s;
}

/** Bytes of wasm scratch one `sequenceForwardWasmOnce` call with these sizes lays out (mirrors its allocations). */
export function sequenceForwardBytes(w: WasmExports, a: WasmSequenceForwardArgs, B: number, T: number): number {
  const { units: U, cell, store } = a;
  const G = gatesOf(cell);
  const GU = G * U;
  const BU = B * U;
  const nStates = store ? T + 1 : 2;
  const nG = store ? T : 1;
  const D = a.inputDim;
  const simple = cell === 'simple';
  const f: number[] = [B * T * GU, U * GU, G * w.packedGateFloats(U), nStates * BU, BU];
  if (!a.P) f.push(B * T * D, D * GU, w.gemmWorkspaceBytes(Math.min(B * T, 1 << 30), GU, D) / 4);
  if (a.mask) f.push(B * T);
  if (a.recurrentDropoutMasks) f.push(a.recurrentDropoutMasks.length * BU);
  if (cell === 'lstm') f.push(nStates * BU);
  if (!simple) f.push(nG * B * GU, nG * BU);
  if (a.returnSequences) f.push(B * T * U);
  f.push(w.sequenceWorkFloats(B, U));
  if (cell === 'gru') f.push(GU, B * GU);
  return arenaBytes(f);
}

/** Bytes of wasm scratch one `sequenceBackwardWasmOnce` call with these sizes lays out (mirrors its allocations). */
export function sequenceBackwardBytes(w: WasmExports, a: WasmSequenceBackwardArgs, B: number): number {
  const { timeSteps: T, units: U, cell } = a;
  const G = gatesOf(cell);
  const GU = G * U;
  const BU = B * U;
  const simple = cell === 'simple';
  const f: number[] = [U * GU, G * w.packedGateFloats(U), (T + 1) * BU, BU, BU, BU, BU, BU, BU, BU, T * B * GU, T * B * GU];
  if (a.mask) f.push(B * T);
  if (a.recurrentDropoutMasks) f.push(a.recurrentDropoutMasks.length * BU);
  if (cell === 'lstm') f.push((T + 1) * BU);
  if (!simple) f.push(T * B * GU, T * BU);
  if (a.dSequenceOutputs) f.push(B * T * U);
  f.push(w.sequenceWorkFloats(B, U));
  const t = a.tail;
  if (t) {
    const D = t.inputDim;
    const rows = B * T;
    f.push(rows * D, D * GU, U * GU, D * GU, rows * D, 2 * GU);
    f.push(Math.max(w.gemmWorkspaceBytes(U, GU, rows), w.gemmWorkspaceBytes(D, GU, rows), w.gemmWorkspaceBytes(rows, D, GU)) / 4);
  }
  return arenaBytes(f);
}

/**
 * Runs the forward recurrence in ONE wasm call (no splitting: see sequence_wasm_chunked.ts), or returns null
 * when the wasm backend is not active. With `keepResident` a training forward keeps its saved buffers in
 * wasm memory for its backward (sequence_resident.ts).
 */
export function sequenceForwardWasmOnce(a: WasmSequenceForwardArgs, keepResident = false): WasmSequenceForwardResult | null {
  const w = wasmExportsIfActive();
  if (!w || !activationsKnown(a)) return null;
  const layout = savedLayoutOf(a);
  const resident = a.store && keepResident ? reserveResident(residentBlockBytes(layout, a.batch)) : null;
  try {
    const res = forwardOnce(w, a, resident ? resident.alloc : null);
    if (resident) {
      const [H, C, gates, extra] = res.ptrs;
      res.result.resident = registerResident(resident, layout, [{ b0: 0, b1: a.batch, H, C, gates, extra }]);
    }
    return res.result;
  } catch (e) {
    if (resident) cancelResident(resident);
    throw e;
  }
}

function forwardOnce(
  w: WasmExports,
  a: WasmSequenceForwardArgs,
  savedAlloc: ((bytes: number) => number) | null,
): { result: WasmSequenceForwardResult; ptrs: number[] } {
  const { batch: B, timeSteps: T, units: U, cell, store } = a;
  const G = gatesOf(cell);
  const GU = G * U;
  const BU = B * U;
  const nStates = store ? T + 1 : 2;
  const nG = store ? T : 1;
  const mem = arena();
  // The saved buffers: in the resident region when kept, else scratch.
  const savedPtr = (n: number) => (savedAlloc ? savedAlloc(n * 4) : mem.alloc(n * 4));
  const savedFrom = (src: Float32Array | null, n: number, slots: number) => {
    const ptr = savedPtr(slots * n);
    const f = mem.f32();
    if (src) f.set(src.subarray(0, n), ptr >>> 2);
    else f.fill(0, ptr >>> 2, (ptr >>> 2) + n);
    return ptr;
  };
  let P: number;
  if (a.P) {
    P = mem.copyIn(a.P, 0, B * T * GU);
  } else {
    // P = bias rows, then += x·W (gemm with accumulate: the same f32 sum plus the same bias).
    const D = a.inputDim;
    const rows = B * T;
    P = mem.alloc(rows * GU * 4);
    const x = mem.copyIn(a.inputs, 0, rows * D);
    const W = mem.copyIn(a.kernel, 0, D * GU);
    const gw = mem.alloc(w.gemmWorkspaceBytes(rows, GU, D));
    const v = mem.f32();
    if (a.inputBias) for (let r = 0; r < rows; r++) v.set(a.inputBias.subarray(0, GU), (P >>> 2) + r * GU);
    else v.fill(0, P >>> 2, (P >>> 2) + rows * GU);
    w.gemm(x, D, 0, W, GU, 0, P, GU, rows, GU, D, 1, gw);
  }
  const rk = mem.copyIn(a.recurrentKernel, 0, U * GU);
  const packed = mem.alloc(G * w.packedGateFloats(U) * 4);
  w.packRecurrent(rk, U, G, 0, packed);
  const { maskPtr, rmPtr, rmPerGate } = copyMasks(mem, B, T, U, a.mask, a.recurrentDropoutMasks);
  const H = savedFrom(a.initialH, BU, nStates);
  const C = cell === 'lstm' ? savedFrom(a.initialC, BU, nStates) : 0;
  const simple = cell === 'simple';
  // SimpleRNN: the states double as the saved gates (no gate or extra buffers).
  const gates = simple ? 0 : savedPtr(nG * B * GU);
  const extra = simple ? 0 : savedPtr(nG * BU);
  const prevOut = copyInOrZeros(mem, a.prevOutInit, BU);
  const seq = a.returnSequences ? mem.alloc(B * T * U * 4) : 0;
  const work = mem.alloc(w.sequenceWorkFloats(B, U) * 4);
  const act = ACTIVATION_IDS[a.activation];
  const rec = ACTIVATION_IDS[a.recurrentActivation];
  const back = a.goBackwards ? 1 : 0;
  if (simple) {
    w.simpleForward(P, packed, H, prevOut, seq, maskPtr, rmPtr, B, T, U, back, store ? 1 : 0, act, work);
  } else if (cell === 'lstm') {
    w.lstmForward(P, packed, H, C, gates, extra, prevOut, seq, maskPtr, rmPtr, rmPerGate, B, T, U, back, store ? 1 : 0, act, rec, work);
  } else {
    const biasRec = a.biasRec ? mem.copyIn(a.biasRec, 0, GU) : 0;
    const R = mem.alloc(B * GU * 4);
    w.gruForward(
      P,
      packed,
      biasRec,
      H,
      gates,
      extra,
      R,
      prevOut,
      seq,
      maskPtr,
      rmPtr,
      rmPerGate,
      B,
      T,
      U,
      back,
      store ? 1 : 0,
      a.resetAfter ? 1 : 0,
      act,
      rec,
      work,
    );
  }
  const fin = (store ? T : T & 1) * BU * 4;
  let saved: WasmSavedArrays | null = null;
  if (store && !savedAlloc) {
    // Not resident: the saved buffers are copied out (the backward copies them back in).
    countSavedCopyOut();
    saved = {
      H: out(mem, H, nStates * BU),
      C: cell === 'lstm' ? out(mem, C, nStates * BU) : null,
      gates: simple ? new Float32Array(0) : out(mem, gates, nG * B * GU),
      extra: simple ? new Float32Array(0) : out(mem, extra, nG * BU),
    };
  }
  const result: WasmSequenceForwardResult = {
    prevOut: out(mem, prevOut, BU),
    seq: seq ? out(mem, seq, B * T * U) : null,
    finalH: out(mem, H + fin, BU),
    finalC: cell === 'lstm' ? out(mem, C + fin, BU) : null,
    saved,
    resident: null,
  };
  return { result, ptrs: [H, C, gates, extra] };
}

/** What the backward recurrence needs: the stored forward buffers and the output gradients. */
export interface WasmSequenceBackwardArgs {
  cell: WasmSequenceCell;
  batch: number;
  timeSteps: number;
  units: number;
  recurrentKernel: Float32Array;
  /** The forward's saved buffers (see `WasmSavedSource`). */
  saved: WasmSavedSource;
  dLastOutput: Float32Array | null;
  dSequenceOutputs: Float32Array | null;
  dFinalH: Float32Array | null;
  dFinalC: Float32Array | null;
  mask: SequenceMask;
  recurrentDropoutMasks: Float32Array[] | null;
  goBackwards: boolean;
  resetAfter: boolean;
  activation: string;
  recurrentActivation: string;
  /**
   * When given (calls without dropout masks), the weight and input gradients are computed in the same
   * call from the buffers already in wasm memory (no copies of dRec/dPin out and back in), and
   * `weights` is returned instead of dRec/dPin.
   */
  tail: WasmSequenceTailArgs | null;
}

/**
 * Where a backward finds the forward's saved buffers: JavaScript arrays laid out for its `batch` rows, or the
 * forward's resident handle, the call's rows being the handle's rows [row0, row0 + batch).
 */
export type WasmSavedSource = { kind: 'arrays'; arrays: WasmSavedArrays } | { kind: 'resident'; handle: ResidentSaved; row0: number };

/**
 * Byte pointer (in `mem`) to the call's rows [b0, b1) of saved buffer `which`, laid out [slots, b1 − b0, width]: a
 * resident block in place when it is exactly those rows, else a copy (gathered in wasm, or copied in from the
 * arrays). 0 when the cell has no such buffer.
 */
export function savedRows(mem: WasmArena, a: WasmSequenceBackwardArgs, which: SavedBuffer, b0: number, b1: number): number {
  const s = a.saved;
  if (s.kind === 'resident') return s.handle.rows(mem, which, s.row0 + b0, s.row0 + b1);
  const { cell, batch: B, timeSteps: T, units: U } = a;
  if ((which === 'C' && cell !== 'lstm') || ((which === 'gates' || which === 'extra') && cell === 'simple')) return 0;
  const src = which === 'H' ? s.arrays.H : which === 'C' ? (s.arrays.C as Float32Array) : which === 'gates' ? s.arrays.gates : s.arrays.extra;
  const slots = which === 'H' || which === 'C' ? T + 1 : T;
  const width = which === 'gates' ? gatesOf(cell) * U : U;
  const nb = b1 - b0;
  const ptr = mem.alloc(slots * nb * width * 4);
  const f = mem.f32();
  if (b0 === 0 && b1 === B) f.set(src.subarray(0, slots * B * width), ptr >>> 2);
  else for (let t = 0; t < slots; t++) f.set(src.subarray((t * B + b0) * width, (t * B + b1) * width), (ptr >>> 2) + t * nb * width);
  return ptr;
}

/** The forward's inputs the weight-gradient tail needs. */
export interface WasmSequenceTailArgs {
  inputDim: number;
  /** [batch·timeSteps, inputDim]. */
  inputs: Float32Array;
  /** [inputDim, G·units]. */
  kernel: Float32Array;
  /** Bias gradients: 0 none, 1 [G·units] (column sums of dPin), 2 GRU resetAfter [2, G·units] (dPin; dRec). */
  biasRows: 0 | 1 | 2;
}

/** Gradients computed by the tail (layouts as SequenceInputGrads). */
export interface WasmSequenceWeightGrads {
  dInputs: Float32Array;
  dKernel: Float32Array;
  dRecurrentKernel: Float32Array;
  dBias: Float32Array | null;
}

export interface WasmSequenceBackwardResult {
  /** [timeSteps, batch, G·units] pre-activation gate gradients per step (processing order); null with a tail. */
  dRec: Float32Array | null;
  /** [batch·timeSteps, G·units], rows (b, t); null with a tail. */
  dPin: Float32Array | null;
  /** With a tail: the weight and input gradients. */
  weights: WasmSequenceWeightGrads | null;
  /** Gradient of the initial h (without the leftover output gradient `dCarry`). */
  dh: Float32Array;
  dc: Float32Array | null;
  dCarry: Float32Array;
}

/** Runs the backpropagation-through-time loop in ONE wasm call (see sequence_wasm_chunked.ts), or returns null when the wasm backend is not active. */
export function sequenceBackwardWasmOnce(a: WasmSequenceBackwardArgs): WasmSequenceBackwardResult | null {
  const w = wasmExportsIfActive();
  if (!w || !activationsKnown(a)) return null;
  return backwardOnce(w, a);
}

function backwardOnce(w: WasmExports, a: WasmSequenceBackwardArgs): WasmSequenceBackwardResult {
  const { batch: B, timeSteps: T, units: U, cell } = a;
  const G = gatesOf(cell);
  const GU = G * U;
  const BU = B * U;
  const mem = arena();
  const rk = mem.copyIn(a.recurrentKernel, 0, U * GU);
  const packed = mem.alloc(G * w.packedGateFloats(U) * 4);
  w.packRecurrent(rk, U, G, 1, packed);
  const { maskPtr, rmPtr, rmPerGate } = copyMasks(mem, B, T, U, a.mask, a.recurrentDropoutMasks);
  // The forward's buffers: in place when resident (sequence_resident.ts), else copied in.
  const H = savedRows(mem, a, 'H', 0, B);
  const C = savedRows(mem, a, 'C', 0, B);
  const simple = cell === 'simple';
  const gates = savedRows(mem, a, 'gates', 0, B);
  const extra = savedRows(mem, a, 'extra', 0, B);
  const dh = copyInOrZeros(mem, a.dFinalH, BU);
  const dhPrev = mem.alloc(BU * 4);
  const dc = cell === 'lstm' ? copyInOrZeros(mem, a.dFinalC, BU) : 0;
  const dCarry = mem.alloc(BU * 4);
  const scratch = mem.alloc(BU * 4);
  const dS = mem.alloc(BU * 4);
  const dLast = a.dLastOutput ? mem.copyIn(a.dLastOutput, 0, BU) : 0;
  const dSeq = a.dSequenceOutputs ? mem.copyIn(a.dSequenceOutputs, 0, B * T * U) : 0;
  const dRec = mem.alloc(T * B * GU * 4);
  // LSTM and SimpleRNN with the tail: dPin is dRec with its rows reordered, so the tail works on dRec
  // (step-major rows) with the inputs reordered to match, and the 13 MB dPin is never written.
  const t = a.tail;
  const stepMajor = t !== null && cell !== 'gru';
  const dPin = stepMajor ? 0 : mem.alloc(T * B * GU * 4);
  const work = mem.alloc(w.sequenceWorkFloats(B, U) * 4);
  const act = ACTIVATION_IDS[a.activation];
  const rec = ACTIVATION_IDS[a.recurrentActivation];
  const back = a.goBackwards ? 1 : 0;
  const fin = simple
    ? w.simpleBackward(packed, H, dh, dhPrev, dCarry, scratch, dLast, dSeq, maskPtr, rmPtr, dRec, dPin, B, T, U, back, act, work)
    : cell === 'lstm'
      ? w.lstmBackward(
          packed,
          H,
          C,
          gates,
          extra,
          dh,
          dhPrev,
          dc,
          dCarry,
          scratch,
          dLast,
          dSeq,
          maskPtr,
          rmPtr,
          rmPerGate,
          dRec,
          dPin,
          B,
          T,
          U,
          back,
          act,
          rec,
          work,
        )
      : w.gruBackward(
          packed,
          H,
          gates,
          extra,
          dh,
          dhPrev,
          dCarry,
          scratch,
          dS,
          dLast,
          dSeq,
          maskPtr,
          rmPtr,
          rmPerGate,
          dRec,
          dPin,
          B,
          T,
          U,
          back,
          a.resetAfter ? 1 : 0,
          act,
          rec,
          work,
        );
  let weights: WasmSequenceWeightGrads | null = null;
  if (t) {
    // dU = Σ_s h_sᵀ·dRec_s (GRU resetAfter false: gate h from r ⊙ h, kept in `extra`), dW = Xᵀ·dPin,
    // dX = dPin·Wᵀ, as the TypeScript tail (sequence_common.ts) does with core gemm.
    const D = t.inputDim;
    const rows = B * T;
    const x = inputsForWeightGrads(mem, a, stepMajor);
    const gp = stepMajor ? dRec : dPin;
    const W = mem.copyIn(t.kernel, 0, D * GU);
    const dU = mem.alloc(U * GU * 4);
    const dW = mem.alloc(D * GU * 4);
    const dX = mem.alloc(rows * D * 4);
    const dBias = t.biasRows ? mem.alloc(t.biasRows * GU * 4) : 0;
    const gw = mem.alloc(Math.max(w.gemmWorkspaceBytes(U, GU, rows), w.gemmWorkspaceBytes(D, GU, rows), w.gemmWorkspaceBytes(rows, D, GU)));
    if (cell === 'gru' && !a.resetAfter) {
      w.gemm(H, U, 1, dRec, GU, 0, dU, GU, U, 2 * U, rows, 0, gw);
      w.gemm(extra, U, 1, dRec + 8 * U, GU, 0, dU + 8 * U, GU, U, U, rows, 0, gw);
    } else {
      w.gemm(H, U, 1, dRec, GU, 0, dU, GU, U, GU, rows, 0, gw);
    }
    w.gemm(x, D, 1, gp, GU, 0, dW, GU, D, GU, rows, 0, gw);
    w.gemm(gp, GU, 0, W, GU, 1, dX, D, rows, D, GU, 0, gw);
    if (dBias) {
      w.columnSums(gp, rows, GU, dBias);
      if (t.biasRows === 2) w.columnSums(dRec, rows, GU, dBias + GU * 4);
    }
    weights = {
      dInputs: stepMajor ? batchMajorRows(mem, dX, B, T, D, a.goBackwards) : out(mem, dX, rows * D),
      dKernel: out(mem, dW, D * GU),
      dRecurrentKernel: out(mem, dU, U * GU),
      dBias: dBias ? out(mem, dBias, t.biasRows * GU) : null,
    };
  }
  return {
    dRec: t ? null : out(mem, dRec, T * B * GU),
    dPin: t ? null : out(mem, dPin, T * B * GU),
    weights,
    dh: out(mem, fin, BU),
    dc: cell === 'lstm' ? out(mem, dc, BU) : null,
    dCarry: out(mem, dCarry, BU),
  };
}

/**
 * The inputs [B, T, D] copied into `mem` for the weight-gradient gemms: as they are, or (`stepMajor`) reordered so
 * that row (s, b) is row (b, t(s)) of the inputs, t(s) the step processed s-th (reversed with goBackwards).
 */
export function inputsForWeightGrads(mem: WasmArena, a: WasmSequenceBackwardArgs, stepMajor: boolean): number {
  const t = a.tail as NonNullable<WasmSequenceBackwardArgs['tail']>;
  const { batch: B, timeSteps: T } = a;
  const D = t.inputDim;
  if (!stepMajor) return mem.copyIn(t.inputs, 0, B * T * D);
  const x = mem.alloc(B * T * D * 4);
  const v = mem.f32();
  for (let s = 0; s < T; s++) {
    const tt = a.goBackwards ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const src = (b * T + tt) * D;
      v.set(t.inputs.subarray(src, src + D), (x >>> 2) + (s * B + b) * D);
    }
  }
  return x;
}
