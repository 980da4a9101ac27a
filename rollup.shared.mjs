// Shared rollup setup: each package builds src/index.ts to CommonJS (main) and ESM (module).
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
      { file: 'dist/index.cjs.js', format: 'cjs', sourcemap: true, exports: 'named' },
      { file: 'dist/index.mjs', format: 'es', sourcemap: true },
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
    output: { file: 'dist/index.browser.mjs', format: 'es', sourcemap: true },
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

function typescriptPlugin() {
  return typescript({
    tsconfig: './tsconfig.build.json',
    declaration: false,
    declarationMap: false,
    noEmitOnError: true,
    outputToFilesystem: false,
  });
}
