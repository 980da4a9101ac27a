// Issue 18's peer table: recurrent beside TensorFlow.js (cpu and wasm backends), onnxruntime-node (1 intra-op
// thread) and onnxruntime-web (its wasm build running in Node: 1 thread, and N threads) on the same LSTM/GRU
// workloads with the SAME weights and inputs:
//
//   W1  lstm(256) predict [32, 100, 64]                          (ms per call)
//   W2  W1 + dense(10, softmax), categoricalCrossentropy, adam(1e-3): one trainOnBatch   (ms; ONNX Runtime: no training)
//   W3  gru(256) predict [32, 100, 64], resetAfter false and true (ms; tfjs: resetAfter true throws)
//   W4  lstm(128), 1000 one-step calls [1, 1, 32] carrying the state (µs per step): stateful predict (recurrent, tfjs),
//       recurrent's model.step(xt, state), and ONNX Runtime on the exported graph with the LSTM's initial_h/initial_c
//       and Y_h/Y_c made graph inputs/outputs (patched here with onnx-proto), the state fed back each step
//   W6  lstm(64) predict on one sequence [1, 50, 16]             (µs per call; issue 18's W6, not issue 16's conv1d)
//
// recurrentActivation is 'sigmoid' everywhere (what ONNX's LSTM/GRU operators compute). This process builds each
// model once with recurrent (seeded), writes its weights, the inputs and the ONNX export (@recurrent/onnx) to a
// temporary folder; each contender runs in ITS OWN PROCESS (bench/peer_worker.js) and builds from those files. The
// contenders take turns, one run each per round (A B C D …, the first of the round rotating), so only one runs at a
// time and machine noise is spread over all; the first round is warm-up (tfjs cpu: the checking call at setup; W4: five rounds). Printed: median and min–max per
// contender, then the ratio peer median / recurrent median (>1: recurrent faster) and the largest difference of the
// contender's output (W2: first-step loss) from recurrent's, which checks that all computed the same thing.
//
//   npm run bench -- peers            this table alone (npm run bench runs it first, then the other tables)
//   npm run bench -- peers W1 W6      only these rows of it
//   node bench/peers.js [W1 …]        the same without the build step (needs a build: npm run build)
//   BENCH_QUICK=1 …                   fewer runs (2 timed runs per contender, 1 for tfjs cpu); about 2 minutes
//   PEER_THREADS=4 …                  threads of the 'ort-web N threads' contender (default: the number of CPUs)
//   PEER_ONLY=tfjs-wasm,ort-node …    only these peers beside recurrent (ids: tfjs-cpu, tfjs-wasm, ort-node, ort-web, ort-web-mt)
//   PEER_DEBUG=1 …                    log each setup / run reply with its time (stderr)
const { fork } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { median, printTable } = require('./harness');

const QUICK = process.env.BENCH_QUICK === '1';
const THREADS = Number(process.env.PEER_THREADS || os.cpus().length);

const ALL_CONTENDERS = [
  { id: 'recurrent', label: 'recurrent' },
  { id: 'recurrent-1t', label: 'recurrent 1 thread' },
  // Node 20 has relaxed SIMD only behind a V8 flag (Node >= 22 and Chrome >= 114 have it by default): the same
  // library with the flag loads its relaxed-SIMD build (fused multiply-add).
  { id: 'recurrent-relaxed', label: 'recurrent relaxed SIMD', execArgv: ['--experimental-wasm-relaxed-simd'] },
  { id: 'tfjs-cpu', label: 'tfjs cpu', slow: true },
  { id: 'tfjs-wasm', label: 'tfjs wasm' },
  { id: 'ort-node', label: 'ort-node 1 thread' },
  { id: 'ort-web', label: 'ort-web 1 thread' },
  { id: 'ort-web-mt', label: `ort-web ${THREADS} threads` },
];
/** PEER_ONLY=tfjs-wasm,ort-node: only these peers (recurrent always runs: the ratios are to it). */
const ONLY = process.env.PEER_ONLY ? process.env.PEER_ONLY.split(',').map((s) => s.trim()) : null;
if (ONLY) {
  const bad = ONLY.filter((id) => !ALL_CONTENDERS.some((c) => c.id === id));
  if (bad.length)
    throw new Error(`peers: unknown PEER_ONLY contender(s) ${bad.join(', ')}; known: ${ALL_CONTENDERS.map((c) => c.id).join(', ')}`);
}
const CONTENDERS = ALL_CONTENDERS.filter((c) => !ONLY || c.id === 'recurrent' || ONLY.includes(c.id));

