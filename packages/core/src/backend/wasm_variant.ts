/**
 * Which build of the wasm module loads: the module is compiled twice from the same sources
 * (scripts/build-wasm.mjs): 'simd' (128-bit SIMD, f32x4.mul + f32x4.add) and 'relaxed-simd' (the hot products
 * and polynomials use f32x4.relaxed_madd, a fused multiply-add where the CPU has one; assembly/fma.ts). The
 * relaxed build is chosen where the engine validates a tiny relaxed-SIMD module (Chrome ≥ 114, Firefox ≥ 120
 * behind no flag; Node 20 only with `--experimental-wasm-relaxed-simd`), else the plain one. Both agree with the
 * TypeScript kernels within float32 rounding (fused products round once instead of twice).
 */
import { WASM_ASCII, WASM_ASCII_XOR, WASM_RELAXED_PATCH_ASCII } from './wasm_binary.generated';

/** A build of the module: 'simd' (plain 128-bit SIMD) or 'relaxed-simd' (fused multiply-add). */
export type WasmVariant = 'simd' | 'relaxed-simd';

/** What `wasmFeatures()` reports. */
export interface WasmFeatures {
  /** The engine validates relaxed SIMD (f32x4.relaxed_madd). */
  relaxedSimd: boolean;
  /** The build the wasm backend loaded (or is loading); null before it starts, or when WebAssembly SIMD is unavailable. */
  module: WasmVariant | null;
}

/** A minimal module whose one function computes f32x4.relaxed_madd of three splats; validates only with relaxed SIMD. */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253,
  133, 2, 11,
]);

let relaxedSupported: boolean | null = null;
let loaded: WasmVariant | null = null;
let forced: WasmVariant | null = null;

/** True when this engine validates relaxed SIMD (checked once). */
export function relaxedSimdSupported(): boolean {
  if (relaxedSupported === null) {
    try {
      relaxedSupported = typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_SIMD_PROBE);
    } catch {
      relaxedSupported = false;
    }
  }
  return relaxedSupported;
}

/**
 * The module bytes from `WASM_ASCII` (written by scripts/build-wasm.mjs, encodeWasmAscii): a character
 * below 126 is the value of that code; 126 or 127 and the next character c give 126 + (0 or 128) + c;
 * each value XOR `xor` is a byte.
 */
export function decodeWasmAscii(s: string, xor = WASM_ASCII_XOR): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length);
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[o++] = (c < 126 ? c : 126 + ((c - 126) << 7) + s.charCodeAt(++i)) ^ xor;
  }
  return out.slice(0, o);
}

/**
 * `base` edited by `patch` (scripts/build-wasm.mjs, wasmPatch): records of `skip` (base bytes passed over),
 * `count` and `count` new bytes, `copy` (base bytes copied), each number an unsigned LEB128.
 */
export function applyWasmPatch(base: Uint8Array, patch: Uint8Array): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  let p = 0;
  let b = 0;
  const next = (): number => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = patch[p++];
      value |= (byte & 127) << shift;
      shift += 7;
    } while (byte & 128);
    return value;
  };
  while (p < patch.length) {
    b += next();
    for (let n = next(); n > 0; n--) out.push(patch[p++]);
    for (let n = next(); n > 0; n--) out.push(base[b++]);
  }
  return Uint8Array.from(out);
}

/** The bytes of a build: 'simd' decoded from WASM_ASCII, 'relaxed-simd' that patched by WASM_RELAXED_PATCH_ASCII. */
export function wasmModuleBytes(variant: WasmVariant): Uint8Array<ArrayBuffer> {
  const plain = decodeWasmAscii(WASM_ASCII);
  return variant === 'simd' ? plain : applyWasmPatch(plain, decodeWasmAscii(WASM_RELAXED_PATCH_ASCII));
}

/**
 * The module to load here: the relaxed-SIMD build where the engine supports it, else the plain-SIMD one.
 * Records the choice for `wasmFeatures()`.
 */
export function selectWasmModule(): Uint8Array<ArrayBuffer> {
  loaded = forced ?? (relaxedSimdSupported() ? 'relaxed-simd' : 'simd');
  return wasmModuleBytes(loaded);
}

/**
 * The WebAssembly features the wasm backend detected and which build of its module it loaded.
 *
 * ```ts
 * await ready();
 * wasmFeatures(); // {relaxedSimd: true, module: 'relaxed-simd'} in Chrome ≥ 114
 * ```
 */
export function wasmFeatures(): WasmFeatures {
  return { relaxedSimd: relaxedSimdSupported(), module: loaded };
}

/**
 * Test hook: the build the next module load uses (null: detect). Reload with `resetWasmForTests()` after it;
 * forcing 'relaxed-simd' where it is not supported makes the module fail to compile (backend unavailable).
 */
export function setWasmVariantForTests(variant: WasmVariant | null): void {
  forced = variant;
}
