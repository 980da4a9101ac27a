/**
 * The forward's saved buffers kept resident in wasm memory for the backward, owned by the autograd tape node. A
 * training forward (store) writes its states, cells, gates and extra into a retained region (wasm.ts `retain`)
 * instead of scratch and returns a `ResidentSaved` handle (`SequenceForwardResult.savedHandle`) instead of
 * JavaScript copies: nothing is copied out (~23 MB per W2 step) and the backward reads the region in place (no
 * copy back in). The handle lives as long as the node: the node's dispose (after `backward()` released it, or at
 * the end of the outermost gradient scope: engine.ts) frees the region, and a handle dropped without that is freed
 * when garbage-collected (FinalizationRegistry). Freed regions are reused by the next forward (first fit at the
 * bottom of the retained area), so repeated training steps neither grow the memory nor allocate a new region.
 *
 * At most `residentLimit` bytes stay resident: a forward bigger than that copies out as before (no handle); a new
 * forward evicts the oldest regions first, each copied out to JavaScript arrays on eviction ("spilled"), so the
 * handle still answers. A backward that cannot read a region in place (its batch blocks differ from the forward's,
 * another module instance, the chunked glue, or the TypeScript kernels) gathers the rows it needs (wasm to wasm)
 * or copies the buffers out (`copyOut`): never a wrong answer, only the old copies.
 */
import type { SequenceSaved, SequenceSavedHandle } from '../kernels/sequence_common';
import { retainedArena } from './wasm';
import { WasmArena } from './wasm_arena';

/** One batch block's buffers inside the region (byte pointers; C/gates/extra 0 when the cell has none). */
export interface ResidentBlock {
  b0: number;
  b1: number;
  H: number;
  C: number;
  gates: number;
  extra: number;
}

/** The saved buffers: H, C [T+1, B, U]; gates [T, B, G·U]; extra [T, B, U] (per block: B → its rows). */
export type SavedBuffer = 'H' | 'C' | 'gates' | 'extra';

/** Sizes of one forward's saved buffers. */
export interface SavedLayout {
  cell: 'lstm' | 'gru' | 'simple';
  batch: number;
  timeSteps: number;
  units: number;
  gates: number;
}

interface Region {
  arena: WasmArena;
  ptr: number;
  bytes: number;
  layout: SavedLayout;
  blocks: ResidentBlock[];
  /** The JavaScript copy made when the region was evicted (then `ptr` is freed). */
  spilled: SequenceSaved | null;
  released: boolean;
}

/** Regions still in wasm memory, oldest first. */
const live: Region[] = [];
let liveBytes = 0;
let residentLimit = 256 * 1024 * 1024;
let enabled = true;
let copiesOut = 0;

/** Test hook: sets the most bytes kept resident (spilling the oldest regions above it); returns the previous limit. */
export function setResidentLimitForTests(bytes: number): number {
  const old = residentLimit;
  residentLimit = bytes;
  while (live.length && liveBytes > residentLimit) spill(live[0]);
  return old;
}

/** Test hook: turn resident forward buffers off (every training forward copies out) or on; returns the previous setting. */
export function setResidentBuffersForTests(on: boolean): boolean {
  const old = enabled;
  enabled = on;
  return old;
}

/**
 * Test hook: how many times saved forward buffers were copied out to JavaScript since the last read (then resets):
 * a training forward without residency, a spill, or a `copyOut`. 0 on the resident path.
 */
export function takeSavedCopyOutCountForTests(): number {
  const n = copiesOut;
  copiesOut = 0;
  return n;
}

/** Counts one copy of saved buffers out to JavaScript (the forward glue's copy path calls it too). */
export function countSavedCopyOut(): void {
  copiesOut++;
}

/** Slots and row width of a saved buffer, or null when the cell has none (C: LSTM only; gates, extra: not SimpleRNN). */
export function savedShape(l: SavedLayout, which: SavedBuffer): { slots: number; width: number } | null {
  if (which === 'C' && l.cell !== 'lstm') return null;
  if ((which === 'gates' || which === 'extra') && l.cell === 'simple') return null;
  return {
    slots: which === 'H' || which === 'C' ? l.timeSteps + 1 : l.timeSteps,
    width: which === 'gates' ? l.gates * l.units : l.units,
  };
}

