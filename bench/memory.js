// Memory, not speed: resident set (rss), JS heap (heapUsed, after a full GC), ArrayBuffers outside the heap and the
// WebAssembly memory, sampled while the model works. Not a unit test (packages/models/test/engine/
// streaming_memory.test.ts bounds the same with a generous limit); run it with
//
//   node --expose-gc bench/memory.js                      both parts below (about a minute on a quiet machine)
//   node --expose-gc bench/memory.js train [steps=30]     W2's training step: lstm(256) + dense(10, softmax),
//                                                         adam, trainOnBatch on [32, 100, 64]; memory after each step,
//                                                         the peak resident set while training, and the largest growth
//                                                         of ArrayBuffers within one step (before collection: what a
//                                                         step allocates outside the JS heap, at least; the LSTM's
//                                                         saved forward buffers stay in wasm, so no ~23 MB copy)
//   node --expose-gc bench/memory.js step [steps=1e6]     W4 streaming: lstm(128), one [1, 32] step at a time through
//                                                         model.step(xt, state), state outside the model
//   node --expose-gc bench/memory.js predict [steps=1e6]  the same through a stateful model's one-step predict
//
// Flat numbers after the first step/samples mean no per-step garbage is kept alive (tape, registries, caches).
const rc = require('recurrent');

const MB = 1048576;

/**
 * Memory after a full collection (the event loop turning once in between, for FinalizationRegistry callbacks).
 * The WebAssembly memory is read with memory() only at the end (wasmLine): its first call starts recurrent's
 * tensor tracking (a FinalizationRegistry entry per tensor), which would slow the steps measured here and, in a
 * long synchronous loop, hold about 100 bytes per tensor made until the event loop turns.
 */
async function snapshot() {
  global.gc();
  await new Promise((resolve) => setImmediate(resolve));
  global.gc();
  const m = process.memoryUsage();
  return { rss: m.rss / MB, heap: m.heapUsed / MB, buffers: m.arrayBuffers / MB };
}

function fmtSnap(s) {
  return `rss ${s.rss.toFixed(1)} MB, heapUsed ${s.heap.toFixed(2)} MB, arrayBuffers ${s.buffers.toFixed(2)} MB`;
}

function wasmLine() {
  return `WebAssembly memory at the end: ${(rc.memory().numBytesInWasm / MB).toFixed(1)} MB (it only grows; the unit test checks it stays flat)`;
}

/** Peak resident set of the process so far (MB). */
function maxRss() {
  return process.resourceUsage().maxRSS / 1024;
}

function growthLine(label, first, last, count, unit) {
  const d = (k) => last[k] - first[k];
  const per = (k) => ((d(k) * MB) / count).toFixed(1);
  return (
    `${label}: growth from the first to the last sample: rss ${d('rss').toFixed(1)} MB, heapUsed ${d('heap').toFixed(2)} MB ` +
    `(${per('heap')} bytes/${unit}), arrayBuffers ${d('buffers').toFixed(2)} MB`
  );
}

