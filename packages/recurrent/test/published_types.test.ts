/**
 * The published type declarations (packages/*\/dist, as `npm run build` writes them) type what users
 * write: every README code block and every Node example, type-checked with `tsc --noEmit` as a user's
 * project would (moduleResolution node16, so package.json "exports" and their "types" conditions are
 * followed), plus a typed program in both module systems (.mts importing, .cts requiring) that uses the
 * chained tensor methods and the main entry points with explicit types.
 *
 * Runs against dist, not src: a declaration that the build drops (as the `declare module './tensor'`
 * augmentation of chained_ops.ts once was) fails here, though jest's own imports from src would pass.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '../../..');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

/** The js/ts fenced blocks of a markdown file, with the line each starts on. */
function codeBlocks(markdown: string): Array<{ lang: string; code: string; line: number }> {
  const out: Array<{ lang: string; code: string; line: number }> = [];
  const re = /^```(\w+)[^\n]*\n([\s\S]*?)^```/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(markdown)) !== null) {
    if (['js', 'javascript', 'ts', 'typescript'].includes(m[1])) {
      out.push({ lang: m[1], code: m[2], line: markdown.slice(0, m.index).split('\n').length });
    }
  }
  return out;
}

/** A typed program using the published API; `IMPORT` is replaced by the module system's import line. */
const TYPED_PROGRAM = `IMPORT

// Chained tensor methods (declared by module augmentation in @recurrent/core).
const a: rc.Tensor = rc.ones([2, 3]).reshape([3, 2]);
const b: rc.Tensor = a.add(1).mul(rc.scalar(2)).transpose().sum(1).toFloat();
const shape: number[] = b.shape;
const values: Float32Array | Int32Array | Uint8Array = b.dataSync();

// Layers, models, training.
const model: rc.Sequential = rc.sequential();
model.add(rc.layers.lstm({ units: 4, inputShape: [5, 2] }));
model.add(rc.layers.dense({ units: 1 }));
model.compile({ optimizer: rc.train.adam(0.01), loss: 'meanSquaredError' });
const y = model.predict(rc.randomNormal([3, 5, 2])) as rc.Tensor;
const gru: rc.Layer = rc.layers.gru({ units: 3, resetAfter: true, returnSequences: true });
async function roundTrip(): Promise<rc.LayersModel> {
  await model.fit(rc.zeros([3, 5, 2]), rc.zeros([3, 1]), { epochs: 1, verbose: 0 });
  await model.save('file:///tmp/never-run');
  return rc.loadLayersModel('file:///tmp/never-run/model.json');
}

// PyTorch-style modules.
const lstm = new rc.nn.LSTM(8, 16, { numLayers: 1 });
const [out, [h, c]] = lstm.forwardWithState(rc.randomNormal([4, 10, 8]));
const state: Record<string, rc.Tensor> = lstm.stateDict();

export const used = [shape, values, y, gru, roundTrip, out, h, c, state];
`;

/** Runs tsc on a project written to `dir/name`; returns its diagnostics, each with its continuation lines. */
function typeCheck(dir: string, name: string, project: object): string[] {
  fs.writeFileSync(path.join(dir, name), JSON.stringify(project));
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(dir, name)], { cwd: dir, stdio: 'pipe', encoding: 'utf8', timeout: 240_000 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    output = `${err.stdout ?? ''}${err.stderr ?? ''}` || String(e);
  }
  const diagnostics: string[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    if (/^\s/.test(line) && diagnostics.length > 0) diagnostics[diagnostics.length - 1] += `\n${line}`;
    else diagnostics.push(line);
  }
  return diagnostics;
}

describe('published types (dist)', () => {
  const distTypes = ['core', 'layers', 'models', 'recurrent'].map((p) => path.join(repoRoot, 'packages', p, 'dist/index.d.ts'));

  beforeAll(() => {
    for (const file of distTypes) {
      if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does).`);
    }
  });

  it('type-check the README blocks, the examples and a typed program in ESM and CJS', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-types-'));
    try {
      // A user's project: its node_modules has recurrent and @recurrent/* (the workspace links to the packages).
      fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      const files: string[] = [];
      const write = (name: string, text: string) => {
        fs.writeFileSync(path.join(dir, name), text);
        files.push(name);
      };
      const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
      const blocks = codeBlocks(readme);
      expect(blocks.length).toBeGreaterThanOrEqual(4);
      for (const block of blocks) {
        write(`readme-line-${block.line}.${block.lang.startsWith('t') ? 'mts' : 'mjs'}`, block.code);
      }
      const examples = fs.readdirSync(path.join(repoRoot, 'examples')).filter((f) => f.endsWith('.js') && f !== 'serve.js');
      expect(examples.length).toBeGreaterThanOrEqual(5);
      for (const f of examples) {
        write(`example-${f.replace(/\.js$/, '.cjs')}`, fs.readFileSync(path.join(repoRoot, 'examples', f), 'utf8'));
      }
      write('typed-esm.mts', TYPED_PROGRAM.replace('IMPORT', "import * as rc from 'recurrent';"));
      write('typed-cjs.cts', TYPED_PROGRAM.replace('IMPORT', "import rc = require('recurrent');"));
      const compilerOptions = {
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        lib: ['ES2022', 'DOM'],
        strict: true,
        noEmit: true,
        types: ['node'],
        // The published .d.ts files are checked too (a broken declaration is an error, not skipped).
        skipLibCheck: false,
      };
      const typed = files.filter((f) => /\.[mc]ts$/.test(f));
      const untyped = files.filter((f) => /\.[mc]js$/.test(f));
      // TypeScript: strict, every diagnostic fails.
      expect(typeCheck(dir, 'tsconfig.typed.json', { compilerOptions, files: typed })).toEqual([]);
      // JavaScript (checkJs, not strict, as a JS user's editor checks it): every diagnostic fails except the one
      // kind that is the API's design, as in tfjs: predict()/apply() return `Tensor | Tensor[]` (or
      // `SymbolicTensor | SymbolicTensor[]`), which JavaScript uses as the single tensor it knows it has.
      const jsOptions = { ...compilerOptions, strict: false, allowJs: true, checkJs: true };
      const jsDiagnostics = typeCheck(dir, 'tsconfig.js.json', { compilerOptions: jsOptions, files: untyped });
      const unionOfOneOrMany = /type '(\w+) \| \1\[\]'|on type '\w+\[\]'/i;
      expect(jsDiagnostics.filter((d) => !unionOfOneOrMany.test(d))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
