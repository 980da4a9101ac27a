// Memory of streaming inference: runs W4 (lstm(128), one step of [1, 32] at a time) for many steps and
// prints heapUsed (after a full GC) at intervals, then the growth from the first to the last sample.
// Not a unit test: run it with
//
//   node --expose-gc bench/memory.js [steps=1000000] [step|predict]
//
// 'step' (default) goes through model.step(xt, state) with the state outside the model; 'predict' through a
// stateful model's one-step predict. A flat heap means no per-step garbage is kept alive (tape, registries,
// cached arrays).
const rc = require('recurrent');

async function main() {
  if (typeof global.gc !== 'function') {
    console.error('memory.js: run with node --expose-gc bench/memory.js');
    process.exit(1);
  }
  const steps = Number(process.argv[2] || 1e6);
  const mode = process.argv[3] || 'step';
  if (!['step', 'predict'].includes(mode)) throw new Error(`memory.js: mode must be 'step' or 'predict', received '${mode}'.`);
  await rc.ready();
  const model = rc.sequential();
  model.add(rc.layers.lstm({ units: 128, stateful: mode === 'predict', batchInputShape: [1, mode === 'predict' ? 1 : null, 32] }));
  // A small pool of inputs, reused (the inputs themselves are not what is measured).
  const xs = [];
  for (let i = 0; i < 64; i++) xs.push(rc.randomNormal(mode === 'predict' ? [1, 1, 32] : [1, 32], 0, 1, 'float32', i));
  let state = mode === 'step' ? model.initState(1) : null;
  const every = Math.max(1, Math.floor(steps / 10));
  const samples = [];
  const sample = (i) => {
    global.gc();
    const mb = process.memoryUsage().heapUsed / 1048576;
    samples.push(mb);
    console.log(`step ${String(i).padStart(8)}: heapUsed ${mb.toFixed(2)} MB`);
  };
  // Warm up (JIT, packed weights, first allocations) before the first sample.
  const one = (i) => {
    if (mode === 'step') {
      const [y, next] = model.step(xs[i & 63], state);
      y.dataSync();
      state = next;
    } else {
      model.predict(xs[i & 63]).dataSync();
    }
  };
  for (let i = 0; i < 1000; i++) one(i);
  const t0 = process.hrtime.bigint();
  sample(0);
  for (let i = 1; i <= steps; i++) {
    one(i);
    if (i % every === 0) sample(i);
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const growth = samples[samples.length - 1] - samples[0];
  const peak = Math.max(...samples);
  console.log(
    `${mode}: ${steps} steps in ${secs.toFixed(1)} s (${((secs * 1e6) / steps).toFixed(1)} µs/step incl. sampling); ` +
      `heapUsed ${samples[0].toFixed(2)} MB → ${samples[samples.length - 1].toFixed(2)} MB (growth ${growth.toFixed(2)} MB, ` +
      `${((growth * 1048576) / steps).toFixed(2)} bytes/step; peak ${peak.toFixed(2)} MB)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
