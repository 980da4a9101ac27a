// matMul GFLOP/s: recurrent on its two backends ('wasm' SIMD and plain 'js') next to tfjs on 'cpu'
// and, when it loads, tfjs on 'wasm' (@tensorflow/tfjs-backend-wasm: XNNPACK, SIMD; Node loads its
// .wasm from node_modules, so it runs offline), in the same process, alternating so machine noise
// hits all alike. All columns are single-threaded.
const rc = require('recurrent');
const { time, median, loadTfjsWasm } = require('./harness');

const SHAPES = [
  [3200, 320, 1024],
  [32, 256, 1024],
  [64, 64, 64],
];

async function benchMatMul(tf, { runs = 5 } = {}) {
  const tfWasm = await loadTfjsWasm(tf);
  const contenders = [
    { name: 'recurrent wasm', backend: 'wasm', rc: true },
    { name: 'recurrent js', backend: 'js', rc: true },
    { name: 'tfjs cpu', backend: 'cpu' },
    ...(tfWasm ? [{ name: 'tfjs wasm', backend: 'wasm' }] : []),
  ];
  await rc.ready();
  const header = ['matMul', ...contenders.map((c) => c.name), 'wasm / tfjs cpu'];
  if (tfWasm) header.push('wasm / tfjs wasm');
  const rows = [header];
  for (const [m, k, n] of SHAPES) {
    const flops = 2 * m * k * n;
    const a = rc.randomNormal([m, k], 0, 1, 'float32', 1);
    const b = rc.randomNormal([k, n], 0, 1, 'float32', 2);
    // Fewer timed repetitions of the slow plain-JS kernel on the big shape; more of the tiny one.
    const reps = flops < 1e7 ? 200 : 1;
    for (const c of contenders) {
      c.ms = [];
      if (!c.rc) {
        await tf.setBackend(c.backend);
        c.a = tf.tensor(a.dataSync(), [m, k]);
        c.b = tf.tensor(b.dataSync(), [k, n]);
      }
    }
    for (let r = 0; r < runs; r++) {
      for (const c of contenders) {
        let fn;
        if (c.rc) {
          await rc.setBackend(c.backend);
          fn = () => rc.matMul(a, b).dataSync();
        } else {
          await tf.setBackend(c.backend);
          fn = () => {
            const out = tf.matMul(c.a, c.b);
            out.dataSync();
            out.dispose();
          };
        }
        const loop = () => {
          for (let i = 0; i < reps; i++) fn();
        };
        c.ms.push(...time(loop, { warmup: r === 0 ? 1 : 0, runs: 1 }).map((ms) => ms / reps));
      }
    }
    const med = (c) => median(c.ms.sort((x, y) => x - y));
    const g = (c) => `${(flops / (med(c) * 1e6)).toFixed(2)} GFLOP/s`;
    const row = [`[${m}x${k}]·[${k}x${n}]`, ...contenders.map(g)];
    row.push(`${(med(contenders[2]) / med(contenders[0])).toFixed(2)}x`);
    if (tfWasm) row.push(`${(med(contenders[3]) / med(contenders[0])).toFixed(2)}x`);
    rows.push(row);
    for (const c of contenders) {
      if (!c.rc) {
        await tf.setBackend(c.backend);
        c.a.dispose();
        c.b.dispose();
      }
    }
  }
  await tf.setBackend('cpu');
  await rc.setBackend('wasm');
  return rows;
}

module.exports = { benchMatMul };
