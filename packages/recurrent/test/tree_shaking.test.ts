/**
 * What an application that uses the ESM build gets:
 * - an app importing only `loadLayersModel` (and `tensor` for its input) that runs an LSTM model, bundled
 *   with rollup (node-resolve, terser, default code splitting) from the published dist files: it runs and
 *   predicts what the whole library predicts (so nothing it needs was shaken away: no registration by import
 *   side effect, and the chained tensor methods core installs from its index, which package.json declares as
 *   its only side effect); what the run loads (logged by Node's module hooks: the entry chunk, the chunks it
 *   imports, and those `loadLayersModel` imports for the model's layer classes) stays under APP_MAX_GZIP; the
 *   training loops, saving and the URL routers, and the layer classes the model does not name are in chunks
 *   it does not load;
 * - the bundles contain no syntax newer than ES2020, which the README promises (parsed with acorn).
 *
 * Size target of issue #12 for this app: ≤ 60 KiB gzip. NOT MET: the app loads ~102 KiB gzip (the whole
 * recurrent.min.js: ~190 KiB). On first use, in chunks this app loads only when it needs them: the wasm module
 * (the plain build, ~7 KiB, and where relaxed SIMD runs its ~1 KiB patch, fetched when the backend starts), the layer classes the file names (with their
 * cells and kernels: the recurrent layers extend BaseRNN, which imports no cell), functional models, the worker
 * pool and threaded kernels, training loops, saving and the URL routers. What it still loads, and why (minified
 * KiB per module: `npm run size:breakdown -- loaded`; docs/DESIGN.md "Bundle size"): the fused kernels and
 * backends with their backward passes ~60 (gradients are synchronous) and the wasm build 23; core's chained
 * tensor methods (every op with its gradient, installed by `import 'recurrent'`) ~59; the name tables of
 * `compile`/`evaluate` (any optimizer, loss or metric; synchronous, and a loaded model can be compiled at once)
 * ~56; the loading code ~35 and the Keras compatibility pass ~18 (every file goes through it); streaming
 * (`model.step`, synchronous) ~7. The assertion is a regression guard at today's size.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { randomNormal, setSeed, Tensor } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { io, sequential } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';

const repoRoot = path.resolve(__dirname, '../../..');
const distDir = path.join(repoRoot, 'packages/recurrent/dist');
/** The target for the app (not met, see the header). */
const APP_TARGET_GZIP = 60 * 1024;
/** What is asserted: what the app loads stays under this, gzip (a regression guard at ~104.4 KiB loaded; 114 before
 * the wasm builds, the functional model code, the worker pool, the TextVectorization/Conv1D checks and the cells moved,
 * 98.6 after; the session-4 kernels (batch-1 sequence, pre-broadcast gemm, resident training buffers) added ~3.7;
 * session 5 ~2.1: issue 18's step-by-step input projection and kept packed weights ~1.4, the small-call latency work
 * ~0.4, Keras 3 loading (zeroOutputForMask, initializer axes, InputLayer optional) ~0.3; session 6 -0.8, merging
 * logic written more than once, then +0.7 with its fixes (optimizer state, Keras training-config checks, number operands): 104.3;
 * session 7 +2.4: typed errors 0.5, per-output sample weights and weightedMetrics 0.6, optimizer state restore 0.3,
 * streaming after the end of the sequence 0.3, the lazy class table's new layers 0.1, the fixes 0.6: 106.7;
 * session 8 +0.9, the fixes from porting user programs (int32 sequences, initial-state checks at apply, stateful batch
 * sizes, 1-D targets, the last partial batch of a dataset, the review's fixes) then +0.8 with addLoss on every layer and
 * the no-loss / no-target paths of compile and fit: 108.4, and +0.1 with `data` as a module namespace: 108.5). */
const APP_MAX_GZIP = 109 * 1024;

const gzipSize = (code: string | Buffer) => zlib.gzipSync(code, { level: 9 }).length;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { rollup } = require('rollup') as typeof import('rollup');
type OutputChunk = import('rollup').OutputChunk;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { nodeResolve } = require('@rollup/plugin-node-resolve') as typeof import('@rollup/plugin-node-resolve');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const terserModule = require('@rollup/plugin-terser');
const terser: () => import('rollup').Plugin = terserModule.default ?? terserModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const acorn = require('acorn') as { parse(code: string, opts: { ecmaVersion: number; sourceType: 'module' | 'script' }): unknown };

