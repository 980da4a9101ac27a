/**
 * A pool of workers running the wasm kernels on one shared memory. `run(tasks)` runs independent tasks on
 * the calling thread and the workers at the same time (each thread claims the next unclaimed task), and
 * returns when all are done (the protocol is in worker_source.ts). The main thread waits with `Atomics.wait` where it may (Node, workers) and spins on
 * `Atomics.load` where it may not (a browser page's main thread).
 */
import { nodeBuiltin, NodeWorker, NodeWorkerThreads } from './support';
import { BARRIER_SPIN, WORKER_SOURCE } from './worker_source';
import type { WasmExports } from '../wasm_exports';

/** The exports a task may call (by index in the workers). */
export const POOL_EXPORTS = [
  'gemm',
  'columnSums',
  'lstmForward',
  'lstmBackward',
  'gruForward',
  'gruBackward',
  'simpleForward',
  'simpleBackward',
  'stepColumns',
] as const;

export type PoolExport = (typeof POOL_EXPORTS)[number];

/** One call of a wasm export with numeric arguments (pointers, sizes, 0/1 flags). */
export interface WasmCall {
  fn: PoolExport;
  args: number[];
}

/** Most tasks one run takes. */
const MAX_TASKS = 256;
/** Floats of the shared task table: count, offsets, return values, then the encoded calls. */
const ARGS_FLOATS = 1 << 16;

type AnyWorker = NodeWorker | Worker;

