// Recurrent layers next to tfjs (cpu backend), in the same process, alternating which library runs first.
// Workload: inputs [32, 100, 64], 256 units, returnSequences false.
// - forward: layer.apply(x) and read the result;
// - training step: a weighted-sum loss on the output and its gradients w.r.t. all weights (variableGrads).
// tfjs takes ~20 s per LSTM forward and ~50 s per training step at this size on the cpu backend, so tfjs runs
// once per row (ours 3 times, interleaved); medians are printed. The whole file stays under ~3 minutes.
// tfjs layers are created with a glorotUniform recurrent initializer: its orthogonal initializer takes minutes
// on a 256x1024 matrix, and the weights are overwritten with ours anyway.
const rc = require('recurrent');
const { time, median } = require('./harness');

const B = 32;
const T = 100;
const D = 64;
const U = 256;

const WORKLOADS = [
  {
    title: 'LSTM',
    ours: () => rc.layers.lstm({ units: U }),
    theirs: (tf) => tf.layers.lstm({ units: U, recurrentInitializer: 'glorotUniform' }),
  },
  {
    title: 'GRU',
    ours: () => rc.layers.gru({ units: U }),
    theirs: (tf) => tf.layers.gru({ units: U, recurrentInitializer: 'glorotUniform' }),
  },
  // tfjs throws on resetAfter: true, so this row is ours alone.
  { title: 'GRU resetAfter', ours: () => rc.layers.gru({ units: U, resetAfter: true }), theirs: null },
  {
    title: 'SimpleRNN',
    ours: () => rc.layers.simpleRNN({ units: U }),
    theirs: (tf) => tf.layers.simpleRNN({ units: U, recurrentInitializer: 'glorotUniform' }),
  },
];

function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/**
 * Interleaves `runsA` runs of `a` with `runsB` runs of `b` (which goes first alternates by round);
 * returns the sorted times of each.
 */
function alternate(a, b, runsA, runsB) {
  const ta = [];
  const tb = [];
  for (let r = 0; r < Math.max(runsA, runsB); r++) {
    const order =
      r % 2 === 0
        ? [
            [a, ta, runsA],
            [b, tb, runsB],
          ]
        : [
            [b, tb, runsB],
            [a, ta, runsA],
          ];
    for (const [fn, out, n] of order) if (fn && r < n) out.push(...time(fn, { warmup: 0, runs: 1 }));
  }
  return [ta.sort((x, y) => x - y), tb.sort((x, y) => x - y)];
}

async function benchRecurrent(tf, { runs = 3, tfjsRuns = 1 } = {}) {
  const rows = [];
  const x = rc.randomNormal([B, T, D], 0, 1, 'float32', 1);
  const tx = tf.tensor(x.dataSync(), [B, T, D]);
  const w = rc.randomUniform([B, U], 0.5, 1.5, 'float32', 2);
  const tw = tf.tensor(w.dataSync(), [B, U]);
  for (const wl of WORKLOADS) {
    const ours = wl.ours();
    ours.apply(x);
    const theirs = wl.theirs ? wl.theirs(tf) : null;
    if (theirs) {
      theirs.build([B, T, D]); // creates the weights without a (20 s) forward pass
      theirs.built = true;
      theirs.setWeights(ours.getWeights().map((t) => tf.tensor(t.dataSync(), t.shape)));
    }
    const oursVars = ours.trainableWeights;
    const theirVars = theirs ? theirs.trainableWeights.map((v) => v.read()) : null;

    const oursForward = () => ours.apply(x).dataSync();
    const theirsForward = theirs ? () => tf.tidy(() => theirs.apply(tx).dataSync()) : null;
    const oursTrain = () => {
      const { value, grads } = rc.variableGrads(() => rc.sum(rc.mul(ours.apply(x, { training: true }), w)), oursVars);
      value.dataSync();
      for (const v of oursVars) grads[v.name].dataSync();
    };
    const theirsTrain = theirs
      ? () =>
          tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(theirs.apply(tx, { training: true }), tw)), theirVars);
            value.dataSync();
            for (const v of theirVars) grads[v.name].dataSync();
          })
      : null;

    // Warm our JIT once (tfjs calls take seconds; its first run is counted like the others).
    oursForward();
    oursTrain();
    for (const [kind, a, b] of [
      ['forward', oursForward, theirsForward],
      ['train step', oursTrain, theirsTrain],
    ]) {
      const [ta, tb] = alternate(a, b, runs, tfjsRuns);
      const mo = median(ta);
      const mt = tb.length ? median(tb) : null;
      rows.push([
        `${wl.title} ${kind} [${B},${T},${D}]→${U}`,
        fmt(mo),
        mt === null ? 'n/a (tfjs throws)' : fmt(mt),
        mt === null ? '' : `${(mt / mo).toFixed(1)}x`,
      ]);
    }
    ours.dispose();
    if (theirVars) for (const v of theirVars) v.dispose(); // tfjs refuses Layer.dispose() on eagerly applied layers
  }
  tx.dispose();
  tw.dispose();
  return rows;
}

module.exports = { benchRecurrent };

if (require.main === module) {
  (async () => {
    const tf = require('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const { printTable } = require('./harness');
    printTable([['workload', 'recurrent', 'tfjs cpu', 'speed-up'], ...(await benchRecurrent(tf))]);
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
