/**
 * The code that runs only once worker threads start (threads.ts imports this module when it starts the pool,
 * which is asynchronous anyway): the worker pool with its workers' source, and the threaded sequence kernels.
 * An application's bundler puts it in its own chunk, fetched only where threads run (more than one thread
 * configured, a shared memory: in browsers a cross-origin isolated page) and a kernel is large enough to use
 * them, or `ready()` is awaited. The CommonJS build and the UMD/ESM bundles inline it.
 */
export { WorkerPool } from './pool';
export { sequenceForwardWasmThreaded } from '../sequence_wasm_threads_forward';
export { sequenceBackwardWasmThreaded } from '../sequence_wasm_threads_backward';