/**
 * The workloads. `runs`: timed runs (tfjs cpu takes seconds per run: fewer); `warmup`: untimed runs first (default
 * 1, none for tfjs cpu; W4: 5 runs of 1000 steps, as V8 is still compiling a step's JavaScript after the first
 * ~3000 steps — every contender gets them);
 * `callsPerRun`: calls per timed run (the time is divided by it); `only`: the contenders that run it.
 */
function peerWorkloads() {
  const r = QUICK ? 2 : 5;
  const slow = QUICK ? 1 : 3;
  return [
    {
      id: 'W1',
      title: 'W1 lstm(256) predict [32,100,64]',
      kind: 'predict',
      layer: 'lstm',
      units: 256,
      shape: [32, 100, 64],
      callsPerRun: 1,
      runs: r,
      slowRuns: slow,
    },
    {
      id: 'W2',
      title: 'W2 lstm(256)+dense trainOnBatch 32',
      kind: 'train',
      layer: 'lstm',
      units: 256,
      shape: [32, 100, 64],
      classes: 10,
      runs: r,
      slowRuns: slow,
    },
    {
      id: 'W3',
      title: 'W3 gru(256) resetAfter=false predict',
      kind: 'predict',
      layer: 'gru',
      resetAfter: false,
      units: 256,
      shape: [32, 100, 64],
      callsPerRun: 1,
      runs: r,
      slowRuns: slow,
    },
    {
      id: 'W3',
      title: 'W3 gru(256) resetAfter=true predict',
      kind: 'predict',
      layer: 'gru',
      resetAfter: true,
      units: 256,
      shape: [32, 100, 64],
      callsPerRun: 1,
      runs: r,
      slowRuns: slow,
    },
    {
      id: 'W4',
      title: 'W4 lstm(128) one step [1,1,32], µs/step',
      kind: 'stream',
      layer: 'lstm',
      units: 128,
      features: 32,
      steps: 1000,
      runs: r,
      slowRuns: r,
      warmup: 5,
      unit: 'us',
    },
    {
      id: 'W4',
      title: 'W4 same via model.step(xt, state)',
      kind: 'stream',
      stepApi: true,
      layer: 'lstm',
      units: 128,
      features: 32,
      steps: 1000,
      runs: r,
      warmup: 5,
      unit: 'us',
      only: ['recurrent'],
    },
    {
      id: 'W6',
      title: 'W6 lstm(64) predict [1,50,16], µs/call',
      kind: 'predict',
      layer: 'lstm',
      units: 64,
      shape: [1, 50, 16],
      callsPerRun: QUICK ? 50 : 100,
      runs: r,
      slowRuns: r,
      unit: 'us',
    },
  ];
}

// ------------------------------------------------------------------------------------------ shared files

function writeF32(dir, file, data) {
  fs.writeFileSync(path.join(dir, file), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * The step graph of W4 for ONNX Runtime: the exported one-layer LSTM graph with the operator's initial_h and
 * initial_c as graph inputs h_in/c_in [1, batch, units] and its Y_h/Y_c as outputs h_out/c_out.
 */
function stepGraph(bytes, units) {
  const { onnx } = require('onnx-proto');
  const m = onnx.ModelProto.decode(bytes);
  const g = m.graph;
  const lstm = g.node.filter((n) => n.opType === 'LSTM');
  if (lstm.length !== 1) throw new Error(`peers: expected one LSTM node in the export, found ${lstm.length}`);
  const node = lstm[0];
  while (node.input.length < 4) node.input.push('');
  node.input.splice(4, node.input.length - 4, '', 'h_in', 'c_in'); // X W R B sequence_lens initial_h initial_c
  while (node.output.length < 2) node.output.push('');
  const yh = node.output[1];
  node.output.splice(2, node.output.length - 2, 'c_out');
  const stateType = () => ({
    tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: 1 }, { dimValue: units }] } },
  });
  g.input.push(
    onnx.ValueInfoProto.create({ name: 'h_in', type: stateType() }),
    onnx.ValueInfoProto.create({ name: 'c_in', type: stateType() }),
  );
  g.node.push(onnx.NodeProto.create({ opType: 'Identity', input: [yh], output: ['h_out'], name: 'h_out_identity' }));
  g.output.push(
    onnx.ValueInfoProto.create({ name: 'h_out', type: stateType() }),
    onnx.ValueInfoProto.create({ name: 'c_out', type: stateType() }),
  );
  return onnx.ModelProto.encode(m).finish();
}

