/**
 * Decoding of the embedded module bytes written by scripts/build-wasm.mjs: the ASCII encoding of both files
 * (`decodeWasmAscii`) and the relaxed-SIMD build's patch of the plain build (`applyWasmPatch`).
 */
import { WASM_ASCII_XOR } from './wasm_binary.generated';

/**
 * The module bytes from an ASCII constant (scripts/build-wasm.mjs, encodeWasmAscii): a character
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
