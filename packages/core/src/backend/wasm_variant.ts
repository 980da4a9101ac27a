/**
 * Which build of the wasm module loads: the module is compiled twice from the same sources
 * (scripts/build-wasm.mjs): 'simd' (128-bit SIMD, f32x4.mul + f32x4.add) and 'relaxed-simd' (the hot products
 * and polynomials use f32x4.relaxed_madd, a fused multiply-add where the CPU has one; assembly/fma.ts). The
 * relaxed build is chosen where the engine validates a tiny relaxed-SIMD module (Chrome ≥ 114, Firefox ≥ 120
 * behind no flag; Node 20 only with `--experimental-wasm-relaxed-simd`), else the plain one. Both agree with the
 * TypeScript kernels within float32 rounding (fused products round once instead of twice).
 */
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
 * The build of the module to load here (its bytes: `wasmModuleBytes` in wasm_source.ts): the relaxed-SIMD
 * build where the engine supports it, else the plain-SIMD one. Records the choice for `wasmFeatures()`.
 */
export function selectWasmVariant(): WasmVariant {
  loaded = forced ?? (relaxedSimdSupported() ? 'relaxed-simd' : 'simd');
  return loaded;
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
