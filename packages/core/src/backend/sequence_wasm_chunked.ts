/**
 * Bounded wasm memory for the fused sequence kernels: `sequenceForwardWasm` / `sequenceBackwardWasm`
 * run the one-call kernels of sequence_wasm.ts on blocks of batch rows (and, in the forward, blocks of
 * time steps carrying h, c and the running output between them) so that no single call lays out more
 * than `maxSequenceScratchBytes` of wasm memory — as the gemm glue caps itself (gemm_wasm.ts). Rows of a
 * recurrence are independent, so the blocks give the unsplit answer (weight gradients are summed over
 * batch blocks, in a different float order). Without this a [32, 16350, 1] LSTM(256) forward needed
 * more than 2 GiB in one call.
 */
import { wasmExportsIfActive } from './backend';
import { activePool, threadedKernels, threadsMinWork } from './threads/threads';
import type { WasmExports } from './wasm_exports';
import { cancelResident, registerResident, reserveResident, residentBlockBytes, savedShape } from './sequence_resident';
import type { ResidentBlock, ResidentReservation, SavedBuffer } from './sequence_resident';
import {
  gatesOf,
  sequenceForwardBytes,
  sequenceForwardWasmOnce,
  savedLayoutOf,
  sequenceWasmActive,
  SequenceMask,
  newSavedArrays,
  WasmSequenceForwardArgs,
  WasmSequenceForwardResult,
} from './sequence_wasm';
import { sequenceBackwardBytes, sequenceBackwardWasmOnce } from './sequence_wasm_backward';
import type { WasmSavedSource, WasmSequenceBackwardArgs, WasmSequenceBackwardResult } from './sequence_wasm_backward';

/** Most bytes of wasm scratch one sequence kernel call may lay out (the memory never shrinks). */
let maxSequenceScratchBytes = 256 * 1024 * 1024;

/** Test hook: sets the per-call scratch limit of the sequence kernels (to exercise the splitting); returns the previous one. */
export function setSequenceScratchLimitForTests(bytes: number): number {
  const old = maxSequenceScratchBytes;
  maxSequenceScratchBytes = bytes;
  return old;
}

let callsForTests = 0;

/** Test hook: how many one-call kernels the chunked glue has run since the last read (then resets). */
export function takeSequenceCallCountForTests(): number {
  const n = callsForTests;
  callsForTests = 0;
  return n;
}

/** The current per-call scratch limit of the sequence kernels. */
export function sequenceScratchLimit(): number {
  return maxSequenceScratchBytes;
}

/**
 * Block [r0, r0+nr) × [c0, c0+nc) of an [R, C, W] array as a new [nr, nc, W] Float32Array: batch rows × time steps of
 * a [B, T, W] array, or steps × batch rows of a step-major [S, B, W] one.
 */
export function takeBlock(
  src: Float32Array | Int32Array | Uint8Array,
  C: number,
  W: number,
  r0: number,
  nr: number,
  c0: number,
  nc: number,
): Float32Array {
  const out = new Float32Array(nr * nc * W);
  for (let r = 0; r < nr; r++) {
    const from = ((r0 + r) * C + c0) * W;
    out.set(src.subarray(from, from + nc * W), r * nc * W);
  }
  return out;
}

/** Writes an [nr, nc, W] block into [r0, r0+nr) × [c0, c0+nc) of an [R, C, W] array (`takeBlock`'s inverse). */
export function putBlock(dst: Float32Array, C: number, W: number, r0: number, nr: number, c0: number, nc: number, src: Float32Array): void {
  for (let r = 0; r < nr; r++) dst.set(src.subarray(r * nc * W, (r + 1) * nc * W), ((r0 + r) * C + c0) * W);
}

/**
 * The worker pool when a call of this size should run on threads: at least 2 batch rows, enough work per
 * step, threads ready, and the call (about `bytes` laid out) within the scratch limit; else null.
 */
function poolFor(w: WasmExports, a: { batch: number; units: number; cell: WasmSequenceForwardArgs['cell'] }, bytes: number) {
  if (a.batch < 2 || a.batch * a.units * a.units * gatesOf(a.cell) < threadsMinWork.sequence) return null;
  const pool = activePool();
  if (!pool || bytes + pool.threads * w.sequenceWorkFloats(a.batch, a.units) * 4 > maxSequenceScratchBytes) return null;
  return pool;
}

