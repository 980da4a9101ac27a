import { browserPackageConfig, packageConfig } from '../../rollup.shared.mjs';

const external = ['@recurrent/core', '@recurrent/layers'];

// dist/index.browser.mjs has file_system.browser.ts (file:// rejects: needs Node.js) for file_system.ts.
export default [packageConfig({ external }), browserPackageConfig({ external, nodeOnly: ['io/file_system', 'data/file_lines'] })];