/** Bytes of one block of `rows` batch rows (each buffer 16-byte aligned). */
export function residentBlockBytes(l: SavedLayout, rows: number): number {
  let s = 0;
  for (const which of ['H', 'C', 'gates', 'extra'] as const) {
    const sh = savedShape(l, which);
    if (sh) s += Math.ceil((sh.slots * rows * sh.width) / 4) * 16;
  }
  return s;
}

/** A source of rows: batch rows [b0, b1) laid out [slots, b1 − b0, width] at float offset `off` of `view`. */
interface RowSource {
  b0: number;
  b1: number;
  view: Float32Array;
  off: number;
}

/** Copies rows [b0, b1) of every slot from `src` into `dst` at float offset `dOff`, laid out [slots, b1 − b0, width]. */
function gatherRows(src: RowSource[], slots: number, width: number, b0: number, b1: number, dst: Float32Array, dOff: number): void {
  const nb = b1 - b0;
  for (const k of src) {
    const lo = Math.max(b0, k.b0);
    const hi = Math.min(b1, k.b1);
    if (lo >= hi) continue;
    const kn = k.b1 - k.b0;
    const n = (hi - lo) * width;
    for (let s = 0; s < slots; s++) {
      const from = k.off + (s * kn + lo - k.b0) * width;
      const to = dOff + (s * nb + lo - b0) * width;
      if (dst === k.view) dst.copyWithin(to, from, from + n);
      else dst.set(k.view.subarray(from, from + n), to);
    }
  }
}

function bufferOf(saved: SequenceSaved, which: SavedBuffer): Float32Array {
  return which === 'H'
    ? saved.states
    : which === 'C'
      ? (saved.cells as Float32Array)
      : which === 'gates'
        ? saved.gates
        : (saved.extra as Float32Array);
}

/** Where region `r`'s rows of `which` are: its blocks in its memory, or the spilled arrays. */
function sourcesOf(r: Region, which: SavedBuffer): RowSource[] {
  if (r.spilled) return [{ b0: 0, b1: r.layout.batch, view: bufferOf(r.spilled, which), off: 0 }];
  const view = r.arena.f32();
  return r.blocks.map((b) => ({ b0: b.b0, b1: b.b1, view, off: b[which] >>> 2 }));
}

/** The region's buffers as JavaScript arrays (only the fields in `only`; the others empty / null). */
function copyOutOf(r: Region, only: readonly (keyof SequenceSaved)[] | null): SequenceSaved {
  copiesOut++;
  const l = r.layout;
  const B = l.batch;
  const want = (k: keyof SequenceSaved) => only === null || only.includes(k);
  const none = new Float32Array(0);
  const take = (which: SavedBuffer): Float32Array => {
    const sh = savedShape(l, which);
    if (!sh) return none;
    const dst = new Float32Array(sh.slots * B * sh.width);
    gatherRows(sourcesOf(r, which), sh.slots, sh.width, 0, B, dst, 0);
    return dst;
  };
  if (l.cell === 'simple') {
    // SimpleRNN: h after each step is the activation output, so the states double as the saved gates.
    const h = want('states') || want('gates') ? take('H') : none;
    return { states: want('states') ? h : none, cells: null, gates: want('gates') ? h.subarray(B * l.units) : none, extra: null };
  }
  return {
    states: want('states') ? take('H') : none,
    cells: l.cell === 'lstm' ? (want('cells') ? take('C') : none) : null,
    gates: want('gates') ? take('gates') : none,
    extra: want('extra') ? take('extra') : none,
  };
}

/** Frees the region's wasm memory (its arena's, when that is still the module's). */
function free(r: Region): void {
  const i = live.indexOf(r);
  if (i >= 0) {
    live.splice(i, 1);
    liveBytes -= r.bytes;
    if (retainedArena() === r.arena) r.arena.release(r.ptr);
  }
}

/** Evicts a region: copies its buffers out, then frees its memory (its handle answers from the copy). */
function spill(r: Region): void {
  if (r.released || r.spilled) return;
  r.spilled = copyOutOf(r, null);
  free(r);
  finalizer?.unregister(r);
}

function releaseRegion(r: Region): void {
  if (r.released) return;
  r.released = true;
  r.spilled = null;
  free(r);
}

