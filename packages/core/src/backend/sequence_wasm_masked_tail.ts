/**
 * The weight-gradient tail of the wasm backward with dropout masks, on one thread (sequence_wasm_backward.ts) or
 * with its gemms split by rows across the pool (sequence_wasm_threads_backward.ts): the same math as the TypeScript
 * tails (recurrentKernelGrad / inputGradients in kernels/sequence_common.ts, sequenceInputGrads) on the buffers already
 * in wasm memory, so neither dRec nor the forward's saved h is copied out. Per mask group g (one group over all
 * masked columns when the gates share one mask, else one per gate, U columns at g·U):
 * dU[:, g] = (H ⊙ rm_g)ᵀ·dRec[:, g], dW[:, g] = (X ⊙ im_g)ᵀ·dP[:, g], dX = Σ_g (dP[:, g]·W[:, g]ᵀ) ⊙ im_g.
 * H/dRec rows are step-major (s, b): row r takes mask row r % batch (the masks are [batch, features], the same
 * at every step). LSTM/SimpleRNN: dP is dRec and X is reordered to step-major. GRU: dP is dPin with rows (b, t)
 * and X as it is (mask row ⌊r / T⌋); without resetAfter the h-gate block of dU is extraᵀ·dRec_h, `extra` being
 * r ⊙ (h ⊙ rm_h) as the forward saved it (already masked).
 */
import { masksShared } from '../kernels/sequence_products';
import type { WasmArena } from './wasm_arena';
import type { WasmExports } from './wasm_exports';

let maskedTailCalls = 0;

/** Test hook: how many wasm tails ran with dropout masks since the last read (then resets). */
export function takeMaskedTailCountForTests(): number {
  const n = maskedTailCalls;
  maskedTailCalls = 0;
  return n;
}

/** One mask group: the mask [batch, width of the masked operand] and its gate columns [c0, c0 + width). */
interface MaskGroup {
  mask: Float32Array;
  c0: number;
  width: number;
}

function groupsOf(masks: Float32Array[], U: number, GU: number): MaskGroup[] {
  return masksShared(masks)
    ? [{ mask: masks[0], c0: 0, width: GU }]
    : masks.slice(0, GU / U).map((mask, g) => ({ mask, c0: g * U, width: U }));
}

/** Floats of scratch `maskedWeightGrads` allocates for these sizes (0 without masks). */
export function maskedTailFloats(rows: number, U: number, D: number, rm: Float32Array[] | null, im: Float32Array[] | null): number {
  return (rm ? rows * U : 0) + (im ? 2 * rows * D : 0);
}

/** dst[r, :] = src[r, :] ⊙ mask[rowOf(r), :] for `rows` rows of `width` (float indices into `f`). */
function scaleRows(
  f: Float32Array,
  src: number,
  dst: number,
  rows: number,
  width: number,
  mask: Float32Array,
  rowOf: (r: number) => number,
): void {
  for (let r = 0; r < rows; r++) {
    const m = rowOf(r) * width;
    const s = src + r * width;
    const d = dst + r * width;
    for (let j = 0; j < width; j++) f[d + j] = f[s + j] * mask[m + j];
  }
}

/** Where the masked tail reads and writes (byte pointers into `mem`); H/dRec rows step-major (s, b). */
export interface MaskedTailBuffers {
  batch: number;
  timeSteps: number;
  rows: number;
  units: number;
  inputDim: number;
  gatesUnits: number;
  /** [rows, U]: h before each step. */
  H: number;
  /** [rows, G·U]: gate gradients (LSTM/SimpleRNN: also the input projection's). */
  dRec: number;
  /** [rows, G·U]: the input projection's gradients, dRec (step-major) or GRU's dPin (rows (b, t)). */
  dPin: number;
  /** [rows, U]: GRU without resetAfter, r ⊙ (masked) h for the h-gate block of dU; else 0. */
  extra: number;
  /** [rows, D] inputs, rows as dPin's. */
  x: number;
  /** [D, G·U] kernel. */
  W: number;
  dU: number;
  dW: number;
  dX: number;
}