/** The largest n ≤ total (halving from total) with fits(n), or 0 when not even 1 fits. */
function largestFitting(total: number, fits: (n: number) => boolean): number {
  let n = Math.max(1, total);
  while (n > 1 && !fits(n)) n = Math.ceil(n / 2);
  return fits(n) ? n : 0;
}

/** Dropout masks [B, U] (or [B, D]) restricted to rows [b0, b0+nb), keeping shared masks shared. */
function rowsOfMasks(masks: Float32Array[] | null, U: number, b0: number, nb: number): Float32Array[] | null {
  if (!masks) return null;
  const done = new Map<Float32Array, Float32Array>();
  return masks.map((m) => {
    let r = done.get(m);
    if (!r) {
      r = takeBlock(m, 1, U, b0, nb, 0, 1);
      done.set(m, r);
    }
    return r;
  });
}

/**
 * Runs the forward recurrence in wasm in blocks of at most `sequenceScratchLimit()` bytes (batch rows
 * first; one row's time steps in blocks when even one row does not fit), or returns null when the wasm
 * backend is not active. Same result layout as one call. A training forward keeps its saved buffers resident when
 * they fit the bound (sequence_resident.ts; split, each block of batch rows has its region block, which the calls
 * of its blocks of steps fill slot by slot), else copies them out (the old way).
 */
export function sequenceForwardWasm(a: WasmSequenceForwardArgs): WasmSequenceForwardResult | null {
  const w = wasmExportsIfActive();
  if (!w || !sequenceWasmActive(a)) return null;
  const { batch: B, timeSteps: T, store } = a;
  const cap = maxSequenceScratchBytes;
  if (B === 0 || T === 0 || sequenceForwardBytes(w, a, B, T) <= cap) {
    callsForTests++;
    const pool = poolFor(w, a, sequenceForwardBytes(w, a, B, T));
    return pool ? threadedKernels().sequenceForwardWasmThreaded(w, pool, a) : sequenceForwardWasmOnce(a, 'resident');
  }
  let nb = largestFitting(B, (n) => sequenceForwardBytes(w, a, n, T) <= cap);
  let nt = T;
  if (nb === 0) {
    nb = 1;
    // Not even one row's whole sequence fits: blocks of steps (if not even one step fits, one step at a time).
    nt = Math.max(
      1,
      largestFitting(T, (n) => sequenceForwardBytes(w, a, 1, n) <= cap),
    );
  }
  // Resident: one region block per block of batch rows (reserved before any call takes the scratch arena).
  const layout = savedLayoutOf(a);
  const rowBlocks: [number, number][] = [];
  for (let b0 = 0; b0 < B; b0 += nb) rowBlocks.push([b0, Math.min(B, b0 + nb)]);
  const reservation = store ? reserveResident(rowBlocks.reduce((t, [b0, b1]) => t + residentBlockBytes(layout, b1 - b0), 0)) : null;
  try {
    return forwardBlocks(a, nt, rowBlocks, reservation);
  } catch (e) {
    if (reservation) cancelResident(reservation);
    throw e;
  }
}