const finalizer = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Region>(releaseRegion) : null;

/**
 * The handle of one forward's saved buffers (see the file header). The backward glue asks `rows` for pointers to
 * the rows it works on; everything else asks `copyOut`.
 */
export class ResidentSaved implements SequenceSavedHandle {
  /** @internal */
  constructor(private readonly region: Region) {}

  get bytes(): number {
    return this.region.bytes;
  }

  /** The sizes of the saved buffers. */
  get layout(): SavedLayout {
    return this.region.layout;
  }

  /** True while the buffers are in wasm memory (not spilled, not released). */
  get resident(): boolean {
    return !this.region.released && this.region.spilled === null;
  }

  private check(): Region {
    const r = this.region;
    // eslint-disable-next-line no-restricted-syntax -- an internal invariant or a missing module, not a user error
    if (r.released) throw new Error('recurrent sequence kernels: the saved forward buffers were released (the tape node was disposed).');
    return r;
  }

  /**
   * Byte pointer (in `mem`'s memory) to rows [b0, b1) of `which` laid out [slots, b1 − b0, width]: the forward's
   * own block in place when one block is exactly those rows in this memory, else a copy gathered into `mem`'s
   * scratch (from the blocks or the spilled arrays). 0 when the cell has no such buffer.
   */
  rows(mem: WasmArena, which: SavedBuffer, b0: number, b1: number): number {
    const r = this.check();
    const sh = savedShape(r.layout, which);
    if (!sh) return 0;
    if (!r.spilled && r.arena === mem) {
      const exact = r.blocks.find((b) => b.b0 === b0 && b.b1 === b1);
      if (exact) return exact[which];
    }
    const ptr = mem.alloc(sh.slots * (b1 - b0) * sh.width * 4);
    gatherRows(sourcesOf(r, which), sh.slots, sh.width, b0, b1, mem.f32(), ptr >>> 2);
    return ptr;
  }

  copyOut(only?: readonly (keyof SequenceSaved)[]): SequenceSaved {
    const r = this.check();
    if (r.spilled) return r.spilled;
    return copyOutOf(r, only ?? null);
  }

  release(): void {
    finalizer?.unregister(this.region);
    releaseRegion(this.region);
  }
}

/** A region reserved for a training forward's saved buffers, with a bump allocator over it. */
export interface ResidentReservation {
  arena: WasmArena;
  region: number;
  bytes: number;
  alloc: (n: number) => number;
}

/**
 * Reserves the region for a training forward's buffers (call BEFORE taking the scratch arena: retaining
 * resets it); returns a bump allocator over the region, or null when the buffers cannot stay resident (off,
 * no FinalizationRegistry, or more than the limit): the forward then copies out as before.
 */
export function reserveResident(bytes: number): ResidentReservation | null {
  const arena = retainedArena();
  if (!enabled || !arena || !finalizer || bytes > residentLimit) return null;
  while (live.length && liveBytes + bytes > residentLimit) spill(live[0]);
  const region = arena.retain(bytes);
  let top = region;
  return {
    arena,
    region,
    bytes,
    alloc: (n: number) => {
      const p = top;
      top += Math.ceil(n / 16) * 16;
      if (top > region + Math.max(16, Math.ceil(bytes / 16) * 16))
        // eslint-disable-next-line no-restricted-syntax -- an internal invariant or a missing module, not a user error
        throw new Error('recurrent wasm backend: resident region overflow (a bug in the sequence glue).');
      return p;
    },
  };
}

/** Gives back a reservation whose forward failed. */
export function cancelResident(reserved: ResidentReservation): void {
  if (retainedArena() === reserved.arena) reserved.arena.release(reserved.region);
}

/** Turns the filled reservation into the handle the forward returns (the tape node owns it). */
export function registerResident(reserved: ResidentReservation, layout: SavedLayout, blocks: ResidentBlock[]): ResidentSaved {
  const r: Region = {
    arena: reserved.arena,
    ptr: reserved.region,
    bytes: reserved.bytes,
    layout,
    blocks,
    spilled: null,
    released: false,
  };
  live.push(r);
  liveBytes += r.bytes;
  const handle = new ResidentSaved(r);
  finalizer?.register(handle, r, r);
  return handle;
}
