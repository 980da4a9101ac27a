// The ceiling of 128-bit WebAssembly SIMD multiply-add on this machine (issue 18: what one wasm thread can reach).
// Compiles a tiny AssemblyScript module with the build's own flags and times, on one thread, loops that do
// nothing but multiply-adds:
//   registers   12 independent chains acc = acc·m + c (f32x4.mul then f32x4.add), no memory access (each chain
//               waits for its own mul and add, so for plain SIMD this is a latency-bound figure; the gemm tile
//               of assembly/gemm.ts reaches ~24 GMAC/s)
//   gemm tile   the 4×8 tile of the gemm micro-kernel (kernelSplat), its operands in L1: what W1's products run on
//   stream      acc += load(w + i)·splat(h) over a 64 KiB weight block, 8 accumulators: the inner loop of a
//               batch-1 matrix-vector product (h·U at batch 1: every weight loaded once per multiply-add)
// and the same two with f32x4.relaxed_madd, in a child process with --experimental-wasm-relaxed-simd.
// Prints GMAC/s (f32 multiply-adds per ns) and what that rate means for W1 (1.05 G multiply-adds) and for W6
// (1.02 M; 0.82 M of them in the per-step h·U). Medians of ROUNDS (default 15) runs, CPU time (process.cpuUsage).
//   node bench/simd_peak.mjs
// Seen on the 2-core EPYC VM (node 20): registers ~21, gemm tile ~22, stream ~15 GMAC/s with plain SIMD (the
// stream: a load, a mul and an add per 4 multiply-adds at V8's issue rate); relaxed_madd: ~29, ~27, ~13.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ASC_FLAGS, ASC_RELAXED_FLAGS } from '../packages/core/scripts/asc_flags.mjs';

const RELAXED = process.argv[2] === '--relaxed';
const ROUNDS = Number(process.env.ROUNDS ?? 15);

const SOURCE = `
// @ts-nocheck
@inline function madd(a: v128, b: v128, c: v128): v128 {
  return ${RELAXED ? 'f32x4.relaxed_madd(a, b, c)' : 'f32x4.add(f32x4.mul(a, b), c)'};
}
export function registers(n: i32, s: f32): f32 {
  const m = f32x4.splat(0.999);
  const c = f32x4.splat(s);
  let a0 = f32x4.splat(0.1), a1 = f32x4.splat(0.2), a2 = f32x4.splat(0.3), a3 = f32x4.splat(0.4);
  let a4 = f32x4.splat(0.5), a5 = f32x4.splat(0.6), a6 = f32x4.splat(0.7), a7 = f32x4.splat(0.8);
  let a8 = f32x4.splat(0.9), a9 = f32x4.splat(1.0), a10 = f32x4.splat(1.1), a11 = f32x4.splat(1.2);
  for (let i = 0; i < n; i++) {
    a0 = madd(a0, m, c); a1 = madd(a1, m, c); a2 = madd(a2, m, c); a3 = madd(a3, m, c);
    a4 = madd(a4, m, c); a5 = madd(a5, m, c); a6 = madd(a6, m, c); a7 = madd(a7, m, c);
    a8 = madd(a8, m, c); a9 = madd(a9, m, c); a10 = madd(a10, m, c); a11 = madd(a11, m, c);
  }
  const t = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  const u = f32x4.add(t, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(u, 0) + f32x4.extract_lane(u, 3);
}
// The 4×8 tile of assembly/gemm.ts's kernelSplat: per k, 4 pre-broadcast A vectors and 2 B vectors loaded, 8
// multiply-adds into 8 accumulators (6 loads per 8 vector multiply-adds), over a k panel resident in L1.
export function tile(a: usize, b: usize, kc: i32, reps: i32): f32 {
  let s: f32 = 0;
  for (let r = 0; r < reps; r++) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    let pa = a, pb = b;
    for (let k = 0; k < kc; k++) {
      const b0 = v128.load(pb), b1 = v128.load(pb, 16);
      const a0 = v128.load(pa), a1 = v128.load(pa, 16), a2 = v128.load(pa, 32), a3 = v128.load(pa, 48);
      c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
      c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
      pa += 64; pb += 32;
    }
    const t = f32x4.add(f32x4.add(f32x4.add(c00, c01), f32x4.add(c10, c11)), f32x4.add(f32x4.add(c20, c21), f32x4.add(c30, c31)));
    s += f32x4.extract_lane(t, 2);
  }
  return s;
}
// acc_j += w[k][j..j+32]·h[k] over k rows of 32 floats (8 vectors): one load per vector multiply-add.
export function stream(w: usize, rows: i32, reps: i32): f32 {
  let s: f32 = 0;
  for (let r = 0; r < reps; r++) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
    let p = w;
    for (let k = 0; k < rows; k++) {
      const h = v128.load32_splat(p);
      a0 = madd(v128.load(p, 16), h, a0); a1 = madd(v128.load(p, 32), h, a1);
      a2 = madd(v128.load(p, 48), h, a2); a3 = madd(v128.load(p, 64), h, a3);
      a4 = madd(v128.load(p, 80), h, a4); a5 = madd(v128.load(p, 96), h, a5);
      a6 = madd(v128.load(p, 112), h, a6); a7 = madd(v128.load(p, 128), h, a7);
      p += 144;
    }
    const t = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
    s += f32x4.extract_lane(t, 1);
  }
  return s;
}
`;

