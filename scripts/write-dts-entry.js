// Points dist/index.d.ts at the declarations tsc wrote under dist/types.
const fs = require('fs');
const path = require('path');
const dist = path.resolve(process.cwd(), 'dist');
fs.writeFileSync(path.join(dist, 'index.d.ts'), "export * from './types/index';\n");
