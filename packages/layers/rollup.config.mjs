import { browserPackageConfig, packageConfig } from '../../rollup.shared.mjs';

const external = ['@recurrent/core'];

// dist/index.browser.mjs has nn/safetensors_file.browser.ts (the file helpers reject: need Node.js) for nn/safetensors_file.ts.
export default [packageConfig({ external }), browserPackageConfig({ external, nodeOnly: ['nn/safetensors_file'] })];
