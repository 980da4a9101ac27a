import { browserPackageConfig, packageConfig } from '../../rollup.shared.mjs';

// dist/index.browser.mjs has wasm_source.browser.ts (the chosen build of the wasm module imported on first use,
// so a bundler makes each build its own chunk) for wasm_source.ts (both builds inline: Node compiles synchronously).
export default [packageConfig({ external: [] }), browserPackageConfig({ external: [], nodeOnly: ['backend/wasm_source'] })];
