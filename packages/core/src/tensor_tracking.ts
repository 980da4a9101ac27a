/**
 * Counting of live tensors for `memory()`. Tracking starts at the first `memory()` call (so programs
 * that never ask pay nothing); from then on each new tensor is counted until it is disposed or
 * garbage-collected (a FinalizationRegistry drops collected ones).
 */

interface Entry {
  bytes: number;
  live: boolean;
}

let tracking = false;
let numTensors = 0;
let numBytes = 0;
let registry: FinalizationRegistry<Entry> | null = null;
const entries = new WeakMap<object, Entry>();

function release(e: Entry): void {
  if (!e.live) return;
  e.live = false;
  numTensors--;
  numBytes -= e.bytes;
}

/** @internal called by the Tensor constructor. */
export function trackTensor(t: object, bytes: number): void {
  if (!tracking) return;
  const e = { bytes, live: true };
  numTensors++;
  numBytes += bytes;
  entries.set(t, e);
  registry!.register(t, e);
}

/** @internal called by `Tensor.dispose()`. */
export function untrackTensor(t: object): void {
  const e = entries.get(t);
  if (e) release(e);
}

/** @internal starts tracking (idempotent); returns the live counts. */
export function trackedCounts(): { numTensors: number; numBytes: number } {
  if (!tracking) {
    tracking = true;
    registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Entry>(release) : null;
    if (!registry) tracking = false;
  }
  return { numTensors, numBytes };
}
