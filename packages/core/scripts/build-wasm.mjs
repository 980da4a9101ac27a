#!/usr/bin/env node
// Compiles packages/core/assembly/*.ts (AssemblyScript, entry assembly/index.ts) to a wasm module with
// 128-bit SIMD, and the same sources again with relaxed SIMD (fused multiply-add, see assembly/fma.ts), and
// writes them, as ASCII strings (encodeWasmAscii below), into src/backend/wasm_simd.generated.ts (the plain
// module) and src/backend/wasm_relaxed_simd.generated.ts (the relaxed one as a patch of the plain bytes:
// wasmPatch), one file per build so that an application's bundler can put each in its own chunk and a browser
// fetches only what it loads (backend/wasm_source.browser.ts), with
// their hashes and the encoding's XOR in src/backend/wasm_binary.generated.ts. The bundle carries the module
// inline and there is no .wasm file to host or fetch at run time.
//
//   node scripts/build-wasm.mjs          regenerate the file (first step of `npm run build`; alone:
//                                        `npm run build:wasm -w @recurrent/core`)
//   node scripts/build-wasm.mjs --check  compile and compare with the files on disk; exit 1 if one is stale
//
// It also writes the two sides of the wasm interface (activation ids, cell kinds, gate counts) from
// their one definition in scripts/wasm_interface.mjs: assembly/interface.generated.ts and
// src/backend/wasm_interface.generated.ts, and the exports' signatures as asc declares them into
// src/backend/wasm_exports.generated.ts (all committed as well; `--check` covers them).
//
// The generated file IS committed: tests (`npx jest`) import the TypeScript sources directly and must
// work on a fresh clone before any build, and committing it keeps the compiler out of the runtime path.
// The build regenerates it anyway (so a bundle always matches assembly/), and the test
// test/backend/wasm_binary.test.ts runs `--check` so a commit that changes assembly/ without the
// regenerated file fails the unit tests. The compiler version is pinned by package-lock.json, and its
// output is deterministic for the same sources and flags.
import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { renderAssemblyInterface, renderTypeScriptInterface } from './wasm_interface.mjs';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(pkgDir, 'assembly', 'index.ts');
const outFile = join(pkgDir, 'src', 'backend', 'wasm_binary.generated.ts');
const simdFile = join(pkgDir, 'src', 'backend', 'wasm_simd.generated.ts');
const relaxedFile = join(pkgDir, 'src', 'backend', 'wasm_relaxed_simd.generated.ts');
const asInterfaceFile = join(pkgDir, 'assembly', 'interface.generated.ts');
const tsInterfaceFile = join(pkgDir, 'src', 'backend', 'wasm_interface.generated.ts');
const exportsFile = join(pkgDir, 'src', 'backend', 'wasm_exports.generated.ts');

// No GC runtime (`stub`, and the kernels allocate nothing), no `abort` import, memory exported and
// laid out by JavaScript from `heapBase()` up (see src/backend/wasm.ts).
// Threads (src/backend/threads/): the memory is IMPORTED ("env" "memory", limits 1..65536 pages, i.e. up to
// 4 GiB), so the same bytes run on a plain memory or, with the import's limits flag patched to 'shared' at
// load time (threads/shared_module.ts), on one shared WebAssembly.Memory used by every worker. The module
// has no data segments, so instantiating it once per worker writes nothing into the shared memory.
const THREAD_FLAGS = ['--importMemory', '--maximumMemory', '65536'];

export const ASC_FLAGS = [
  '--enable',
  'simd',
  '-O3',
  '--noAssert',
  '--runtime',
  'stub',
  '--use',
  'abort=',
  '--initialMemory',
  '1',
  ...THREAD_FLAGS,
];

// The relaxed-SIMD variant: the same sources with ASC_FEATURE_RELAXED_SIMD true (`madd` in assembly/fma.ts
// becomes f32x4.relaxed_madd). src/backend/wasm_variant.ts loads it where the engine validates relaxed SIMD.
export const ASC_RELAXED_FLAGS = [...ASC_FLAGS, '--enable', 'relaxed-simd'];

