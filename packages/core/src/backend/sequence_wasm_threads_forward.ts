/**
 * The fused sequence forward on all wasm threads: batch rows split into one block per thread. Rows of a
 * recurrence are independent and every product row is the same sum in the same order, so the result is
 * bit-identical to one thread (sequenceForwardWasmOnce) whatever the split. Each block runs its recurrence
 * (with its rows' input projections, step by step) in one task, on its own state/gate buffers; blocks of
 * the batch-major buffers (x or P, mask, seq, prevOut) are read and written in place.
 */
import {
  ACTIVATION_IDS,
  copyInOrZeros,
  fillIn,
  forwardInputs,
  gatesOf,
  keptWeights,
  packedRecurrentKernel,
  out,
  savedLayoutOf,
  newSavedArrays,
  WasmSequenceForwardArgs,
  WasmSequenceForwardResult,
} from './sequence_wasm';
import { arena } from './wasm';
import { WasmArena } from './wasm_arena';
import type { WasmExports } from './wasm_exports';
import type { WasmCall, WorkerPool } from './threads/pool';
import { splitRange } from './threads/parallel_gemm';
import { cancelResident, countSavedCopyOut, registerResident, reserveResident, residentBlockBytes, savedShape } from './sequence_resident';
import type { ResidentReservation } from './sequence_resident';

/** Recurrent dropout masks: pointer of rows [b0, b1) (shared mask: in place; per gate: a copied block). */
export function blockMasks(
  mem: WasmArena,
  rm: Float32Array[] | null,
  rmGlobal: number,
  perGate: boolean,
  U: number,
  b0: number,
  b1: number,
): number {
  if (!rm) return 0;
  if (!perGate) return rmGlobal + b0 * U * 4;
  const nb = b1 - b0;
  const ptr = mem.alloc(rm.length * nb * U * 4);
  const f = mem.f32();
  rm.forEach((m, g) => f.set(m.subarray(b0 * U, b1 * U), (ptr >>> 2) + g * nb * U));
  return ptr;
}

/** Copies the step mask and (shared) recurrent dropout mask in whole; per-gate masks are copied per block. */
export function globalMasks(
  mem: WasmArena,
  B: number,
  T: number,
  U: number,
  a: { mask: WasmSequenceForwardArgs['mask']; recurrentDropoutMasks: Float32Array[] | null },
) {
  const maskPtr = a.mask ? mem.copyIn(a.mask, 0, B * T) : 0;
  const rm = a.recurrentDropoutMasks;
  const perGate = !!rm && rm.some((m) => m !== rm[0]);
  let rmPtr = 0;
  if (rm && !perGate) rmPtr = mem.copyIn(rm[0], 0, B * U);
  return { maskPtr, rmPtr, perGate };
}

/** Rows [b0, b1) of each of `slots` [B, W] slabs of `src` into a new [slots, b1 − b0, W] region. */
export function copyRowBlock(mem: WasmArena, src: Float32Array, slots: number, B: number, W: number, b0: number, b1: number): number {
  const nb = b1 - b0;
  const ptr = mem.alloc(slots * nb * W * 4);
  const f = mem.f32();
  for (let s = 0; s < slots; s++) f.set(src.subarray((s * B + b0) * W, (s * B + b1) * W), (ptr >>> 2) + s * nb * W);
  return ptr;
}

/** Writes a [slots, b1 − b0, W] region at `ptr` into rows [b0, b1) of the [slots, B, W] array `dst`. */
export function putRowBlock(
  mem: WasmArena,
  ptr: number,
  dst: Float32Array,
  slots: number,
  B: number,
  W: number,
  b0: number,
  b1: number,
): void {
  const nb = b1 - b0;
  const f = mem.f32();
  for (let s = 0; s < slots; s++) {
    const from = (ptr >>> 2) + s * nb * W;
    dst.set(f.subarray(from, from + nb * W), (s * B + b0) * W);
  }
}

/** The forward recurrence on all threads of `pool` (see the file comment); same result as one thread. */
export function sequenceForwardWasmThreaded(w: WasmExports, pool: WorkerPool, a: WasmSequenceForwardArgs): WasmSequenceForwardResult {
  const { batch: B, timeSteps: T, units: U, cell, store } = a;
  const GU = gatesOf(cell) * U;
  const nStates = store ? T + 1 : 2;
  const nG = store ? T : 1;
  const simple = cell === 'simple';
  const parts = splitRange(B, pool.threads);
  // A training forward keeps its saved buffers resident for the backward (sequence_resident.ts).
  const sizes = (nb: number) => [
    nStates * nb * U,
    cell === 'lstm' ? nStates * nb * U : 0,
    simple ? 0 : nG * nb * GU,
    simple ? 0 : nG * nb * U,
  ];
  const layout = savedLayoutOf(a);
  const resident = store ? reserveResident(parts.reduce((t, [b0, b1]) => t + residentBlockBytes(layout, b1 - b0), 0)) : null;
  try {
    return forwardBlocks(w, pool, a, parts, sizes, resident);
  } catch (e) {
    if (resident) cancelResident(resident);
    throw e;
  }
}

