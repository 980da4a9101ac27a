/**
 * The fused BPTT on all wasm threads. The recurrence runs per block of batch rows (one per thread; each
 * row's gradients are the same sums as with one thread). The weight-gradient tail then runs on the same
 * step-major buffers as one thread (the blocks' dRec scattered back into [T, B, G·U]) with each gemm split
 * by rows of its result, so dU, dW, dX and the bias are bit-identical to one thread
 * (sequenceBackwardWasmOnce) whatever the thread count.
 */
import { ACTIVATION_IDS, batchMajorRows, copyInOrZeros, gatesOf, out, packRecurrentIn } from './sequence_wasm';
import { inputsForWeightGrads, savedRows, tailMasked } from './sequence_wasm_backward';
import { maskedWeightGrads } from './sequence_wasm_masked_tail';
import type { GemmRunner } from './sequence_wasm_masked_tail';
import type { WasmSequenceBackwardArgs, WasmSequenceBackwardResult, WasmSequenceWeightGrads } from './sequence_wasm_backward';
import { blockMasks, copyRowBlock, globalMasks, putRowBlock } from './sequence_wasm_threads_forward';
import { arena } from './wasm';
import { WasmArena } from './wasm_arena';
import type { WasmExports } from './wasm_exports';
import type { WasmCall, WorkerPool } from './threads/pool';
import { GemmCall, splitGemmByRows, splitRange } from './threads/parallel_gemm';

/** The backpropagation-through-time loop on all threads of `pool` (see the file comment). */
export function sequenceBackwardWasmThreaded(w: WasmExports, pool: WorkerPool, a: WasmSequenceBackwardArgs): WasmSequenceBackwardResult {
  return backwardBlocks(w, pool, a, splitRange(a.batch, pool.threads));
}

