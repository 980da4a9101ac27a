/**
 * The browser build's twin of `wasm_source.ts` (same exports): the chosen build of the module is imported on
 * first use, so a bundler makes each build (~9 KiB gzip) its own chunk and a page fetches only the one it
 * loads. Browsers compile the module asynchronously anyway (wasm.ts), so this adds no await for callers.
 */
import type { WasmVariant } from './wasm_variant';

/** The ASCII-encoded bytes of `variant`, imported on first use. */
export function wasmModuleAscii(variant: WasmVariant): string | Promise<string> {
  return variant === 'relaxed-simd'
    ? import('./wasm_relaxed_simd.generated').then((m) => m.WASM_RELAXED_ASCII)
    : import('./wasm_simd.generated').then((m) => m.WASM_ASCII);
}