function forwardBlocks(
  w: WasmExports,
  pool: WorkerPool,
  a: WasmSequenceForwardArgs,
  parts: [number, number][],
  sizes: (nb: number) => number[],
  resident: ResidentReservation | null,
): WasmSequenceForwardResult {
  const { batch: B, timeSteps: T, units: U, cell, store } = a;
  const G = gatesOf(cell);
  const GU = G * U;
  const BU = B * U;
  const D = a.inputDim;
  const simple = cell === 'simple';
  const kept = keptWeights(w, a);
  const mem = arena();
  const saved = (n: number) => (n === 0 ? 0 : resident ? resident.alloc(n * 4) : mem.alloc(n * 4));
  // The caller's projections P, or x and the packed [W; b] (each block projects its own rows step by step).
  const [P, x, packedW] = forwardInputs(w, mem, a, B, T, kept);
  const packed = packedRecurrentKernel(w, mem, a, kept);
  const { maskPtr, rmPtr, perGate } = globalMasks(mem, B, T, U, a);
  const prevOut = copyInOrZeros(mem, a.prevOutInit, BU);
  const seq = a.returnSequences ? mem.alloc(B * T * U * 4) : 0;
  const biasRec = cell === 'gru' && a.biasRec ? mem.copyIn(a.biasRec, 0, GU) : 0;
  const act = ACTIVATION_IDS[a.activation];
  const rec = ACTIVATION_IDS[a.recurrentActivation];
  const back = a.goBackwards ? 1 : 0;
  const keep = store ? 1 : 0;
  const blocks = parts.map(([b0, b1]) => {
    const nb = b1 - b0;
    const nbU = nb * U;
    const [nH, nC, nGates, nExtra] = sizes(nb);
    const Hs = saved(nH);
    const C = saved(nC);
    const gates = saved(nGates);
    const extra = saved(nExtra);
    // State 0 of the block: its rows of the initial states (or zeros).
    fillIn(mem, Hs, a.initialH ? a.initialH.subarray(b0 * U, b1 * U) : null, nbU);
    if (C) fillIn(mem, C, a.initialC ? a.initialC.subarray(b0 * U, b1 * U) : null, nbU);
    const R = cell === 'gru' ? mem.alloc(nb * GU * 4) : 0;
    const rm = blockMasks(mem, a.recurrentDropoutMasks, rmPtr, perGate, U, b0, b1);
    const work = mem.alloc(w.forwardWorkFloats(nb, U, a.P ? 0 : D) * 4);
    // This block's rows of P, or of x (with packedW): rows (b, t) of both.
    const inputs = P ? [P + b0 * T * GU * 4, 0, 0, 0] : [0, x + b0 * T * D * 4, packedW, D];
    const m = maskPtr ? maskPtr + b0 * T * 4 : 0;
    const po = prevOut + b0 * U * 4;
    const sq = seq ? seq + b0 * T * U * 4 : 0;
    const calls: WasmCall[] = [];
    if (simple) {
      calls.push({ fn: 'simpleForward', args: [...inputs, packed, Hs, po, sq, m, rm, nb, T, U, back, keep, act, work] });
    } else if (cell === 'lstm') {
      calls.push({
        fn: 'lstmForward',
        args: [...inputs, packed, Hs, C, gates, extra, po, sq, m, rm, perGate ? 1 : 0, nb, T, U, back, keep, act, rec, work],
      });
    } else {
      calls.push({
        fn: 'gruForward',
        args: [
          ...inputs,
          packed,
          biasRec,
          Hs,
          gates,
          extra,
          R,
          po,
          sq,
          m,
          rm,
          perGate ? 1 : 0,
          nb,
          T,
          U,
          back,
          keep,
          a.resetAfter ? 1 : 0,
          act,
          rec,
          work,
        ],
      });
    }
    return { b0, b1, H: Hs, C, gates, extra, calls };
  });
  pool.run(blocks.map((b) => b.calls));
  // The final states: slot T (T & 1 without store) of each block.
  const fin = store ? T : T & 1;
  const res: WasmSequenceForwardResult = {
    prevOut: out(mem, prevOut, BU),
    seq: seq ? out(mem, seq, B * T * U) : null,
    finalH: new Float32Array(BU),
    finalC: cell === 'lstm' ? new Float32Array(BU) : null,
    saved: null,
    resident: null,
  };
  for (const b of blocks) {
    const nbU = (b.b1 - b.b0) * U;
    putRowBlock(mem, b.H + fin * nbU * 4, res.finalH, 1, B, U, b.b0, b.b1);
    if (res.finalC) putRowBlock(mem, b.C + fin * nbU * 4, res.finalC, 1, B, U, b.b0, b.b1);
  }
  if (resident) {
    const kept = blocks.map((b) => ({ b0: b.b0, b1: b.b1, H: b.H, C: b.C, gates: b.gates, extra: b.extra }));
    res.resident = registerResident(resident, savedLayoutOf(a), kept);
  } else if (store) {
    // Not resident: the saved buffers are copied out (the backward copies them back in).
    countSavedCopyOut();
    const layout = savedLayoutOf(a);
    const saved = newSavedArrays(layout);
    for (const b of blocks) {
      for (const which of ['H', 'C', 'gates', 'extra'] as const) {
        const sh = savedShape(layout, which);
        if (sh) putRowBlock(mem, b[which], saved[which] as Float32Array, sh.slots, B, sh.width, b.b0, b.b1);
      }
    }
    res.saved = saved;
  }
  return res;
}
