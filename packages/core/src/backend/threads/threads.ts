/**
 * How many threads the wasm kernels use, tfjs-wasm style: `setThreadsCount(n)` / `getThreadsCount()`, the
 * Node env flag `RECURRENT_WASM_THREADS`, default min(available cores, 4). Threads need a shared memory and
 * workers (support.ts: in a browser the page must be cross-origin isolated, COOP `same-origin` + COEP
 * `require-corp`); elsewhere kernels run on one thread and `threadsReason()` says why.
 *
 * The pool (pool.ts) starts lazily, on the first kernel call or `ready()`, and asynchronously: kernels run
 * on one thread until every worker reported ready. Its code and the threaded kernels (pool_kit.ts) are imported
 * when it first starts, so an application that never runs threads does not load them. Results do not depend on the thread count (see
 * sequence_wasm_threads.ts and parallel_gemm.ts: rows are split, sums keep their order).
 */
import { setSharedMemoryPolicy, wasmExports, wasmMemoryShared, wasmModule } from '../wasm';
import type { WorkerPool } from './pool';
import { availableCores, nodeProcess, threadsUnsupportedReason } from './support';
import { ValueError } from '../../errors';

/** Default cap on the thread count (as tfjs-wasm: more threads rarely pay for recurrent kernels). */
export const DEFAULT_MAX_THREADS = 4;

let requested: number | null = null;
let pool: WorkerPool | null = null;
let poolModule: WebAssembly.Module | null = null;
/** The pool's code and the threaded kernels (pool_kit.ts), once imported; the import while it runs; why it failed. */
let kit: typeof import('./pool_kit') | null = null;
let kitLoading: Promise<void> | null = null;
let kitFailure = '';

/** The env flag's count, or an explanation when it is set but not a positive integer. */
function envCount(): number | string | null {
  const p = nodeProcess();
  const v = p && p.env ? p.env.RECURRENT_WASM_THREADS : undefined;
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : `RECURRENT_WASM_THREADS='${v}' is not a positive integer`;
}

/** The configured count and where it came from. */
function configured(): { count: number; why: string } {
  if (requested !== null) return { count: requested, why: `setThreadsCount(${requested})` };
  const env = envCount();
  if (typeof env === 'string') return { count: 1, why: env };
  if (env !== null) return { count: env, why: `RECURRENT_WASM_THREADS=${env}` };
  const cores = availableCores();
  const n = Math.min(cores, DEFAULT_MAX_THREADS);
  return { count: n, why: `${cores} core${cores === 1 ? '' : 's'} available` };
}

// The module loads on a shared memory when more than one thread is configured at load time.
setSharedMemoryPolicy(() => configured().count > 1);

/**
 * Sets the number of threads the wasm kernels use (tfjs-wasm: `setThreadsCount`), 1 = no workers.
 * Takes effect at once (workers start in the background; kernels use them once ready: `await ready()`).
 * More than one thread needs the module to have loaded with threads on: call this before the first
 * kernel runs, or set `RECURRENT_WASM_THREADS` in Node. Where threads cannot run this is accepted and
 * kernels stay on one thread (`backendInfo().threadsReason` says why).
 *
 * @example
 *   setThreadsCount(2); await ready(); getThreadsCount(); // 2 where threads can run
 */
export function setThreadsCount(count: number): void {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new ValueError(
      `setThreadsCount: count must be a positive integer, received ${typeof count === 'number' ? count : `${typeof count} ${JSON.stringify(count)}`}.`,
    );
  }
  requested = count;
  // Fewer threads: the pool keeps its workers idle (switching back costs nothing); more: a new pool.
  if (pool && pool.workers < count - 1) stopPool();
}

/**
 * The number of threads the wasm kernels run on now (tfjs-wasm: `getThreadsCount`): the configured count
 * once its workers are ready, else 1 (threads unavailable, the backend is 'js'-only, or workers still starting).
 */
export function getThreadsCount(): number {
  const p = activePool(false);
  return p ? p.threads : 1;
}