/** The split forward of `sequenceForwardWasm`: the blocks of batch rows `rowBlocks` × blocks of `nt` steps. */
function forwardBlocks(
  a: WasmSequenceForwardArgs,
  nt: number,
  rowBlocks: [number, number][],
  reservation: ResidentReservation | null,
): WasmSequenceForwardResult {
  const { batch: B, timeSteps: T, units: U, cell, store } = a;
  const G = gatesOf(cell);
  const GU = G * U;
  const D = a.inputDim;
  const BU = B * U;
  const simple = cell === 'simple';
  const layout = savedLayoutOf(a);
  const kept: ResidentBlock[] = reservation
    ? rowBlocks.map(([b0, b1]) => {
        const ptr = (which: SavedBuffer) => {
          const sh = savedShape(layout, which);
          return sh ? reservation.alloc(sh.slots * (b1 - b0) * sh.width * 4) : 0;
        };
        return { b0, b1, H: ptr('H'), C: ptr('C'), gates: ptr('gates'), extra: ptr('extra') };
      })
    : [];
  const saved = store && !reservation ? newSavedArrays(layout) : null;
  const res: WasmSequenceForwardResult = {
    prevOut: new Float32Array(BU),
    seq: a.returnSequences ? new Float32Array(B * T * U) : null,
    finalH: new Float32Array(BU),
    finalC: cell === 'lstm' ? new Float32Array(BU) : null,
    saved,
    resident: null,
  };
  const none = new Float32Array(0);
  rowBlocks.forEach(([b0, b1], k) => {
    const m = b1 - b0;
    let h = a.initialH ? takeBlock(a.initialH, 1, U, b0, m, 0, 1) : null;
    let c = a.initialC ? takeBlock(a.initialC, 1, U, b0, m, 0, 1) : null;
    let po = a.prevOutInit ? takeBlock(a.prevOutInit, 1, U, b0, m, 0, 1) : null;
    const rm = rowsOfMasks(a.recurrentDropoutMasks, U, b0, m);
    for (let s0 = 0; s0 < T; s0 += nt) {
      const n = Math.min(nt, T - s0);
      // Processing steps [s0, s0+n) are time steps [s0, s0+n), or [T-s0-n, T-s0) going backwards.
      const t0 = a.goBackwards ? T - s0 - n : s0;
      const mask: SequenceMask = a.mask ? takeBlock(a.mask, T, 1, b0, m, t0, n) : null;
      // Resident: this call's slots [s0, s0+n] (states) / [s0, s0+n) (gates, extra) of the row block, in place.
      const at = kept[k];
      const place = at ? (which: SavedBuffer) => at[which] + s0 * m * (which === 'gates' ? GU : U) * 4 : 'copy';
      callsForTests++;
      const r = sequenceForwardWasmOnce(
        {
          ...a,
          batch: m,
          timeSteps: n,
          P: a.P ? takeBlock(a.P, T, GU, b0, m, t0, n) : null,
          inputs: a.P ? none : takeBlock(a.inputs, T, D, b0, m, t0, n),
          initialH: h,
          initialC: c,
          prevOutInit: po,
          mask,
          recurrentDropoutMasks: rm,
        },
        place,
      ) as WasmSequenceForwardResult;
      h = r.finalH;
      c = r.finalC;
      po = r.prevOut;
      if (saved && r.saved) {
        putBlock(saved.H, B, U, s0, n + 1, b0, m, r.saved.H);
        if (saved.C && r.saved.C) putBlock(saved.C, B, U, s0, n + 1, b0, m, r.saved.C);
        if (!simple) {
          putBlock(saved.gates, B, GU, s0, n, b0, m, r.saved.gates);
          putBlock(saved.extra, B, U, s0, n, b0, m, r.saved.extra);
        }
      }
      if (res.seq && r.seq) putBlock(res.seq, T, U, b0, m, s0, n, r.seq);
    }
    putBlock(res.finalH, 1, U, b0, m, 0, 1, h as Float32Array);
    if (res.finalC) putBlock(res.finalC, 1, U, b0, m, 0, 1, c as Float32Array);
    putBlock(res.prevOut, 1, U, b0, m, 0, 1, po as Float32Array);
  });
  if (reservation) res.resident = registerResident(reservation, layout, kept);
  return res;
}

/**
 * Runs the backpropagation-through-time loop in wasm in blocks of batch rows of at most
 * `sequenceScratchLimit()` bytes, or returns null when the wasm backend is not active or not even one
 * row fits (the caller's TypeScript loop runs then). Same result layout as one call. Resident saved buffers
 * are read where they are (each block gathers its rows in wasm: no copy out).
 */
