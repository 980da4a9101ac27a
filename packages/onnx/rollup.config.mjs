import { browserPackageConfig, packageConfig } from '../../rollup.shared.mjs';

const external = ['@recurrent/core', '@recurrent/layers', '@recurrent/models', 'onnx-proto'];

// dist/index.browser.mjs has save_file.browser.ts (rejects: needs Node.js) for save_file.ts.
export default [packageConfig({ external }), browserPackageConfig({ external, nodeOnly: ['save_file'] })];
