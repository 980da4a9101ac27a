/** The committed generated module: decodes to the bytes it claims, and matches a fresh compile. */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as path from 'path';
import { WASM_ASCII_XOR, WASM_SHA256 } from '../../src/backend/wasm_binary.generated';
import { WASM_ASCII } from '../../src/backend/wasm_simd.generated';
import { decodeWasmAscii } from '../../src/backend/wasm';

describe('wasm_binary.generated.ts', () => {
  it('is ASCII and decodes to a valid module with the recorded SHA-256', () => {
    expect(/^[\x00-\x7f]*$/.test(WASM_ASCII)).toBe(true);
    const bytes = decodeWasmAscii(WASM_ASCII);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(WASM_SHA256);
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'memory',
        'heapBase',
        'gemm',
        'gemmWorkspaceBytes',
        'packRecurrent',
        'lstmForward',
        'lstmBackward',
        'gruForward',
        'gruBackward',
      ]),
    );
  });

  it('decodeWasmAscii inverts the encoding of scripts/build-wasm.mjs for every byte value', () => {
    // The rule of encodeWasmAscii: v = byte ^ xor; v < 126 is one character; v >= 126 is 126 + ((v - 126) >> 7), (v - 126) & 127.
    const all = Uint8Array.from({ length: 512 }, (_, i) => (i * 7 + (i >> 8)) & 255);
    for (const xor of [0, WASM_ASCII_XOR, 255]) {
      let s = '';
      for (const b of all) {
        const v = b ^ xor;
        s += v < 126 ? String.fromCharCode(v) : String.fromCharCode(126 + ((v - 126) >> 7), (v - 126) & 127);
      }
      expect(Array.from(decodeWasmAscii(s, xor))).toEqual(Array.from(all));
    }
    expect(new Set(all).size).toBe(256);
  });

  it('is up to date with packages/core/assembly, as are the interface files (scripts/build-wasm.mjs --check)', () => {
    // Throws (failing the test) with the script's message when the committed file is stale.
    execFileSync(process.execPath, [path.join(__dirname, '../../scripts/build-wasm.mjs'), '--check'], { stdio: 'pipe' });
  }, 60_000);
});
