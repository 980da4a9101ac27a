/**
 * Memory stays bounded over long runs: 50,000 streaming `model.step` calls (state outside the model) and
 * 40 `trainOnBatch` steps keep the live JS heap (measured after a full collection) and the WebAssembly memory
 * where they were after a warm-up. A per-step leak of about 60 bytes or more (a kept tape entry, a
 * registry entry, a cached array per call) exceeds the bound; the bound itself is generous (several times
 * the few hundred KB the heap moves between collections); back-to-back training steps keep the WebAssembly memory
 * flat without any collection (the fused kernels' resident buffers are freed by the tape). No timing is measured. bench/memory.js prints
 * the same numbers for 10^6 steps and W2's full-size training step.
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import { memory, randomNormal, ready, tensor } from '@recurrent/core';
import type { Tensor } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { sequential, train } from '@recurrent/models';

/** A real collection before each reading, so the heap measures live objects only. */
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * The live heap after a full collection, the event loop turning once in between: memory() (read below) starts
 * tensor tracking, whose FinalizationRegistry drops the collected tensors' entries in a task after the collection.
 */
async function liveHeap(): Promise<number> {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return process.memoryUsage().heapUsed;
}

const MB = 2 ** 20;

beforeAll(async () => {
  await ready();
});

describe('memory over long runs', () => {
  test('50,000 model.step calls keep the heap and the WebAssembly memory flat', async () => {
    const m = sequential({ layers: [layers.lstm({ units: 16, batchInputShape: [1, null, 8] })] });
    const xs: Tensor[] = [];
    for (let i = 0; i < 16; i++) xs.push(randomNormal([1, 8], 0, 1, 'float32', i));
    let state = m.initState(1);
    let last = 0;
    const run = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const [y, next] = m.step(xs[i & 15], state);
        last = y.dataSync()[0];
        state = next;
      }
    };
    run(2000); // warm-up: packed weights, first allocations
    const heap0 = await liveHeap();
    const wasm0 = memory().numBytesInWasm;
    const heaps: number[] = [];
    for (let k = 0; k < 10; k++) {
      run(5000);
      heaps.push(await liveHeap());
    }
    expect(Number.isFinite(last)).toBe(true);
    expect(Math.max(...heaps) - heap0).toBeLessThan(3 * MB);
    expect(memory().numBytesInWasm).toBe(wasm0);
  });

  test('40 trainOnBatch steps keep the heap and the WebAssembly memory flat', async () => {
    const m = sequential({
      layers: [layers.lstm({ units: 32, inputShape: [20, 8] }), layers.dense({ units: 4, activation: 'softmax' })],
    });
    m.compile({ optimizer: train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const x = randomNormal([16, 20, 8], 0, 1, 'float32', 1);
    const y = tensor(
      Float32Array.from({ length: 64 }, (_, i) => (i % 4 === (i >> 2) % 4 ? 1 : 0)),
      [16, 4],
    );
    const losses: number[] = [];
    const step = async (): Promise<void> => {
      const l = await m.trainOnBatch(x, y);
      losses.push(Array.isArray(l) ? l[0] : l);
    };
    for (let i = 0; i < 5; i++) await step(); // warm-up: optimizer slots, gradient buffers
    const heap0 = await liveHeap();
    const wasm0 = memory().numBytesInWasm;
    const heaps: number[] = [];
    for (let i = 0; i < 35; i++) {
      await step();
      if (i % 5 === 4) heaps.push(await liveHeap());
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    expect(Math.max(...heaps) - heap0).toBeLessThan(3 * MB);
    expect(memory().numBytesInWasm).toBe(wasm0);
  });

  test('trainOnBatch steps back to back (no collection in between) keep the WebAssembly memory flat', async () => {
    // The LSTM's saved forward buffers stay resident in wasm for its backward and are freed when the step's
    // gradient scope ends (not by the garbage collector), so each step reuses the previous step's region.
    const m = sequential({
      layers: [layers.lstm({ units: 48, inputShape: [30, 8] }), layers.dense({ units: 4, activation: 'softmax' })],
    });
    m.compile({ optimizer: train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const x = randomNormal([24, 30, 8], 0, 1, 'float32', 2);
    const y = tensor(
      Float32Array.from({ length: 96 }, (_, i) => (i % 4 === (i >> 2) % 4 ? 1 : 0)),
      [24, 4],
    );
    await m.trainOnBatch(x, y);
    const wasm0 = memory().numBytesInWasm;
    for (let i = 0; i < 12; i++) await m.trainOnBatch(x, y);
    expect(memory().numBytesInWasm).toBe(wasm0);
  });
});
