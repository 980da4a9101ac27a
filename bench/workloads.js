// The workloads of issue 8 (W1–W5) on recurrent and on tfjs's 'cpu' and 'wasm' backends, in the same
// process, alternating which contender runs first in each round so machine noise hits all alike.
// Float32, batch-first, random-normal inputs, default initializers. Models are built (and compiled)
// before timing; each contender gets one untimed warm-up run (except where noted), then the timed runs.
// Printed: median and min–max of each contender, and the speed ratio (peer median / recurrent median).
//
//   W1  sequential[lstm(256, inputShape [100, 64])]: predict on [32, 100, 64] + dataSync; also built as model({inputs, outputs})
//       W1–W3: recurrent on its default wasm thread count (getThreadsCount()) and, in the next row, on 1 thread
//   W2  W1 + dense(10, softmax), categoricalCrossentropy, adam(1e-3): one trainOnBatch on 32 samples
//   W3  as W1 with gru(256): resetAfter false (tfjs's GRU) and true (recurrent only: tfjs throws)
//   W4  lstm(128, stateful, batchInputShape [1, 1, 32]): 1000 consecutive one-step predicts, µs per step
//       (also recurrent's model.step() API, state outside the model)
//   W5  embedding(64→32) → lstm(128) → dense(64, softmax), sparseCategoricalCrossentropy, adam:
//       one epoch of fit over 1024 sequences of length 50, batchSize 64 (tfjs wasm: no Embedding gradient)
//   W6  conv1d(128 filters, kernel 5, 'same', inputShape [1000, 64]): predict on [32, 1000, 64] + dataSync
//       (issue 16; recurrent runs it as strided gemm products in wasm, no im2col copy)
//   W6  (issue 18) lstm(64, inputShape [50, 16]): µs per predict of ONE sequence [1, 50, 16] + dataSync (the
//       browser's typical call); beside it, ours only: the fused lstmSequence op called directly on the same
//       weights (no model engine, the whole-sequence kernel) and the step kernel's run() (the arithmetic floor)
//   W7  convLstm2d(16 filters, kernel 3, 'same', inputShape [10, 32, 32, 8]): predict on [8, 10, 32, 32, 8] + dataSync
//       (issue 16; last output only)
const rc = require('recurrent');
const { median } = require('./harness');

const QUICK = process.env.BENCH_QUICK === '1';

function now() {
  return process.hrtime.bigint();
}

function ms(t0) {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function fmtMs(v) {
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 10) return `${v.toFixed(0)} ms`;
  return `${v.toFixed(2)} ms`;
}

function fmtUs(v) {
  return v >= 100 ? `${v.toFixed(0)} µs` : `${v.toFixed(1)} µs`;
}

/** Random-normal Float32Array of `n` values from a seed (the same data for every contender). */
function normalData(n, seed) {
  return rc.randomNormal([n], 0, 1, 'float32', seed).dataSync().slice();
}

/** One-hot [n, classes] rows from a seed. */
function oneHotData(n, classes, seed) {
  const ids = rc.randomUniform([n], 0, classes, 'float32', seed).dataSync();
  const out = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) out[i * classes + Math.min(classes - 1, Math.floor(ids[i]))] = 1;
  return out;
}

function intData(n, max, seed) {
  const u = rc.randomUniform([n], 0, max, 'float32', seed).dataSync();
  return Int32Array.from(u, (v) => Math.min(max - 1, Math.floor(v)));
}

// ------------------------------------------------------------------------------------------ workloads
// Each workload: `ours()` and `theirs(tf)` build everything and return `{run, unit?, perRun?}` where `run`
// (sync or async) is the timed body; `perRun` divides the time (W4: per step). `theirs` may be null for a
// contender that cannot run it, or return `{fails: 'why'}`.

const W1_SHAPE = [32, 100, 64];

