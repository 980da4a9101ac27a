/**
 * Can wasm kernels run on several threads here? They need a shared `WebAssembly.Memory`
 * (SharedArrayBuffer), `Atomics` and workers: Node's `worker_threads`, or Web Workers in a browser page
 * that is cross-origin isolated. A page is isolated when it is served with the two headers
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 * (then `crossOriginIsolated` is true and SharedArrayBuffer exists). Elsewhere kernels run on one thread
 * and `backendInfo().threadsReason` says why.
 */

/** The parts of Node's `worker_threads` the pool uses. */
export interface NodeWorkerThreads {
  Worker: new (src: string, opts: { eval: true }) => NodeWorker;
}

/** A Node worker (the parts the pool uses). */
export interface NodeWorker {
  postMessage(m: unknown): void;
  on(event: 'message' | 'error', fn: (v: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
  env?: { [k: string]: string | undefined };
}

/** Node's `process`, or undefined in a browser. */
export function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p && p.versions && p.versions.node ? p : undefined;
}

/** A Node built-in module by name (without bundler-visible imports), or undefined. */
export function nodeBuiltin<T>(id: string): T | undefined {
  const p = nodeProcess();
  if (!p) return undefined;
  // process.getBuiltinModule: Node >= 20.16 (works from CommonJS and ESM builds alike, no bundler import).
  if (typeof p.getBuiltinModule !== 'function') return undefined;
  try {
    return p.getBuiltinModule(id) as T;
  } catch {
    return undefined;
  }
}

let forcedReason: string | null = null;

/** Test hook: pretend threads cannot run here (`reason`), or null to detect again. */
export function setThreadsUnsupportedForTests(reason: string | null): void {
  forcedReason = reason;
}

/** Why wasm threads cannot run in this environment, or '' when they can. */
export function threadsUnsupportedReason(): string {
  if (forcedReason !== null) return forcedReason;
  const g = globalThis as { SharedArrayBuffer?: unknown; Atomics?: unknown; crossOriginIsolated?: boolean; Worker?: unknown };
  const node = nodeProcess();
  if (!node && g.crossOriginIsolated === false) {
    return 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (typeof g.SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is not available';
  if (typeof g.Atomics !== 'object') return 'Atomics is not available';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor);
  } catch (e) {
    return `shared WebAssembly memory is not supported (${(e as Error).message})`;
  }
  if (node) {
    if (!nodeBuiltin<NodeWorkerThreads>('node:worker_threads'))
      return "Node's worker_threads module is not available (threads need Node >= 20.16)";
  } else if (
    typeof g.Worker !== 'function' ||
    typeof Blob !== 'function' ||
    typeof URL === 'undefined' ||
    typeof URL.createObjectURL !== 'function'
  ) {
    return 'Web Workers are not available';
  }
  return '';
}

/** Logical cores here (Node `os.availableParallelism()`, browsers `navigator.hardwareConcurrency`), at least 1. */
export function availableCores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os) return Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, (nav && nav.hardwareConcurrency) || 1);
}