/** Builds each workload's model with recurrent and writes weights, inputs and ONNX files under `root`. */
async function prepare(root, workloads) {
  const rc = require('recurrent');
  const { exportModel } = require('@recurrent/onnx');
  await rc.ready();
  for (const [i, w] of workloads.entries()) {
    const dir = path.join(root, `w${i}`);
    fs.mkdirSync(dir);
    w.dir = dir;
    rc.setSeed(100 + i);
    const layerArgs = { units: w.units, recurrentActivation: 'sigmoid' };
    if (w.layer === 'gru') layerArgs.resetAfter = w.resetAfter;
    const m = rc.sequential();
    if (w.kind === 'stream') {
      m.add(rc.layers[w.layer]({ ...layerArgs, batchInputShape: [1, null, w.features] }));
    } else {
      m.add(rc.layers[w.layer]({ ...layerArgs, inputShape: w.shape.slice(1) }));
      if (w.kind === 'train') m.add(rc.layers.dense({ units: w.classes, activation: 'softmax' }));
    }
    const weights = m.getWeights().map((t, k) => {
      const file = `weight${k}.bin`;
      writeF32(dir, file, t.dataSync());
      return { file, shape: t.shape };
    });
    fs.writeFileSync(path.join(dir, 'weights.json'), JSON.stringify(weights));
    const n = w.kind === 'stream' ? w.steps * w.features : w.shape.reduce((a, b) => a * b, 1);
    writeF32(dir, 'x.bin', rc.randomNormal([n], 0, 1, 'float32', 200 + i).dataSync());
    if (w.kind === 'train') {
      const ids = rc.randomUniform([w.shape[0]], 0, w.classes, 'float32', 300 + i).dataSync();
      const y = new Float32Array(w.shape[0] * w.classes);
      ids.forEach((v, b) => (y[b * w.classes + Math.min(w.classes - 1, Math.floor(v))] = 1));
      writeF32(dir, 'y.bin', y);
    } else if (w.kind === 'predict') {
      fs.writeFileSync(path.join(dir, 'model.onnx'), exportModel(m, { opset: 17 }));
    } else if (!w.stepApi) {
      fs.writeFileSync(path.join(dir, 'step.onnx'), stepGraph(exportModel(m, { opset: 17 }), w.units));
    }
  }
}

// ------------------------------------------------------------------------------------------ child processes

/** Forks one contender's worker; `send(msg)` resolves to its reply (one message in flight at a time). */
function startWorker(c) {
  const child = fork(path.join(__dirname, 'peer_worker.js'), [c.id], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: c.execArgv ?? [],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  let pending = null;
  child.on('message', (m) => {
    const p = pending;
    pending = null;
    if (p) p.resolve(m);
  });
  child.on('exit', (code) => {
    const p = pending;
    pending = null;
    if (p) p.resolve({ ok: false, error: `worker exited (code ${code}) ${stderr.trim().split('\n').slice(-3).join(' | ')}` });
  });
  return {
    send: (msg) =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve({ ok: false, error: 'worker not running' });
        const t0 = Date.now();
        pending = {
          resolve: (m) => {
            if (process.env.PEER_DEBUG)
              process.stderr.write(`    [${c.id}] ${msg.type}: ${Date.now() - t0} ms ${m.ok ? '' : JSON.stringify(m)}\n`);
            resolve(m);
          },
        };
        child.send(msg);
      }),
    stop: () => {
      if (child.exitCode === null) child.send({ type: 'exit' });
    },
  };
}