function w1(cellName, extra = {}) {
  return {
    ours() {
      const m = rc.sequential();
      m.add(rc.layers[cellName]({ units: 256, inputShape: [100, 64], ...extra }));
      const x = rc.tensor(normalData(32 * 100 * 64, 1), W1_SHAPE);
      return { run: () => m.predict(x).dataSync() };
    },
    theirs(tf) {
      const m = tf.sequential();
      m.add(tf.layers[cellName]({ units: 256, inputShape: [100, 64], ...extra }));
      const x = tf.tensor(normalData(32 * 100 * 64, 1), W1_SHAPE);
      return {
        run: () => {
          const y = m.predict(x);
          y.dataSync();
          y.dispose();
        },
        dispose: () => {
          x.dispose();
          m.dispose();
        },
      };
    },
  };
}

/** W1 built as a functional model (input() → lstm → model()): same fused kernel, graph engine overhead only. */
const W1_GRAPH = {
  ours() {
    const inp = rc.input({ shape: [100, 64] });
    const m = rc.model({ inputs: inp, outputs: rc.layers.lstm({ units: 256 }).apply(inp) });
    const x = rc.tensor(normalData(32 * 100 * 64, 1), W1_SHAPE);
    return { run: () => m.predict(x).dataSync() };
  },
  theirs(tf) {
    const inp = tf.input({ shape: [100, 64] });
    const m = tf.model({ inputs: inp, outputs: tf.layers.lstm({ units: 256 }).apply(inp) });
    const x = tf.tensor(normalData(32 * 100 * 64, 1), W1_SHAPE);
    return {
      run: () => {
        const y = m.predict(x);
        y.dataSync();
        y.dispose();
      },
      dispose: () => {
        x.dispose();
        m.dispose();
      },
    };
  },
};

const W2 = {
  ours() {
    const m = rc.sequential();
    m.add(rc.layers.lstm({ units: 256, inputShape: [100, 64] }));
    m.add(rc.layers.dense({ units: 10, activation: 'softmax' }));
    m.compile({ optimizer: rc.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const x = rc.tensor(normalData(32 * 100 * 64, 2), W1_SHAPE);
    const y = rc.tensor(oneHotData(32, 10, 3), [32, 10]);
    return { run: () => m.trainOnBatch(x, y) };
  },
  theirs(tf) {
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units: 256, inputShape: [100, 64] }));
    m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const x = tf.tensor(normalData(32 * 100 * 64, 2), W1_SHAPE);
    const y = tf.tensor(oneHotData(32, 10, 3), [32, 10]);
    return {
      run: () => m.trainOnBatch(x, y),
      dispose: () => {
        x.dispose();
        y.dispose();
        m.dispose();
      },
    };
  },
};

const W4_STEPS = 1000;

function w4Inputs(make) {
  const xs = [];
  const data = normalData(W4_STEPS * 32, 4);
  for (let i = 0; i < W4_STEPS; i++) xs.push(make(data.subarray(i * 32, (i + 1) * 32)));
  return xs;
}

const W4 = {
  ours() {
    const m = rc.sequential();
    m.add(rc.layers.lstm({ units: 128, stateful: true, batchInputShape: [1, 1, 32] }));
    const xs = w4Inputs((v) => rc.tensor(v.slice(), [1, 1, 32]));
    return {
      perRun: W4_STEPS,
      run: () => {
        m.resetStates();
        for (let i = 0; i < W4_STEPS; i++) m.predict(xs[i]).dataSync();
      },
    };
  },
  theirs(tf) {
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units: 128, stateful: true, batchInputShape: [1, 1, 32] }));
    const xs = w4Inputs((v) => tf.tensor(v.slice(), [1, 1, 32]));
    return {
      perRun: W4_STEPS,
      run: () => {
        m.resetStates();
        for (let i = 0; i < W4_STEPS; i++) {
          const y = m.predict(xs[i]);
          y.dataSync();
          y.dispose();
        }
      },
      dispose: () => {
        xs.forEach((x) => x.dispose());
        m.dispose();
      },
    };
  },
};

/** W4 through recurrent's `model.step(xt, state)` (state outside the model): ours only. */
const W4_STEP_API = {
  ours() {
    const m = rc.sequential();
    m.add(rc.layers.lstm({ units: 128, batchInputShape: [1, null, 32] }));
    const xs = w4Inputs((v) => rc.tensor(v.slice(), [1, 32]));
    return {
      perRun: W4_STEPS,
      run: () => {
        let s = m.initState(1);
        for (let i = 0; i < W4_STEPS; i++) {
          const [y, next] = m.step(xs[i], s);
          y.dataSync();
          s = next;
        }
      },
    };
  },
  theirs: null,
};

