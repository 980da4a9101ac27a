// Issue 18's small-call latency (W4, W6) for recurrent alone, per call, with the JavaScript around the kernel
// separated from the kernel itself:
//   W4 predict       stateful lstm(128) [1, 1, 32], 1000 consecutive one-step predicts + dataSync (µs per step)
//   W4 model.step    the same model through model.step(xt, state), the state carried (µs per step)
//   W4 kernel        the same weights through createStepKernel(...).step on Float32Arrays (the floor of both)
//   W6 predict       lstm(64) on one [1, 50, 16] sequence, predict + dataSync (µs per call)
//   W6 kernel        the same weights through createStepKernel(...).run (the floor)
// recurrentActivation is 'sigmoid' (as the peer table, bench/peers.js). Each row: medians over rounds (min in
// parentheses) of wall time and of process CPU time (all threads, so the GC's helper threads count); the machine
// is shared, so CPU time is the steadier of the two. Nothing here is asserted.
//
//   npm run bench -- latency                  this build, in this process
//   node bench/latency.js dirA dirB ...       A/B of builds: each dir holds node_modules/recurrent (copies of the
//                                             packages' dist folders), run in its own process, processes
//                                             alternating (3 each); prints each build's medians of the runs' medians
//   BENCH_QUICK=1 …                           fewer rounds
//   LATENCY_ONLY=w4predict,w6predict …       only these rows (ids: w4predict, w4step, w4kernel, w6predict, w6kernel)
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { printTable } = require('./harness');

const QUICK = process.env.BENCH_QUICK === '1';
const ROWS = {
  w4predict: 'W4 stateful lstm(128) predict [1,1,32], µs/step',
  w4step: 'W4 the same via model.step(xt, state), µs/step',
  w4kernel: 'W4 kernel floor: createStepKernel().step, µs/step',
  w6predict: 'W6 lstm(64) predict [1,50,16], µs/call',
  w6kernel: 'W6 kernel floor: createStepKernel().run, µs/call',
};

function med(a) {
  const s = [...a].sort((p, q) => p - q);
  return s[s.length >> 1];
}

/** The timed bodies on library `rc`; each returns how many calls it made. */
function workloads(rc) {
  const data = (n, seed) => rc.randomNormal([n], 0, 1, 'float32', seed).dataSync().slice();
  const opts = { recurrentActivation: 'sigmoid' };
  const m4 = rc.sequential();
  m4.add(rc.layers.lstm({ units: 128, stateful: true, batchInputShape: [1, 1, 32], ...opts }));
  const m4s = rc.sequential();
  m4s.add(rc.layers.lstm({ units: 128, batchInputShape: [1, null, 32], ...opts }));
  m4s.setWeights(m4.getWeights());
  const d4 = data(1000 * 32, 4);
  const xs4 = [];
  const xt4 = [];
  for (let i = 0; i < 1000; i++) {
    xs4.push(rc.tensor(d4.slice(i * 32, (i + 1) * 32), [1, 1, 32]));
    xt4.push(rc.tensor(d4.slice(i * 32, (i + 1) * 32), [1, 32]));
  }
  const kernelOf = (m) => {
    const [W, R, b] = m.getWeights().map((t) => t.dataSync());
    return rc.createStepKernel('lstm', W, R, b, { activation: 'tanh', recurrentActivation: 'sigmoid' });
  };
  const k4 = kernelOf(m4);
  const h4 = new Float32Array(128);
  const c4 = new Float32Array(128);
  const m6 = rc.sequential();
  m6.add(rc.layers.lstm({ units: 64, inputShape: [50, 16], ...opts }));
  const x6 = rc.tensor(data(50 * 16, 9), [1, 50, 16]);
  const xs6 = x6.dataSync();
  const k6 = kernelOf(m6);
  const zeros = new Float32Array(64);
  return {
    w4predict: () => {
      m4.resetStates();
      for (let i = 0; i < 1000; i++) m4.predict(xs4[i]).dataSync();
      return 1000;
    },
    w4step: () => {
      let s = m4s.initState(1);
      for (let i = 0; i < 1000; i++) {
        const [y, next] = m4s.step(xt4[i], s);
        y.dataSync();
        s = next;
      }
      return 1000;
    },
    w4kernel: () => {
      h4.fill(0);
      c4.fill(0);
      for (let i = 0; i < 1000; i++) k4.step(d4.subarray(i * 32, (i + 1) * 32), h4, c4, h4, c4);
      return 1000;
    },
    w6predict: () => {
      for (let i = 0; i < 200; i++) m6.predict(x6).dataSync();
      return 200;
    },
    w6kernel: () => {
      for (let i = 0; i < 200; i++) k6.run(xs6, 50, zeros, zeros, new Float32Array(64), new Float32Array(64));
      return 200;
    },
  };
}

