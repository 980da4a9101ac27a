/**
 * Where the wasm backend gets the module's bytes (ASCII-encoded, `decodeWasmAscii`): here both builds are
 * static imports, so Node compiles the chosen one synchronously on first use (wasm.ts). The browser ESM build
 * swaps this file for `wasm_source.browser.ts`, which imports only the chosen build, on first use, so an
 * application's bundler puts each build in its own chunk and a page fetches one of them.
 */
import { WASM_ASCII } from './wasm_simd.generated';
import { WASM_RELAXED_ASCII } from './wasm_relaxed_simd.generated';
import type { WasmVariant } from './wasm_variant';

/** The ASCII-encoded bytes of `variant`: here a string (synchronous); a promise in the browser build. */
export function wasmModuleAscii(variant: WasmVariant): string | Promise<string> {
  return variant === 'relaxed-simd' ? WASM_RELAXED_ASCII : WASM_ASCII;
}
