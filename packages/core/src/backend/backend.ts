/**
 * Backend selection, tfjs-style: `getBackend()`, `setBackend(name)`, `ready()`.
 *
 * - 'wasm': WebAssembly kernels with 128-bit SIMD (see wasm.ts). The default wherever it can run.
 * - 'js': the plain TypeScript kernels; always available, and the reference the wasm kernels are
 *   tested against.
 * Until the wasm module is ready (browsers compile it asynchronously) kernels run in TypeScript, so
 * nothing needs to wait; `await ready()` when the first calls should already use wasm.
 */
import { startWasm, wasmExports, wasmLoaded, wasmStatus, wasmUnavailableReason, WasmStatus } from './wasm';
import type { WasmExports } from './wasm_exports';
import { getThreadsCount, requestedThreadsCount, threadsReady, threadsReason } from './threads/threads';
import { wasmFeatures, WasmVariant } from './wasm_variant';
import { ValueError } from '../errors';

export type BackendName = 'wasm' | 'js';

const BACKENDS: readonly BackendName[] = ['wasm', 'js'];

/** What the user asked for with setBackend; null means "wasm when it can run, else js". */
let requested: BackendName | null = null;

/**
 * The backend kernels run on now: 'wasm' when its module is loaded and not switched off with
 * `setBackend('js')`, else 'js'. Starts loading the module on first call.
 */
export function getBackend(): BackendName {
  if (requested === 'js') return 'js';
  return startWasm() === 'ready' ? 'wasm' : 'js';
}

/**
 * Selects the backend: 'wasm' or 'js' (tfjs: `tf.setBackend`). Resolves to true once the backend is
 * active. Where the module loads synchronously (Node), the switch has happened when this returns,
 * so awaiting is optional there. Rejects, naming the reason, for an unknown name or when 'wasm'
 * cannot run here (no WebAssembly, no SIMD); the current backend is left unchanged then.
 */
export function setBackend(name: BackendName): Promise<boolean> {
  if (!BACKENDS.includes(name)) {
    return Promise.reject(
      new Error(`setBackend: unknown backend '${String(name)}'; expected one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}.`),
    );
  }
  if (name === 'js') {
    requested = 'js';
    return Promise.resolve(true);
  }
  const unavailable = () => new Error(`setBackend: the 'wasm' backend is unavailable: ${wasmUnavailableReason()}.`);
  const status = startWasm();
  if (status === 'unavailable') return Promise.reject(unavailable());
  if (status === 'ready') {
    requested = 'wasm';
    return Promise.resolve(true);
  }
  return wasmLoaded().then(() => {
    if (wasmStatus() !== 'ready') throw unavailable();
    requested = 'wasm';
    return true;
  });
}

/** Options of `ready()`. */
export interface ReadyOptions {
  /**
   * Also wait for the worker threads (default true). With false, resolves once the module has loaded without
   * starting the workers; they start on the first kernel large enough to use them, or a later `ready()`.
   */
  threads?: boolean;
}

/**
 * Resolves when the backend is initialized: the wasm module has loaded, or failed to and kernels
 * stay on 'js', and the worker threads are ready where they run (tfjs: `tf.ready()`). Never rejects.
 *
 * @example
 *   await ready(); getBackend(); // 'wasm' where WebAssembly SIMD runs
 */
export function ready(options: ReadyOptions = {}): Promise<void> {
  // Bad options are a programming error: thrown at once (the promise itself never rejects).
  if (options === null || typeof options !== 'object') {
    throw new ValueError(`ready: options must be an object like {threads: false}, received ${options === null ? 'null' : typeof options}.`);
  }
  for (const k of Object.keys(options)) {
    if (k !== 'threads') throw new ValueError(`ready: unknown option '${k}'; the known option is 'threads'.`);
  }
  if (options.threads !== undefined && typeof options.threads !== 'boolean') {
    throw new ValueError(
      `ready: options.threads must be a boolean, received ${typeof options.threads} ${JSON.stringify(options.threads)}.`,
    );
  }
  const threads = options.threads !== false;
  return wasmLoaded().then(() => (threads && wasmStatus() === 'ready' && requested !== 'js' ? threadsReady() : undefined));
}

/** What `backendInfo()` reports. */
export interface BackendInfo {
  /** The backend kernels run on now (as `getBackend()`). */
  backend: BackendName;
  /** The wasm module's state: 'unloaded', 'loading', 'ready' or 'unavailable'. */
  wasm: WasmStatus;
  /** Why wasm cannot run here ('' unless `wasm` is 'unavailable'). */
  wasmReason: string;
  /** Whether wasm 128-bit SIMD kernels run (the wasm backend requires SIMD). */
  simd: boolean;
  /** Whether the engine has relaxed SIMD (fused multiply-add); then the relaxed build of the module loads. */
  relaxedSimd: boolean;
  /** The build of the module loaded: 'simd', 'relaxed-simd', or null when none is (see `wasmFeatures()`). */
  module: WasmVariant | null;
  /** Threads the wasm kernels run on now (1 on 'js'). */
  threads: number;
  /** Threads configured: `setThreadsCount`, `RECURRENT_WASM_THREADS`, or min(cores, 4). */
  threadsRequested: number;
  /** Why `threads` is less than `threadsRequested` or 1 ('' when it is not). */
  threadsReason: string;
}

/**
 * How kernels run here: backend, SIMD, threads, and why threads are 1 when they are (e.g. a browser page
 * without cross-origin isolation: serve it with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`). Starts loading the module (as `getBackend()`).
 *
 * @example
 *   await ready(); backendInfo(); // { backend: 'wasm', simd: true, threads: 4, threadsReason: '', ... }
 */
export function backendInfo(): BackendInfo {
  const backend = getBackend();
  const wasm = wasmStatus();
  const onWasm = backend === 'wasm';
  const threads = onWasm ? getThreadsCount() : 1;
  let reason = onWasm
    ? threadsReason()
    : requested === 'js'
      ? "the backend is 'js' (setBackend('js'))"
      : `the wasm backend is not running (${wasm}${wasmUnavailableReason() ? `: ${wasmUnavailableReason()}` : ''})`;
  if (onWasm && threads > 1) reason = '';
  return {
    backend,
    wasm,
    wasmReason: wasmUnavailableReason(),
    simd: wasm === 'ready',
    relaxedSimd: wasmFeatures().relaxedSimd,
    module: wasm === 'ready' ? wasmFeatures().module : null,
    threads,
    threadsRequested: requestedThreadsCount(),
    threadsReason: reason,
  };
}

/** The wasm exports when kernels should use them now (backend 'wasm' and module ready), else null. */
export function wasmExportsIfActive(): WasmExports | null {
  if (requested === 'js') return null;
  if (startWasm() !== 'ready') return null;
  return wasmExports();
}

/** Test hook: forget any setBackend choice. */
export function resetBackendForTests(): void {
  requested = null;
}