/** Compiles with `flags`; returns the module bytes and asc's TypeScript declarations of its exports. */
async function compile(flags) {
  let binary = null;
  let dts = '';
  const stderr = [];
  // `--bindings raw` only adds the declarations (m.d.ts) and a loader we drop; the module bytes are the same.
  const { error } = await asc.main([entry, '--outFile', 'module.wasm', '--bindings', 'raw', ...flags], {
    writeFile(name, contents) {
      if (name.endsWith('.wasm')) binary = contents;
      if (name.endsWith('.d.ts')) dts = String(contents);
    },
    stdout: { write: () => true },
    stderr: { write: (s) => (stderr.push(String(s)), true) },
  });
  if (error || !binary) {
    throw new Error(`build-wasm: AssemblyScript compilation failed: ${error ? error.message : 'no output'}\n${stderr.join('')}`);
  }
  return { binary, dts };
}

/**
 * src/backend/wasm_exports.generated.ts: the module's exports as asc declares them, as one interface (bools as
 * numbers: the glue passes 0/1 to the raw exports). test/backend/wasm_exports.test.ts checks at compile time that
 * the hand-written `WasmExports` of wasm.ts is exactly this type, so a changed kernel signature cannot go unnoticed.
 */
function renderExports(dts) {
  const members = [];
  for (const line of dts.split('\n')) {
    const fn = /^\s*export function (\w+)\((.*)\): (\w+);$/.exec(line);
    if (fn) {
      members.push(`  ${fn[1]}(${fn[2].replace(/: boolean/g, ': number')}): ${fn[3] === 'boolean' ? 'number' : fn[3]};`);
      continue;
    }
    const c = /^\s*export const (\w+): ([\w.]+);$/.exec(line);
    if (c) members.push(`  ${c[1]}: ${c[2]};`);
  }
  if (members.length === 0) throw new Error('build-wasm: found no exports in the declarations asc wrote');
  return [
    '// GENERATED by packages/core/scripts/build-wasm.mjs from the exports of packages/core/assembly/index.ts. Do not edit:',
    '// change assembly/ and run `npm run build:wasm -w @recurrent/core`.',
    '',
    '/** The exports of the wasm module as AssemblyScript declares them (pointers and sizes are numbers; bools are passed as 0/1). */',
    'export interface GeneratedWasmExports {',
    ...members,
    '}',
    '',
  ].join('\n');
}

/**
 * The module's bytes as a string of ASCII characters (code units 0..127), decoded by `decodeWasmAscii`
 * in src/backend/wasm_decode.ts. Each byte is first XORed with WASM_ASCII_XOR; then a value v below 126 is the
 * character with that code, and v >= 126 is two characters, 126 + ((v - 126) >> 7) and (v - 126) & 127.
 * Every byte value keeps one fixed spelling, so gzip sees the module's own repeats (base64, whose
 * 4-character groups straddle bytes, hides them): recurrent.min.js is ~2.6 KB gzip smaller than with
 * base64. ASCII only, so any page encoding reads it the same. The XOR (any value decodes correctly) moves
 * the module's most common bytes (0, LEB128 continuations) onto characters terser writes unescaped;
 * 66 measured best for gzip on this module (~0.3 KB better than no XOR).
 */
const WASM_ASCII_XOR = 66;

function encodeWasmAscii(binary) {
  let s = '';
  for (const byte of binary) {
    const v = byte ^ WASM_ASCII_XOR;
    s += v < 126 ? String.fromCharCode(v) : String.fromCharCode(126 + ((v - 126) >> 7), (v - 126) & 127);
  }
  return s;
}

/** A string as a single-quoted literal: printable ASCII as itself, the rest as \xHH. */
function literal(s) {
  return `'${s.replace(/[^\x20-\x7e]|['\\]/g, (c) => (c === "'" || c === '\\' ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))}'`;
}

/**
 * The shortest edit script turning `a` into `b` (Myers' O(ND) algorithm): the runs of bytes they share, as
 * `[length, indexInA, indexInB]` in order.
 */
function commonRuns(a, b) {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice(max - d - 1, max + d + 2)); // the frontier before step d, diagonals -d-1..d+1
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) (x++, y++);
      v[max + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk back from (n, m) through the saved frontiers, collecting the diagonal (shared) runs.
  const runs = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const at = (diagonal) => trace[d][diagonal + d + 1];
    const k = x - y;
    const prevK = d === 0 ? 0 : k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const startX = d === 0 ? 0 : prevK === k + 1 ? prevX : prevX + 1;
    if (x > startX) runs.push([x - startX, startX, startX - k]);
    x = prevX;
    y = prevX - prevK;
  }
  return runs.reverse();
}

