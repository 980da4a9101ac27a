// Kernel-level A/B timing of the fused sequence forwards (issue 18): compiles assembly/ sources from one or
// more directories with the plain-SIMD flags of scripts/build-wasm.mjs, instantiates each on its own memory and
// times, alternating the builds in every round, the input projection gemm [B·T, D]·[D, G·U] (bias rows, then
// += x·W: what the glue did before the forwards projected step by step; nothing for such builds, whose forwards
// include the projections and the packing of [W; b]) and the recurrences lstmForward / gruForward (inference:
// keep = false), and lstmTrain (a stored forward and lstmBackward, ONLY=lstmTrain) on one thread. Medians in ms.
// Compare proj + lstm across such builds; with ONLY=proj,lstm the check sums of both kinds must agree.
//   node bench/seq_kernels.mjs [dirA|a.wasm dirB|b.wasm ...]   (default: packages/core/assembly)
//   node bench/seq_kernels.mjs --build dir out.wasm            (compile only; then time the .wasm files)
//   env: ROUNDS (default 9), B (default 32; the per-thread block of a 2-thread run is 16), RELAXED=1
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileAssembly } from './asc_compile.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = process.argv.slice(2);
if (dirs.length === 0) dirs.push(join(root, 'packages/core/assembly'));
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const B = Number(process.env.B ?? 32);
const [T, D, U] = [100, 64, 256];
const ONLY = (process.env.ONLY ?? 'proj,lstm,gru,gruResetAfter').split(',');

function rand(f, ptr, n, k, scale) {
  const v = new Float32Array(f.buffer, ptr, n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i * k + 1) * scale;
}