const W5_N = 1024;
const W5_T = 50;

const W5 = {
  ours() {
    const m = rc.sequential();
    m.add(rc.layers.embedding({ inputDim: 64, outputDim: 32, inputLength: W5_T }));
    m.add(rc.layers.lstm({ units: 128 }));
    m.add(rc.layers.dense({ units: 64, activation: 'softmax' }));
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = rc.tensor(intData(W5_N * W5_T, 64, 5), [W5_N, W5_T], 'int32');
    const y = rc.tensor(Float32Array.from(intData(W5_N, 64, 6)), [W5_N, 1]);
    return { run: () => m.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 }) };
  },
  theirs(tf) {
    const m = tf.sequential();
    m.add(tf.layers.embedding({ inputDim: 64, outputDim: 32, inputLength: W5_T }));
    m.add(tf.layers.lstm({ units: 128 }));
    m.add(tf.layers.dense({ units: 64, activation: 'softmax' }));
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = tf.tensor(intData(W5_N * W5_T, 64, 5), [W5_N, W5_T], 'int32');
    const y = tf.tensor(Float32Array.from(intData(W5_N, 64, 6)), [W5_N, 1]);
    return {
      run: () => m.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 }),
      dispose: () => {
        x.dispose();
        y.dispose();
        m.dispose();
      },
    };
  },
};

const W6_SHAPE = [32, 1000, 64];

const W6 = {
  ours() {
    const m = rc.sequential();
    m.add(rc.layers.conv1d({ filters: 128, kernelSize: 5, padding: 'same', inputShape: [1000, 64] }));
    const x = rc.tensor(normalData(32 * 1000 * 64, 7), W6_SHAPE);
    return { run: () => m.predict(x).dataSync() };
  },
  theirs(tf) {
    const m = tf.sequential();
    m.add(tf.layers.conv1d({ filters: 128, kernelSize: 5, padding: 'same', inputShape: [1000, 64] }));
    const x = tf.tensor(normalData(32 * 1000 * 64, 7), W6_SHAPE);
    return {
      run: () => {
        const y = m.predict(x);
        y.dataSync();
        y.dispose();
      },
      dispose: () => {
        x.dispose();
        m.dispose();
      },
    };
  },
};

const W6_SEQ_SHAPE = [1, 50, 16];
const W6_SEQ_CALLS = 200;

/** W6 of issue 18: one small sequence per predict, µs per call (`W6_SEQ_CALLS` calls per timed run). */
const W6_SEQ = {
  ours() {
    const m = rc.sequential();
    m.add(rc.layers.lstm({ units: 64, inputShape: W6_SEQ_SHAPE.slice(1) }));
    const x = rc.tensor(normalData(50 * 16, 9), W6_SEQ_SHAPE);
    return {
      perRun: W6_SEQ_CALLS,
      run: () => {
        for (let i = 0; i < W6_SEQ_CALLS; i++) m.predict(x).dataSync();
      },
    };
  },
  theirs(tf) {
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units: 64, inputShape: W6_SEQ_SHAPE.slice(1) }));
    const x = tf.tensor(normalData(50 * 16, 9), W6_SEQ_SHAPE);
    const calls = W6_SEQ_CALLS / 10; // each call takes milliseconds on tfjs
    return {
      perRun: calls,
      run: () => {
        for (let i = 0; i < calls; i++) {
          const y = m.predict(x);
          y.dataSync();
          y.dispose();
        }
      },
      dispose: () => {
        x.dispose();
        m.dispose();
      },
    };
  },
};

/** The weights of a built lstm(64) on [*, 50, 16] and the options its layer passes to the kernels. */
function w6SeqWeights() {
  const m = rc.sequential();
  m.add(rc.layers.lstm({ units: 64, inputShape: W6_SEQ_SHAPE.slice(1) }));
  const [W, R, b] = m.getWeights();
  return { W, R, b, opts: { activation: 'tanh', recurrentActivation: 'hardSigmoid' } };
}

