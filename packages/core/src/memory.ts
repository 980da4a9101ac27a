/**
 * tfjs memory-management calls, kept for source compatibility. Tensors here live on the
 * JS heap and are garbage-collected, so these only mark or pass values through.
 */
import { Tensor } from './tensor';
import { trackedCounts } from './tensor_tracking';
import { wasmExports } from './backend/wasm';
import { ValueError } from './errors';

/** Runs `fn` and returns its result (tfjs frees intermediates here; the GC does it for us). */
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  const f = typeof nameOrFn === 'function' ? nameOrFn : fn;
  if (!f) throw new ValueError('tidy: expected a function.');
  return f();
}

/** Marks tensors (or tensors nested in arrays/objects) disposed. */
export function dispose(container: unknown): void {
  if (container instanceof Tensor) container.dispose();
  else if (Array.isArray(container)) container.forEach(dispose);
  else if (container && typeof container === 'object') Object.values(container).forEach(dispose);
}

/** Returns `t` unchanged (tfjs keeps it alive past `tidy`). */
export function keep<T extends Tensor>(t: T): T {
  return t;
}

/** What `memory()` reports (tfjs's `MemoryInfo`). */
export interface MemoryInfo {
  /** Live tensors created since the first `memory()` call (not yet disposed or garbage-collected). */
  numTensors: number;
  /** Bytes of those tensors' values, plus the WebAssembly module's memory when it is loaded. */
  numBytes: number;
  /** Bytes of the WebAssembly memory (0 when the js backend runs without it). */
  numBytesInWasm: number;
  /** True, as the counts leave out tensors made before the first call (see `reasons`). */
  unreliable: boolean;
  reasons: string[];
}

/**
 * Memory in use, as tfjs's `tf.memory()`. Tensors are counted from the first call on, so call it once
 * at the start of a program (or before the code you check for leaks) and compare later calls.
 *
 * ```js
 * const before = memory().numTensors;
 * model.predict(x);
 * console.log(memory().numTensors - before);
 * ```
 *
 * tfjs note: our tensors are garbage-collected, so numTensors also drops when the GC collects one.
 */
export function memory(): MemoryInfo {
  const { numTensors, numBytes } = trackedCounts();
  const w = wasmExports();
  const numBytesInWasm = w ? w.memory.buffer.byteLength : 0;
  const reasons = ['tensors created before the first memory() call are not counted'];
  if (typeof FinalizationRegistry !== 'function') reasons.push('no FinalizationRegistry on this platform: nothing is counted');
  return { numTensors, numBytes: numBytes + numBytesInWasm, numBytesInWasm, unreliable: true, reasons };
}
