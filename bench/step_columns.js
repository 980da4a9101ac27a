// Issue 18: does a batch-1 sequence gain from splitting each step's gate columns across wasm threads?
// `predict` of lstm(units) on ONE sequence [1, T, 32] (the step kernel's batch-1 path, StepKernel.run) with
// 1 thread and with N threads (setThreadsCount), alternating in each round; per size, wall-time and
// process-CPU medians (µs per call) and the speed-up 1 thread / N threads. With N threads each step is split
// by units (one block per thread, a barrier between steps), and each kernel times the split against one
// thread and keeps the faster (on a busy machine the other thread is often not running and each barrier
// waits a time slice), so the N-thread row is what a caller gets, not the raw split.
//
//   npm run bench -- columns          (only when asked)
//   node bench/step_columns.js        the same without the build step
//   BENCH_QUICK=1 …                   fewer rounds
const os = require('os');
const rc = require('recurrent');
const { median, printTable } = require('./harness');

const QUICK = process.env.BENCH_QUICK === '1';
const N = Math.max(2, Math.min(4, os.cpus().length));
const SIZES = [
  { units: 64, T: 50 },
  { units: 256, T: 50 },
  { units: 512, T: 20 },
  { units: 1024, T: 10 },
];

function normalData(n, seed) {
  return rc.randomNormal([n], 0, 1, 'float32', seed).dataSync().slice();
}

function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e3;
  const c = process.cpuUsage(c0);
  return { wall, cpu: c.user + c.system };
}

async function benchStepColumns() {
  const rounds = QUICK ? 6 : 15;
  const rows = [['lstm(units) on [1, T, 32]', '1 thread µs (cpu)', `${N} threads µs (cpu)`, 'speed-up']];
  for (const { units, T } of SIZES) {
    const m = rc.sequential();
    m.add(rc.layers.lstm({ units, recurrentActivation: 'sigmoid', inputShape: [T, 32] }));
    const x = rc.tensor(normalData(T * 32, 11), [1, T, 32]);
    const calls = Math.max(1, Math.round(20000 / (units * units * T * 4e-3)));
    const res = { 1: { wall: [], cpu: [] }, [N]: { wall: [], cpu: [] } };
    for (let r = 0; r < rounds; r++) {
      for (const th of r % 2 ? [N, 1] : [1, N]) {
        rc.setThreadsCount(th);
        await rc.ready();
        m.predict(x).dataSync(); // (after a switch: the kernel's choice settles on later calls)
        const t = timed(() => {
          for (let i = 0; i < calls; i++) m.predict(x).dataSync();
        });
        if (r >= 2) {
          res[th].wall.push(t.wall / calls);
          res[th].cpu.push(t.cpu / calls);
        }
      }
    }
    const med = (a) => median(a.sort((p, q) => p - q));
    const one = med(res[1].wall);
    const many = med(res[N].wall);
    rows.push([
      `lstm(${units}) T=${T}`,
      `${one.toFixed(0)} (${med(res[1].cpu).toFixed(0)})`,
      `${many.toFixed(0)} (${med(res[N].cpu).toFixed(0)})`,
      `${(one / many).toFixed(2)}x`,
    ]);
  }
  rc.setThreadsCount(rc.getThreadsCount());
  console.log(`batch-1 column split (load average ${os.loadavg()[0].toFixed(1)}; wall-time medians, process CPU in parentheses)`);
  printTable(rows);
}

module.exports = { benchStepColumns };

if (require.main === module) {
  benchStepColumns().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