function backwardBlocks(
  w: WasmExports,
  pool: WorkerPool,
  a: WasmSequenceBackwardArgs,
  parts: [number, number][],
): WasmSequenceBackwardResult {
  const { batch: B, timeSteps: T, units: U, cell } = a;
  const G = gatesOf(cell);
  const GU = G * U;
  const BU = B * U;
  const simple = cell === 'simple';
  const mem = arena();
  const packed = packRecurrentIn(w, mem, a.recurrentKernel, G, U, true);
  const { maskPtr, rmPtr, perGate } = globalMasks(mem, B, T, U, a);
  const dLast = a.dLastOutput ? mem.copyIn(a.dLastOutput, 0, BU) : 0;
  const dSeq = a.dSequenceOutputs ? mem.copyIn(a.dSequenceOutputs, 0, B * T * U) : 0;
  const t = a.tail;
  // As one thread: LSTM and SimpleRNN with the tail never write dPin (the tail reads dRec, step-major).
  const stepMajor = t !== null && cell !== 'gru';
  const dPin = stepMajor ? 0 : mem.alloc(T * B * GU * 4);
  const act = ACTIVATION_IDS[a.activation];
  const rec = ACTIVATION_IDS[a.recurrentActivation];
  const back = a.goBackwards ? 1 : 0;
  const rowsOr0 = (src: Float32Array | null, b0: number, b1: number) =>
    src ? copyRowBlock(mem, src, 1, B, U, b0, b1) : copyInOrZeros(mem, null, (b1 - b0) * U);
  const blocks = parts.map(([b0, b1]) => {
    const nb = b1 - b0;
    const nbU = nb * U;
    // The forward's buffers: in place when it ran with the same blocks (sequence_resident.ts), else gathered or copied in.
    const H = savedRows(mem, a, 'H', b0, b1);
    const C = savedRows(mem, a, 'C', b0, b1);
    const gates = savedRows(mem, a, 'gates', b0, b1);
    const extra = savedRows(mem, a, 'extra', b0, b1);
    const dh = rowsOr0(a.dFinalH, b0, b1);
    const dc = cell === 'lstm' ? rowsOr0(a.dFinalC, b0, b1) : 0;
    const dhPrev = mem.alloc(nbU * 4);
    const dCarry = mem.alloc(nbU * 4);
    const scratch = mem.alloc(nbU * 4);
    const dS = mem.alloc(nbU * 4);
    const dRec = mem.alloc(T * nb * GU * 4);
    const rm = blockMasks(mem, a.recurrentDropoutMasks, rmPtr, perGate, U, b0, b1);
    const work = mem.alloc(w.sequenceWorkFloats(nb, U) * 4);
    const m = maskPtr ? maskPtr + b0 * T * 4 : 0;
    const dl = dLast ? dLast + b0 * U * 4 : 0;
    const ds = dSeq ? dSeq + b0 * T * U * 4 : 0;
    const dp = dPin ? dPin + b0 * T * GU * 4 : 0;
    const pg = perGate ? 1 : 0;
    const call: WasmCall = simple
      ? { fn: 'simpleBackward', args: [packed, H, dh, dhPrev, dCarry, scratch, dl, ds, m, rm, dRec, dp, nb, T, U, back, act, work] }
      : cell === 'lstm'
        ? {
            fn: 'lstmBackward',
            args: [
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
              dl,
              ds,
              m,
              rm,
              pg,
              dRec,
              dp,
              nb,
              T,
              U,
              back,
              act,
              rec,
              work,
            ],
          }
        : {
            fn: 'gruBackward',
            args: [
              packed,
              H,
              gates,
              extra,
              dh,
              dhPrev,
              dCarry,
              scratch,
              dS,
              dl,
              ds,
              m,
              rm,
              pg,
              dRec,
              dp,
              nb,
              T,
              U,
              back,
              a.resetAfter ? 1 : 0,
              act,
              rec,
              work,
            ],
          };
    return { b0, b1, dc, dCarry, dRec, call };
  });
  const fins = pool.run(blocks.map((b) => [b.call]));
  const res: WasmSequenceBackwardResult = {
    dRec: null,
    dPin: null,
    weights: null,
    dh: new Float32Array(BU),
    dc: cell === 'lstm' ? new Float32Array(BU) : null,
    dCarry: new Float32Array(BU),
  };
  blocks.forEach((b, i) => {
    putRowBlock(mem, fins[i], res.dh, 1, B, U, b.b0, b.b1);
    if (res.dc) putRowBlock(mem, b.dc, res.dc, 1, B, U, b.b0, b.b1);
    putRowBlock(mem, b.dCarry, res.dCarry, 1, B, U, b.b0, b.b1);
  });
  if (!t) {
    res.dRec = new Float32Array(T * B * GU);
    for (const b of blocks) putRowBlock(mem, b.dRec, res.dRec, T, B, GU, b.b0, b.b1);
    res.dPin = out(mem, dPin, T * B * GU);
    return res;
  }
  // The tail on one thread's layout: dRec [T, B, G·U] step-major.
  const dRec = mem.alloc(T * B * GU * 4);
  const f = mem.f32();
  for (const b of blocks) {
    const nb = b.b1 - b.b0;
    for (let s = 0; s < T; s++) {
      const from = (b.dRec >>> 2) + s * nb * GU;
      f.copyWithin((dRec >>> 2) + (s * B + b.b0) * GU, from, from + nb * GU);
    }
  }
  res.weights = weightGradsThreaded(w, pool, mem, a, dRec, dPin, stepMajor);
  return res;
}

