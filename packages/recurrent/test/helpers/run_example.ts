/**
 * Running the Node examples as a user would (`node examples/<name>.js`, against the built packages) and reading
 * numbers from what they print. Shared by the example tests.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../browser/harness';

/** The built umbrella entry the examples `require('recurrent')`. */
export const builtEntry = path.join(repoRoot, 'packages/recurrent/dist/index.cjs.js');
/** Jest timeout for one example test. */
export const EXAMPLE_TIMEOUT = 120_000;

/** Throws (in a beforeAll) when the packages are not built. */
export function requireBuild(): void {
  if (!fs.existsSync(builtEntry)) throw new Error(`${builtEntry} is missing: run \`npm run build\` first (npm test does).`);
}

/** Runs `node examples/<file> ...args` from the repository root; resolves to its stdout (rejects with stderr on failure). */
export function runExample(file: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(repoRoot, 'examples', file), ...args],
      { cwd: repoRoot, timeout: EXAMPLE_TIMEOUT - 5_000, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${file} failed (${err.message}):\n${stderr}\n${stdout}`));
        else resolve(stdout);
      },
    );
  });
}

/** The number after `label` in the output (e.g. "held-out accuracy: 0.9922"). */
export function numberAfter(out: string, label: string): number {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = out.match(new RegExp(escaped + '\\s*([-+0-9.eE]+)'));
  if (!m) throw new Error(`no "${label}" in the output:\n${out}`);
  return Number(m[1]);
}
