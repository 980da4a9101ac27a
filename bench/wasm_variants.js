// The two builds of recurrent's wasm module side by side (packages/core/src/backend/wasm_variant.ts): plain
// 128-bit SIMD and relaxed SIMD (fused multiply-add). V8 flags select the build, so each runs in its own child
// process: `--no-experimental-wasm-relaxed-simd` (plain) and `--experimental-wasm-relaxed-simd` (relaxed; Node 20
// needs the flag, later versions ship the feature). `npm run bench -- variants`; alone: `node bench/wasm_variants.js`
// after a build. Medians after a warm-up; nothing is asserted.
const { execFileSync } = require('child_process');
const { time, median } = require('./harness');

const QUICK = process.env.BENCH_QUICK === '1';

function rand(n, k) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * k + 1) * 0.5;
  return a;
}

/** In a child: times the workloads on whichever build loaded; prints `{module, rows: [[name, ms], ...]}` as JSON. */
function child() {
  const rc = require('recurrent');
  const runs = { warmup: 1, runs: QUICK ? 3 : 7 };
  const rows = [];
  const N = 512;
  const a = rc.tensor(rand(N * N, 0.37)).reshape([N, N]);
  const b = rc.tensor(rand(N * N, 0.71)).reshape([N, N]);
  rows.push([`matMul ${N}×${N}×${N}`, median(time(() => rc.matMul(a, b), runs))]);
  const [B, T, D, U] = [32, 64, 64, 256];
  const x = rc.tensor(rand(B * T * D, 0.3)).reshape([B, T, D]);
  const W = rc.tensor(rand(D * 4 * U, 0.11).map((v) => v * 0.2)).reshape([D, 4 * U]);
  const R = rc.tensor(rand(U * 4 * U, 0.13).map((v) => v * 0.1)).reshape([U, 4 * U]);
  const bias = rc.tensor(rand(4 * U, 0.5)).reshape([4 * U]);
  const opts = { activation: 'tanh', recurrentActivation: 'sigmoid' };
  rows.push([`lstmSequence forward [${B},${T},${D}]→${U}`, median(time(() => rc.lstmSequence(x, W, R, bias, null, null, opts), runs))]);
  const vars = [x, W, R, bias];
  rows.push([
    `lstmSequence forward+backward [${B},${T},${D}]→${U}`,
    median(time(() => rc.grads((...v) => rc.lstmSequence(v[0], v[1], v[2], v[3], null, null, opts)[0].sum())(vars), runs)),
  ]);
  process.stdout.write(JSON.stringify({ module: rc.wasmFeatures().module, rows }));
}

/** Rows `[workload, plain ms, relaxed ms, speed-up]` (or a note when a build could not run). */
function benchWasmVariants() {
  const runIn = (flag) => {
    try {
      const out = execFileSync(process.execPath, [flag, __filename, '--child'], { encoding: 'utf8', env: process.env });
      return JSON.parse(out);
    } catch (e) {
      return { module: `failed (${String(e.message).split('\n')[0]})`, rows: [] };
    }
  };
  const plain = runIn('--no-experimental-wasm-relaxed-simd');
  const relaxed = runIn('--experimental-wasm-relaxed-simd');
  const table = [['workload', `plain (${plain.module})`, `relaxed (${relaxed.module})`, 'plain / relaxed']];
  plain.rows.forEach(([name, ms], i) => {
    const r = relaxed.rows[i] ? relaxed.rows[i][1] : NaN;
    table.push([name, `${ms.toFixed(1)} ms`, `${r.toFixed(1)} ms`, (ms / r).toFixed(2)]);
  });
  return table;
}

if (require.main === module) {
  if (process.argv.includes('--child')) child();
  else require('./harness').printTable(benchWasmVariants());
}

module.exports = { benchWasmVariants };