/** W6 through the fused `lstmSequence` op directly (no model engine): ours only. */
const W6_SEQ_OP = {
  ours() {
    const { W, R, b, opts } = w6SeqWeights();
    const x = rc.tensor(normalData(50 * 16, 9), W6_SEQ_SHAPE);
    return {
      perRun: W6_SEQ_CALLS,
      run: () => {
        for (let i = 0; i < W6_SEQ_CALLS; i++) rc.lstmSequence(x, W, R, b, null, null, opts)[0].dataSync();
      },
    };
  },
  theirs: null,
};

/** W6 through the step kernel's `run()` on Float32Arrays (resident weights, no tensors): ours only, the floor. */
const W6_SEQ_KERNEL = {
  ours() {
    const { W, R, b, opts } = w6SeqWeights();
    const k = rc.createStepKernel('lstm', W.dataSync(), R.dataSync(), b.dataSync(), opts);
    const xs = normalData(50 * 16, 9);
    const zeros = new Float32Array(64);
    return {
      perRun: W6_SEQ_CALLS,
      run: () => {
        for (let i = 0; i < W6_SEQ_CALLS; i++) k.run(xs, 50, zeros, zeros, new Float32Array(64), new Float32Array(64));
      },
      dispose: () => k.dispose(),
    };
  },
  theirs: null,
};

const W7_SHAPE = [8, 10, 32, 32, 8];

const W7 = {
  ours() {
    const m = rc.sequential();
    m.add(rc.layers.convLstm2d({ filters: 16, kernelSize: 3, padding: 'same', inputShape: W7_SHAPE.slice(1) }));
    const x = rc.tensor(
      normalData(
        W7_SHAPE.reduce((a, b) => a * b, 1),
        8,
      ),
      W7_SHAPE,
    );
    return { run: () => m.predict(x).dataSync() };
  },
  theirs(tf) {
    const m = tf.sequential();
    m.add(tf.layers.convLstm2d({ filters: 16, kernelSize: 3, padding: 'same', inputShape: W7_SHAPE.slice(1) }));
    const x = tf.tensor(
      normalData(
        W7_SHAPE.reduce((a, b) => a * b, 1),
        8,
      ),
      W7_SHAPE,
    );
    return {
      run: () => {
        const y = m.predict(x);
        y.dataSync();
        y.dispose();
      },
      dispose: () => {
        x.dispose();
        m.dispose();
      },
    };
  },
};

/** The thread count recurrent's wasm kernels use by default here (RECURRENT_WASM_THREADS or min(cores, 4)). */
let defaultThreads = 1;

/**
 * `spec` with recurrent on `n` wasm threads (null: the default count), set before each run (untimed;
 * lowering the count keeps the workers idle, so switching back starts nothing); `theirs` dropped when `solo`.
 */
function onThreads(spec, n, solo = false) {
  return {
    ours() {
      const impl = spec.ours();
      return {
        ...impl,
        prepare: async () => {
          rc.setThreadsCount(n ?? defaultThreads);
          await rc.ready();
        },
      };
    },
    theirs: solo ? null : spec.theirs,
    solo,
  };
}

/**
 * The table rows. `peer`: rows that bench/peers.js also measures (each contender in its own process, with
 * ONNX Runtime too); a plain `npm run bench` prints those from there and skips them here. `runs`: timed runs per contender (fewer for tfjs where a run takes many seconds, noted
 * in the table); `warmup`: untimed runs first.
 */
