/**
 * The forward's saved buffers kept resident in wasm memory for the backward. A training forward (store)
 * writes its states, cells, gates and extra into a retained region (wasm.ts `retain`) instead of scratch,
 * copies them out as before (the kernels' contract returns arrays), and registers the region under the
 * returned states array. The backward, given that same array, reads the region in place (no copy back in:
 * ~23 MB per W2 step) and releases it. A forward whose backward never runs is released when its states
 * array is garbage-collected (FinalizationRegistry), or by the next backward that finds it stale.
 * At most `residentLimit` bytes stay resident: a new forward evicts the oldest regions first (their
 * backward then copies in, as before), so forwards whose backward never runs (inference with recording on)
 * cannot fill the memory before the garbage collector releases them.
 * The region is keyed by its layout (cell, sizes, batch blocks): a backward that splits the batch
 * differently (another thread count) copies in from the arrays as before.
 */
import { retainedArena, WasmArena } from './wasm';

/** One batch block's buffers inside the region (byte pointers; C/gates/extra 0 when the cell has none). */
export interface ResidentBlock {
  b0: number;
  b1: number;
  H: number;
  C: number;
  gates: number;
  extra: number;
}

interface Resident {
  arena: WasmArena;
  region: number;
  bytes: number;
  key: string;
  blocks: ResidentBlock[];
  released: boolean;
}

const byStates = new WeakMap<Float32Array, Resident>();
/** Registered regions not yet released, oldest first. */
const live: Resident[] = [];
let liveBytes = 0;
let residentLimit = 256 * 1024 * 1024;

/** Test hook: sets the most bytes kept resident (evicting the oldest regions above it); returns the previous limit. */
export function setResidentLimitForTests(bytes: number): number {
  const old = residentLimit;
  residentLimit = bytes;
  while (live.length && liveBytes > residentLimit) release(live[0]);
  return old;
}

function release(r: Resident): void {
  if (r.released) return;
  r.released = true;
  const i = live.indexOf(r);
  if (i >= 0) {
    live.splice(i, 1);
    liveBytes -= r.bytes;
  }
  if (retainedArena() === r.arena) r.arena.release(r.region);
}

const finalizer = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Resident>(release) : null;

let enabled = true;

/** Test hook: turn resident forward buffers off (every backward copies in) or on; returns the previous setting. */
export function setResidentBuffersForTests(on: boolean): boolean {
  const old = enabled;
  enabled = on;
  return old;
}

/** The layout key of a forward/backward pair: both must agree to share buffers. */
export function residentKey(cell: string, B: number, T: number, U: number, blocks: [number, number][]): string {
  return `${cell}:${B}:${T}:${U}:${blocks.map((b) => b.join('-')).join(',')}`;
}

/**
 * Reserves the region for a training forward's buffers (call BEFORE taking the scratch arena: retaining
 * resets it); returns a bump allocator over the region, or null when resident buffers are off.
 */
export function reserveResident(bytes: number): { arena: WasmArena; region: number; bytes: number; alloc: (n: number) => number } | null {
  const arena = retainedArena();
  if (!enabled || !arena || !finalizer || bytes > residentLimit) return null;
  while (live.length && liveBytes + bytes > residentLimit) release(live[0]);
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
        throw new Error('recurrent wasm backend: resident region overflow (a bug in the sequence glue).');
      return p;
    },
  };
}

/** Registers the region under the forward's states array (what the backward is handed). */
export function registerResident(
  states: Float32Array,
  reserved: { arena: WasmArena; region: number; bytes: number },
  key: string,
  blocks: ResidentBlock[],
): void {
  const r: Resident = { arena: reserved.arena, region: reserved.region, bytes: reserved.bytes, key, blocks, released: false };
  live.push(r);
  liveBytes += r.bytes;
  byStates.set(states, r);
  finalizer?.register(states, r, r);
}

/**
 * The resident blocks of the forward that returned `states`, if they are still in this module's memory and
 * laid out as `key`; null otherwise (then copy in). Either way the caller must call the returned `done()`
 * after its kernel call (it releases the region).
 */
export function takeResident(states: Float32Array, key: string): { blocks: ResidentBlock[] | null; done: () => void } {
  const r = byStates.get(states);
  if (!r) return { blocks: null, done: () => undefined };
  byStates.delete(states);
  finalizer?.unregister(r);
  const usable = !r.released && r.key === key && retainedArena() === r.arena;
  if (!usable) {
    release(r);
    return { blocks: null, done: () => undefined };
  }
  return { blocks: r.blocks, done: () => release(r) };
}
