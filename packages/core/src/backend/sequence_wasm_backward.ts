/**
 * JS glue of the fused sequence backward in wasm (assembly/*_sequence.ts): the whole backpropagation through time
 * of an LSTM/GRU/SimpleRNN in one call, and its weight-gradient tail too (with dropout masks too). The forward's saved
 * buffers come from the forward's resident handle (read in place, sequence_resident.ts) or from JavaScript arrays
 * (copied in). The forward glue and the shared helpers are in sequence_wasm.ts; splitting by memory bound in
 * sequence_wasm_chunked.ts.
 */
import { wasmExportsIfActive } from './backend';
import { arena } from './wasm';
import { WasmArena } from './wasm_arena';
import type { WasmExports } from './wasm_exports';
import { savedShape } from './sequence_resident';
import type { ResidentSaved, SavedBuffer } from './sequence_resident';
import {
  ACTIVATION_IDS,
  activationsKnown,
  arenaBytes,
  batchMajorRows,
  copyInOrZeros,
  copyMasks,
  gatesOf,
  out,
  packRecurrentIn,
  savedLayoutOf,
  SequenceMask,
  WasmSavedArrays,
  WasmSequenceCell,
} from './sequence_wasm';
import { gemmsOnOneThread, maskedTailFloats, maskedWeightGrads } from './sequence_wasm_masked_tail';

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
   * When given, the weight and input gradients are computed in the same call from the buffers already in wasm
   * memory (no copies of dRec/dPin out and back in), and `weights` is returned instead of dRec/dPin, with dropout
   * masks (recurrent or `tail.inputDropoutMasks`) too (sequence_wasm_masked_tail.ts).
   */
  tail: WasmSequenceTailArgs | null;
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
    const masked = maskedTailFloats(rows, U, D, a.recurrentDropoutMasks, t.inputDropoutMasks);
    if (masked) f.push(masked);
  }
  return arenaBytes(f);
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
  const shape = savedShape(savedLayoutOf(a), which);
  if (!shape) return 0;
  const { slots, width } = shape;
  const B = a.batch;
  const src = s.arrays[which] as Float32Array;
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
  /** Input dropout masks [batch, inputDim] (one shared or one per gate, already scaled). */
  inputDropoutMasks: Float32Array[] | null;
}

/** True when the tail of `a` needs dropout masks (sequence_wasm_masked_tail.ts). */
export function tailMasked(a: WasmSequenceBackwardArgs): boolean {
  return a.tail !== null && (!!a.recurrentDropoutMasks || !!a.tail.inputDropoutMasks);
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
  const packed = packRecurrentIn(w, mem, a.recurrentKernel, G, U, true);
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
  const masked = tailMasked(a);
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
    if (masked) {
      const rz = cell === 'gru' && !a.resetAfter ? extra : 0;
      const buffers = {
        batch: B,
        timeSteps: T,
        rows,
        units: U,
        inputDim: D,
        gatesUnits: GU,
        H,
        dRec,
        dPin: gp,
        extra: rz,
        x,
        W,
        dU,
        dW,
        dX,
      };
      maskedWeightGrads(gemmsOnOneThread(w, gw), mem, buffers, a.recurrentDropoutMasks, t.inputDropoutMasks);
    } else if (cell === 'gru' && !a.resetAfter) {
      w.gemm(H, U, 1, dRec, GU, 0, dU, GU, U, 2 * U, rows, 0, gw);
      w.gemm(extra, U, 1, dRec + 8 * U, GU, 0, dU + 8 * U, GU, U, U, rows, 0, gw);
    } else {
      w.gemm(H, U, 1, dRec, GU, 0, dU, GU, U, GU, rows, 0, gw);
    }
    if (!masked) {
      w.gemm(x, D, 1, gp, GU, 0, dW, GU, D, GU, rows, 0, gw);
      w.gemm(gp, GU, 0, W, GU, 1, dX, D, rows, D, GU, 0, gw);
    }
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