/** dU, dW, dX and the bias gradient from dRec (and dPin for GRU), gemms split by rows across the pool. */
function weightGradsThreaded(
  w: WasmExports,
  pool: WorkerPool,
  mem: WasmArena,
  a: WasmSequenceBackwardArgs,
  dRec: number,
  dPin: number,
  stepMajor: boolean,
): WasmSequenceWeightGrads {
  const t = a.tail as NonNullable<WasmSequenceBackwardArgs['tail']>;
  const { batch: B, timeSteps: T, units: U, cell } = a;
  const GU = gatesOf(cell) * U;
  const D = t.inputDim;
  const rows = B * T;
  // Step-major h (and GRU's r ⊙ h) of all rows: in place when the forward ran as one block, else gathered or copied in.
  const H = savedRows(mem, a, 'H', 0, B);
  const gruRz = cell === 'gru' && !a.resetAfter;
  const extra = gruRz ? savedRows(mem, a, 'extra', 0, B) : 0;
  const x = inputsForWeightGrads(mem, a, stepMajor);
  const gp = stepMajor ? dRec : dPin;
  const W = mem.copyIn(t.kernel, 0, D * GU);
  const dU = mem.alloc(U * GU * 4);
  const dW = mem.alloc(D * GU * 4);
  const dX = mem.alloc(rows * D * 4);
  const dBias = t.biasRows ? mem.alloc(t.biasRows * GU * 4) : 0;
  const ws = Math.max(w.gemmWorkspaceBytes(U, GU, rows), w.gemmWorkspaceBytes(D, GU, rows), w.gemmWorkspaceBytes(rows, D, GU));
  const works = Array.from({ length: pool.threads }, () => mem.alloc(ws));
  const g = (o: Omit<GemmCall, 'accumulate'>): WasmCall[] => splitGemmByRows({ ...o, accumulate: false }, works);
  if (tailMasked(a)) {
    // Dropout masks: the one-thread masked tail with its gemms split by rows.
    const gemms: GemmRunner = (calls) => {
      const split = calls.map(([a, lda, ta, b, ldb, tb, c, ldc, M, N, K]) =>
        g({ a, lda, transA: !!ta, b, ldb, transB: !!tb, c, ldc, M, N, K }),
      );
      pool.run(works.map((_, i) => split.flatMap((p) => (p[i] ? [p[i]] : []))).filter((c, i) => i === 0 || c.length > 0));
    };
    const buffers = { batch: B, timeSteps: T, rows, units: U, inputDim: D, gatesUnits: GU, H, dRec, dPin: gp, extra, x, W, dU, dW, dX };
    maskedWeightGrads(gemms, mem, buffers, a.recurrentDropoutMasks, t.inputDropoutMasks);
    if (dBias) w.columnSums(gp, rows, GU, dBias);
    if (t.biasRows === 2) w.columnSums(dRec, rows, GU, dBias + GU * 4);
  } else {
    const parts: WasmCall[][] = [];
    if (gruRz) {
      parts.push(g({ a: H, lda: U, transA: true, b: dRec, ldb: GU, transB: false, c: dU, ldc: GU, M: U, N: 2 * U, K: rows }));
      parts.push(
        g({ a: extra, lda: U, transA: true, b: dRec + 8 * U, ldb: GU, transB: false, c: dU + 8 * U, ldc: GU, M: U, N: U, K: rows }),
      );
    } else {
      parts.push(g({ a: H, lda: U, transA: true, b: dRec, ldb: GU, transB: false, c: dU, ldc: GU, M: U, N: GU, K: rows }));
    }
    parts.push(g({ a: x, lda: D, transA: true, b: gp, ldb: GU, transB: false, c: dW, ldc: GU, M: D, N: GU, K: rows }));
    parts.push(g({ a: gp, lda: GU, transA: false, b: W, ldb: GU, transB: true, c: dX, ldc: D, M: rows, N: D, K: GU }));
    const tasks: WasmCall[][] = works.map((_, i) => parts.flatMap((p) => (p[i] ? [p[i]] : [])));
    if (dBias) {
      tasks[0].push({ fn: 'columnSums', args: [gp, rows, GU, dBias] });
      if (t.biasRows === 2) tasks[0].push({ fn: 'columnSums', args: [dRec, rows, GU, dBias + GU * 4] });
    }
    pool.run(tasks.filter((c, i) => i === 0 || c.length > 0));
  }
  return {
    dInputs: stepMajor ? batchMajorRows(mem, dX, B, T, D, a.goBackwards) : out(mem, dX, rows * D),
    dKernel: out(mem, dW, D * GU),
    dRecurrentKernel: out(mem, dU, U * GU),
    dBias: dBias ? out(mem, dBias, t.biasRows * GU) : null,
  };
}
