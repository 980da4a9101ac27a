/**
 * A Node script that runs kernels on wasm threads exits by itself (the workers never hold the process
 * open). The core sources are transpiled to CommonJS in a temporary folder (no build needed).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';

const SRC = join(__dirname, '../../../src');

function transpileTree(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const p = join(from, name);
    if (statSync(p).isDirectory()) {
      transpileTree(p, join(to, name));
    } else if (name.endsWith('.ts')) {
      const js = ts.transpileModule(readFileSync(p, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2021, esModuleInterop: true },
        fileName: relative(SRC, p),
      }).outputText;
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, name.replace(/\.ts$/, '.js')), js);
    }
  }
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recurrent-threads-'));
  transpileTree(SRC, join(dir, 'core'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `
const core = require('./core/index.js');
core.setThreadsCount(2);
core.ready().then(() => {
  const x = core.randomNormal([8, 5, 16], 0, 1, 'float32', 1);
  const W = core.randomNormal([16, 256], 0, 0.1, 'float32', 2);
  const U = core.randomNormal([64, 256], 0, 0.1, 'float32', 3);
  const [last] = core.lstmSequence(x, W, U, null, null, null, { activation: 'tanh', recurrentActivation: 'sigmoid' });
  const info = core.backendInfo();
  console.log(JSON.stringify({ threads: info.threads, reason: info.threadsReason, finite: Array.from(last.dataSync()).every(Number.isFinite) }));
});
`;

it('a script using 2 threads prints its result and exits with status 0 on its own', () => {
  writeFileSync(join(dir, 'main.js'), SCRIPT);
  const r = spawnSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8', timeout: 30000 });
  expect(r.signal).toBeNull(); // not killed by the timeout
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout.trim())).toEqual({ threads: 2, reason: '', finite: true });
});
