// Points the package's type entries at the declarations tsc wrote under dist/types:
//  - dist/index.d.ts  for `require` (CommonJS; extensionless relative imports, as the declarations are CJS-format);
//  - dist/index.d.mts for `import` (ESM, so TypeScript's node16/bundler resolution types the ES module entry
//    as an ES module; ESM needs the explicit './types/index.js').
// package.json "exports" gives each condition its own "types" (see packages/recurrent/test/package_types.test.ts).
const fs = require('fs');
const path = require('path');
const dist = path.resolve(process.cwd(), 'dist');
fs.writeFileSync(path.join(dist, 'index.d.ts'), "export * from './types/index';\n");
fs.writeFileSync(path.join(dist, 'index.d.mts'), "export * from './types/index.js';\n");
