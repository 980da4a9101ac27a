/**
 * Each published package types both of its entries correctly: `import` gets ESM declarations
 * (dist/index.d.mts), `require` gets CommonJS ones (dist/index.d.ts), under node10, node16 (from CJS and
 * from ESM) and bundler resolution. Checked by @arethetypeswrong/cli on the tarball `npm pack` makes (so the
 * "files" list is checked too). The typed ESM and CJS programs of published_types.test.ts check the same
 * thing from a user's side.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '../../..');
const attw = path.join(repoRoot, 'node_modules/@arethetypeswrong/cli/dist/index.js');

describe.each(['core', 'layers', 'models', 'recurrent'])('package %s', (name) => {
  const dir = path.join(repoRoot, 'packages', name);

  it('types its import and require entries (arethetypeswrong: no problems)', () => {
    for (const f of ['dist/index.d.ts', 'dist/index.d.mts', 'dist/index.mjs', 'dist/index.cjs.js']) {
      if (!fs.existsSync(path.join(dir, f))) throw new Error(`${name}/${f} is missing: run \`npm run build\` first (npm test does).`);
    }
    let output = '';
    let failed = false;
    try {
      output = execFileSync(process.execPath, [attw, '--pack', dir, '--format', 'ascii'], {
        cwd: dir,
        stdio: 'pipe',
        encoding: 'utf8',
        timeout: 120_000,
      });
    } catch (e) {
      failed = true;
      const err = e as { stdout?: string; stderr?: string };
      output = `${err.stdout ?? ''}${err.stderr ?? ''}`;
    }
    if (failed) throw new Error(`attw found problems in ${name}:\n${output}`);
    expect(output).toMatch(/No problems found/);
  }, 150_000);

  it('declares engines, license file and the dist subpaths', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.engines).toEqual({ node: '>=20' });
    expect(pkg.license).toBe('Apache-2.0');
    expect(fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(pkg.exports['./dist/*']).toBe('./dist/*');
    // Side-effect free except core's index, which installs the chained tensor methods (x.add(y)).
    expect(pkg.sideEffects).toEqual(name === 'core' ? ['./dist/index.mjs', './dist/index.browser.mjs', './dist/index.cjs.js'] : false);
    if (name === 'recurrent') {
      expect([pkg.unpkg, pkg.jsdelivr]).toEqual(['dist/recurrent.min.js', 'dist/recurrent.min.js']);
      expect(fs.existsSync(path.join(dir, 'README.md'))).toBe(true);
    }
  });
});