async function train(steps) {
  rc.setSeed(1);
  const before = await snapshot();
  const m = rc.sequential();
  m.add(rc.layers.lstm({ units: 256, inputShape: [100, 64] }));
  m.add(rc.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: rc.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = rc.randomNormal([32, 100, 64], 0, 1, 'float32', 2);
  const y = rc.oneHot(
    rc.tensor(
      Int32Array.from({ length: 32 }, (_, i) => i % 10),
      [32],
      'int32',
    ),
    10,
  );
  const built = await snapshot();
  console.log(`train: before the model      ${fmtSnap(before)}`);
  console.log(`train: model + data built    ${fmtSnap(built)}  (peak rss so far ${maxRss().toFixed(0)} MB)`);
  const samples = [];
  let stepBuffers = 0;
  let buffersBefore = process.memoryUsage().arrayBuffers;
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= steps; i++) {
    await m.trainOnBatch(x, y);
    // Before the collection: a collection inside the step makes this a lower bound.
    stepBuffers = Math.max(stepBuffers, process.memoryUsage().arrayBuffers - buffersBefore);
    const s = await snapshot();
    buffersBefore = process.memoryUsage().arrayBuffers;
    samples.push(s);
    if (i <= 3 || i === steps || i % Math.max(1, Math.floor(steps / 5)) === 0)
      console.log(`train: after step ${String(i).padStart(4)}       ${fmtSnap(s)}`);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    `train: ${steps} steps in ${secs.toFixed(1)} s; peak rss while training ${maxRss().toFixed(0)} MB ` +
      `(${(maxRss() - built.rss).toFixed(0)} MB above the built model: one step's working memory, tape and gradients included)`,
  );
  console.log(
    `train: largest ArrayBuffer growth within one step ${(stepBuffers / MB).toFixed(1)} MB ` +
      '(before collection; a lower bound of what a step allocates outside the JS heap)',
  );
  const half = samples.length >> 1;
  console.log(growthLine('train (steps 1 → last)', samples[0], samples[samples.length - 1], Math.max(1, steps - 1), 'step'));
  // The first steps include V8's own warm-up (compiled code, inline caches): the second half shows the steady state.
  console.log(
    growthLine(`train (steps ${half + 1} → last)`, samples[half], samples[samples.length - 1], Math.max(1, steps - 1 - half), 'step'),
  );
}

async function stream(steps, mode) {
  const model = rc.sequential();
  model.add(rc.layers.lstm({ units: 128, stateful: mode === 'predict', batchInputShape: [1, mode === 'predict' ? 1 : null, 32] }));
  // A small pool of inputs, reused (the inputs themselves are not what is measured).
  const xs = [];
  for (let i = 0; i < 64; i++) xs.push(rc.randomNormal(mode === 'predict' ? [1, 1, 32] : [1, 32], 0, 1, 'float32', i));
  let state = mode === 'step' ? model.initState(1) : null;
  const every = Math.max(1, Math.floor(steps / 10));
  const samples = [];
  const sample = async (i) => {
    const s = await snapshot();
    samples.push(s);
    console.log(`${mode}: step ${String(i).padStart(8)}: ${fmtSnap(s)}`);
  };
  const one = (i) => {
    if (mode === 'step') {
      const [y, next] = model.step(xs[i & 63], state);
      y.dataSync();
      state = next;
    } else {
      model.predict(xs[i & 63]).dataSync();
    }
  };
  // Warm up (JIT, packed weights, first allocations) before the first sample.
  for (let i = 0; i < 1000; i++) one(i);
  const t0 = process.hrtime.bigint();
  await sample(0);
  for (let i = 1; i <= steps; i++) {
    one(i);
    if (i % every === 0) await sample(i);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakHeap = Math.max(...samples.map((s) => s.heap));
  console.log(
    `${mode}: ${steps} steps in ${secs.toFixed(1)} s (${((secs * 1e6) / steps).toFixed(1)} µs/step incl. sampling); ` +
      `peak heapUsed ${peakHeap.toFixed(2)} MB, peak rss ${maxRss().toFixed(0)} MB`,
  );
  console.log(growthLine(mode, samples[0], samples[samples.length - 1], steps, 'step'));
}

async function main() {
  if (typeof global.gc !== 'function') {
    console.error('memory.js: run with node --expose-gc bench/memory.js');
    process.exit(1);
  }
  const mode = process.argv[2] || 'all';
  if (!['all', 'train', 'step', 'predict'].includes(mode)) {
    throw new Error(`memory.js: mode must be 'train', 'step' or 'predict' (or nothing: train then step), received '${mode}'.`);
  }
  const count = process.argv[3] !== undefined ? Number(process.argv[3]) : null;
  if (count !== null && !(Number.isInteger(count) && count > 0))
    throw new Error(`memory.js: steps must be a positive integer, received '${process.argv[3]}'.`);
  await rc.ready();
  console.log(`recurrent ${rc.version}, backend '${rc.getBackend()}', node ${process.version}`);
  if (mode === 'all' || mode === 'train') await train(count ?? 30);
  if (mode === 'all' || mode === 'step' || mode === 'predict') await stream(count ?? 1e6, mode === 'all' ? 'step' : mode);
  console.log(wasmLine());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