/** Medians (and minima) of wall and CPU µs per call for the selected rows, on library `rc`. */
async function measure(rc, ids) {
  await rc.ready();
  const w = workloads(rc);
  const rounds = QUICK ? 7 : 15;
  const t = {};
  for (const id of ids) t[id] = { wall: [], cpu: [] };
  for (let r = 0; r < rounds + 2; r++) {
    for (const id of ids) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const n = w[id]();
      const wall = Number(process.hrtime.bigint() - t0) / 1e3 / n;
      const c = process.cpuUsage(c0);
      if (r >= 2) {
        t[id].wall.push(wall);
        t[id].cpu.push((c.user + c.system) / n);
      }
    }
  }
  const out = {};
  for (const id of ids)
    out[id] = { wall: med(t[id].wall), wallMin: Math.min(...t[id].wall), cpu: med(t[id].cpu), cpuMin: Math.min(...t[id].cpu) };
  return out;
}

function selected() {
  const ids = (process.env.LATENCY_ONLY || Object.keys(ROWS).join(',')).split(',');
  const bad = ids.filter((id) => !ROWS[id]);
  if (bad.length) throw new Error(`latency.js: unknown row(s) ${bad.join(', ')}; use ${Object.keys(ROWS).join(', ')}.`);
  return ids;
}

async function benchLatency() {
  const ids = selected();
  const rc = require('recurrent');
  const load = os.loadavg()[0];
  const res = await measure(rc, ids);
  console.log(
    `small-call latency (issue 18; recurrent on ${rc.getThreadsCount()} thread(s), ${rc.wasmFeatures().module ?? 'no'} wasm build; ` +
      `load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)})`,
  );
  const f = (v, m) => `${v.toFixed(2)} (${m.toFixed(2)})`;
  printTable([
    ['workload', 'wall µs, median (min)', 'CPU µs, median (min)'],
    ...ids.map((id) => [ROWS[id], f(res[id].wall, res[id].wallMin), f(res[id].cpu, res[id].cpuMin)]),
  ]);
}

/** A/B: each build in its own process, alternating; medians of the processes' medians. */
function compareBuilds(dirs) {
  const ids = selected();
  const runs = QUICK ? 2 : 3;
  const all = dirs.map(() => []);
  const load0 = os.loadavg()[0];
  for (let r = 0; r < runs; r++) {
    dirs.forEach((dir, i) => {
      const out = execFileSync(process.execPath, [__filename, '--child', dir], { env: process.env, encoding: 'utf8' });
      all[i].push(JSON.parse(out.trim().split('\n').pop()));
    });
  }
  console.log(
    `small-call latency, builds A/B (${runs} processes each, alternating; load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)})`,
  );
  const rows = [['workload', ...dirs.map((d) => `${path.basename(d)}: wall / CPU µs`)]];
  for (const id of ids) {
    rows.push([
      ROWS[id],
      ...all.map((res) => `${med(res.map((x) => x[id].wall)).toFixed(2)} / ${med(res.map((x) => x[id].cpu)).toFixed(2)}`),
    ]);
  }
  printTable(rows);
}

module.exports = { benchLatency };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const rc = require(path.resolve(args[1], 'node_modules/recurrent'));
    measure(rc, selected()).then((r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    });
  } else if (args.length > 0) {
    compareBuilds(args.map((d) => path.resolve(d)));
  } else {
    benchLatency().catch((e) => {
      console.error(e);
      process.exit(1);
    });
  }
}