/** The configured thread count (setThreadsCount, RECURRENT_WASM_THREADS or the default), before any fallback. */
export function requestedThreadsCount(): number {
  return configured().count;
}

/** Why the kernels run on fewer threads than configured, or on one thread ('' when they use the configured count). */
export function threadsReason(): string {
  const c = configured();
  if (c.count === 1) return `one thread configured (${c.why})`;
  const unsupported = threadsUnsupportedReason();
  if (unsupported) return unsupported;
  if (!wasmModule()) return 'the wasm module is not loaded';
  const mem = wasmMemoryShared();
  if (!mem.shared) {
    return mem.reason || 'the wasm module was loaded with one thread configured; set the count before the first kernel runs';
  }
  if (kitFailure) return kitFailure;
  if (pool && pool.failure) return pool.failure;
  if (!pool || !pool.ready) return 'the worker threads are starting (await ready())';
  return '';
}

function stopPool(): void {
  if (pool) pool.dispose();
  pool = null;
  poolModule = null;
}

/**
 * The worker pool when kernels should use threads now (configured > 1, module on a shared memory, workers
 * ready), else null. With `start`, starts the workers if none run (asynchronously: null until ready).
 */
export function activePool(start = true): WorkerPool | null {
  const module = wasmModule();
  const w = wasmExports();
  if (pool && poolModule !== module) stopPool(); // the module was reloaded (tests)
  if (!module || !w) return null;
  const n = configured().count;
  if (n <= 1 || !wasmMemoryShared().shared) return null;
  if ((pool && pool.failure) || kitFailure) return null;
  if (!pool && start) {
    if (kit) {
      pool = new kit.WorkerPool(module, w.memory, n - 1, w);
      poolModule = module;
    } else {
      loadKit();
    }
  }
  if (!pool || !pool.ready) return null;
  pool.useThreads(n);
  return pool;
}

/** Imports the pool's code (pool_kit.ts) once; kernels stay on one thread meanwhile. */
function loadKit(): void {
  if (kit || kitLoading) return;
  kitLoading = import('./pool_kit').then(
    (k) => {
      kit = k;
    },
    (e: Error) => {
      kitFailure = `the worker pool's code failed to load (${e.message})`;
    },
  );
}

/** Resolves when the worker threads are ready (or failed to start, or are not used). Never rejects. */
export function threadsReady(): Promise<void> {
  activePool(true);
  if (pool) return pool.whenReady;
  // Starting: the pool's code is on its way; then start the pool (activePool) and wait for its workers.
  if (kitLoading && !kit && !kitFailure) return kitLoading.then(() => (kit ? threadsReady() : undefined));
  return Promise.resolve();
}

/** The threaded sequence kernels; only called with a pool from `activePool()` (which exists once they are loaded). */
export function threadedKernels(): typeof import('./pool_kit') {
  // eslint-disable-next-line no-restricted-syntax -- an internal invariant or a missing module, not a user error
  if (!kit) throw new Error('recurrent wasm threads: the threaded kernels are not loaded (a pool exists only once they are).');
  return kit;
}

/**
 * Smallest work (multiply-adds) worth waking the workers for: a gemm's M·N·K, a sequence step's B·U·G·U,
 * a batch-1 step split by columns (`step`, a barrier per step) its U·G·U. Waking a worker costs ~20–50 µs,
 * a step barrier ~0.3–1 µs when both threads run (more on a loaded machine).
 */
export const threadsMinWork = { gemm: 1 << 20, sequence: 1 << 16, step: 1 << 18 };

type MinWork = { gemm: number; sequence: number; step?: number };

/** Test hook: sets the minimum works (0: every eligible call runs on threads); returns the previous ones. */
export function setThreadsMinWorkForTests(w: MinWork): { gemm: number; sequence: number; step: number } {
  const old = { ...threadsMinWork };
  Object.assign(threadsMinWork, w);
  return old;
}

/** Test hook: stop the workers and forget setThreadsCount. */
export function resetThreadsForTests(): void {
  stopPool();
  requested = null;
}