/** A gemm as the `w.gemm` export takes it, without accumulate and workspace: C = op(A)·op(B). */
export type GemmArgs = [
  a: number,
  lda: number,
  transA: number,
  b: number,
  ldb: number,
  transB: number,
  c: number,
  ldc: number,
  M: number,
  N: number,
  K: number,
];

/** Runs independent gemms (C overwritten): one after the other on one thread, or split by rows across a pool. */
export type GemmRunner = (calls: GemmArgs[]) => void;

/** The one-thread runner: each gemm with the `w.gemm` export and workspace `work`. */
export function gemmsOnOneThread(w: WasmExports, work: number): GemmRunner {
  return (calls) => {
    for (const c of calls) w.gemm(...c, 0, work);
  };
}

/**
 * dU, dW and dX with recurrent masks `rm` and input masks `im` (either may be null: that product unmasked), the
 * products through `gemms` (same bits on one thread or split by rows). Allocates its scratch (maskedTailFloats)
 * from `mem`; views are taken after allocating.
 */
export function maskedWeightGrads(
  gemms: GemmRunner,
  mem: WasmArena,
  p: MaskedTailBuffers,
  rm: Float32Array[] | null,
  im: Float32Array[] | null,
): void {
  maskedTailCalls++;
  const { batch: B, timeSteps: T, rows, units: U, inputDim: D, gatesUnits: GU, H, dRec, dPin, extra, x, W, dU, dW, dX } = p;
  const stepRow = (r: number) => r % B;
  const inRow = dPin === dRec ? stepRow : (r: number) => Math.floor(r / T);
  const hm = rm ? mem.alloc(rows * U * 4) : 0;
  const xm = im ? mem.alloc(rows * D * 4) : 0;
  const tmp = im ? mem.alloc(rows * D * 4) : 0;
  // GRU without resetAfter: H feeds the z and r columns only, the h-gate block is extraᵀ·dRec_h (run with the first).
  const RU = extra ? 2 * U : GU;
  const h: GemmArgs[] = extra ? [[extra, U, 1, dRec + 4 * RU, GU, 0, dU + 4 * RU, GU, U, U, rows]] : [];
  if (!rm) gemms([[H, U, 1, dRec, GU, 0, dU, GU, U, RU, rows], ...h]);
  else {
    groupsOf(rm, U, RU).forEach(({ mask, c0, width }, g) => {
      scaleRows(mem.f32(), H >>> 2, hm >>> 2, rows, U, mask, stepRow);
      gemms([[hm, U, 1, dRec + 4 * c0, GU, 0, dU + 4 * c0, GU, U, width, rows], ...(g === 0 ? h : [])]);
    });
  }
  if (!im) {
    gemms([
      [x, D, 1, dPin, GU, 0, dW, GU, D, GU, rows],
      [dPin, GU, 0, W, GU, 1, dX, D, rows, D, GU],
    ]);
    return;
  }
  groupsOf(im, U, GU).forEach(({ mask, c0, width }, g) => {
    scaleRows(mem.f32(), x >>> 2, xm >>> 2, rows, D, mask, inRow);
    // (dP[:, g]·W[:, g]ᵀ) ⊙ im_g: the first group straight into dX, the others through tmp, added.
    gemms([
      [xm, D, 1, dPin + 4 * c0, GU, 0, dW + 4 * c0, GU, D, width, rows],
      [dPin + 4 * c0, GU, 0, W + 4 * c0, GU, 1, g === 0 ? dX : tmp, D, rows, D, width],
    ]);
    const f = mem.f32();
    const o = dX >>> 2;
    const t = tmp >>> 2;
    for (let r = 0; r < rows; r++) {
      const m = inRow(r) * D;
      const d = o + r * D;
      if (g === 0) for (let j = 0; j < D; j++) f[d + j] *= mask[m + j];
      else for (let j = 0; j < D; j++) f[d + j] += f[t + r * D + j] * mask[m + j];
    }
  });
}
