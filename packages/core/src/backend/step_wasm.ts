/**
 * JS glue of the one-step cell kernels in wasm (assembly/step_kernel.ts): the packed weights of one cell stay
 * RESIDENT in a retained region of the module's memory (see wasm.ts), re-packed only when a weight array
 * is replaced; a step copies x, h (and c) in, makes one wasm call and copies the new h (and c) out.
 * The TypeScript twin and the public API are in src/kernels/step_kernel.ts.
 */
import { arena, retainedArena } from './wasm';
import { WasmArena, align16 } from './wasm_arena';
import type { WasmExports } from './wasm_exports';
import { splitRange } from './threads/parallel_gemm';
import { activePool, threadsMinWork } from './threads/threads';
import type { WasmCall, WorkerPool } from './threads/pool';
import { now, SplitChoice } from './step_split_choice';
import { WASM_ACTIVATION_IDS, WASM_STEP_KIND, WASM_STEP_KIND_GATES } from './wasm_interface.generated';

/** Cell kinds of assembly/step_kernel.ts (one definition: scripts/wasm_interface.mjs). */
export const STEP_KIND = WASM_STEP_KIND;

/** Activation ids of the module (one definition: scripts/wasm_interface.mjs). */
export const STEP_ACTIVATION_IDS: { readonly [name: string]: number } = WASM_ACTIVATION_IDS;

/** Most bytes one step kernel keeps resident for its batch buffers and weights (larger batches run in blocks of rows). */
let maxStepRegionBytes = 256 * 1024 * 1024;

/** Test hook: sets the resident-region limit of step kernels; returns the previous one. */
export function setStepScratchLimitForTests(bytes: number): number {
  const old = maxStepRegionBytes;
  maxStepRegionBytes = bytes;
  return old;
}

interface Regions {
  arena: WasmArena;
  weights: number;
}

interface RegionViews {
  x: Float32Array;
  h: Float32Array;
  c: Float32Array;
  hOut: Float32Array;
  cOut: Float32Array;
}

/** Frees the regions of kernels that were garbage-collected without `dispose()`. */
const registry: { register(o: object, held: Regions, token: object): void; unregister(token: object): void } | null =
  typeof (globalThis as { FinalizationRegistry?: unknown }).FinalizationRegistry === 'function'
    ? new (
        globalThis as unknown as {
          FinalizationRegistry: new (cb: (r: Regions) => void) => {
            register(o: object, held: Regions, token: object): void;
            unregister(token: object): void;
          };
        }
      ).FinalizationRegistry((r: Regions) => {
        if (retainedArena() === r.arena) {
          r.arena.release(r.weights);
        }
      })
    : null;

/**
 * The resident wasm state of one step kernel: packed weights, padded bias and the step's input/output
 * buffers and workspace (sized for the largest batch so far), all in ONE retained region.
 */
export class WasmStepState {
  private regions: Regions | null = null;
  private w: WasmExports | null = null;
  private kernelRef: Float32Array | null = null;
  private recurrentRef: Float32Array | null = null;
  private biasRef: Float32Array | null = null;
  private capacity = 0;
  /** `maxStepRegionBytes` when the region was laid out (a step of ≤ capacity rows then needs no layout check). */
  private capacityLimit = 0;
  private packed = 0;
  private bias = 0;
  private x = 0;
  private h = 0;
  private c = 0;
  private hOut = 0;
  private cOut = 0;
  private work = 0;
  /** Views of the step buffers (`regionViews`), made on the first streaming step after a layout. */
  private views: RegionViews | null = null;
  private readonly splitChoice = new SplitChoice();

  constructor(
    private readonly kind: number,
    private readonly D: number,
    private readonly U: number,
  ) {}

  /** Bytes this state holds in wasm memory (0 when nothing is resident). */
  residentBytes(): number {
    return this.regions ? this.layout(this.capacity).total : 0;
  }