function fmt(v, unit) {
  if (unit === 'us') {
    const us = v * 1000;
    return us >= 100 ? `${us.toFixed(0)} µs` : `${us.toFixed(1)} µs`;
  }
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  return v >= 10 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`;
}

function maxAbsDiff(a, b) {
  if (!a || !b || a.length !== b.length) return NaN;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/**
 * Runs the peer table (rows whose id is in `select`, all when empty). Returns
 * {timeRows, ratioRows, notes, machine} for printTable.
 */
async function benchPeers({ select = [], log = () => {} } = {}) {
  const workloads = peerWorkloads().filter((w) => select.length === 0 || select.includes(w.id));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-peers-'));
  const notes = [];
  const infos = {};
  const workers = {};
  try {
    await prepare(root, workloads);
    for (const c of CONTENDERS) workers[c.id] = startWorker(c);
    const timeRows = [['workload (median, min–max)', ...CONTENDERS.map((c) => c.label)]];
    const ratioRows = [['peer / recurrent (max |diff| of outputs)', ...CONTENDERS.slice(1).map((c) => c.label)]];
    for (const w of workloads) {
      log(`  ${w.title} ...`);
      const spec = { ...w };
      delete spec.dir;
      const state = CONTENDERS.map((c) => ({ c, times: [], cell: '' }));
      for (const s of state) {
        if (w.only && !w.only.includes(s.c.id)) {
          s.cell = '';
          continue;
        }
        const r = await workers[s.c.id].send({ type: 'setup', workload: spec, dir: w.dir });
        if (r.ok) {
          s.check = r.check;
          s.runs = s.c.slow ? w.slowRuns : w.runs;
          s.warmup = w.warmup ?? (s.c.slow ? 0 : 1); // tfjs cpu: its setup's checking call (seconds) is its warm-up
          s.done = 0;
          infos[s.c.id] = r.info;
        } else if (r.unsupported) {
          s.cell = 'n/a';
          notes.push(`${w.title}, ${s.c.label}: n/a (${r.unsupported})`);
        } else {
          s.cell = 'fails';
          notes.push(`${w.title}, ${s.c.label}: fails: ${r.error}`);
        }
      }
      const active = state.filter((s) => s.runs);
      const rounds = Math.max(0, ...active.map((s) => s.runs + s.warmup));
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < active.length; k++) {
          const s = active[(k + round) % active.length];
          if (s.cell || s.done >= s.runs + s.warmup) continue;
          const r = await workers[s.c.id].send({ type: 'run' });
          s.done++;
          if (!r.ok) {
            s.cell = 'fails';
            notes.push(`${w.title}, ${s.c.label}: fails: ${r.error}`);
          } else if (s.done > s.warmup) {
            s.times.push(r.ms);
          }
        }
      }
      for (const s of active) await workers[s.c.id].send({ type: 'dispose' });
      const ours = state[0];
      const oursMedian = ours.times.length ? median(ours.times.slice().sort((a, b) => a - b)) : null;
      const timeRow = [w.title];
      const ratioRow = [w.title];
      for (const s of state) {
        let med = null;
        if (!s.cell && s.times.length) {
          const t = s.times.slice().sort((a, b) => a - b);
          med = median(t);
          s.cell = fmt(med, w.unit) + (t.length > 1 ? ` (${fmt(t[0], w.unit)}–${fmt(t[t.length - 1], w.unit)})` : ' [1 run]');
        }
        timeRow.push(s.cell);
        if (s === ours) continue;
        if (med === null || oursMedian === null) {
          ratioRow.push(s.cell === '' ? '' : s.cell);
        } else {
          const d = maxAbsDiff(s.check, ours.check);
          ratioRow.push(`${(med / oursMedian).toFixed(2)}x (${Number.isNaN(d) ? 'outputs differ in size' : d.toExponential(0)})`);
        }
      }
      timeRows.push(timeRow);
      ratioRows.push(ratioRow);
    }
    return { timeRows, ratioRows, notes, infos };
  } finally {
    for (const wk of Object.values(workers)) wk.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The machine line of the peer table. */
function machineLine() {
  const cpus = os.cpus();
  return (
    `machine: ${cpus.length} x ${cpus[0] ? cpus[0].model : 'unknown CPU'}, load average ${os.loadavg()[0].toFixed(1)}, node ${process.version}` +
    (QUICK ? ', BENCH_QUICK=1' : '')
  );
}

/** Runs and prints the peer tables. */
async function printPeers(select = []) {
  const t0 = Date.now();
  const { timeRows, ratioRows, notes, infos } = await benchPeers({ select, log: (m) => process.stderr.write(`${m}\n`) });
  printTable(timeRows);
  console.log('');
  printTable(ratioRows);
  console.log('Ratios: peer median / recurrent median (>1: recurrent faster); in brackets the largest |difference| of the');
  console.log("peer's output from recurrent's (W2: first-step loss; W4: last step's output). Each contender in its own process.");
  for (const c of CONTENDERS) if (infos[c.id]) console.log(`${c.label}: ${infos[c.id]}`);
  for (const n of notes) console.log(`note: ${n}`);
  console.log(`(peer table took ${((Date.now() - t0) / 1000).toFixed(0)} s; load average now ${os.loadavg()[0].toFixed(1)})`);
}

module.exports = { benchPeers, printPeers, peerWorkloads, machineLine, CONTENDERS };

if (require.main === module) {
  const select = process.argv.slice(2).map((a) => a.toUpperCase());
  const bad = select.filter((a) => !/^W[1-46]$/.test(a));
  if (bad.length) {
    console.error(`peers.js: unknown workload(s) ${bad.join(', ')}; use W1, W2, W3, W4, W6.`);
    process.exit(1);
  }
  console.log(machineLine());
  printPeers(select).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
