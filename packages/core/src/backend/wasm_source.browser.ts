/**
 * The browser build's twin of `wasm_source.ts` (same exports): the chosen build of the module is imported on
 * first use, so a bundler makes the plain module (~7 KiB gzip) and the relaxed-SIMD patch of it (~1 KiB) chunks
 * of their own and a page fetches only what it loads. Browsers compile the module asynchronously anyway
 * (wasm.ts), so this adds no await for callers.
 */
import { applyWasmPatch, decodeWasmAscii } from './wasm_decode';
import type { WasmVariant } from './wasm_variant';

/** The bytes of `variant`, imported on first use. */
export function wasmModuleBytes(variant: WasmVariant): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> {
  const plain = import('./wasm_simd.generated').then((m) => decodeWasmAscii(m.WASM_ASCII));
  if (variant !== 'relaxed-simd') return plain;
  const patch = import('./wasm_relaxed_simd.generated').then((m) => decodeWasmAscii(m.WASM_RELAXED_PATCH_ASCII));
  return Promise.all([plain, patch]).then(([p, d]) => applyWasmPatch(p, d));
}