function workloadList() {
  const r = QUICK ? 2 : 5;
  const T = defaultThreads;
  return [
    {
      id: 'W1',
      peer: true,
      title: `W1 LSTM(256) predict [32,100,64] (${T} threads)`,
      spec: onThreads(w1('lstm'), null),
      runs: { ours: r, cpu: QUICK ? 1 : 3, wasm: r },
    },
    { id: 'W1', peer: true, title: 'W1 same, recurrent on 1 thread', spec: onThreads(w1('lstm'), 1, true), runs: { ours: r } },
    { id: 'W1', title: 'W1 same as a functional model()', spec: onThreads(W1_GRAPH, null), runs: { ours: r, cpu: QUICK ? 1 : 3, wasm: r } },
    {
      id: 'W2',
      peer: true,
      title: `W2 LSTM(256)+Dense trainOnBatch 32 (${T} threads)`,
      spec: onThreads(W2, null),
      runs: { ours: r, cpu: QUICK ? 1 : 3, wasm: r },
    },
    { id: 'W2', peer: true, title: 'W2 same, recurrent on 1 thread', spec: onThreads(W2, 1, true), runs: { ours: r } },
    {
      id: 'W3',
      peer: true,
      title: `W3 GRU(256) resetAfter=false predict (${T} threads)`,
      spec: onThreads(w1('gru', { resetAfter: false }), null),
      runs: { ours: r, cpu: QUICK ? 1 : 3, wasm: r },
    },
    {
      id: 'W3',
      peer: true,
      title: 'W3 same, recurrent on 1 thread',
      spec: onThreads(w1('gru', { resetAfter: false }), 1, true),
      runs: { ours: r },
    },
    {
      id: 'W3',
      peer: true,
      title: `W3 GRU(256) resetAfter=true predict (${T} threads)`,
      spec: onThreads({ ours: w1('gru', { resetAfter: true }).ours, theirs: null }, null),
      runs: { ours: r },
    },
    {
      id: 'W3',
      peer: true,
      title: 'W3 same, recurrent on 1 thread',
      spec: onThreads({ ours: w1('gru', { resetAfter: true }).ours, theirs: null }, 1, true),
      runs: { ours: r },
    },
    // µs-per-call rows: 3 warm-up runs, as V8 tiers the JS and the wasm up over the first few thousand calls
    // (one run of 1000 one-step calls measured ~40 µs per call, the fourth ~10 µs).
    {
      id: 'W4',
      peer: true,
      title: 'W4 stateful LSTM(128) 1-step predict',
      spec: W4,
      runs: { ours: r, cpu: r, wasm: r },
      unit: 'us',
      warmup: { ours: 3, cpu: 3, wasm: 3 },
    },
    {
      id: 'W4',
      peer: true,
      title: 'W4 same via model.step(xt, state)',
      spec: W4_STEP_API,
      runs: { ours: r },
      unit: 'us',
      warmup: { ours: 3 },
    },
    {
      id: 'W5',
      title: 'W5 Emb→LSTM(128)→Dense fit 1 epoch',
      spec: W5,
      runs: { ours: QUICK ? 1 : 3, cpu: 1, wasm: 1 },
      warmup: { cpu: 0, wasm: 0 },
    },
    { id: 'W6', title: 'W6 Conv1D(128, k5) predict [32,1000,64]', spec: W6, runs: { ours: r, cpu: QUICK ? 1 : 3, wasm: r } },
    {
      id: 'W6',
      peer: true,
      title: 'W6 LSTM(64) predict one sequence [1,50,16]',
      spec: W6_SEQ,
      runs: { ours: r, cpu: r, wasm: r },
      unit: 'us',
      warmup: { ours: 3, cpu: 2, wasm: 2 },
    },
    { id: 'W6', title: 'W6 same, lstmSequence op called directly', spec: W6_SEQ_OP, runs: { ours: r }, unit: 'us', warmup: { ours: 3 } },
    { id: 'W6', title: 'W6 same, step kernel run() (floor)', spec: W6_SEQ_KERNEL, runs: { ours: r }, unit: 'us', warmup: { ours: 3 } },
    { id: 'W7', title: 'W7 ConvLSTM2D(16, k3) predict [8,10,32,32,8]', spec: W7, runs: { ours: r, cpu: 1, wasm: r } },
  ];
}

async function timeRun(fn) {
  const t0 = now();
  const out = fn();
  if (out && typeof out.then === 'function') await out;
  return ms(t0);
}

/**
 * Runs the selected workloads (ids like 'W1'; all when empty). Returns printTable rows.
 * `tfWasm`: whether tfjs's wasm backend initialized; `skipPeerRows`: leave out the rows bench/peers.js measures.
 */
