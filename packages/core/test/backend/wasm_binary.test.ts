/** The committed generated module: decodes to the bytes it claims, and matches a fresh compile. */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as path from 'path';
import { WASM_BASE64, WASM_SHA256 } from '../../src/backend/wasm_binary.generated';
import { decodeBase64 } from '../../src/backend/wasm';

describe('wasm_binary.generated.ts', () => {
  it('decodes (with our own base64 decoder) to a valid module with the recorded SHA-256', () => {
    const bytes = decodeBase64(WASM_BASE64);
    expect(Buffer.from(bytes).equals(Buffer.from(WASM_BASE64, 'base64'))).toBe(true);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(WASM_SHA256);
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['memory', 'heapBase', 'gemm', 'gemmWorkspaceBytes', 'packRecurrent', 'lstmForward', 'lstmBackward', 'gruForward', 'gruBackward']));
  });

  it('is up to date with packages/core/assembly (scripts/build-wasm.mjs --check)', () => {
    // Throws (failing the test) with the script's message when the committed file is stale.
    execFileSync(process.execPath, [path.join(__dirname, '../../scripts/build-wasm.mjs'), '--check'], { stdio: 'pipe' });
  }, 60_000);
});