function setup(w, mem) {
  const GU = 4 * U;
  let top = (w.heapBase() + 15) & ~15;
  const alloc = (bytes) => {
    const p = top;
    top = (top + bytes + 15) & ~15;
    return p;
  };
  mem.grow((160 << 20) >> 16);
  const x = alloc(B * T * D * 4);
  const W = alloc(D * GU * 4);
  const P = alloc(B * T * GU * 4);
  const rk = alloc(U * GU * 4);
  const packed = alloc(4 * w.packedGateFloats(U) * 4);
  const H = alloc(2 * B * U * 4);
  const C = alloc(2 * B * U * 4);
  const gates = alloc(B * GU * 4);
  const extra = alloc(B * GU * 4);
  const R = alloc(B * GU * 4);
  const prevOut = alloc(B * U * 4);
  // Training: stored forward (keep) and its backward.
  const Hs = alloc((T + 1) * B * U * 4);
  const Cs = alloc((T + 1) * B * U * 4);
  const gatesAll = alloc(T * B * GU * 4);
  const actC = alloc(T * B * U * 4);
  const packedT = alloc(4 * w.packedGateFloats(U) * 4);
  const bufs = Array.from({ length: 5 }, () => alloc(B * U * 4));
  const dRec = alloc(T * B * GU * 4);
  const dPin = alloc(T * B * GU * 4);
  const work = alloc(Math.max(w.sequenceWorkFloats(B, U) * 4, w.gemmWorkspaceBytes(B * T, GU, D)) + 64 * 1024);
  // Builds whose forwards project their inputs step by step (packInput: [W; b] packed, x passed) against builds
  // that take the projections P from a gemm over all rows first (the `proj` entry).
  const fused = typeof w.packInput === 'function';
  const packedW = alloc(4 * (fused ? w.packedInputFloats(D, U) : 1) * 4);
  const bias = alloc(GU * 4);
  rand(mem, x, B * T * D, 0.37, 1);
  rand(mem, W, D * GU, 0.11, 0.1);
  rand(mem, rk, U * GU, 0.13, 0.06);
  rand(mem, bias, GU, 0.7, 0.1);
  const f = new Float32Array(mem.buffer);
  // The projections as the glue made them before the step-by-step forwards: bias rows, then += x·W.
  const project = (G) => {
    for (let r = 0; r < B * T; r++) f.set(f.subarray(bias >> 2, (bias >> 2) + G * U), (P >> 2) + r * G * U);
    w.gemm(x, D, 0, W, G * U, 0, P, G * U, B * T, G * U, D, 1, work);
  };
  // The input arguments of a forward: (P) for the old builds, (P, X, packedW, D) for the fused ones, which then
  // pack [W; b] in the timed call (the glue does so on every call).
  const inputs = (G) => {
    if (!fused) return [P];
    w.packInput(W, bias, D, U, G, packedW);
    return [0, x, packedW, D];
  };
  return {
    proj() {
      if (!fused) project(4);
    },
    lstm() {
      f.fill(0, H >> 2, (H >> 2) + 2 * B * U);
      f.fill(0, C >> 2, (C >> 2) + 2 * B * U);
      w.packRecurrent(rk, U, 4, 0, packed);
      w.lstmForward(...inputs(4), packed, H, C, gates, extra, prevOut, 0, 0, 0, 0, B, T, U, 0, 0, 0, 1, work);
    },
    gru() {
      f.fill(0, H >> 2, (H >> 2) + 2 * B * U);
      w.packRecurrent(rk, U, 3, 0, packed);
      w.gruForward(...inputs(3), packed, 0, H, gates, extra, R, prevOut, 0, 0, 0, 0, B, T, U, 0, 0, 0, 0, 1, work);
    },
    gruResetAfter() {
      f.fill(0, H >> 2, (H >> 2) + 2 * B * U);
      w.packRecurrent(rk, U, 3, 0, packed);
      w.gruForward(...inputs(3), packed, 0, H, gates, extra, R, prevOut, 0, 0, 0, 0, B, T, U, 0, 0, 1, 0, 1, work);
    },
    lstmTrain() {
      f.fill(0, Hs >> 2, (Hs >> 2) + B * U);
      f.fill(0, Cs >> 2, (Cs >> 2) + B * U);
      w.packRecurrent(rk, U, 4, 0, packed);
      w.lstmForward(...inputs(4), packed, Hs, Cs, gatesAll, actC, prevOut, 0, 0, 0, 0, B, T, U, 0, 1, 0, 1, work);
      w.packRecurrent(rk, U, 4, 1, packedT);
      const [dh, dhPrev, dc, dCarry, scratch] = bufs;
      f.fill(0.01, dh >> 2, (dh >> 2) + B * U);
      f.fill(0, dc >> 2, (dc >> 2) + B * U);
      w.lstmBackward(packedT, Hs, Cs, gatesAll, actC, dh, dhPrev, dc, dCarry, scratch, dh, 0, 0, 0, 0, dRec, dPin, B, T, U, 0, 0, 1, work);
    },
    sum() {
      let s = 0;
      for (let i = 0; i < B * U; i++) s += f[(H >> 2) + i];
      return s;
    },
  };
}

if (dirs[0] === '--build') {
  (await import('node:fs')).writeFileSync(dirs[2], await compileAssembly(dirs[1], dirs[2].replace(/\.wasm$/, '.wat')));
  process.exit(0);
}
const builds = [];
for (const dir of dirs) {
  const bytes = dir.endsWith('.wasm') ? (await import('node:fs')).readFileSync(dir) : await compileAssembly(dir);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  const w = instance.exports;
  builds.push({ dir, k: setup(w, memory), times: { proj: [], lstm: [], gru: [], gruResetAfter: [], lstmTrain: [] } });
}
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
for (let r = 0; r < ROUNDS + 1; r++) {
  for (const b of builds) {
    for (const name of ONLY) {
      // CPU time of this process (the machine is shared: time spent descheduled is not counted).
      const t0 = process.cpuUsage();
      b.k[name]();
      const d = process.cpuUsage(t0);
      const ms = (d.user + d.system) / 1e3;
      if (r > 0) b.times[name].push(ms);
    }
  }
}
for (const b of builds) {
  const row = ONLY.map((n) => `${n} ${med(b.times[n]).toFixed(2)} (min ${Math.min(...b.times[n]).toFixed(2)})`);
  console.log(`${b.dir}: B=${B} ${row.join('  ')}  check ${b.k.sum().toFixed(5)}`);
}
