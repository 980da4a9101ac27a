#!/usr/bin/env node
// What is in a bundle, per source module (run `npm run build` first):
//   node scripts/bundle-breakdown.mjs app    the tree-shaking test's app (loadLayersModel + an LSTM model)
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
  const { output } = await bundle.generate({ format: 'es', inlineDynamicImports: true });
  await bundle.close();
  const chunk = output[0];
  const whole = (await minify(chunk.code, { module: true })).code;
  const gzip = (s) => zlib.gzipSync(s, { level: 9 }).length;
  const kb = (n) => (n / 1024).toFixed(1).padStart(7);
  console.log(`${which}: ${kb(whole.length)} KiB minified, ${kb(gzip(whole))} KiB gzip\n`);

  const rows = [];
  for (const [id, m] of Object.entries(chunk.modules)) {
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