// No top-level await (ES2022): the app itself stays ES2020, so the parse check below is about the library.
const APP = `import { loadLayersModel, tensor } from 'recurrent';
globalThis.__done = loadLayersModel({ load: async () => globalThis.__artifacts }).then((model) => {
  const y = model.predict(tensor(globalThis.__x, globalThis.__shape));
  // A chained method: installed by core's index, which the bundler must keep.
  globalThis.__result = Array.from(y.mul(1).dataSync());
});
`;

// Node's module hooks (node --import ./hooks.mjs): every file of the bundle that the run loads is logged, so the
// size counted is what this app really loads (its entry, and the chunks it imports, statically or on first use).
const HOOKS = `import { register } from 'node:module';
register('./log_loads.mjs', import.meta.url);
`;
const LOG_LOADS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (/\\/(app\\.bundle|chunk-[^/]*)\\.mjs$/.test(url)) appendFileSync(new URL('./loaded.txt', import.meta.url), url.split('/').pop() + '\\n');
  return next(url, context);
}
`;

const RUNNER = `import * as fs from 'node:fs';
const input = JSON.parse(fs.readFileSync(new URL('./input.json', import.meta.url), 'utf8'));
const bytes = Buffer.from(input.weights, 'base64');
globalThis.__artifacts = { ...input.artifacts, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) };
globalThis.__x = input.x;
globalThis.__shape = input.shape;
await import('./app.bundle.mjs');
await globalThis.__done;
process.stdout.write(JSON.stringify(globalThis.__result));
`;

describe('the ESM build in an application bundle', () => {
  beforeAll(() => {
    for (const p of ['core', 'layers', 'models', 'recurrent']) {
      const f = path.join(repoRoot, 'packages', p, 'dist/index.mjs');
      if (!fs.existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first (npm test does).`);
    }
  });

  it('an app using only loadLayersModel runs an LSTM model, bundled (rollup, minified) under its size guard', async () => {
    // The model, and what the whole library predicts with it.
    setSeed(3);
    const model = sequential({ layers: [layers.lstm({ units: 6, inputShape: [5, 2] }), layers.dense({ units: 2 })] });
    let artifacts: ModelArtifacts | undefined;
    await model.save(
      io.withSaveHandler(async (a: ModelArtifacts) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const x = randomNormal([3, 5, 2], 0, 1, 'float32', 11);
    const expected = Array.from((model.predict(x) as Tensor).dataSync());

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-treeshake-'));
    try {
      fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      fs.writeFileSync(path.join(dir, 'app.mjs'), APP);
      fs.writeFileSync(path.join(dir, 'runner.mjs'), RUNNER);
      const { weightData, ...rest } = artifacts!;
      fs.writeFileSync(
        path.join(dir, 'input.json'),
        JSON.stringify({
          artifacts: rest,
          weights: Buffer.from(weightData as ArrayBuffer).toString('base64'),
          x: Array.from(x.dataSync()),
          shape: x.shape,
        }),
      );
      const bundle = await rollup({
        input: path.join(dir, 'app.mjs'),
        plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] })],
        onwarn: (w) => {
          throw new Error(`rollup: ${w.message}`);
        },
      });
      // Rollup's default code splitting, as an application's bundler does: what the library imports on first use
      // (`await import(...)`: the training loops) goes to chunks that this app never loads.
      const { output } = await bundle.generate({
        format: 'es',
        plugins: [terser()],
        entryFileNames: 'app.bundle.mjs',
        chunkFileNames: 'chunk-[hash].mjs',
      });
      await bundle.close();
      const chunks = output.filter((o): o is OutputChunk => o.type === 'chunk');
      for (const c of chunks) fs.writeFileSync(path.join(dir, c.fileName), c.code);
      fs.writeFileSync(path.join(dir, 'hooks.mjs'), HOOKS);
      fs.writeFileSync(path.join(dir, 'log_loads.mjs'), LOG_LOADS);
      const got = JSON.parse(
        execFileSync(process.execPath, ['--import', './hooks.mjs', path.join(dir, 'runner.mjs')], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 60_000,
        }),
      ) as number[];
      const loaded = new Set(
        fs
          .readFileSync(path.join(dir, 'loaded.txt'), 'utf8')
          .split('\n')
          .filter((f) => f !== ''),
      );
      expect(loaded.has('app.bundle.mjs')).toBe(true);
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      for (const f of loaded) expect(byName.has(f)).toBe(true);
      expect(got).toHaveLength(expected.length);
      got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-6));

      // The training loop, the layer classes the model does not use (the 2-D image layers and their pool2d op among
      // them), the functional model code and the worker pool with the threaded kernels are in chunks the app does not
      // load; TextVectorization and Conv1D in none.
      const lazy = chunks.filter((c) => !loaded.has(c.fileName));
      const inLazy = (re: RegExp) => lazy.some((c) => c.moduleIds.some((id) => re.test(id)));
      const inLoaded = (re: RegExp) => chunks.some((c) => loaded.has(c.fileName) && c.moduleIds.some((id) => re.test(id)));
      for (const re of [
        /trainers[\\/]fit\.mjs$/,
        /layers[\\/]multi_head_attention\.mjs$/,
        /engine[\\/]functional_from_config\.mjs$/,
        /threads[\\/]pool\.mjs$/,
        /sequence_wasm_threads_forward\.mjs$/,
        /convolutional[\\/]conv2d\.mjs$/,
        /pooling[\\/]pooling2d\.mjs$/,
        /reshaping[\\/]up_sampling2d\.mjs$/,
        /ops[\\/]pool2d\.mjs$/,
      ]) {
        expect([re.source, inLazy(re), inLoaded(re)]).toEqual([re.source, true, false]);
      }
      for (const re of [
        /text_vectorization\.mjs$/,
        /convolutional[\\/]conv1d\.mjs$/,
        /conv_lstm2d_cell\.mjs$/,
        /conv_lstm_cell\.mjs$/,
        /bahdanau_attention_cell\.mjs$/,
        /stacked_rnn_cells\.mjs$/,
        /gru_cell\.mjs$/,
        /recurrent[\\/]rnn\.mjs$/,
      ])
        expect([re.source, inLoaded(re)]).toEqual([re.source, false]);
      // The plain module and the relaxed-SIMD patch are chunks of their own; this run (Node 20, no relaxed SIMD) loads the plain one only.
      const wasmChunks = chunks.filter((c) => c.moduleIds.some((id) => /wasm_(relaxed_)?simd\.generated\.mjs$/.test(id)));
      expect(wasmChunks).toHaveLength(2);
      for (const c of wasmChunks) expect(c.moduleIds).toHaveLength(1);
      expect(wasmChunks.filter((c) => loaded.has(c.fileName))).toHaveLength(1);
      const app = [...loaded].reduce((n, f) => n + gzipSize(byName.get(f)!.code), 0);
      const full = gzipSize(fs.readFileSync(path.join(distDir, 'recurrent.min.js')));
      // eslint-disable-next-line no-console
      console.log(
        `tree-shaken app: ${(app / 1024).toFixed(1)} KiB gzip loaded (target ${APP_TARGET_GZIP / 1024} KiB, not met), ${lazy.length} chunk(s) not loaded; whole bundle ${(full / 1024).toFixed(1)} KiB`,
      );
      expect(app).toBeLessThan(APP_MAX_GZIP);
      expect(app).toBeLessThan(full);
      // The ES2020 promise holds for what a bundler makes of the ESM build too.
      for (const c of chunks) expect(() => acorn.parse(c.code, { ecmaVersion: 2020, sourceType: 'module' })).not.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it.each(['recurrent.min.js', 'recurrent.esm.js'])('%s has no syntax newer than ES2020 (e.g. ??=, ||=)', (file) => {
    const code = fs.readFileSync(path.join(distDir, file), 'utf8');
    const sourceType = file.endsWith('esm.js') ? 'module' : 'script';
    expect(() => acorn.parse(code, { ecmaVersion: 2020, sourceType })).not.toThrow();
    // The check itself can fail: ES2021 syntax is refused at ecmaVersion 2020.
    expect(() => acorn.parse('let a; a ??= 1;', { ecmaVersion: 2020, sourceType })).toThrow();
  });
});
