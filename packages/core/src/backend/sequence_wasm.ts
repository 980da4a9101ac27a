/**
 * JS glue of the fused sequence kernels in wasm (assembly/*_sequence.ts): the whole time loop of an
 * LSTM/GRU/SimpleRNN forward in one call (the backward: sequence_wasm_backward.ts), and the helpers both share.
 * A training forward writes its saved buffers into a resident region and returns its handle
 * (sequence_resident.ts), or copies them out when they cannot stay resident. Returns null when the wasm backend is
 * not active (the caller's TypeScript kernels run then).
 */
import { wasmExportsIfActive } from './backend';
import { arena } from './wasm';
import { align16, WasmArena } from './wasm_arena';
import type { WasmExports } from './wasm_exports';
import { CELL_GATES, WASM_ACTIVATION_IDS } from './wasm_interface.generated';
import { cancelResident, countSavedCopyOut, registerResident, reserveResident, residentBlockBytes, savedShape } from './sequence_resident';
import type { ResidentSaved, SavedBuffer, SavedLayout } from './sequence_resident';
import { packedSequenceWeights } from './sequence_packed_weights';
import { masksShared } from '../kernels/sequence_products';
import type { PackedSequenceWeights } from './sequence_packed_weights';

/** Activation ids of the module (one definition: scripts/wasm_interface.mjs). */
export const ACTIVATION_IDS: { readonly [name: string]: number } = WASM_ACTIVATION_IDS;