async function benchWorkloads(tf, { select = [], tfWasm = false, skipPeerRows = false, log = () => {} } = {}) {
  await rc.ready();
  defaultThreads = rc.getThreadsCount();
  const list = workloadList().filter((w) => (select.length === 0 || select.includes(w.id)) && !(skipPeerRows && w.peer));
  const header = ['workload', 'recurrent (median, min–max)', 'tfjs cpu', 'tfjs wasm', 'vs tfjs cpu', 'vs tfjs wasm'];
  const rows = [header];
  const notes = [];
  for (const w of list) {
    log(`  ${w.title} ...`);
    const contenders = [{ key: 'ours', name: 'recurrent' }];
    if (w.spec.theirs && w.runs.cpu) contenders.push({ key: 'cpu', name: 'tfjs cpu', backend: 'cpu' });
    if (w.spec.theirs && w.runs.wasm) contenders.push({ key: 'wasm', name: 'tfjs wasm', backend: 'wasm' });
    // Build everything first (not timed).
    for (const c of contenders) {
      c.times = [];
      try {
        if (c.backend) {
          if (c.backend === 'wasm' && !tfWasm) throw new Error('tfjs wasm backend unavailable');
          await tf.setBackend(c.backend);
          c.impl = w.spec.theirs(tf);
        } else {
          c.impl = w.spec.ours();
        }
        c.runs = w.runs[c.key];
        c.warmup = w.warmup && w.warmup[c.key] !== undefined ? w.warmup[c.key] : 1;
      } catch (e) {
        c.error = e.message.split('\n')[0];
      }
    }
    const rounds = Math.max(...contenders.map((c) => (c.error ? 0 : c.runs + c.warmup)));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round.
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
      for (const c of order) {
        if (c.error || c.done >= c.runs + c.warmup) continue;
        c.done = (c.done || 0) + 1;
        try {
          if (c.backend) await tf.setBackend(c.backend);
          if (c.impl.prepare) await c.impl.prepare();
          const t = await timeRun(c.impl.run);
          if (c.done > c.warmup) c.times.push(t / (c.impl.perRun || 1));
        } catch (e) {
          c.error = e.message.split('\n')[0];
        }
      }
    }
    rc.setThreadsCount(defaultThreads);
    for (const c of contenders) {
      if (c.impl && c.impl.dispose) {
        if (c.backend) await tf.setBackend(c.backend);
        c.impl.dispose();
      }
    }
    const fmt = w.unit === 'us' ? (v) => fmtUs(v * 1000) : fmtMs;
    const cell = (key, withRange) => {
      const c = contenders.find((k) => k.key === key);
      if (!c) return key === 'ours' ? '' : 'n/a';
      if (c.error) {
        notes.push(`${w.title}, ${c.name}: ${c.error}`);
        return 'fails';
      }
      const s = c.times.slice().sort((a, b) => a - b);
      let text = fmt(median(s));
      if (withRange && s.length > 1) text += ` (${fmt(s[0])}–${fmt(s[s.length - 1])})`;
      if (s.length !== (key === 'ours' ? 5 : 5)) text += ` [${s.length} run${s.length > 1 ? 's' : ''}]`;
      return text;
    };
    const med = (key) => {
      const c = contenders.find((k) => k.key === key);
      return !c || c.error || c.times.length === 0 ? null : median(c.times.slice().sort((a, b) => a - b));
    };
    const ours = med('ours');
    const ratio = (key) => {
      const m = med(key);
      return m === null || ours === null ? '' : `${(m / ours).toFixed(1)}x`;
    };
    const noPeer = !w.spec.theirs
      ? w.spec.solo
        ? ''
        : w.id === 'W3' && w.title.includes('resetAfter=true')
          ? 'n/a (tfjs throws)'
          : 'n/a'
      : null;
    rows.push([w.title, cell('ours', true), noPeer ?? cell('cpu', true), noPeer ?? cell('wasm', true), ratio('cpu'), ratio('wasm')]);
  }
  return { rows, notes };
}

module.exports = { benchWorkloads, workloadList };
