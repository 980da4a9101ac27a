// Two builds of the umbrella package:
//  1. the library build every package has (dist/index.cjs.js + dist/index.mjs), with the three
//     @recurrent/* packages left as external imports;
//  2. the browser bundles, self-contained:
//     - dist/recurrent.min.js: minified UMD; `<script src>` defines the global `recurrent`;
//     - dist/recurrent.esm.js: one ES module for `<script type="module">` and bundlers.
//     The @recurrent/* packages come in from their ESM builds (dist/index.mjs, resolved through the
//     workspace symlinks by node-resolve), so `npm run build` must have built them first: the root
//     `build` script runs the workspaces in order core, layers, models, recurrent.
import { readFileSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { packageConfig } from '../../rollup.shared.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const siblings = ['@recurrent/core', '@recurrent/layers', '@recurrent/models'];

/** Node built-ins, bare and with the `node:` prefix. */
const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * Keeps Node built-ins out of the browser bundle. A dynamic `import('fs')` (the guarded, Node-only
 * code paths of the IO handlers) stays an external dynamic import that only runs under Node; a static
 * import would break every browser that loads the bundle, so it fails the build with the importer named.
 * (A plain `require('fs')` inside a function is left as it is: it only runs when called.)
 */
function browserSafeBuiltins() {
  return {
    name: 'browser-safe-builtins',
    resolveDynamicImport(specifier) {
      if (typeof specifier === 'string' && nodeBuiltins.has(specifier)) return false;
      return null;
    },
    resolveId(source, importer) {
      if (nodeBuiltins.has(source)) {
        this.error(
          `browser bundle: static import of the Node built-in '${source}' from ${importer}; ` +
            `a browser cannot load it. Use a guarded dynamic import (await import('${source}')) on a Node-only path.`,
        );
      }
      return null;
    },
  };
}

/** Carries the sibling packages' own source maps (dist/index.mjs.map) into the bundle's map, with sources. */
function inputSourceMaps() {
  return {
    name: 'input-source-maps',
    load(id) {
      if (!id.endsWith('.mjs') || !id.includes(`${path.sep}dist${path.sep}`)) return null;
      const code = readFileSync(id, 'utf8');
      const mapFile = `${id}.map`;
      if (!existsSync(mapFile)) return code;
      const map = JSON.parse(readFileSync(mapFile, 'utf8'));
      // Embed the TypeScript sources so devtools show them without fetching anything else.
      const root = path.resolve(path.dirname(mapFile), map.sourceRoot || '');
      map.sourcesContent = map.sources.map((s, i) => {
        if (map.sourcesContent && map.sourcesContent[i] != null) return map.sourcesContent[i];
        const file = path.resolve(root, s);
        return existsSync(file) ? readFileSync(file, 'utf8') : null;
      });
      return { code, map };
    },
  };
}

/**
 * The bundles take core's Node ESM build (dist/index.mjs), not its browser build: both inline everything, and the
 * browser build differs only in importing the wasm module's chosen build on first use (wasm_source.browser.ts),
 * which gains nothing in one file (it would only move the module's bytes to the end). So the bundles load the
 * module as before: synchronously in Node, asynchronously in browsers.
 */
function coreNodeBuild() {
  return {
    name: 'core-node-build',
    resolveId(source) {
      return source === '@recurrent/core' ? path.join(here, '../core/dist/index.mjs') : null;
    },
  };
}

const banner = `/*! recurrent v${JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8')).version} | Apache-2.0 */`;

const browserBundles = {
  input: 'src/index.ts',
  output: [
    {
      file: 'dist/recurrent.min.js',
      format: 'umd',
      name: 'recurrent',
      exports: 'named',
      sourcemap: true,
      banner,
      inlineDynamicImports: true,
      // Standard terser settings: ES2020 output (what the bundle promises; a test parses it as ES2020) and
      // three compress passes (each pass finds what the previous one's inlining exposed).
      plugins: [terser({ ecma: 2020, compress: { passes: 3 }, format: { comments: /^!/ } })],
    },
    {
      file: 'dist/recurrent.esm.js',
      format: 'es',
      sourcemap: true,
      banner,
      inlineDynamicImports: true,
    },
  ],
  plugins: [
    browserSafeBuiltins(),
    coreNodeBuild(),
    inputSourceMaps(),
    nodeResolve({ browser: true, preferBuiltins: false, exportConditions: ['browser', 'import', 'default'] }),
    typescript({
      tsconfig: './tsconfig.build.json',
      declaration: false,
      declarationMap: false,
      noEmitOnError: true,
      outputToFilesystem: false,
      inlineSources: true,
    }),
  ],
  onwarn(warning, warn) {
    // Anything unresolved would be a hole in a "self-contained" bundle: fail instead of warning.
    if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(`browser bundle: ${warning.message}`);
    warn(warning);
  },
};

export default [packageConfig({ external: siblings }), browserBundles];
