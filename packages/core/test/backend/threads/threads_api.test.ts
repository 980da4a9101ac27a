/** setThreadsCount / getThreadsCount / backendInfo, the env flag, and the one-thread fallback with its reason. */
import * as core from '../../../src';
import { backendInfo, getBackend } from '../../../src/backend/backend';
import {
  activePool,
  getThreadsCount,
  requestedThreadsCount,
  setThreadsCount,
  setThreadsMinWorkForTests,
  threadedKernels,
  threadsReason,
} from '../../../src/backend/threads/threads';
import { setThreadsUnsupportedForTests } from '../../../src/backend/threads/support';
import { resetWasmForTests, wasmMemoryShared } from '../../../src/backend/wasm';
import { wasmFeatures } from '../../../src/backend/wasm_variant';
import { loadWithThreads, restoreDefaults, takePoolRuns } from './helpers';

afterEach(() => {
  setThreadsUnsupportedForTests(null);
  delete process.env.RECURRENT_WASM_THREADS;
  restoreDefaults();
});

/** A fused LSTM whose batch is split across threads when they run; returns its last output. */
function lstmOutput(): number[] {
  const B = 6;
  const T = 4;
  const D = 3;
  const U = 8;
  const v = (n: number, k: number) => core.tensor(Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.5));
  const [last] = core.lstmSequence(
    v(B * T * D, 1.3).reshape([B, T, D]),
    v(D * 4 * U, 0.7).reshape([D, 4 * U]),
    v(U * 4 * U, 0.9).reshape([U, 4 * U]),
    v(4 * U, 0.3),
    null,
    null,
    { activation: 'tanh', recurrentActivation: 'sigmoid' },
  );
  return Array.from(last.dataSync());
}

describe('setThreadsCount / getThreadsCount', () => {
  it('are exported from the package index', () => {
    expect(core.setThreadsCount).toBe(setThreadsCount);
    expect(core.getThreadsCount).toBe(getThreadsCount);
    expect(core.backendInfo).toBe(backendInfo);
  });

  it.each([
    [0, 'received 0'],
    [-1, 'received -1'],
    [1.5, 'received 1.5'],
    ['two', 'received string "two"'],
    [NaN, 'received NaN'],
  ])('refuses %p, naming the argument and what came', (bad, what) => {
    expect(() => setThreadsCount(bad as number)).toThrow(`setThreadsCount: count must be a positive integer, ${what}.`);
  });

  it('runs kernels on the configured threads once ready, and on one after setThreadsCount(1)', async () => {
    await loadWithThreads(3);
    expect(getThreadsCount()).toBe(3);
    expect(backendInfo()).toEqual({
      backend: 'wasm',
      wasm: 'ready',
      wasmReason: '',
      simd: true,
      relaxedSimd: wasmFeatures().relaxedSimd,
      module: wasmFeatures().module,
      threads: 3,
      threadsRequested: 3,
      threadsReason: '',
    });
    takePoolRuns();
    const many = lstmOutput();
    expect(takePoolRuns()).toBeGreaterThan(0);
    setThreadsCount(1);
    expect(getThreadsCount()).toBe(1);
    expect(backendInfo().threadsReason).toBe('one thread configured (setThreadsCount(1))');
    expect(lstmOutput()).toEqual(many);
    setThreadsCount(2); // fewer than the pool's workers: no new workers, usable at once
    expect(getThreadsCount()).toBe(2);
  });

  it('reads RECURRENT_WASM_THREADS, and explains a bad value', () => {
    process.env.RECURRENT_WASM_THREADS = '3';
    expect(requestedThreadsCount()).toBe(3);
    process.env.RECURRENT_WASM_THREADS = 'many';
    expect(requestedThreadsCount()).toBe(1);
    expect(threadsReason()).toBe("one thread configured (RECURRENT_WASM_THREADS='many' is not a positive integer)");
  });
});

describe('fallback to one thread', () => {
  it('without shared memory (simulated): plain memory, threads 1, the reason in backendInfo, same numbers', async () => {
    await loadWithThreads(3);
    const threaded = lstmOutput();
    setThreadsUnsupportedForTests('SharedArrayBuffer is not available');
    resetWasmForTests();
    await core.ready();
    expect(getBackend()).toBe('wasm');
    expect(wasmMemoryShared()).toEqual({ shared: false, reason: 'SharedArrayBuffer is not available' });
    const info = backendInfo();
    expect(info.threads).toBe(1);
    expect(info.threadsRequested).toBe(3);
    expect(info.threadsReason).toBe('SharedArrayBuffer is not available');
    expect(lstmOutput()).toEqual(threaded);
  });

  it("on the 'js' backend backendInfo says so", async () => {
    await core.setBackend('js');
    expect(backendInfo()).toMatchObject({ backend: 'js', threads: 1, threadsReason: "the backend is 'js' (setBackend('js'))" });
  });

  it('asks for more threads than the module loaded with: explains', async () => {
    await loadWithThreads(1);
    expect(wasmMemoryShared().shared).toBe(false);
    setThreadsCount(2);
    await core.ready();
    expect(getThreadsCount()).toBe(1);
    expect(backendInfo().threadsReason).toMatch(/loaded with one thread configured; set the count before the first kernel runs/);
  });
});

describe('ready({threads: false}) and the pool code imported when threads first start', () => {
  it('loads the module without starting workers; a later ready() starts them (kit imported) and kernels use them', async () => {
    restoreDefaults();
    setThreadsCount(2);
    setThreadsMinWorkForTests({ gemm: 0, sequence: 0 });
    await core.ready({ threads: false });
    expect(getBackend()).toBe('wasm');
    expect(wasmMemoryShared().shared).toBe(true);
    expect(activePool(false)).toBeNull();
    expect(getThreadsCount()).toBe(1);
    const one = lstmOutput(); // on one thread (no pool)
    expect(takePoolRuns()).toBe(0);
    await core.ready();
    expect(getThreadsCount()).toBe(2);
    expect(threadsReason()).toBe('');
    const two = lstmOutput();
    expect(takePoolRuns()).toBeGreaterThan(0);
    // Rows split across threads, each the same sum in the same order: bit-identical.
    expect(two).toEqual(one);
    expect(threadedKernels().sequenceForwardWasmThreaded).toEqual(expect.any(Function));
  });
});