  private layout(B: number) {
    const w = this.w as WasmExports;
    const { kind, D, U } = this;
    const a16 = (n: number) => align16(n * 4);
    // x is not padded, so for batch 1 h follows it directly and the kernel reads [x, h] as one vector.
    const sizes = [
      a16(w.stepPackedFloats(kind, D, U)),
      a16(w.stepBiasFloats(kind, U)),
      B * D * 4,
      a16(B * U),
      a16(B * U),
      a16(B * U),
      a16(B * U),
      a16(w.stepWorkFloats(kind, B, D, U)),
    ];
    const offs: number[] = [];
    let at = 0;
    for (const s of sizes) {
      offs.push(at);
      at += s;
    }
    return { offs, total: at };
  }

  /** Makes the weights resident for `batch` rows (re-packing when the module, a weight array or the batch capacity changed). */
  private prepare(w: WasmExports, kernel: Float32Array, recurrent: Float32Array, bias: Float32Array | null, B: number): void {
    const current = retainedArena() as WasmArena;
    const r = this.regions;
    if (
      r &&
      r.arena === current &&
      this.kernelRef === kernel &&
      this.recurrentRef === recurrent &&
      this.biasRef === bias &&
      B <= this.capacity
    ) {
      return;
    }
    this.release();
    this.w = w;
    const cap = Math.max(B, 1);
    const { offs, total } = this.layout(cap);
    const base = current.retain(total);
    [this.packed, this.bias, this.x, this.h, this.c, this.hOut, this.cOut, this.work] = offs.map((o) => base + o);
    this.regions = { arena: current, weights: base };
    registry?.register(this, this.regions, this);
    this.capacity = cap;
    this.capacityLimit = maxStepRegionBytes;
    this.views = null;
    const { kind, D, U } = this;
    const G = WASM_STEP_KIND_GATES[kind];
    const mem = arena(); // scratch above the retained region, for the unpacked weights
    const wp = mem.copyIn(kernel, 0, D * G * U);
    const rp = mem.copyIn(recurrent, 0, U * G * U);
    const bp = bias ? mem.copyIn(bias, 0, bias.length) : 0;
    w.packStepWeights(kind, wp, rp, bp, D, U, this.packed, this.bias);
    this.kernelRef = kernel;
    this.recurrentRef = recurrent;
    this.biasRef = bias;
  }

  /**
   * One step of `B` rows on wasm: hOut (and cOut) get the new states. x [B·D], h, c [B·U]; hOut/cOut may
   * be h/c. The weights are re-packed first when an array differs from the last call (identity).
   * Batches whose resident region would exceed `stepScratchLimit()` run in blocks of rows.
   */
  step(
    w: WasmExports,
    kernel: Float32Array,
    recurrent: Float32Array,
    bias: Float32Array | null,
    x: Float32Array,
    h: Float32Array,
    c: Float32Array | null,
    hOut: Float32Array,
    cOut: Float32Array | null,
    B: number,
    act: number,
    rec: number,
  ): void {
    this.w = w;
    // The common case (streaming: the same batch every call) without the layout's size calls.
    if (B <= this.capacity && this.capacityLimit === maxStepRegionBytes) {
      this.stepRows(w, kernel, recurrent, bias, x, h, c, hOut, cOut, B, act, rec);
      return;
    }
    let nb = Math.max(1, B);
    while (nb > 1 && this.layout(nb).total > maxStepRegionBytes) nb = Math.ceil(nb / 2);
    if (nb >= B) {
      this.stepRows(w, kernel, recurrent, bias, x, h, c, hOut, cOut, B, act, rec);
      return;
    }
    const { D, U } = this;
    for (let b0 = 0; b0 < B; b0 += nb) {
      const m = Math.min(nb, B - b0);
      const rows = (a: Float32Array, width: number) => a.subarray(b0 * width, (b0 + m) * width);
      this.stepRows(
        w,
        kernel,
        recurrent,
        bias,
        rows(x, D),
        rows(h, U),
        c ? rows(c, U) : null,
        rows(hOut, U),
        cOut ? rows(cOut, U) : null,
        m,
        act,
        rec,
      );
    }
  }