/** The wasm kernels run only activations they implement; anything else keeps the TypeScript loop. */
export function activationsKnown(a: { activation: string; recurrentActivation: string }): boolean {
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
  /**
   * Keep the packed weights between calls (sequence_packed_weights.ts): only for weight arrays never changed in
   * place, and inference (not `store`). Default false.
   */
  cacheWeights?: boolean;
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

/** Zeroed JavaScript arrays for the saved buffers of a forward of this layout (empty gates/extra for SimpleRNN, no C but for LSTM). */
export function newSavedArrays(l: SavedLayout): WasmSavedArrays {
  const make = (which: SavedBuffer) => {
    const sh = savedShape(l, which);
    return sh ? new Float32Array(sh.slots * l.batch * sh.width) : null;
  };
  return {
    H: make('H') as Float32Array,
    C: make('C'),
    gates: make('gates') ?? new Float32Array(0),
    extra: make('extra') ?? new Float32Array(0),
  };
}

/** Gates G of a cell: LSTM 4, GRU 3, SimpleRNN 1 (scripts/wasm_interface.mjs). */
export function gatesOf(cell: WasmSequenceCell): number {
  return cell === 'lstm' ? CELL_GATES.lstm : cell === 'gru' ? CELL_GATES.gru : CELL_GATES.simpleRNN;
}

/** Copies the step mask (as f32) and recurrent dropout masks in; returns their pointers (0 = none). */
export function copyMasks(mem: WasmArena, B: number, T: number, U: number, mask: SequenceMask, rm: Float32Array[] | null) {
  const maskPtr = mask ? mem.copyIn(mask, 0, B * T) : 0;
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

/** Fills the n floats at `ptr` from `src` (zeros when null); returns `ptr`. */
export function fillIn(mem: WasmArena, ptr: number, src: Float32Array | null, n: number): number {
  const f = mem.f32();
  if (src) f.set(src.subarray(0, n), ptr >>> 2);
  else f.fill(0, ptr >>> 2, (ptr >>> 2) + n);
  return ptr;
}

/** Allocates n floats and fills them from `src` (zeros when null); returns the pointer. */
export function copyInOrZeros(mem: WasmArena, src: Float32Array | null, n: number): number {
  return fillIn(mem, mem.alloc(n * 4), src, n);
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
export function arenaBytes(floats: number[]): number {
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
  const f: number[] = [U * GU, G * w.packedGateFloats(U), nStates * BU, BU];
  if (a.P) f.push(B * T * GU);
  else f.push(B * T * D, D * GU, GU, G * w.packedInputFloats(D, U));
  if (a.mask) f.push(B * T);
  if (a.recurrentDropoutMasks) f.push(a.recurrentDropoutMasks.length * BU);
  if (cell === 'lstm') f.push(nStates * BU);
  if (!simple) f.push(nG * B * GU, nG * BU);
  if (a.returnSequences) f.push(B * T * U);
  f.push(w.forwardWorkFloats(B, U, a.P ? 0 : D));
  if (cell === 'gru') f.push(GU, B * GU);
  return arenaBytes(f);
}

/** The input arguments of a forward kernel (see forwardInputs). */
export type ForwardInputs = [P: number, X: number, packedW: number, D: number];

/**
 * The input arguments of a forward kernel, (P, X, packedW, D): the caller's projections P copied in (X = 0), or
 * the inputs x with the packed [W; b] (packInput), from which the kernel projects each step as it needs it.
 */
export function forwardInputs(
  w: WasmExports,
  mem: WasmArena,
  a: WasmSequenceForwardArgs,
  B: number,
  T: number,
  kept: PackedSequenceWeights | null,
): ForwardInputs {
  const GU = gatesOf(a.cell) * a.units;
  if (a.P) return [mem.copyIn(a.P, 0, B * T * GU), 0, 0, 0];
  const D = a.inputDim;
  const x = mem.copyIn(a.inputs, 0, B * T * D);
  return [0, x, kept ? kept.packedW : packedInputKernel(w, mem, a), D];
}

/**
 * The packed weights kept from an earlier inference call or packed now into a retained region (with
 * `cacheWeights`), else null. Call before taking the scratch arena.
 */
export function keptWeights(w: WasmExports, a: WasmSequenceForwardArgs): PackedSequenceWeights | null {
  if (!a.cacheWeights || a.store) return null;
  return packedSequenceWeights(w, { ...a, gates: gatesOf(a.cell) });
}

/** The packed recurrent kernel of a forward: the kept one, or packed now in `mem`. */
export function packedRecurrentKernel(
  w: WasmExports,
  mem: WasmArena,
  a: WasmSequenceForwardArgs,
  kept: PackedSequenceWeights | null,
): number {
  return kept ? kept.packedU : packRecurrentIn(w, mem, a.recurrentKernel, gatesOf(a.cell), a.units, false);
}

/** The recurrent kernel [U, G·U] copied into `mem` and packed there (packRecurrent; `transposed` for a backward); returns its pointer. */
export function packRecurrentIn(
  w: WasmExports,
  mem: WasmArena,
  recurrentKernel: Float32Array,
  G: number,
  U: number,
  transposed: boolean,
): number {
  const rk = mem.copyIn(recurrentKernel, 0, U * G * U);
  const packed = mem.alloc(G * w.packedGateFloats(U) * 4);
  w.packRecurrent(rk, U, G, transposed ? 1 : 0, packed);
  return packed;
}

/** The packed [W; b] of a forward (packInput) in `mem`; returns its pointer. */
export function packedInputKernel(w: WasmExports, mem: WasmArena, a: WasmSequenceForwardArgs): number {
  const G = gatesOf(a.cell);
  const U = a.units;
  const D = a.inputDim;
  const W = mem.copyIn(a.kernel, 0, D * G * U);
  const bias = a.inputBias ? mem.copyIn(a.inputBias, 0, G * U) : 0;
  const packedW = mem.alloc(G * w.packedInputFloats(D, U) * 4);
  w.packInput(W, bias, D, U, G, packedW);
  return packedW;
}

/**
 * Where a training forward writes its saved buffers: byte pointer of buffer `which` (`floats` floats), inside a
 * region its caller retained (the caller then owns them: the result has neither `saved` nor `resident`).
 */
export type SavedPlacement = (which: SavedBuffer, floats: number) => number;

/**
 * Runs the forward recurrence in ONE wasm call (no splitting: see sequence_wasm_chunked.ts), or returns null
 * when the wasm backend is not active. A training forward's saved buffers: 'copy' copies them out (`saved`),
 * 'resident' keeps them in wasm memory for the backward when they fit the bound (`resident`,
 * sequence_resident.ts; else copied out), a `SavedPlacement` writes them where it says.
 */
export function sequenceForwardWasmOnce(
  a: WasmSequenceForwardArgs,
  keep: 'copy' | 'resident' | SavedPlacement = 'copy',
): WasmSequenceForwardResult | null {
  const w = wasmExportsIfActive();
  if (!w || !activationsKnown(a)) return null;
  if (typeof keep === 'function') return forwardOnce(w, a, a.store ? keep : null).result;
  const layout = savedLayoutOf(a);
  const resident = a.store && keep === 'resident' ? reserveResident(residentBlockBytes(layout, a.batch)) : null;
  try {
    const res = forwardOnce(w, a, resident ? (_which, floats) => resident.alloc(floats * 4) : null);
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
  savedAt: SavedPlacement | null,
): { result: WasmSequenceForwardResult; ptrs: number[] } {
  const { batch: B, timeSteps: T, units: U, cell, store } = a;
  const G = gatesOf(cell);
  const GU = G * U;
  const BU = B * U;
  const nStates = store ? T + 1 : 2;
  const nG = store ? T : 1;
  const kept = keptWeights(w, a);
  const mem = arena();
  // The saved buffers: in the resident region when kept, else scratch.
  const savedPtr = (which: SavedBuffer, n: number) => (savedAt ? savedAt(which, n) : mem.alloc(n * 4));
  const savedFrom = (which: SavedBuffer, src: Float32Array | null, n: number, slots: number) =>
    fillIn(mem, savedPtr(which, slots * n), src, n);
  const inputs = forwardInputs(w, mem, a, B, T, kept);
  const packed = packedRecurrentKernel(w, mem, a, kept);
  const { maskPtr, rmPtr, rmPerGate } = copyMasks(mem, B, T, U, a.mask, a.recurrentDropoutMasks);
  const H = savedFrom('H', a.initialH, BU, nStates);
  const C = cell === 'lstm' ? savedFrom('C', a.initialC, BU, nStates) : 0;
  const simple = cell === 'simple';
  // SimpleRNN: the states double as the saved gates (no gate or extra buffers).
  const gates = simple ? 0 : savedPtr('gates', nG * B * GU);
  const extra = simple ? 0 : savedPtr('extra', nG * BU);
  const prevOut = copyInOrZeros(mem, a.prevOutInit, BU);
  const seq = a.returnSequences ? mem.alloc(B * T * U * 4) : 0;
  const work = mem.alloc(w.forwardWorkFloats(B, U, inputs[3]) * 4);
  const act = ACTIVATION_IDS[a.activation];
  const rec = ACTIVATION_IDS[a.recurrentActivation];
  const back = a.goBackwards ? 1 : 0;
  if (simple) {
    w.simpleForward(...inputs, packed, H, prevOut, seq, maskPtr, rmPtr, B, T, U, back, store ? 1 : 0, act, work);
  } else if (cell === 'lstm') {
    w.lstmForward(
      ...inputs,
      packed,
      H,
      C,
      gates,
      extra,
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
      act,
      rec,
      work,
    );
  } else {
    const biasRec = a.biasRec ? mem.copyIn(a.biasRec, 0, GU) : 0;
    const R = mem.alloc(B * GU * 4);
    w.gruForward(
      ...inputs,
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
  if (store && !savedAt) {
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
