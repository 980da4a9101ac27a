/** The worker pool: independent tasks claimed by all threads, return values per task, failures reported. */
import { activePool } from '../../../src/backend/threads/threads';
import { arena } from '../../../src/backend/wasm';
import type { WasmCall } from '../../../src/backend/threads/pool';
import { loadWithThreads, restoreDefaults } from './helpers';

beforeAll(() => loadWithThreads(3));
afterAll(() => restoreDefaults());

describe('WorkerPool.run', () => {
  it('runs more tasks than threads, each once, with the right results', () => {
    const pool = activePool(false);
    expect(pool).not.toBeNull();
    const mem = arena();
    const n = 11;
    const K = 5;
    // Task i: column sums of an [i + 1, K] block of ones → each sum is i + 1.
    const src = mem.alloc(n * K * 4);
    const dst = Array.from({ length: n }, () => mem.alloc(K * 4));
    mem.f32().fill(1, src >>> 2, (src >>> 2) + n * K);
    const tasks: WasmCall[][] = dst.map((d, i) => [{ fn: 'columnSums', args: [src, i + 1, K, d] }]);
    expect(pool!.run(tasks)).toEqual(new Array(n).fill(0)); // columnSums returns nothing
    const f = mem.f32();
    dst.forEach((d, i) => expect(Array.from(f.subarray(d >>> 2, (d >>> 2) + K))).toEqual(new Array(K).fill(i + 1)));
  });

  it('the workers run tasks (the calling thread only waiting): all done, right results', () => {
    const pool = activePool(false)!;
    const mem = arena();
    const K = 4;
    const src = mem.alloc(8 * K * 4);
    const dst = Array.from({ length: 8 }, () => mem.alloc(K * 4));
    mem.f32().fill(3, src >>> 2, (src >>> 2) + 8 * K);
    const before = pool.workerTasks;
    pool.callerTakesTasks = false;
    try {
      pool.run(dst.map((d, i) => [{ fn: 'columnSums', args: [src, i + 1, K, d] }]));
    } finally {
      pool.callerTakesTasks = true;
    }
    expect(pool.workerTasks - before).toBe(8);
    const f = mem.f32();
    dst.forEach((d, i) => expect(Array.from(f.subarray(d >>> 2, (d >>> 2) + K))).toEqual(new Array(K).fill(3 * (i + 1))));
  });

  it('reports a failing call (an out-of-bounds pointer traps), and keeps working afterwards', () => {
    const pool = activePool(false)!;
    const bad = 0xfffffff0;
    const tasks: WasmCall[][] = Array.from({ length: 6 }, () => [{ fn: 'columnSums', args: [bad, 4, 4, bad] }]);
    expect(() => pool.run(tasks)).toThrow(/out of bounds|a kernel call failed in a worker/);
    const mem = arena();
    const d = mem.alloc(16);
    const s = mem.alloc(16);
    mem.f32().fill(2, s >>> 2, (s >>> 2) + 4);
    pool.run([[{ fn: 'columnSums', args: [s, 1, 4, d] }], [], []]);
    expect(Array.from(mem.f32().subarray(d >>> 2, (d >>> 2) + 4))).toEqual([2, 2, 2, 2]);
  });

  it('runSteps: a call trapping in a worker is reported after the last step, no thread hangs, the pool keeps working', () => {
    const pool = activePool(false)!;
    const bad = 0xfffffff0;
    // stepColumns(kind, packed, bias, Z, H, C, s, s0, D, U, act, rec, u0, u1): out-of-bounds Z and H trap.
    const call = (): WasmCall => ({ fn: 'stepColumns', args: [0, bad, 0, bad, bad, 0, 0, 0, 4, 8, 0, 1, 0, 8] });
    const before = pool.runs;
    expect(() => pool.runSteps([call(), call(), call()], 6, 0, 5)).toThrow(/out of bounds|a kernel call failed in a worker/);
    expect(pool.runs).toBe(before + 1);
    expect(() => pool.runSteps([call(), call(), call(), call()], 6, 0, 2)).toThrow('recurrent wasm threads: 4 parts for 3 threads.');
    const mem = arena();
    const d = mem.alloc(16);
    const s = mem.alloc(16);
    mem.f32().fill(5, s >>> 2, (s >>> 2) + 4);
    pool.run([[{ fn: 'columnSums', args: [s, 1, 4, d] }], [], []]);
    expect(Array.from(mem.f32().subarray(d >>> 2, (d >>> 2) + 4))).toEqual([5, 5, 5, 5]);
  });

  it('refuses more than 256 tasks in one run', () => {
    const pool = activePool(false)!;
    expect(() => pool.run(Array.from({ length: 257 }, () => []))).toThrow('recurrent wasm threads: 257 tasks in one run (at most 256).');
  });
});