  private stepRows(
    w: WasmExports,
    kernel: Float32Array,
    recurrent: Float32Array,
    bias: Float32Array | null,
    x: Float32Array,
    h: Float32Array,
    c: Float32Array | null,
    hOut: Float32Array,
    cOut: Float32Array | null,
    B: number,
    act: number,
    rec: number,
  ): void {
    this.prepare(w, kernel, recurrent, bias, B);
    const BD = B * this.D;
    const BU = B * this.U;
    const lstm = this.kind === STEP_KIND.lstm;
    // Views of the region kept between calls (no view objects and no memory.buffer look-up per step). They go
    // stale only when a non-shared memory grows (detached: byteLength 0); a shared memory's old buffer keeps
    // covering the region.
    let v = this.views;
    if (v === null || v.hOut.byteLength === 0) v = this.views = this.regionViews();
    v.x.set(x.length === BD ? x : x.subarray(0, BD));
    v.h.set(h.length === BU ? h : h.subarray(0, BU));
    if (lstm) v.c.set((c as Float32Array).length === BU ? (c as Float32Array) : (c as Float32Array).subarray(0, BU));
    w.cellStep(
      this.kind,
      this.packed,
      bias ? this.bias : 0,
      this.x,
      this.h,
      this.c,
      this.hOut,
      this.cOut,
      B,
      this.D,
      this.U,
      act,
      rec,
      this.work,
    );
    const all = B === this.capacity;
    hOut.set(all ? v.hOut : v.hOut.subarray(0, BU));
    if (lstm && cOut) cOut.set(all ? v.cOut : v.cOut.subarray(0, BU));
  }

  /** Views of the step buffers for `capacity` rows (x, h, c in; hOut, cOut out). */
  private regionViews(): RegionViews {
    const buf = (this.regions as Regions).arena.f32().buffer;
    const n = this.capacity * this.U;
    return {
      x: new Float32Array(buf, this.x, this.capacity * this.D),
      h: new Float32Array(buf, this.h, n),
      c: new Float32Array(buf, this.c, n),
      hOut: new Float32Array(buf, this.hOut, n),
      cOut: new Float32Array(buf, this.cOut, n),
    };
  }

  /**
   * `T` steps of `B` rows from the resident weights, with the inputs and every state inside the module
   * (ONE `stepSequence` call, nothing copied between steps): xs [B·T·D] rows (b, t); h0, c0 [B·U]
   * (c0: LSTM); hOut, cOut [B·U] get the final states; seqOut [B·T·U] (optional) rows (b, s), each step's
   * h in processing order. The caller keeps B small enough for `maxStepRegionBytes` (`fitsRows`).
   */
  sequence(
    w: WasmExports,
    kernel: Float32Array,
    recurrent: Float32Array,
    bias: Float32Array | null,
    xs: Float32Array,
    T: number,
    h0: Float32Array,
    c0: Float32Array | null,
    hOut: Float32Array,
    cOut: Float32Array | null,
    seqOut: Float32Array | null,
    B: number,
    act: number,
    rec: number,
    goBackwards: boolean,
  ): void {
    this.w = w;
    this.prepare(w, kernel, recurrent, bias, B);
    const { D, U, kind } = this;
    const lstm = kind === STEP_KIND.lstm;
    const BD = B * D;
    const BU = B * U;
    const mem = arena(); // scratch above the retained region: inputs step-major, every h, c ping-pong
    const X = mem.alloc(T * BD * 4);
    const H = mem.alloc((T + 1) * BU * 4);
    const C = lstm ? mem.alloc(2 * BU * 4) : 0;
    const f = mem.f32();
    const x0 = X >>> 2;
    if (B === 1 && !goBackwards) {
      f.set(xs.length === T * D ? xs : xs.subarray(0, T * D), x0);
    } else {
      // Row (s, b) of X is row (b, t(s)) of xs.
      for (let s = 0; s < T; s++) {
        const t = goBackwards ? T - 1 - s : s;
        for (let b = 0; b < B; b++) {
          const src = (b * T + t) * D;
          f.set(xs.subarray(src, src + D), x0 + (s * B + b) * D);
        }
      }
    }
    f.set(h0.length === BU ? h0 : h0.subarray(0, BU), H >>> 2);
    if (lstm) f.set((c0 as Float32Array).subarray(0, BU), C >>> 2);
    const pool = B === 1 && kind !== STEP_KIND.gru && U * U * WASM_STEP_KIND_GATES[kind] >= threadsMinWork.step ? activePool() : null;
    const split = pool !== null && this.splitChoice.useSplit();
    const t0 = pool ? now() : 0;
    if (split) {
      this.sequenceColumns(w, pool, mem, X, H, C, T, bias !== null, act, rec);
    } else if (T === 1) {
      // One step: `cellStep` (one pass over [x, h]; the same floats) saves the separate projection call.
      w.cellStep(kind, this.packed, bias ? this.bias : 0, X, H, C, H + BU * 4, C ? C + BU * 4 : 0, B, D, U, act, rec, this.work);
    } else {
      // One call for all steps: the input projections of a chunk of steps in one product, then per step
      // h·U and the gate math (assembly/step_kernel.ts `stepSequence`).
      const work = mem.alloc(w.stepSequenceWorkFloats(kind, B, D, U, T) * 4);
      w.stepSequence(kind, this.packed, bias ? this.bias : 0, X, H, C, B, T, D, U, act, rec, work);
    }
    if (pool) this.splitChoice.record(split, (now() - t0) / T);
    const v = mem.f32();
    const hT = (H >>> 2) + T * BU;
    hOut.set(v.subarray(hT, hT + BU));
    if (lstm && cOut) {
      const cT = (C >>> 2) + (T & 1) * BU;
      cOut.set(v.subarray(cT, cT + BU));
    }
    if (seqOut) {
      const h1 = (H >>> 2) + BU;
      if (B === 1) {
        seqOut.set(v.subarray(h1, h1 + T * U));
      } else {
        for (let s = 0; s < T; s++) {
          for (let b = 0; b < B; b++) {
            const src = h1 + (s * B + b) * U;
            seqOut.set(v.subarray(src, src + U), (b * T + s) * U);
          }
        }
      }
    }
  }