async function compile() {
  const { default: asc } = await import('assemblyscript/asc');
  let binary = null;
  const err = [];
  const flags = (RELAXED ? ASC_RELAXED_FLAGS : ASC_FLAGS).filter(
    (f, i, all) => !['--importMemory', '--maximumMemory'].includes(f) && all[i - 1] !== '--maximumMemory',
  );
  const { error } = await asc.main(['peak.ts', '--outFile', 'peak.wasm', ...flags], {
    readFile: (name) => (name === 'peak.ts' ? SOURCE : null),
    writeFile(name, c) {
      if (name.endsWith('.wasm')) binary = c;
    },
    listFiles: () => [],
    stdout: { write: () => true },
    stderr: { write: (s) => (err.push(String(s)), true) },
  });
  if (error) throw new Error(err.join(''));
  return binary;
}

function cpuMs(fn) {
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function measure() {
  const { instance } = await WebAssembly.instantiate(await compile(), {});
  const w = instance.exports;
  const mem = w.memory;
  mem.grow(2);
  const base = 65536;
  const rows = 455; // 455 rows × 144 B ≈ 64 KiB, the size of lstm(64)'s U
  new Float32Array(mem.buffer, base, (rows * 144) / 4).fill(0.001);
  const kc = 256; // A 16 KiB + B 8 KiB: in L1
  const tileA = base + rows * 144 + 64;
  const tileB = tileA + kc * 64;
  new Float32Array(mem.buffer, tileA, kc * 16 + kc * 8).fill(0.001);
  const N = 2_000_000;
  const reps = 2000;
  w.registers(1000, 1);
  w.stream(base, rows, 10);
  w.tile(tileA, tileB, kc, 10);
  const reg = [];
  const str = [];
  const til = [];
  for (let r = 0; r < ROUNDS; r++) {
    reg.push(cpuMs(() => w.registers(N, 1)));
    str.push(cpuMs(() => w.stream(base, rows, reps)));
    til.push(cpuMs(() => w.tile(tileA, tileB, kc, reps * 4)));
  }
  const regMac = N * 12 * 4;
  const strMac = reps * rows * 8 * 4;
  const tileMac = reps * 4 * kc * 32;
  return { registers: regMac / (median(reg) * 1e6), tile: tileMac / (median(til) * 1e6), stream: strMac / (median(str) * 1e6) };
}

if (process.argv[2] === '--child' || RELAXED) {
  process.stdout.write(JSON.stringify(await measure()));
} else {
  const plain = await measure();
  const child = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', fileURLToPath(import.meta.url), '--relaxed'], {
    encoding: 'utf8',
  });
  const relaxed = child.status === 0 ? JSON.parse(child.stdout) : null;
  const rows = [['build', 'registers GMAC/s', 'gemm tile GMAC/s', 'stream GMAC/s', 'W1 at the tile rate', 'W6 at the stream rate']];
  for (const [name, r] of [
    ['plain SIMD', plain],
    ['relaxed SIMD', relaxed],
  ]) {
    if (!r) {
      rows.push([name, 'n/a', '', '', '', '']);
      continue;
    }
    rows.push([
      name,
      r.registers.toFixed(1),
      r.tile.toFixed(1),
      r.stream.toFixed(1),
      `${(1.05e9 / r.tile / 1e6).toFixed(1)} ms`,
      `${(1.02e6 / r.stream / 1e3).toFixed(1)} µs`,
    ]);
  }
  for (const row of rows) console.log(row.map((c, i) => String(c).padEnd(i === 0 ? 14 : 22)).join(''));
  console.log(`(one thread, CPU time, median of ${ROUNDS}; W1 = 1.05 G multiply-adds, W6 = 1.02 M, arithmetic alone)`);
}