export function sequenceBackwardWasm(a: WasmSequenceBackwardArgs): WasmSequenceBackwardResult | null {
  const w = wasmExportsIfActive();
  if (!w || !sequenceWasmActive(a)) return null;
  const { batch: B, timeSteps: T, units: U, cell } = a;
  const cap = maxSequenceScratchBytes;
  if (B === 0 || T === 0 || sequenceBackwardBytes(w, a, B) <= cap) {
    callsForTests++;
    // The threaded tail also keeps step-major dRec, H (and GRU's r ⊙ h) and per-thread gemm workspaces.
    const tailBytes = a.tail ? T * B * (gatesOf(cell) * U + 2 * U) * 4 + 4 * w.gemmWorkspaceBytes(B * T, gatesOf(cell) * U, U) : 0;
    const pool = poolFor(w, a, sequenceBackwardBytes(w, a, B) + tailBytes);
    return pool ? threadedKernels().sequenceBackwardWasmThreaded(w, pool, a) : sequenceBackwardWasmOnce(a);
  }
  const nb = largestFitting(B, (n) => sequenceBackwardBytes(w, a, n) <= cap);
  if (nb === 0) return null;
  const G = gatesOf(cell);
  const GU = G * U;
  const BU = B * U;
  const simple = cell === 'simple';
  const t = a.tail;
  const D = t ? t.inputDim : 0;
  const res: WasmSequenceBackwardResult = {
    dRec: t ? null : new Float32Array(T * B * GU),
    dPin: t ? null : new Float32Array(B * T * GU),
    weights: t
      ? {
          dInputs: new Float32Array(B * T * D),
          dKernel: new Float32Array(D * GU),
          dRecurrentKernel: new Float32Array(U * GU),
          dBias: t.biasRows ? new Float32Array(t.biasRows * GU) : null,
        }
      : null,
    dh: new Float32Array(BU),
    dc: cell === 'lstm' ? new Float32Array(BU) : null,
    dCarry: new Float32Array(BU),
  };
  const add = (dst: Float32Array, src: Float32Array) => {
    for (let i = 0; i < dst.length; i++) dst[i] += src[i];
  };
  for (let b0 = 0; b0 < B; b0 += nb) {
    const m = Math.min(nb, B - b0);
    const rowsBU = (x: Float32Array | null) => (x ? takeBlock(x, 1, U, b0, m, 0, 1) : null);
    callsForTests++;
    const s = a.saved;
    const saved: WasmSavedSource =
      s.kind === 'resident'
        ? { kind: 'resident', handle: s.handle, row0: s.row0 + b0 }
        : {
            kind: 'arrays',
            arrays: {
              H: takeBlock(s.arrays.H, B, U, 0, T + 1, b0, m),
              C: s.arrays.C ? takeBlock(s.arrays.C, B, U, 0, T + 1, b0, m) : null,
              gates: simple ? s.arrays.gates : takeBlock(s.arrays.gates, B, GU, 0, T, b0, m),
              extra: simple ? s.arrays.extra : takeBlock(s.arrays.extra, B, U, 0, T, b0, m),
            },
          };
    const r = sequenceBackwardWasmOnce({
      ...a,
      batch: m,
      saved,
      dLastOutput: rowsBU(a.dLastOutput),
      dSequenceOutputs: a.dSequenceOutputs ? takeBlock(a.dSequenceOutputs, T, U, b0, m, 0, T) : null,
      dFinalH: rowsBU(a.dFinalH),
      dFinalC: rowsBU(a.dFinalC),
      mask: a.mask ? takeBlock(a.mask, T, 1, b0, m, 0, T) : null,
      recurrentDropoutMasks: rowsOfMasks(a.recurrentDropoutMasks, U, b0, m),
      tail: t
        ? { ...t, inputs: takeBlock(t.inputs, T, D, b0, m, 0, T), inputDropoutMasks: rowsOfMasks(t.inputDropoutMasks, D, b0, m) }
        : null,
    }) as WasmSequenceBackwardResult;
    if (res.dRec && r.dRec) putBlock(res.dRec, B, GU, 0, T, b0, m, r.dRec);
    if (res.dPin && r.dPin) putBlock(res.dPin, T, GU, b0, m, 0, T, r.dPin);
    if (res.weights && r.weights) {
      putBlock(res.weights.dInputs, T, D, b0, m, 0, T, r.weights.dInputs);
      add(res.weights.dKernel, r.weights.dKernel);
      add(res.weights.dRecurrentKernel, r.weights.dRecurrentKernel);
      if (res.weights.dBias && r.weights.dBias) add(res.weights.dBias, r.weights.dBias);
    }
    putBlock(res.dh, 1, U, b0, m, 0, 1, r.dh);
    if (res.dc && r.dc) putBlock(res.dc, 1, U, b0, m, 0, 1, r.dc);
    putBlock(res.dCarry, 1, U, b0, m, 0, 1, r.dCarry);
  }
  return res;
}
