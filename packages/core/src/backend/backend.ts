/**
 * Backend selection, tfjs-style: `getBackend()`, `setBackend(name)`, `ready()`.
 *
 * - 'wasm': WebAssembly kernels with 128-bit SIMD (see wasm.ts). The default wherever it can run.
 * - 'js': the plain TypeScript kernels; always available, and the reference the wasm kernels are
 *   tested against.
 * Until the wasm module is ready (browsers compile it asynchronously) kernels run in TypeScript, so
 * nothing needs to wait; `await ready()` when the first calls should already use wasm.
 */
import { startWasm, wasmExports, wasmLoaded, wasmStatus, wasmUnavailableReason, WasmExports } from './wasm';

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

/**
 * Resolves when the backend is initialized: the wasm module has loaded, or failed to and kernels
 * stay on 'js' (tfjs: `tf.ready()`). Never rejects.
 */
export function ready(): Promise<void> {
  return wasmLoaded();
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