/**
 * The relaxed-SIMD module as a patch of the plain one (the two differ in ~300 bytes: fused madd instructions
 * and the lengths around them), decoded by `applyWasmPatch` in src/backend/wasm_decode.ts: records of three
 * unsigned LEB128 numbers and bytes, `skip` (plain bytes passed over), `count` then `count` new bytes, `copy`
 * (plain bytes copied). In recurrent.min.js, where both builds are inlined in different places of the file, the patch is ~6 KiB gzip
 * smaller than the whole second module (gzip cannot see the second copy that far away).
 */
function wasmPatch(plain, relaxed) {
  const out = [];
  const leb = (value) => {
    do {
      const low = value & 127;
      value >>>= 7;
      out.push(value ? low | 128 : low);
    } while (value);
  };
  let a = 0;
  let b = 0;
  for (const [length, at, bt] of [...commonRuns(plain, relaxed), [0, plain.length, relaxed.length]]) {
    leb(at - a);
    leb(bt - b);
    out.push(...relaxed.subarray(b, bt));
    leb(length);
    a = at + length;
    b = bt + length;
  }
  return Uint8Array.from(out);
}

const HEADER = [
  '// GENERATED by packages/core/scripts/build-wasm.mjs from packages/core/assembly/*.ts. Do not edit:',
  '// change assembly/ and run `npm run build:wasm -w @recurrent/core` (or `npm run build`).',
];

/** wasm_binary.generated.ts: the hashes of both builds and the encoding's XOR (the bytes are in their own files). */
function render(binary, relaxed) {
  const sha = (b) => createHash('sha256').update(b).digest('hex');
  return [
    ...HEADER,
    `// asc ${asc.version} ${ASC_FLAGS.join(' ')}`,
    `// relaxed variant: asc ${asc.version} ${ASC_RELAXED_FLAGS.join(' ')}`,
    '// The bytes: WASM_ASCII in wasm_simd.generated.ts; WASM_RELAXED_PATCH_ASCII in wasm_relaxed_simd.generated.ts (a patch of them).',
    '',
    `/** SHA-256 of the module bytes. */`,
    `export const WASM_SHA256 = '${sha(binary)}';`,
    '',
    `/** SHA-256 of the relaxed-SIMD module's bytes. */`,
    `export const WASM_RELAXED_SHA256 = '${sha(relaxed)}';`,
    '',
    `/** XOR applied to each byte before encoding (see encodeWasmAscii in scripts/build-wasm.mjs). */`,
    `export const WASM_ASCII_XOR = ${WASM_ASCII_XOR};`,
    '',
  ].join('\n');
}

/** One build's bytes as an ASCII string constant, alone in its file. */
function renderAscii(binary, name, what) {
  const lines = (encodeWasmAscii(binary).match(/[^]{1,64}/g) ?? []).map((l) => `  ${literal(l)}`).join(' +\n') + ';';
  return [
    ...HEADER,
    '',
    `/** ${what}: ${binary.length} bytes, ASCII-encoded (decodeWasmAscii in wasm_decode.ts). */`,
    `export const ${name} =`,
    lines,
    '',
  ].join('\n');
}

/** Writes `text` to `file` unless it is already there; with `check`, only reports whether it is stale. */
async function update(file, text, check) {
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current === text) return true;
  if (check) {
    console.error(`build-wasm: ${file} is stale; run \`npm run build:wasm -w @recurrent/core\` and commit it.`);
    return false;
  }
  await writeFile(file, text);
  console.log(`build-wasm: wrote ${file}`);
  return true;
}

const check = process.argv.includes('--check');
// The interface files first: the assembly sources import interface.generated.ts.
let fresh = await update(asInterfaceFile, renderAssemblyInterface(), check);
fresh = (await update(tsInterfaceFile, renderTypeScriptInterface(), check)) && fresh;
const plain = await compile(ASC_FLAGS);
const relaxed = await compile(ASC_RELAXED_FLAGS);
fresh = (await update(outFile, render(plain.binary, relaxed.binary), check)) && fresh;
fresh = (await update(simdFile, renderAscii(plain.binary, 'WASM_ASCII', 'The compiled module, 128-bit SIMD'), check)) && fresh;
fresh =
  (await update(
    relaxedFile,
    renderAscii(
      wasmPatch(plain.binary, relaxed.binary),
      'WASM_RELAXED_PATCH_ASCII',
      `The same sources compiled with relaxed SIMD (fused madd; ${relaxed.binary.length} bytes) as a patch of WASM_ASCII's bytes (applyWasmPatch in wasm_decode.ts)`,
    ),
    check,
  )) && fresh;
fresh = (await update(exportsFile, renderExports(plain.dts), check)) && fresh;
if (!fresh) process.exit(1);
console.log('build-wasm: generated files are up to date');
