// Kernel-level A/B timing of the step kernels (issue 18, W4 and W6): compiles assembly/ sources from one or more
// directories with the plain-SIMD flags of scripts/build-wasm.mjs (as bench/seq_kernels.mjs), instantiates each
// on its own memory and times, alternating the builds in every round, on one thread (CPU time of this process):
//   w6    lstm(64) on one [1, 50, 16] sequence: `stepSequence` (µs per sequence)
//   w4    lstm(128), D = 32: 1000 consecutive batch-1 `cellStep` calls carrying h and c (µs per step)
//   gru   gru(64) resetAfter on one [1, 50, 16] sequence: `stepSequence` (µs per sequence)
// Prints medians (min) and a checksum of the final states (equal checksums: the builds computed the same floats).
//   node bench/step_kernels.mjs [dirA|a.wasm dirB|b.wasm ...]   (default: packages/core/assembly)
//   node bench/step_kernels.mjs --build dir out.wasm            (compile only; then time the .wasm files)
//   env: ROUNDS (default 15), ONLY (default w6,w4,gru), ACT / REC (activation ids of interface.generated.ts:
//   candidate, default tanh; gates, default sigmoid), RELAXED=1
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
import { compileAssembly } from './asc_compile.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = process.argv.slice(2);
if (dirs.length === 0) dirs.push(join(root, 'packages/core/assembly'));
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const ONLY = (process.env.ONLY ?? 'w6,w4,gru').split(',');
// Ids of scripts/wasm_interface.mjs (read from the generated interface so this file never goes stale).
const iface = readFileSync(join(root, 'packages/core/assembly/interface.generated.ts'), 'utf8');
const id = (name) => Number(new RegExp(`export const ${name}[^=]*= (\\d+)`).exec(iface)[1]);
const [TANH, SIGMOID] = [id('TANH'), id('SIGMOID')];
const REC = process.env.REC !== undefined ? Number(process.env.REC) : SIGMOID;
const ACT = process.env.ACT !== undefined ? Number(process.env.ACT) : TANH;
const [LSTM, GRU_RA] = [id('STEP_LSTM'), id('STEP_GRU_RESET_AFTER')];

function rand(mem, ptr, n, k, scale) {
  const v = new Float32Array(mem.buffer, ptr, n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i * k + 1) * scale;
}

function setup(w, mem) {
  let top = (w.heapBase() + 15) & ~15;
  const alloc = (bytes) => {
    const p = top;
    top = (top + bytes + 15) & ~15;
    return p;
  };
  mem.grow(200);
  const f = () => new Float32Array(mem.buffer);
  /** A resident cell: packed weights and bias, as step_wasm.ts lays them out. */
  const cell = (kind, D, U) => {
    const G = kind === LSTM ? 4 : kind === GRU_RA ? 3 : 3;
    const rows = kind === GRU_RA ? 2 : 1;
    const W = alloc(D * G * U * 4);
    const R = alloc(U * G * U * 4);
    const b = alloc(rows * G * U * 4);
    rand(mem, W, D * G * U, 0.11, 0.3);
    rand(mem, R, U * G * U, 0.13, 0.15);
    rand(mem, b, rows * G * U, 0.17, 0.2);
    const packed = alloc(w.stepPackedFloats(kind, D, U) * 4);
    const bias = alloc(w.stepBiasFloats(kind, U) * 4);
    w.packStepWeights(kind, W, R, b, D, U, packed, bias);
    return { kind, D, U, packed, bias };
  };
  const sequence = (c, T) => {
    const { kind, D, U } = c;
    const X = alloc(T * D * 4);
    rand(mem, X, T * D, 0.37, 1);
    const H = alloc((T + 1) * U * 4);
    const C = alloc(2 * U * 4);
    const work = alloc(w.stepSequenceWorkFloats(kind, 1, D, U, T) * 4);
    return {
      run() {
        f().fill(0, H >> 2, (H >> 2) + U);
        f().fill(0, C >> 2, (C >> 2) + 2 * U);
        w.stepSequence(kind, c.packed, c.bias, X, H, kind === LSTM ? C : 0, 1, T, D, U, ACT, REC, work);
        return 1;
      },
      sum() {
        const v = f();
        let s = 0;
        for (let i = 0; i < (T + 1) * U; i++) s += v[(H >> 2) + i] * ((i % 7) + 1);
        return s;
      },
    };
  };
  const steps = (c, n) => {
    const { kind, D, U } = c;
    // x and h adjacent (as the glue lays them out for batch 1): [x, h] is read as one vector.
    const X = alloc(n * D * 4);
    rand(mem, X, n * D, 0.29, 1);
    const xh = alloc((D + U) * 4);
    const h = xh + D * 4;
    const cc = alloc(U * 4);
    const hOut = alloc(U * 4);
    const cOut = alloc(U * 4);
    const work = alloc(w.stepWorkFloats(kind, 1, D, U) * 4);
    return {
      run() {
        const v = f();
        v.fill(0, h >> 2, (h >> 2) + U);
        v.fill(0, cc >> 2, (cc >> 2) + U);
        for (let i = 0; i < n; i++) {
          v.copyWithin(xh >> 2, (X >> 2) + i * D, (X >> 2) + (i + 1) * D);
          w.cellStep(kind, c.packed, c.bias, xh, h, cc, hOut, cOut, 1, D, U, ACT, REC, work);
          v.copyWithin(h >> 2, hOut >> 2, (hOut >> 2) + U);
          v.copyWithin(cc >> 2, cOut >> 2, (cOut >> 2) + U);
        }
        return n;
      },
      sum() {
        const v = f();
        let s = 0;
        for (let i = 0; i < U; i++) s += v[(h >> 2) + i] * ((i % 7) + 1) + v[(cc >> 2) + i];
        return s;
      },
    };
  };
  return {
    w6: sequence(cell(LSTM, 16, 64), 50),
    w4: steps(cell(LSTM, 32, 128), 1000),
    gru: sequence(cell(GRU_RA, 16, 64), 50),
  };
}

if (dirs[0] === '--build') {
  writeFileSync(dirs[2], await compileAssembly(dirs[1], dirs[2].replace(/\.wasm$/, '.wat')));
  process.exit(0);
}
const builds = [];
for (const dir of dirs) {
  const bytes = dir.endsWith('.wasm') ? readFileSync(dir) : await compileAssembly(dir);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  const times = {};
  for (const n of ONLY) times[n] = [];
  builds.push({ dir, k: setup(instance.exports, memory), times });
}
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
// Each timed sample repeats the workload until ~2 ms of CPU time, so the clock's resolution does not matter.
for (let r = 0; r < ROUNDS + 2; r++) {
  for (const b of r % 2 ? [...builds].reverse() : builds) {
    for (const name of ONLY) {
      const t0 = process.cpuUsage();
      let calls = 0;
      let d;
      do {
        calls += b.k[name].run();
        d = process.cpuUsage(t0);
      } while (d.user + d.system < 2000);
      if (r >= 2) b.times[name].push((d.user + d.system) / calls);
    }
  }
}
for (const b of builds) {
  const row = ONLY.map(
    (n) => `${n} ${med(b.times[n]).toFixed(2)} µs (min ${Math.min(...b.times[n]).toFixed(2)}) [${b.k[n].sum().toFixed(6)}]`,
  );
  console.log(`${b.dir}:  ${row.join('  ')}`);
}
