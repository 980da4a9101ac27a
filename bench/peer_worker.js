// One contender of bench/peers.js in its own process: `node bench/peer_worker.js <contender>`, forked by the
// parent with an IPC channel. It loads only its own library, then answers the parent's messages:
//
//   {type: 'setup', workload, dir}  builds the workload from the files the parent wrote in `dir` (weights, input,
//                                   targets, ONNX model); replies {ok, check, info} or {ok: false, error}.
//                                   `check`: numbers the parent compares across contenders (predict: the output;
//                                   train: the first step's loss; stream: the last step's output).
//   {type: 'run'}                   one timed run of the workload; replies {ok, ms} (ms per call / per step
//                                   for workloads with `perRun`).
//   {type: 'dispose'} / {type: 'exit'}
//
// Contenders: recurrent, tfjs-cpu, tfjs-wasm, ort-node (1 intra-op thread), ort-web (1 thread), ort-web-mt
// (onnxruntime-web with PEER_THREADS threads, default the number of CPUs).
const fs = require('fs');
const os = require('os');
const path = require('path');

const contender = process.argv[2];

function readF32(dir, file) {
  const b = fs.readFileSync(path.join(dir, file));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice();
}

function readJson(dir, file) {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
}

/** OS threads of this process (Linux), to show whether a threaded runtime really started its threads. */
function osThreads() {
  try {
    return fs.readdirSync('/proc/self/task').length;
  } catch {
    return null;
  }
}

function now() {
  return process.hrtime.bigint();
}

