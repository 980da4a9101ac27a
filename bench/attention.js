// Attention on [32, 50, 128] queries over [32, 100, 128] values (issue 15): recurrent's Attention (dot),
// AdditiveAttention and MultiHeadAttention (8 heads × 16), forward and forward+backward (gradients w.r.t.
// the inputs and weights), next to the same dot-product attention written with tfjs ops on 'cpu'
// (tfjs has no attention layer). Medians after a warm-up; nothing is asserted.
//
//   npm run bench -- attention
const rc = require('recurrent');
const { time, median } = require('./harness');

const Q_SHAPE = [32, 50, 128];
const V_SHAPE = [32, 100, 128];

function fmt(v) {
  return v >= 10 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`;
}

async function benchAttention(tf, { runs = process.env.BENCH_QUICK === '1' ? 3 : 5 } = {}) {
  await rc.ready();
  const q = rc.randomNormal(Q_SHAPE, 0, 1, 'float32', 1);
  const v = rc.randomNormal(V_SHAPE, 0, 1, 'float32', 2);
  const rows = [['attention [32,50,128] over [32,100,128]', 'forward', 'forward+backward']];

  const contenders = [
    ['recurrent Attention (dot, useScale)', rc.layers.attention({ useScale: true })],
    ['recurrent AdditiveAttention', rc.layers.additiveAttention()],
    ['recurrent MultiHeadAttention (8 × 16)', rc.layers.multiHeadAttention({ numHeads: 8, keyDim: 16 })],
  ];
  for (const [name, layer] of contenders) {
    layer.apply([q, v]);
    const fwd = () => layer.apply([q, v]).dataSync();
    const both = () => {
      const w = layer.trainableWeights;
      const f = (a, b) => rc.sum(layer.apply([a, b]));
      rc.grads(f)([q, v]).forEach((g) => g.dataSync());
      if (w.length > 0) Object.values(rc.variableGrads(() => f(q, v), w).grads).forEach((g) => g.dataSync());
    };
    rows.push([name, fmt(median(time(fwd, { runs }))), fmt(median(time(both, { runs: Math.max(2, runs - 2) })))]);
  }

  await tf.setBackend('cpu');
  const tq = tf.tensor(q.dataSync(), Q_SHAPE);
  const tv = tf.tensor(v.dataSync(), V_SHAPE);
  const tfAttention = (a, b) => tf.matMul(tf.softmax(tf.matMul(a, b, false, true)), b);
  const tfFwd = () => tf.tidy(() => tfAttention(tq, tv).dataSync());
  const tfBoth = () =>
    tf.tidy(() =>
      tf
        .grads((a, b) => tf.sum(tfAttention(a, b)))([tq, tv])
        .forEach((g) => g.dataSync()),
    );
  rows.push([
    'tfjs cpu ops: matMul, softmax, matMul',
    fmt(median(time(tfFwd, { runs }))),
    fmt(median(time(tfBoth, { runs: Math.max(2, runs - 2) }))),
  ]);
  return rows;
}

module.exports = { benchAttention };
