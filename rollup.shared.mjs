// Shared rollup setup: each package builds src/index.ts to CommonJS (main: one file) and ESM (module:
// dist/index.mjs plus one file per source module under dist/esm/, so that `"sideEffects": false` lets an
// application's bundler drop every module it does not use; a single-file ESM build cannot be shaken per
// class, since each class's `X.className = '...'` statement (ES2020 has no static fields) keeps it alive).
// Type declarations come from `tsc --emitDeclarationOnly` (see each package's build script).
// A package with Node-only modules also builds dist/index.browser.mjs (browserPackageConfig), the ESM
// build with each Node-only module swapped for its `.browser.ts` twin; its package.json "exports" give it
// under the "browser" condition, which is how the umbrella's browser bundles and web bundlers pick it.
import path from 'node:path';
import typescript from '@rollup/plugin-typescript';

/** Rollup config for one workspace package; sibling packages stay external imports. */
export function packageConfig({ external = [] } = {}) {
  return {
    input: 'src/index.ts',
    external: (id) => external.some((name) => id === name || id.startsWith(name + '/')),
    output: [
      // One CommonJS file: code imported on first use (`await import(...)`, e.g. the training loops) is inlined.
      { file: 'dist/index.cjs.js', format: 'cjs', sourcemap: true, exports: 'named', inlineDynamicImports: true },
      esmOutput('index.mjs', 'esm'),
    ],
    plugins: [typescriptPlugin()],
  };
}

/**
 * The browser ESM build (dist/index.browser.mjs): as packageConfig's, with each module of `nodeOnly`
 * (paths under src/ without extension, e.g. 'io/file_system') replaced by its twin `<path>.browser.ts`,
 * which has the same exports.
 */
export function browserPackageConfig({ external = [], nodeOnly = [] } = {}) {
  const swaps = new Map(nodeOnly.map((p) => [path.resolve('src', `${p}.ts`), path.resolve('src', `${p}.browser.ts`)]));
  return {
    ...packageConfig({ external }),
    output: esmOutput('index.browser.mjs', 'esm-browser'),
    plugins: [
      {
        name: 'node-only-swap',
        async resolveId(source, importer, options) {
          if (!importer || !source.startsWith('.')) return null;
          const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
          return resolved && swaps.has(resolved.id) ? swaps.get(resolved.id) : null;
        },
      },
      typescriptPlugin(),
    ],
  };
}

/** ESM output: the entry as dist/<entry>, every other source module as dist/<dir>/<path under src>.mjs. */
function esmOutput(entry, dir) {
  return {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    preserveModules: true,
    preserveModulesRoot: 'src',
    entryFileNames: (chunk) => (chunk.isEntry ? entry : `${dir}/[name].mjs`),
  };
}

function typescriptPlugin() {
  return typescript({
    tsconfig: './tsconfig.build.json',
    declaration: false,
    declarationMap: false,
    noEmitOnError: true,
    outputToFilesystem: false,
  });
}
