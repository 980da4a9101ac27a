// matMul GFLOP/s: recurrent's kernel next to tfjs (cpu backend), in the same process, alternating.
const rc = require('recurrent');
const { time, median } = require('./harness');

const SHAPES = [
  [3200, 320, 1024],
  [32, 256, 1024],
];

async function benchMatMul(tf, { runs = 5 } = {}) {
  const rows = [];
  for (const [m, k, n] of SHAPES) {
    const flops = 2 * m * k * n;
    const a = rc.randomNormal([m, k], 0, 1, 'float32', 1);
    const b = rc.randomNormal([k, n], 0, 1, 'float32', 2);
    const ta = tf.tensor(a.dataSync(), [m, k]);
    const tb = tf.tensor(b.dataSync(), [k, n]);
    const ours = [];
    const theirs = [];
    for (let r = 0; r < runs; r++) {
      // Alternate the two libraries so machine noise hits both alike.
      ours.push(...time(() => rc.matMul(a, b).dataSync(), { warmup: r === 0 ? 1 : 0, runs: 1 }));
      theirs.push(...time(() => { const c = tf.matMul(ta, tb); c.dataSync(); c.dispose(); }, { warmup: r === 0 ? 1 : 0, runs: 1 }));
    }
    ours.sort((x, y) => x - y);
    theirs.sort((x, y) => x - y);
    const g = (ms) => (flops / (ms * 1e6)).toFixed(2);
    rows.push([
      `matMul [${m}x${k}]·[${k}x${n}]`,
      `${g(median(ours))} GFLOP/s`,
      `${g(median(theirs))} GFLOP/s`,
      `${(median(theirs) / median(ours)).toFixed(2)}x`,
    ]);
    ta.dispose();
    tb.dispose();
  }
  return rows;
}

module.exports = { benchMatMul };
