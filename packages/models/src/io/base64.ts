import { ValueError } from '@recurrent/core';
/** Base64 for weight data in localStorage, without Node's Buffer or per-byte string building. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Encodes bytes as standard base64 (with padding). */
export function arrayBufferToBase64String(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    let s = '';
    for (let i = start; i < end; i += 3) {
      const a = bytes[i];
      const b = i + 1 < end ? bytes[i + 1] : 0;
      const c = i + 2 < end ? bytes[i + 2] : 0;
      const n = (a << 16) | (b << 8) | c;
      s +=
        ALPHABET[(n >> 18) & 63] +
        ALPHABET[(n >> 12) & 63] +
        (i + 1 < end ? ALPHABET[(n >> 6) & 63] : '=') +
        (i + 2 < end ? ALPHABET[n & 63] : '=');
    }
    parts.push(s);
  }
  return parts.join('');
}

/** Decodes standard base64 (padding optional; whitespace ignored). Throws on other characters. */
export function base64StringToArrayBuffer(str: string): ArrayBuffer {
  if (typeof str !== 'string') throw new ValueError(`base64StringToArrayBuffer: expected a string, received ${typeof str}.`);
  // Trailing padding and whitespace dropped by a backwards scan (the regex /[\s=]+$/ is quadratic on
  // long runs of '=' or spaces that do not end the string), then whitespace removed (linear).
  let end = str.length;
  while (end > 0) {
    const c = str[end - 1];
    if (c === '=' || /\s/.test(c)) end--;
    else break;
  }
  const clean = str.slice(0, end).replace(/\s+/g, '');
  if (clean.length % 4 === 1) throw new ValueError('base64StringToArrayBuffer: the base64 text has an impossible length.');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const v = code < 128 ? LOOKUP[code] : -1;
    if (v < 0) throw new ValueError(`base64StringToArrayBuffer: invalid character at position ${i}.`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.buffer.slice(0, o);
}