/** Whether this thread may block in `Atomics.wait` (not a browser page's main thread). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Workers sharing one wasm memory; see the file comment. */
export class WorkerPool {
  /** Number of workers (threads = workers + the calling thread). */
  readonly workers: number;
  /** Resolves when every worker is ready, or when starting failed (`failure` then says why). Never rejects. */
  readonly whenReady: Promise<void>;
  private isReady = false;
  /** Why the pool cannot run ('' while fine). */
  failure = '';
  private readonly all: AnyWorker[] = [];
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private readonly block = mayBlock();
  private disposed = false;
  /** How many times `run` dispatched work (a test and diagnostics counter). */
  runs = 0;
  private used: number;
  /** Test hook: false = the calling thread only waits (every task runs in a worker). */
  callerTakesTasks = true;

  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    workers: number,
    private readonly main: WasmExports,
  ) {
    this.workers = workers;
    this.used = workers;
    // [0] pending workers, [1] failures, [2] next task, [3] barrier arrivals, [4] quit, [5] barrier generation,
    // [6] tasks run by workers, [7] threads asleep at a barrier, [8 + i] worker i's run counter.
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * (8 + workers)));
    this.args = new Float64Array(new SharedArrayBuffer(8 * ARGS_FLOATS));
    const wt = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
    let url = '';
    let pending = workers;
    this.whenReady = new Promise<void>((resolve) => {
      const fail = (why: string) => {
        if (!this.failure) this.failure = why;
        this.dispose();
        resolve();
      };
      try {
        if (!wt) url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
        for (let i = 0; i < workers; i++) {
          const w: AnyWorker = wt ? new wt.Worker(WORKER_SOURCE, { eval: true }) : new Worker(url);
          this.all.push(w);
          const onMessage = (m: unknown) => {
            if (m === 'ready') {
              if (--pending === 0) {
                // Until ready the workers keep Node alive (a top-level `await ready()` must not see the
                // process exit); after that they never hold a process open.
                for (const x of this.all) if ('unref' in x) x.unref();
                this.isReady = !this.disposed;
                resolve();
              }
            } else {
              fail(`a worker could not instantiate the module (${(m as { error?: string }).error ?? String(m)})`);
            }
          };
          const onError = (e: unknown) => fail(`a worker failed to start (${(e as Error)?.message ?? String(e)})`);
          if ('on' in w) {
            w.on('message', onMessage);
            w.on('error', onError);
          } else {
            w.onmessage = (e: MessageEvent) => onMessage(e.data);
            w.onerror = (e: ErrorEvent) => onError(e);
          }
          w.postMessage({
            module,
            memory,
            control: this.ctl.buffer,
            args: this.args.buffer,
            index: i,
            maxTasks: MAX_TASKS,
            names: POOL_EXPORTS,
          });
        }
      } catch (e) {
        fail(`workers could not be created (${(e as Error).message})`);
      } finally {
        if (url) URL.revokeObjectURL(url);
      }
    });
  }

  /** Tasks the workers have run since the pool started (diagnostics and tests). */
  get workerTasks(): number {
    return Atomics.load(this.ctl, 6);
  }

  /** Threads kernels split work into: the calling thread + the workers in use (`useThreads`). */
  get threads(): number {
    return this.used + 1;
  }

  /** Uses only the first n − 1 workers (1 ≤ n ≤ workers + 1); the others stay idle, ready for later. */
  useThreads(n: number): void {
    this.used = Math.max(0, Math.min(this.workers, n - 1));
  }

  /** True once every worker has instantiated the module (and the pool is not disposed). */
  get ready(): boolean {
    return this.isReady && !this.disposed;
  }

  /**
   * Runs independent tasks (each a list of calls) on the calling thread and the workers in use; returns each
   * task's last return value. Throws (after all tasks ended) if a call failed.
   */
  run(tasks: WasmCall[][]): number[] {
    if (!this.ready) throw new Error('recurrent wasm threads: the worker pool is not ready.');
    const n = tasks.length;
    if (n > MAX_TASKS) throw new Error(`recurrent wasm threads: ${n} tasks in one run (at most ${MAX_TASKS}).`);
    this.runs++;
    const { ctl, args } = this;
    args[0] = n;
    let p = 1 + 2 * MAX_TASKS;
    for (let i = 0; i < n; i++) {
      args[1 + i] = p;
      args[p++] = tasks[i].length;
      for (const c of tasks[i]) {
        if (p + 2 + c.args.length > ARGS_FLOATS) throw new Error('recurrent wasm threads: the tasks of one run are too long.');
        args[p++] = POOL_EXPORTS.indexOf(c.fn);
        args[p++] = c.args.length;
        for (const a of c.args) args[p++] = a;
      }
    }
    const helpers = Math.min(this.used, n - 1);
    Atomics.store(ctl, 1, 0);
    Atomics.store(ctl, 2, 0);
    wakeHelpers(ctl, helpers);
    const results = new Array<number>(n).fill(0);
    const mine = new Set<number>();
    let mainError: Error | null = null;
    for (;;) {
      if (!this.callerTakesTasks && helpers > 0) break;
      const i = Atomics.add(ctl, 2, 1);
      if (i >= n) break;
      mine.add(i);
      try {
        for (const c of tasks[i]) {
          const f = this.main[c.fn] as (...a: number[]) => number | void;
          results[i] = (f(...c.args) as number | undefined) ?? 0;
        }
      } catch (e) {
        mainError ??= e instanceof Error ? e : new Error(String(e));
      }
    }
    for (;;) {
      const v = Atomics.load(ctl, 0);
      if (v === 0) break;
      // (Test hook mode only: a bounded wait, so a broken worker fails the test instead of hanging it.)
      if (this.block && Atomics.wait(ctl, 0, v, this.callerTakesTasks ? Infinity : 10000) === 'timed-out') {
        throw new Error('recurrent wasm threads: the workers did not finish within 10 s.');
      }
    }
    if (mainError) throw mainError;
    if (Atomics.load(ctl, 1) !== 0) throw new Error('recurrent wasm threads: a kernel call failed in a worker.');
    for (let i = 0; i < n; i++) if (!mine.has(i)) results[i] = args[1 + MAX_TASKS + i];
    return results;
  }

  /**
   * Runs one call per thread for each step s in [s0, s1) with `args[stepArg]` = s, every thread meeting the
   * others at a barrier after each step but the last: `parts[0]` on the calling thread, `parts[k]` on
   * worker k − 1 (parts.length ≤ threads). For recurrences split by columns: step s + 1 reads what every
   * part wrote in step s. The barrier spins, then sleeps (`Atomics.wait`; a browser page's main thread
   * only spins). Throws (after the last step) if a call failed; the other threads still finish.
   */
  runSteps(parts: WasmCall[], stepArg: number, s0: number, s1: number): void {
    if (!this.ready) throw new Error('recurrent wasm threads: the worker pool is not ready.');
    const n = parts.length;
    if (n < 1 || n > this.used + 1) throw new Error(`recurrent wasm threads: ${n} parts for ${this.used + 1} threads.`);
    this.runs++;
    const { ctl, args } = this;
    args[0] = -n;
    args[1] = stepArg;
    args[2] = s0;
    args[3] = s1;
    let p = 4 + n;
    for (let k = 0; k < n; k++) {
      const c = parts[k];
      if (p + 2 + c.args.length > ARGS_FLOATS) throw new Error('recurrent wasm threads: the parts of one run are too long.');
      args[4 + k] = p;
      args[p++] = POOL_EXPORTS.indexOf(c.fn);
      args[p++] = c.args.length;
      for (const a of c.args) args[p++] = a;
    }
    const helpers = n - 1;
    Atomics.store(ctl, 1, 0);
    Atomics.store(ctl, 3, 0);
    wakeHelpers(ctl, helpers);
    const f = this.main[parts[0].fn] as (...a: number[]) => unknown;
    const a = parts[0].args.slice();
    let gen = Atomics.load(ctl, 5);
    let mainError: Error | null = null;
    for (let s = s0; s < s1; s++) {
      if (!mainError) {
        a[stepArg] = s;
        try {
          f(...a);
        } catch (e) {
          mainError = e instanceof Error ? e : new Error(String(e));
        }
      }
      if (s + 1 < s1) gen = this.barrier(n, gen);
    }
    for (;;) {
      const v = Atomics.load(ctl, 0);
      if (v === 0) break;
      if (this.block) Atomics.wait(ctl, 0, v);
    }
    if (mainError) throw mainError;
    if (Atomics.load(ctl, 1) !== 0) throw new Error('recurrent wasm threads: a kernel call failed in a worker.');
  }

  /** The step barrier of `runSteps` (its twin runs in the workers, worker_source.ts). */
  private barrier(parts: number, gen: number): number {
    const ctl = this.ctl;
    if (Atomics.add(ctl, 3, 1) === parts - 1) {
      Atomics.store(ctl, 3, 0);
      Atomics.store(ctl, 5, gen + 1);
      if (Atomics.load(ctl, 7) !== 0) Atomics.notify(ctl, 5);
      return gen + 1;
    }
    for (let k = 0; k < BARRIER_SPIN; k++) if (Atomics.load(ctl, 5) !== gen) return gen + 1;
    if (!this.block) {
      while (Atomics.load(ctl, 5) === gen) {
        // (a browser page's main thread may not block: spin)
      }
      return gen + 1;
    }
    Atomics.add(ctl, 7, 1);
    while (Atomics.load(ctl, 5) === gen) Atomics.wait(ctl, 5, gen, 20);
    Atomics.sub(ctl, 7, 1);
    return gen + 1;
  }

  /** Stops the workers (they exit; pending `whenReady` resolves). Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctl, 4, 1);
    for (let k = 0; k < this.workers; k++) {
      Atomics.add(this.ctl, 8 + k, 1);
      Atomics.notify(this.ctl, 8 + k, 1);
    }
    for (const w of this.all) void w.terminate();
  }
}

/** Starts a run on the first `helpers` workers: the count in slot 0, then each worker's wake-up slot (8 + k) bumped and notified. */
function wakeHelpers(ctl: Int32Array, helpers: number): void {
  Atomics.store(ctl, 0, helpers);
  for (let k = 0; k < helpers; k++) {
    Atomics.add(ctl, 8 + k, 1);
    Atomics.notify(ctl, 8 + k, 1);
  }
}