  /**
   * `sequence` for batch 1 on all wasm threads: each step's gate columns split by units, one block per
   * thread (`stepColumns`), a barrier between steps (`WorkerPool.runSteps`); the input projections of a
   * chunk of steps first, on the calling thread. Every column is the same sum in the same order as on
   * one thread, so the results are bit-identical for any thread count.
   */
  private sequenceColumns(
    w: WasmExports,
    pool: WorkerPool,
    mem: WasmArena,
    X: number,
    H: number,
    C: number,
    T: number,
    hasBias: boolean,
    act: number,
    rec: number,
  ): void {
    const { kind, D, U } = this;
    const G = WASM_STEP_KIND_GATES[kind];
    const NR = 8;
    const UP = Math.ceil(U / NR) * NR;
    const ZW = (G + 1) * UP;
    const chunk = Math.max(1, Math.min(T, Math.floor(65536 / ZW)));
    const Z = mem.alloc(chunk * ZW * 4);
    const pw = mem.alloc(w.stepProjectWorkFloats(D, chunk) * 4);
    const blocks = splitRange(UP / NR, pool.threads);
    const bias = hasBias ? this.bias : 0;
    for (let s0 = 0; s0 < T; s0 += chunk) {
      const m = Math.min(chunk, T - s0);
      w.stepProject(kind, this.packed, X + s0 * D * 4, m, D, U, Z, pw);
      const parts: WasmCall[] = blocks.map(([p0, p1]) => ({
        fn: 'stepColumns',
        // The step argument (index 6) is set per step by runSteps.
        args: [kind, this.packed, bias, Z, H, C, s0, s0, D, U, act, rec, p0 * NR, Math.min(U, p1 * NR)],
      }));
      pool.runSteps(parts, 6, s0, s0 + m);
    }
  }

  /** Whether `B` rows fit in one resident region (else `step` runs blocks of rows; `sequence` must be given fewer). */
  fitsRows(w: WasmExports, B: number): boolean {
    this.w = w;
    return this.layout(Math.max(1, B)).total <= maxStepRegionBytes;
  }

  /** Frees the resident region (a later step uploads again). */
  release(): void {
    const r = this.regions;
    if (!r) return;
    registry?.unregister(this);
    if (retainedArena() === r.arena) r.arena.release(r.weights);
    this.regions = null;
    this.kernelRef = this.recurrentRef = this.biasRef = null;
    this.capacity = 0;
    this.views = null;
  }
}
