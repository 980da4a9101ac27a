/**
 * Packed weights of the fused sequence forwards kept in wasm memory between inference calls (issue 18). A forward
 * packs its recurrent kernel into NR-wide panels per gate (`packRecurrent`) and its input kernel with the bias
 * (`packInput`) before its first step: at W1 (lstm(256), 1.3 MB packed) copying the weights in and packing them
 * took ~0.4–0.8 ms on the calling thread before the threads start, ~3% of a 2-thread call. Repeated inference on
 * the same weights (`predict` over batches) now packs once: the packed weights stay in a retained region of the
 * module's memory (wasm.ts), found again by the identity of the weight arrays.
 *
 * Only for weights that never change in place: the fused op passes tensor values (`SequenceArrays.immutableWeights`,
 * set by `runSequenceOp`; a tensor's values are never mutated, a Variable's `assign` replaces the array), and only
 * for inference forwards (training changes the weights every step: nothing to reuse). Regions are given back when
 * the recurrent kernel array is garbage-collected (FinalizationRegistry), when another kernel/bias comes with the
 * same recurrent kernel, and least recently used first past `maxPackedBytes` (64 MiB) in all.
 */
import { arena, retainedArena } from './wasm';
import type { WasmArena } from './wasm_arena';
import type { WasmExports } from './wasm_exports';

/** Byte pointers of a forward's packed weights: recurrent (packRecurrent) and input with bias (packInput). */
export interface PackedSequenceWeights {
  packedU: number;
  packedW: number;
}

/** What identifies the weights of one forward (see WasmSequenceForwardArgs). */
export interface SequenceWeightArrays {
  gates: number;
  inputDim: number;
  units: number;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  inputBias: Float32Array | null;
}

interface Entry extends PackedSequenceWeights {
  arena: WasmArena;
  ptr: number;
  bytes: number;
  kernel: Float32Array;
  /** The input bias as the view it came in (a subarray of the bias tensor's values: compared by buffer and offset). */
  bias: Float32Array | null;
  gates: number;
  inputDim: number;
  units: number;
  lastUse: number;
}

let maxPackedBytes = 64 * 1024 * 1024;
let liveBytes = 0;
let clock = 0;
const stats = { hits: 0, packs: 0 };
const live = new Set<Entry>();
const byRecurrentKernel = new WeakMap<Float32Array, Entry>();

type Registry = { register(o: object, held: Entry, token: object): void; unregister(token: object): void };
/** Gives back the region of an entry whose recurrent kernel array was garbage-collected. */
const registry: Registry | null =
  typeof (globalThis as { FinalizationRegistry?: unknown }).FinalizationRegistry === 'function'
    ? new (globalThis as unknown as { FinalizationRegistry: new (cb: (e: Entry) => void) => Registry }).FinalizationRegistry((e: Entry) =>
        drop(e),
      )
    : null;

function drop(e: Entry): void {
  if (!live.delete(e)) return;
  liveBytes -= e.bytes;
  registry?.unregister(e);
  if (retainedArena() === e.arena) e.arena.release(e.ptr);
}

function sameBias(a: Float32Array | null, b: Float32Array | null): boolean {
  if (a === null || b === null) return a === b;
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length;
}

/**
 * The packed weights of `a` in a retained region, packed now or found from an earlier call; null when they are not
 * kept (too large for the limit, no FinalizationRegistry, module not loaded): the caller then packs in its scratch.
 * Call it BEFORE taking the scratch arena for the call (it may retain a region, which resets the scratch).
 */
export function packedSequenceWeights(w: WasmExports, a: SequenceWeightArrays): PackedSequenceWeights | null {
  const current = retainedArena();
  if (!registry || !current) return null;
  const { gates: G, inputDim: D, units: U } = a;
  const e = byRecurrentKernel.get(a.recurrentKernel);
  if (e && live.has(e)) {
    if (
      e.arena === current &&
      e.kernel === a.kernel &&
      sameBias(e.bias, a.inputBias) &&
      e.gates === G &&
      e.inputDim === D &&
      e.units === U
    ) {
      e.lastUse = ++clock;
      stats.hits++;
      return e;
    }
    drop(e);
  }
  const uBytes = G * w.packedGateFloats(U) * 4;
  const bytes = uBytes + G * w.packedInputFloats(D, U) * 4;
  if (bytes > maxPackedBytes) return null;
  while (liveBytes + bytes > maxPackedBytes) {
    let oldest: Entry | null = null;
    for (const x of live) if (!oldest || x.lastUse < oldest.lastUse) oldest = x;
    drop(oldest as Entry);
  }
  const ptr = current.retain(bytes);
  const entry: Entry = {
    arena: current,
    ptr,
    bytes,
    packedU: ptr,
    packedW: ptr + uBytes,
    kernel: a.kernel,
    bias: a.inputBias,
    gates: G,
    inputDim: D,
    units: U,
    lastUse: ++clock,
  };
  // The unpacked weights go through scratch (above the retained region).
  const mem = arena();
  const GU = G * U;
  w.packRecurrent(mem.copyIn(a.recurrentKernel, 0, U * GU), U, G, 0, entry.packedU);
  const W = mem.copyIn(a.kernel, 0, D * GU);
  const bias = a.inputBias ? mem.copyIn(a.inputBias, 0, GU) : 0;
  w.packInput(W, bias, D, U, G, entry.packedW);
  live.add(entry);
  liveBytes += bytes;
  byRecurrentKernel.set(a.recurrentKernel, entry);
  registry.register(a.recurrentKernel, entry, entry);
  stats.packs++;
  return entry;
}

/** Test hook: the cache's counters since the last call (then reset) and what it holds now. */
export function takePackedWeightsStatsForTests(): { hits: number; packs: number; entries: number; bytes: number } {
  const r = { ...stats, entries: live.size, bytes: liveBytes };
  stats.hits = 0;
  stats.packs = 0;
  return r;
}

/** Test hook: sets the byte limit of the kept packed weights (dropping what is over it); returns the previous one. */
export function setPackedWeightsLimitForTests(bytes: number): number {
  const old = maxPackedBytes;
  maxPackedBytes = bytes;
  while (liveBytes > maxPackedBytes) {
    let oldest: Entry | null = null;
    for (const x of live) if (!oldest || x.lastUse < oldest.lastUse) oldest = x;
    drop(oldest as Entry);
  }
  return old;
}

/** Test hook: gives back every kept region. */
export function releasePackedWeightsForTests(): void {
  for (const e of [...live]) drop(e);
}
