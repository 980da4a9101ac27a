// `npm run bench -- ort`: recurrent beside ONNX Runtime (onnxruntime-node, 1 intra-op thread) on the same LSTM/GRU
// models, exported with @recurrent/onnx (the exported graph computes what predict computes: the onnx package's tests
// check it within 1e-5). Medians of alternating runs after a warm-up, in one process; nothing is asserted.
// Issue 18's peers: onnxruntime-node is a devDependency (its CPU binary ships in the package).
const rc = require('recurrent');
const { median, printTable } = require('./harness');

async function timeAsync(fn, { warmup = 2, runs = 7 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const out = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

/** One workload: a Sequential recurrent layer predicting [batch, steps, features]. */
function build(kind, units, shape, extra = {}) {
  rc.setSeed(1);
  const m = rc.sequential({ layers: [rc.layers[kind]({ units, inputShape: shape.slice(1), recurrentActivation: 'sigmoid', ...extra })] });
  const x = rc.randomNormal(shape, 0, 1, 'float32', 2);
  return { m, x };
}

async function benchOrt() {
  let ort;
  let exportModel;
  try {
    ort = require('onnxruntime-node');
    ({ exportModel } = require('@recurrent/onnx'));
  } catch (e) {
    return [
      ['workload', 'note'],
      ['(skipped)', `onnxruntime-node or @recurrent/onnx unavailable: ${e.message}`],
    ];
  }
  const cases = [
    ['W1 lstm(256) predict [32,100,64]', 'lstm', 256, [32, 100, 64], {}],
    ['W3 gru(256) resetAfter=false [32,100,64]', 'gru', 256, [32, 100, 64], { resetAfter: false }],
    ['W3 gru(256) resetAfter=true [32,100,64]', 'gru', 256, [32, 100, 64], { resetAfter: true }],
    ['W6 lstm(64) one sequence [1,50,16]', 'lstm', 64, [1, 50, 16], {}],
  ];
  const rows = [['workload', 'recurrent (median)', 'onnxruntime-node 1 thread (median)', 'ort / recurrent', 'max |diff|']];
  for (const [title, kind, units, shape, extra] of cases) {
    const { m, x } = build(kind, units, shape, extra);
    const bytes = exportModel(m, { opset: 17 });
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const feed = { input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), shape) };
    const ours = m.predict(x).dataSync();
    const theirs = (await session.run(feed)).output.data;
    let diff = 0;
    for (let i = 0; i < ours.length; i++) diff = Math.max(diff, Math.abs(ours[i] - theirs[i]));
    const runs = shape[0] === 1 ? 50 : 7;
    // Alternate the two contenders, block by block.
    const tOurs = [];
    const tOrt = [];
    for (let block = 0; block < 3; block++) {
      tOurs.push(...(await timeAsync(() => m.predict(x).dataSync(), { runs })));
      tOrt.push(...(await timeAsync(() => session.run(feed), { runs })));
    }
    tOurs.sort((a, b) => a - b);
    tOrt.sort((a, b) => a - b);
    const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);
    rows.push([title, fmt(median(tOurs)), fmt(median(tOrt)), `${(median(tOrt) / median(tOurs)).toFixed(2)}x`, diff.toExponential(1)]);
    await session.release();
  }
  return rows;
}

module.exports = { benchOrt };

if (require.main === module) {
  rc.ready()
    .then(benchOrt)
    .then((rows) => printTable(rows))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