function msSince(t0) {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

// ------------------------------------------------------------------------------------ Keras-style libraries
// recurrent and tfjs share the layer API (same arguments, same weight layout), so one builder serves both.

function kerasLayerArgs(w, extra) {
  // Zero initializers: setWeights overwrites them, and tfjs's orthogonal recurrent initializer takes minutes on
  // a [256, 1024] matrix.
  const args = { units: w.units, recurrentActivation: 'sigmoid', kernelInitializer: 'zeros', recurrentInitializer: 'zeros', ...extra };
  if (w.layer === 'gru') args.resetAfter = w.resetAfter;
  return args;
}

function kerasContender(lib, { dispose }) {
  const tensorOf = (data, shape) => lib.tensor(data, shape);
  const weightsFrom = (dir) => readJson(dir, 'weights.json').map((wt) => tensorOf(readF32(dir, wt.file), wt.shape));
  return {
    async setup(w, dir) {
      const weights = weightsFrom(dir);
      const m = lib.sequential();
      if (w.kind === 'stream') {
        m.add(lib.layers[w.layer](kerasLayerArgs(w, { stateful: !w.stepApi, batchInputShape: [1, w.stepApi ? null : 1, w.features] })));
      } else {
        m.add(lib.layers[w.layer](kerasLayerArgs(w, { inputShape: w.shape.slice(1) })));
        if (w.kind === 'train') m.add(lib.layers.dense({ units: w.classes, activation: 'softmax' }));
      }
      m.setWeights(weights);
      if (w.kind === 'predict') {
        const x = tensorOf(readF32(dir, 'x.bin'), w.shape);
        const once = () => {
          const y = m.predict(x);
          const out = y.dataSync();
          if (dispose) y.dispose();
          return out;
        };
        const check = Array.from(once());
        return {
          check,
          perRun: w.callsPerRun,
          run: () => {
            for (let i = 0; i < w.callsPerRun; i++) once();
          },
          dispose: () => {
            if (dispose) {
              x.dispose();
              m.dispose();
            }
          },
        };
      }
      if (w.kind === 'train') {
        m.compile({ optimizer: lib.train.adam(1e-3), loss: 'categoricalCrossentropy' });
        const x = tensorOf(readF32(dir, 'x.bin'), w.shape);
        const y = tensorOf(readF32(dir, 'y.bin'), [w.shape[0], w.classes]);
        const step = async () => {
          const loss = await m.trainOnBatch(x, y);
          return Array.isArray(loss) ? loss[0] : loss;
        };
        const check = [await step()]; // the first step's loss, from the shared initial weights
        return {
          check,
          perRun: 1,
          run: step,
          dispose: () => {
            if (dispose) {
              x.dispose();
              y.dispose();
              m.dispose();
            }
          },
        };
      }
      // stream: `steps` one-step calls from zero states; check = the last step's output.
      const data = readF32(dir, 'x.bin');
      const xs = [];
      for (let i = 0; i < w.steps; i++) {
        const v = data.slice(i * w.features, (i + 1) * w.features);
        xs.push(tensorOf(v, w.stepApi ? [1, w.features] : [1, 1, w.features]));
      }
      let last = null;
      const run = w.stepApi
        ? () => {
            let s = m.initState(1);
            for (let i = 0; i < w.steps; i++) {
              const [y, next] = m.step(xs[i], s);
              last = y.dataSync();
              s = next;
            }
          }
        : () => {
            m.resetStates();
            for (let i = 0; i < w.steps; i++) {
              const y = m.predict(xs[i]);
              last = y.dataSync();
              if (dispose) y.dispose();
            }
          };
      run();
      return {
        check: Array.from(last),
        perRun: w.steps,
        run,
        dispose: () => {
          if (dispose) {
            xs.forEach((x) => x.dispose());
            m.dispose();
          }
        },
      };
    },
  };
}

// ------------------------------------------------------------------------------------------ ONNX Runtime

function ortContender(ort, sessionOptions) {
  return {
    async setup(w, dir) {
      if (w.kind === 'train') return { unsupported: 'ONNX Runtime (node / web) has no training API' };
      if (w.kind === 'stream' && w.stepApi) return { unsupported: 'recurrent API only' };
      const session = await ort.InferenceSession.create(
        fs.readFileSync(path.join(dir, w.kind === 'stream' ? 'step.onnx' : 'model.onnx')),
        sessionOptions,
      );
      if (w.kind === 'predict') {
        const feed = { input: new ort.Tensor('float32', readF32(dir, 'x.bin'), w.shape) };
        const check = Array.from((await session.run(feed)).output.data);
        return {
          check,
          perRun: w.callsPerRun,
          run: async () => {
            for (let i = 0; i < w.callsPerRun; i++) await session.run(feed);
          },
          dispose: () => session.release(),
        };
      }
      // stream: the step graph (bench/peers.js) takes and returns the LSTM's h and c, fed back each step.
      const data = readF32(dir, 'x.bin');
      const xs = [];
      for (let i = 0; i < w.steps; i++)
        xs.push(new ort.Tensor('float32', data.slice(i * w.features, (i + 1) * w.features), [1, 1, w.features]));
      const zeros = () => new ort.Tensor('float32', new Float32Array(w.units), [1, 1, w.units]);
      let last = null;
      const run = async () => {
        let h = zeros();
        let c = zeros();
        for (let i = 0; i < w.steps; i++) {
          const r = await session.run({ input: xs[i], h_in: h, c_in: c });
          last = r.output.data;
          h = r.h_out;
          c = r.c_out;
        }
      };
      await run();
      return { check: Array.from(last), perRun: w.steps, run, dispose: () => session.release() };
    },
  };
}

// ------------------------------------------------------------------------------------------ loading

async function load() {
  if (contender === 'recurrent' || contender === 'recurrent-1t' || contender === 'recurrent-relaxed') {
    const rc = require('recurrent');
    if (contender === 'recurrent-1t') rc.setThreadsCount(1);
    await rc.ready();
    const b = rc.backendInfo();
    return {
      impl: kerasContender(rc, { dispose: false }),
      info: `backend ${b.backend} (${b.module}, ${b.threads} threads), version ${rc.version}`,
    };
  }
  if (contender === 'tfjs-cpu' || contender === 'tfjs-wasm') {
    const tf = require('@tensorflow/tfjs');
    const backend = contender.slice(5);
    if (backend === 'wasm') require('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend(backend);
    await tf.ready();
    if (tf.getBackend() !== backend) throw new Error(`tfjs backend '${backend}' did not initialize`);
    return { impl: kerasContender(tf, { dispose: true }), info: `tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}` };
  }
  if (contender === 'ort-node') {
    const ort = require('onnxruntime-node');
    const opts = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' };
    return {
      impl: ortContender(ort, opts),
      info: `onnxruntime-node ${require('onnxruntime-node/package.json').version}, 1 intra-op thread`,
    };
  }
  if (contender === 'ort-web' || contender === 'ort-web-mt') {
    const ort = require('onnxruntime-web');
    const threads = contender === 'ort-web' ? 1 : Number(process.env.PEER_THREADS || os.cpus().length);
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    const opts = { executionProviders: ['wasm'] };
    return { impl: ortContender(ort, opts), info: `onnxruntime-web ${ort.env.versions.web}, wasm, numThreads ${threads}` };
  }
  throw new Error(`peer_worker: unknown contender '${contender}'`);
}

let loaded = null;
let current = null;

async function handle(msg) {
  if (msg.type === 'setup') {
    if (!loaded) loaded = await load();
    const r = await loaded.impl.setup(msg.workload, msg.dir);
    if (r.unsupported) return { ok: false, unsupported: r.unsupported };
    current = r;
    return { ok: true, check: r.check, info: `${loaded.info}; ${osThreads()} OS threads` };
  }
  if (msg.type === 'run') {
    const t0 = now();
    await current.run();
    return { ok: true, ms: msSince(t0) / (current.perRun || 1) };
  }
  if (msg.type === 'dispose') {
    if (current && current.dispose) await current.dispose();
    current = null;
    return { ok: true };
  }
  if (msg.type === 'exit') {
    process.exit(0);
  }
  throw new Error(`peer_worker: unknown message ${JSON.stringify(msg)}`);
}

process.on('message', (msg) => {
  handle(msg).then(
    (reply) => process.send(reply),
    (e) => process.send({ ok: false, error: String(e && e.message ? e.message : e).split('\n')[0] }),
  );
});
process.on('disconnect', () => process.exit(0));
