/**
 * The weight-gradient tail of the one-thread wasm backward (sequence_wasm_backward.ts) with dropout masks, for
 * LSTM and SimpleRNN: the same math as the TypeScript tail (recurrentKernelGrad / inputGradients in
 * kernels/sequence_common.ts) on the buffers already in wasm memory, so neither dRec nor the forward's saved h
 * is copied out. Per mask group g (one group over all G·U columns when the gates share one mask, else one per
 * gate, U columns at g·U): dU[:, g] = (H ⊙ rm_g)ᵀ·dRec[:, g], dW[:, g] = (X ⊙ im_g)ᵀ·dP[:, g],
 * dX = Σ_g (dP[:, g]·W[:, g]ᵀ) ⊙ im_g. Rows are step-major (s, b), so row r takes mask row r % batch (the masks
 * are [batch, features], the same at every step). GRU keeps the TypeScript tail (its gate h from r ⊙ h and its
 * batch-major dPin would need their own masked layouts).
 */
import { masksShared } from './sequence_wasm';
import type { WasmArena, WasmExports } from './wasm';

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
  return masksShared(masks) ? [{ mask: masks[0], c0: 0, width: GU }] : masks.map((mask, g) => ({ mask, c0: g * U, width: U }));
}

/** Floats of scratch `maskedWeightGrads` allocates for these sizes (0 without masks). */
export function maskedTailFloats(rows: number, U: number, D: number, rm: Float32Array[] | null, im: Float32Array[] | null): number {
  return (rm ? rows * U : 0) + (im ? 2 * rows * D : 0);
}

/** dst[r, :] = src[r, :] ⊙ mask[r % B, :] for `rows` rows of `width` (float indices into `f`). */
function scaleRows(f: Float32Array, src: number, dst: number, rows: number, width: number, mask: Float32Array, B: number): void {
  for (let r = 0; r < rows; r++) {
    const m = (r % B) * width;
    const s = src + r * width;
    const d = dst + r * width;
    for (let j = 0; j < width; j++) f[d + j] = f[s + j] * mask[m + j];
  }
}

/** Where the masked tail reads and writes (byte pointers into `mem`), rows step-major (s, b). */
export interface MaskedTailBuffers {
  batch: number;
  rows: number;
  units: number;
  inputDim: number;
  gatesUnits: number;
  /** [rows, U]: h before each step. */
  H: number;
  /** [rows, G·U]: gate gradients (LSTM/SimpleRNN: also the input projection's). */
  dRec: number;
  /** [rows, D] inputs. */
  x: number;
  /** [D, G·U] kernel. */
  W: number;
  dU: number;
  dW: number;
  dX: number;
  /** gemm workspace for the largest of the unmasked products. */
  work: number;
}

/**
 * dU, dW and dX with recurrent masks `rm` and input masks `im` (either may be null: that product unmasked).
 * Allocates its scratch (maskedTailFloats) from `mem`; views are taken after allocating.
 */
export function maskedWeightGrads(
  w: WasmExports,
  mem: WasmArena,
  p: MaskedTailBuffers,
  rm: Float32Array[] | null,
  im: Float32Array[] | null,
): void {
  maskedTailCalls++;
  const { batch: B, rows, units: U, inputDim: D, gatesUnits: GU, H, dRec, x, W, dU, dW, dX, work } = p;
  const hm = rm ? mem.alloc(rows * U * 4) : 0;
  const xm = im ? mem.alloc(rows * D * 4) : 0;
  const tmp = im ? mem.alloc(rows * D * 4) : 0;
  if (!rm) w.gemm(H, U, 1, dRec, GU, 0, dU, GU, U, GU, rows, 0, work);
  else {
    for (const { mask, c0, width } of groupsOf(rm, U, GU)) {
      scaleRows(mem.f32(), H >>> 2, hm >>> 2, rows, U, mask, B);
      w.gemm(hm, U, 1, dRec + 4 * c0, GU, 0, dU + 4 * c0, GU, U, width, rows, 0, work);
    }
  }
  if (!im) {
    w.gemm(x, D, 1, dRec, GU, 0, dW, GU, D, GU, rows, 0, work);
    w.gemm(dRec, GU, 0, W, GU, 1, dX, D, rows, D, GU, 0, work);
    return;
  }
  const groups = groupsOf(im, U, GU);
  groups.forEach(({ mask, c0, width }, g) => {
    scaleRows(mem.f32(), x >>> 2, xm >>> 2, rows, D, mask, B);
    w.gemm(xm, D, 1, dRec + 4 * c0, GU, 0, dW + 4 * c0, GU, D, width, rows, 0, work);
    // (dP[:, g]·W[:, g]ᵀ) ⊙ im_g: the first group straight into dX, the others through tmp, added.
    w.gemm(dRec + 4 * c0, GU, 0, W + 4 * c0, GU, 1, g === 0 ? dX : tmp, D, rows, D, width, 0, work);
    const f = mem.f32();
    const o = dX >>> 2;
    const t = tmp >>> 2;
    for (let r = 0; r < rows; r++) {
      const m = (r % B) * D;
      const d = o + r * D;
      if (g === 0) for (let j = 0; j < D; j++) f[d + j] *= mask[m + j];
      else for (let j = 0; j < D; j++) f[d + j] += f[t + r * D + j] * mask[m + j];
    }
  });
}
