#!/usr/bin/env node
// What is in a bundle, per source module (run `npm run build` first):
//   node scripts/bundle-breakdown.mjs app    the tree-shaking test's app (loadLayersModel + an LSTM model), with
//                                            everything it can reach inlined (also what it imports on first use)
//   node scripts/bundle-breakdown.mjs loaded the same app as the test bundles it (code splitting), run on an LSTM
//                                            model: only the chunks the run loads (Node's module hooks log them)
//   node scripts/bundle-breakdown.mjs full   everything the umbrella exports (as recurrent.min.js)
//   TOP=80 node scripts/bundle-breakdown.mjs app   more rows
// Bundles the published ESM builds with rollup (node-resolve, browser conditions, as an application would),
// then prints the whole bundle's minified and gzip size, and each module's size minified on its own (terser,
// no compression: the bytes a module adds; they sum to a little more than the whole) grouped by folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const { rollup } = require('rollup');
const { nodeResolve } = require('@rollup/plugin-node-resolve');
const { minify } = require('terser');

const APPS = {
  app: `import { loadLayersModel, tensor } from 'recurrent';
loadLayersModel({ load: async () => globalThis.artifacts }).then((m) => m.predict(tensor(globalThis.x)).print());
`,
  full: `export * from 'recurrent';\n`,
};
// `loaded`: the tree-shaking test's app and runner (packages/recurrent/test/tree_shaking.test.ts).
APPS.loaded = `import { loadLayersModel, tensor } from 'recurrent';
globalThis.__done = loadLayersModel({ load: async () => globalThis.__artifacts }).then((model) => {
  globalThis.__result = Array.from(model.predict(tensor(globalThis.__x, globalThis.__shape)).mul(1).dataSync());
});
`;
const LOADED_FILES = {
  'hooks.mjs': `import { register } from 'node:module';\nregister('./log_loads.mjs', import.meta.url);\n`,
  'log_loads.mjs': `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (/\\/(app\\.bundle|chunk-[^/]*)\\.mjs$/.test(url)) appendFileSync(new URL('./loaded.txt', import.meta.url), url.split('/').pop() + '\\n');
  return next(url, context);
}
`,
  'runner.mjs': `import * as fs from 'node:fs';
const input = JSON.parse(fs.readFileSync(new URL('./input.json', import.meta.url), 'utf8'));
const bytes = Buffer.from(input.weights, 'base64');
globalThis.__artifacts = { ...input.artifacts, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) };
Object.assign(globalThis, { __x: input.x, __shape: input.shape });
await import('./app.bundle.mjs');
await globalThis.__done;
`,
};

/** The test's model (an LSTM and a Dense), saved with the CommonJS build, and an input for it. */
async function writeLoadedInput(dir) {
  const rec = require(path.join(root, 'packages/recurrent/dist/index.cjs.js'));
  rec.setSeed(3);
  const model = rec.sequential({ layers: [rec.layers.lstm({ units: 6, inputShape: [5, 2] }), rec.layers.dense({ units: 2 })] });
  let artifacts;
  await model.save(
    rec.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const x = rec.randomNormal([3, 5, 2], 0, 1, 'float32', 11);
  const { weightData, ...rest } = artifacts;
  const input = { artifacts: rest, weights: Buffer.from(weightData).toString('base64'), x: Array.from(x.dataSync()), shape: x.shape };
  fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify(input));
  for (const [f, code] of Object.entries(LOADED_FILES)) fs.writeFileSync(path.join(dir, f), code);
}
const which = process.argv[2] ?? 'app';
if (!APPS[which]) {
  console.error(`usage: node scripts/bundle-breakdown.mjs [${Object.keys(APPS).join('|')}]`);
  process.exit(1);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-breakdown-'));
try {
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'app.mjs'), APPS[which]);
  const bundle = await rollup({
    input: path.join(dir, 'app.mjs'),
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] })],
    onwarn() {},
  });
  const gzip = (s) => zlib.gzipSync(s, { level: 9 }).length;
  const kb = (n) => (n / 1024).toFixed(1).padStart(7);
  let modules;
  if (which === 'loaded') {
    // As the test: rollup's default code splitting, minified; then the run, logging the chunks it loads.
    const terserPlugin = require('@rollup/plugin-terser');
    const { output } = await bundle.generate({
      format: 'es',
      plugins: [(terserPlugin.default ?? terserPlugin)()],
      entryFileNames: 'app.bundle.mjs',
      chunkFileNames: 'chunk-[hash].mjs',
    });
    await bundle.close();
    const chunks = output.filter((o) => o.type === 'chunk');
    for (const c of chunks) fs.writeFileSync(path.join(dir, c.fileName), c.code);
    await writeLoadedInput(dir);
    execFileSync(process.execPath, ['--import', './hooks.mjs', path.join(dir, 'runner.mjs')], { cwd: dir, stdio: 'inherit' });
    const loaded = new Set(fs.readFileSync(path.join(dir, 'loaded.txt'), 'utf8').split('\n').filter(Boolean));
    const used = chunks.filter((c) => loaded.has(c.fileName));
    const total = used.reduce((n, c) => n + gzip(c.code), 0);
    console.log(
      `loaded: ${used.length} of ${chunks.length} chunks, ${kb(total)} KiB gzip (each chunk gzipped on its own, as the test counts)`,
    );
    for (const c of used)
      console.log(`${kb(gzip(c.code))} KiB gzip  ${c.fileName}${c.isEntry ? ' (entry)' : ''}, ${Object.keys(c.modules).length} modules`);
    console.log('');
    modules = Object.fromEntries(used.flatMap((c) => Object.entries(c.modules)));
  } else {
    const { output } = await bundle.generate({ format: 'es', inlineDynamicImports: true });
    await bundle.close();
    const chunk = output[0];
    const whole = (await minify(chunk.code, { module: true })).code;
    console.log(`${which}: ${kb(whole.length)} KiB minified, ${kb(gzip(whole))} KiB gzip\n`);
    modules = chunk.modules;
  }

  const rows = [];
  for (const [id, m] of Object.entries(modules)) {
    if (!m.code) continue;
    // Which package and source path: packages/<pkg>/dist/<esm|esm-browser>/<path>.mjs (or an entry file).
    const rel = path.relative(root, fs.realpathSync(id)).replace(/\\/g, '/');
    const name = rel.replace(/^packages\/([^/]+)\/dist\/(esm-browser|esm)\//, '$1/').replace(/^packages\/([^/]+)\/dist\//, '$1/');
    const min = (await minify(m.code, { module: true, compress: false, mangle: true })).code.length;
    rows.push({ name, min });
  }
  const groups = new Map();
  for (const r of rows) {
    const parts = r.name.split('/');
    const key = parts.length > 2 ? parts.slice(0, 2).join('/') + '/' : r.name;
    groups.set(key, (groups.get(key) ?? 0) + r.min);
  }
  console.log('KiB minified per folder:');
  for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${kb(v)}  ${k}`);
  console.log(`\nlargest modules (KiB minified):`);
  rows.sort((a, b) => b.min - a.min);
  for (const r of rows.slice(0, Number(process.env.TOP ?? 30))) console.log(`${kb(r.min)}  ${r.name}`);
  console.log(`\n${rows.length} modules`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
