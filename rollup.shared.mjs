// Shared rollup setup: each package builds src/index.ts to CommonJS (main) and ESM (module).
// Type declarations come from `tsc --emitDeclarationOnly` (see each package's build script).
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
    plugins: [
      typescript({
        tsconfig: './tsconfig.build.json',
        declaration: false,
        declarationMap: false,
        noEmitOnError: true,
        outputToFilesystem: false,
      }),
    ],
  };
}
