/**
 * Where the wasm backend gets the module's bytes: here both builds are static imports, so Node compiles the
 * chosen one synchronously on first use (wasm.ts). The browser ESM build swaps this file for
 * `wasm_source.browser.ts`, which imports only what the chosen build needs, on first use, so an application's
 * bundler puts each in its own chunk. The relaxed-SIMD build is stored as a patch of the plain one.
 */
import { WASM_ASCII } from './wasm_simd.generated';
import { WASM_RELAXED_PATCH_ASCII } from './wasm_relaxed_simd.generated';
import { applyWasmPatch, decodeWasmAscii } from './wasm_decode';
import type { WasmVariant } from './wasm_variant';

/** The bytes of `variant`: here at once (synchronous); a promise in the browser build. */
export function wasmModuleBytes(variant: WasmVariant): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> {
  const plain = decodeWasmAscii(WASM_ASCII);
  return variant === 'relaxed-simd' ? applyWasmPatch(plain, decodeWasmAscii(WASM_RELAXED_PATCH_ASCII)) : plain;
}
