// Child process of test/backend/wasm_variant.test.ts, started as
//   node --experimental-wasm-relaxed-simd packages/core/test/helpers/relaxed_simd_child.js
// so that the wasm backend loads the relaxed-SIMD build. Loads the TypeScript sources through a require hook
// (typescript's transpileModule: no type check, no build), runs compareLoadedWasmWithReference() and prints
// its report as JSON on stdout.
'use strict';
const fs = require('fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};

const { compareLoadedWasmWithReference } = require('./wasm_variant_compare.ts');
process.stdout.write(JSON.stringify(compareLoadedWasmWithReference()));
