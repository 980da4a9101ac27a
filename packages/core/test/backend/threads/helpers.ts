/** Shared setup of the thread tests: a module loaded on a shared memory, thread counts switched and awaited. */
import { ready, resetBackendForTests, setBackend } from '../../../src/backend/backend';
import { activePool, resetThreadsForTests, setThreadsCount, setThreadsMinWorkForTests } from '../../../src/backend/threads/threads';
import { resetWasmForTests } from '../../../src/backend/wasm';

/** Loads the module with `threads` configured (so its memory is shared) and every call eligible for threads. */
export async function loadWithThreads(threads: number): Promise<void> {
  resetThreadsForTests();
  resetWasmForTests();
  resetBackendForTests();
  setThreadsCount(threads);
  setThreadsMinWorkForTests({ gemm: 0, sequence: 0, step: 0 });
  await ready();
}

/** Switches to `n` threads (1: none) on the loaded module and waits until the workers are ready. */
export async function useThreads(n: number): Promise<void> {
  await setBackend('wasm');
  setThreadsCount(n);
  await ready();
  if (n > 1) expect(activePool(false)).not.toBeNull();
  else expect(activePool(false)).toBeNull();
}

/** Pool dispatches since the last call (0 when no pool runs). */
let lastRuns = 0;
export function takePoolRuns(): number {
  const p = activePool(false);
  const r = p ? p.runs - lastRuns : 0;
  lastRuns = p ? p.runs : 0;
  return r;
}

/** Puts everything back as other test files expect it. */
export function restoreDefaults(): void {
  resetThreadsForTests();
  setThreadsMinWorkForTests({ gemm: 1 << 20, sequence: 1 << 16, step: 1 << 18 });
  resetWasmForTests();
  resetBackendForTests();
}
