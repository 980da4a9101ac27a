/**
 * One version for all packages: the root package.json's "version", injected by scripts/version.js into every
 * workspace package.json (version and @recurrent/* dependencies) and into src/version.generated.ts, which
 * every package's version constant reads.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CORE_VERSION } from '@recurrent/core';
import { LAYERS_VERSION } from '@recurrent/layers';
import { MODELS_VERSION } from '@recurrent/models';

const root = path.resolve(__dirname, '../../..');
const rootVersion: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

describe('the version', () => {
  it('scripts/version.js --check: every package.json and the generated file agree with the root version', () => {
    let output = '';
    try {
      execFileSync(process.execPath, [path.join(root, 'scripts/version.js'), '--check'], { stdio: 'pipe', encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stderr?: string }).stderr ?? e);
    }
    expect(output).toBe('');
  });

  it('the packages export the root version', () => {
    expect(rootVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect([CORE_VERSION, LAYERS_VERSION, MODELS_VERSION]).toEqual([rootVersion, rootVersion, rootVersion]);
    const workspaces: string[] = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces;
    for (const ws of workspaces) {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, ws, 'package.json'), 'utf8'));
      expect([ws, pkg.version]).toEqual([ws, rootVersion]);
    }
  });
});
