/**
 * The two builds of the wasm module (backend/wasm_variant.ts): plain 128-bit SIMD, and relaxed SIMD (fused
 * multiply-add in the gemm micro-kernel, the step kernel's products, the gate math and the activation
 * polynomials). Each must agree with the TypeScript reference kernels within float32 tolerance (1e-5 of the
 * array's scale, as test/kernels/backends.test.ts): the plain build here (forced), the relaxed build in a child
 * process started with `node --experimental-wasm-relaxed-simd` (Node 20 validates relaxed SIMD only behind it).
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as path from 'path';
import { resetBackendForTests } from '../../src/backend/backend';
import { decodeWasmAscii, resetWasmForTests } from '../../src/backend/wasm';
import { WASM_RELAXED_SHA256, WASM_SHA256 } from '../../src/backend/wasm_binary.generated';
import { applyWasmPatch } from '../../src/backend/wasm_decode';
import { WASM_ASCII } from '../../src/backend/wasm_simd.generated';
import { wasmModuleBytes } from '../../src/backend/wasm_source';
import { relaxedSimdSupported, setWasmVariantForTests, wasmFeatures } from '../../src/backend/wasm_variant';
import { compareLoadedWasmWithReference, VariantReport } from '../helpers/wasm_variant_compare';

const TOL = 1e-5;

afterAll(() => {
  setWasmVariantForTests(null);
  resetWasmForTests();
  resetBackendForTests();
});

function expectWithinTolerance(r: VariantReport): void {
  const bad = r.diffs.filter((d) => !(d.relErr <= TOL));
  expect(bad).toEqual([]);
}

describe('wasm module builds', () => {
  it('detects relaxed SIMD exactly where the relaxed build validates', () => {
    expect(relaxedSimdSupported()).toBe(WebAssembly.validate(wasmModuleBytes('relaxed-simd') as Uint8Array<ArrayBuffer>));
    expect(WebAssembly.validate(decodeWasmAscii(WASM_ASCII))).toBe(true);
  });

  it('the relaxed build, patched from the plain one, has its recorded SHA-256 and is a different module', () => {
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const plain = wasmModuleBytes('simd') as Uint8Array;
    const relaxed = wasmModuleBytes('relaxed-simd') as Uint8Array;
    expect(sha(plain)).toBe(WASM_SHA256);
    expect(sha(relaxed)).toBe(WASM_RELAXED_SHA256);
    expect(sha(relaxed)).not.toBe(sha(plain));
  });

  it('applyWasmPatch reads skip / count + bytes / copy records (unsigned LEB128)', () => {
    const base = Uint8Array.from({ length: 300 }, (_, i) => i & 255);
    // skip 1, insert [9, 8], copy 2 (bytes 1, 2); skip 0, insert nothing, copy 130 (LEB128 130 = 0x82 0x01: bytes 3..132).
    const patch = Uint8Array.from([1, 2, 9, 8, 2, 0, 0, 0x82, 0x01]);
    const expected = [9, 8, 1, 2, ...Array.from(base.subarray(3, 133))];
    expect(Array.from(applyWasmPatch(base, patch))).toEqual(expected);
    expect(Array.from(applyWasmPatch(base, Uint8Array.from([0, 0, 3])))).toEqual([0, 1, 2]);
  });

  it('plain-SIMD build (forced) in this process: sequence kernels, gemm and step kernels = the TypeScript reference', () => {
    setWasmVariantForTests('simd');
    resetWasmForTests();
    const plain = compareLoadedWasmWithReference();
    expect(plain.features.module).toBe('simd');
    expect(wasmFeatures().module).toBe('simd');
    expect(plain.diffs.length).toBeGreaterThan(60);
    expectWithinTolerance(plain);
  });

  it('relaxed-SIMD build in `node --experimental-wasm-relaxed-simd`: the same exports, the same comparisons within tolerance', () => {
    // Engines that ship relaxed SIMD (Node ≥ 22) need no flag.
    const flags = relaxedSimdSupported() ? [] : ['--experimental-wasm-relaxed-simd'];
    const out = execFileSync(process.execPath, [...flags, path.join(__dirname, '../helpers/relaxed_simd_child.js')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const relaxed = JSON.parse(out) as VariantReport;
    expect(relaxed.features).toEqual({ relaxedSimd: true, module: 'relaxed-simd' });
    const plainExports = WebAssembly.Module.exports(new WebAssembly.Module(decodeWasmAscii(WASM_ASCII)))
      .map((e) => e.name)
      .sort();
    expect(relaxed.exports).toEqual(plainExports);
    expect(relaxed.diffs.length).toBeGreaterThan(60);
    expectWithinTolerance(relaxed);
  }, 120_000);
});
