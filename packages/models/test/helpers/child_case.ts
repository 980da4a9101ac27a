/**
 * Runs one crash-prone case in a child Node process with its own timeout, so a case that would abort the
 * process (heap exhaustion, SIGABRT) or never return fails its test instead of killing or hanging jest.
 * The child loads the TypeScript sources directly (TypeScript's transpileModule as a require hook; the
 * `@recurrent/*` packages map to `packages/<name>/src`), runs `body` (CommonJS JavaScript with `rc` bound to
 * the umbrella exports of @recurrent/core, layers and models, and `await` allowed) and prints one JSON line.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

const BOOT = `
const Module = require('module');
const path = require('path');
const fs = require('fs');
let tsMod = null;
const ts = new Proxy({}, { get(_t, k) { if (!tsMod) tsMod = require(${JSON.stringify(path.join(repoRoot, 'node_modules', 'typescript'))}); return tsMod[k]; } });
const root = ${JSON.stringify(repoRoot)};
const origResolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@recurrent\\/(core|layers|models)$/.exec(request);
  if (m) return path.join(root, 'packages', m[1], 'src', 'index.ts');
  if (request.startsWith('.') && parent && parent.filename && parent.filename.endsWith('.ts')) {
    const base = path.resolve(path.dirname(parent.filename), request);
    for (const c of [base + '.ts', path.join(base, 'index.ts')]) if (fs.existsSync(c)) return c;
  }
  return origResolve.call(this, request, parent, ...rest);
};
const cacheDir = path.join(require('os').tmpdir(), 'recurrent-child-case-cache');
fs.mkdirSync(cacheDir, { recursive: true });
require.extensions['.ts'] = function (module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const key = require('crypto').createHash('sha1').update(filename + '\\0' + src).digest('hex');
  const cached = path.join(cacheDir, key + '.js');
  let js;
  try { js = fs.readFileSync(cached, 'utf8'); } catch (e) {
    js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true }, fileName: filename }).outputText;
    const tmp = cached + '.' + process.pid;
    fs.writeFileSync(tmp, js);
    fs.renameSync(tmp, cached);
  }
  module._compile(js, filename);
};
const rc = Object.assign({}, require('@recurrent/core'), require('@recurrent/layers'), require('@recurrent/models'));
`;

export interface ChildOutcome {
  /** The JSON the body printed with `done(x)`, or null. */
  result: unknown;
  /** Exit code (null when killed by a signal). */
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  stderr: string;
}

/**
 * Runs `body` in a fresh Node process (heap capped at `heapMB`) for at most `timeoutMs`. The body calls
 * `done(value)` to report a JSON value; an uncaught error exits with status 1 and its message on stderr.
 */
export function runInChild(body: string, timeoutMs = 20_000, heapMB = 512): ChildOutcome {
  const script = `${BOOT}
const done = (v) => { process.stdout.write('@@RESULT@@' + JSON.stringify(v) + '\\n'); };
(async () => { ${body}
})().then(() => process.exit(0), (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMB}`, '-e', script], {
    cwd: repoRoot,
    timeout: timeoutMs,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('@@RESULT@@'));
  return {
    result: line ? JSON.parse(line.slice('@@RESULT@@'.length)) : null,
    status: r.status,
    signal: r.signal,
    timedOut: r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT',
    stderr: r.stderr ?? '',
  };
}
