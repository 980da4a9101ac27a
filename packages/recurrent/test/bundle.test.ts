/**
 * The browser bundles as files: present after `npm run build`, self-contained, loadable without Node's
 * require, and within the size budget. (The real browser run is browser.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { bundleSizes, GZIP_BUDGET_BYTES, FILES } = require('../../../scripts/bundle-size.js');

const dist = path.resolve(__dirname, '../dist');
const minPath = path.join(dist, 'recurrent.min.js');
const esmPath = path.join(dist, 'recurrent.esm.js');

function read(file: string): string {
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(process.cwd(), file)} is missing: run \`npm run build\` first (npm test does).`);
  }
  return fs.readFileSync(file, 'utf8');
}

/** Names every build of the umbrella package must export (a sample across core, layers and models). */
const SAMPLE_EXPORTS = [
  'version',
  'LAYERS_VERSION',
  'MODELS_VERSION',
  'Tensor',
  'tensor',
  'tensor2d',
  'matMul',
  'grad',
  'ready',
  'getBackend',
  'train',
];

describe('recurrent.min.js (UMD)', () => {
  test('exists with a source map that points back to the TypeScript sources', () => {
    const code = read(minPath);
    expect(code).toMatch(/\/\/# sourceMappingURL=recurrent\.min\.js\.map\s*$/);
    const map = JSON.parse(read(`${minPath}.map`));
    expect(map.version).toBe(3);
    const sources: string[] = map.sources;
    expect(sources.some((s) => /packages\/core\/src\/.*\.ts$/.test(s) || /core\/src\/.*\.ts$/.test(s))).toBe(true);
    expect(sources.some((s) => /layers\/src\/.*\.ts$/.test(s))).toBe(true);
    // The TypeScript is embedded, so devtools show it without fetching the sources.
    expect(sources.filter((_, i) => typeof map.sourcesContent?.[i] !== 'string')).toEqual([]);
  });

  test('the UMD wrapper asks for no dependencies and defines the global `recurrent`', () => {
    const code = read(minPath);
    expect(code).toContain('define(["exports"],');
    expect(code).toMatch(/\.recurrent=\{\}/);
  });

  test('runs in a browser-like context without require/module/process and defines `recurrent`', () => {
    const code = read(minPath);
    const sandbox: Record<string, unknown> = {
      console,
      TextEncoder,
      TextDecoder,
      setTimeout,
      clearTimeout,
      queueMicrotask,
    };
    sandbox.self = sandbox;
    sandbox.window = sandbox;
    vm.createContext(sandbox);
    vm.runInContext(code, sandbox, { filename: 'recurrent.min.js' });
    const rc = sandbox.recurrent as Record<string, unknown>;
    expect(typeof rc).toBe('object');
    for (const name of SAMPLE_EXPORTS) expect([name, typeof rc[name]]).toEqual([name, expect.not.stringMatching(/^undefined$/)]);
    // Run an op inside the sandbox (values there are that context's typed arrays).
    const out = vm.runInContext(
      'Array.from(recurrent.matMul(recurrent.tensor2d([[1,2]]), recurrent.tensor2d([[3],[4]])).dataSync())',
      sandbox,
    );
    expect(Array.from(out as number[])).toEqual([11]);
  });

  test('loads in Node through the CommonJS branch of the wrapper, with the same API', () => {
    read(minPath);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const rc = require(minPath);
    for (const name of SAMPLE_EXPORTS) expect([name, typeof rc[name]]).toEqual([name, expect.not.stringMatching(/^undefined$/)]);
    expect(
      rc
        .matMul(
          rc.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          rc.tensor2d([
            [5, 6],
            [7, 8],
          ]),
        )
        .arraySync(),
    ).toEqual([
      [19, 22],
      [43, 50],
    ]);
  });

  test(`gzip size is under the budget (${GZIP_BUDGET_BYTES / 1024} KB)`, () => {
    read(minPath);
    const sizes = bundleSizes({ ...FILES, recurrent: minPath });
    expect(sizes.recurrent.raw).toBeGreaterThan(10_000); // a real bundle, not an empty stub
    expect(sizes.recurrent.gzip).toBeLessThan(GZIP_BUDGET_BYTES);
  });
});

describe('recurrent.esm.js (ES module)', () => {
  test('is self-contained: no static imports; dynamic imports only of Node built-ins on Node-only paths', () => {
    const code = read(esmPath);
    expect(code).not.toMatch(/^\s*import\s[^(]/m);
    expect(code).not.toMatch(/^\s*export\s.*\sfrom\s/m);
    const dynamic = [...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    for (const spec of dynamic) expect(spec).toMatch(/^(node:)?(fs|path|os|url|util|fs\/promises|zlib|crypto)$/);
  });

  test('exports the public API', () => {
    const code = read(esmPath);
    const exportBlock = code.match(/^export \{([^}]*)\};?\s*(\/\/# sourceMappingURL=.*)?\s*$/m);
    expect(exportBlock).not.toBeNull();
    const names = exportBlock![1].split(',').map((s) =>
      s
        .trim()
        .split(/\s+as\s+/)
        .pop()!
        .trim(),
    );
    for (const name of SAMPLE_EXPORTS) expect(names).toContain(name);
  });
});
