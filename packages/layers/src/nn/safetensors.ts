/**
 * Checkpoints in the safetensors format (what `safetensors.torch.save_file` / `load_file` read and write):
 * 8 bytes little-endian u64 N, then N bytes of JSON header `{name: {dtype, shape, data_offsets: [begin, end]},
 * "__metadata__"?: {string: string}}`, then the raw little-endian tensor bytes (offsets relative to the end of the
 * header). Written as the Rust crate writes it: tensors ordered by dtype (wider first) then name, header keys in
 * that order after `__metadata__`, compact JSON padded with spaces to a multiple of 8 bytes.
 */
import { formatShape, Tensor, tensor, ValueError, NotImplementedError } from '@recurrent/core';
import type { StateDict } from './module';
import { checkOptionKeys } from './init';

/** Element types of the format and their byte sizes. */
const DTYPE_SIZES: { [dtype: string]: number } = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};
/** The Rust crate's dtype order (its enum order), used to sort tensors: higher first. */
const DTYPE_ORDER = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64'];
/** The crate's limit on the header size. */
const MAX_HEADER_SIZE = 100_000_000;

/** Options of saveSafetensors. */
export interface SaveSafetensorsOptions {
  /** String → string metadata stored as `__metadata__` (e.g. `{format: 'pt'}`). */
  metadata?: { [key: string]: string };
}

function dtypeOf(t: Tensor): string {
  return t.dtype === 'float32' ? 'F32' : t.dtype === 'int32' ? 'I32' : 'BOOL';
}

/**
 * Serializes a state dict (name → Tensor; float32 → F32, int32 → I32, bool → BOOL) to safetensors bytes.
 *
 * ```ts
 * const bytes = nn.saveSafetensors(model.stateDict());   // Uint8Array; in Python: safetensors.torch.load(bytes)
 * ```
 */
export function saveSafetensors(stateDict: StateDict, options: SaveSafetensorsOptions = {}): Uint8Array {
  const who = 'nn.saveSafetensors';
  checkOptionKeys(who, options, ['metadata']);
  if (stateDict === null || typeof stateDict !== 'object')
    throw new ValueError(`${who}: expected a state dict (name → Tensor), received ${stateDict === null ? 'null' : typeof stateDict}.`);
  const entries = Object.entries(stateDict);
  for (const [k, t] of entries) {
    if (!(t instanceof Tensor)) throw new ValueError(`${who}: '${k}' must be a Tensor, received ${t === null ? 'null' : typeof t}.`);
    if (k === '__metadata__') throw new ValueError(`${who}: '__metadata__' is reserved by the format and cannot name a tensor.`);
  }
  const meta = options?.metadata;
  if (meta !== undefined && meta !== null) {
    if (typeof meta !== 'object' || Array.isArray(meta))
      throw new ValueError(`${who}: metadata must be an object of string values, received ${typeof meta}.`);
    for (const [k, v] of Object.entries(meta))
      if (typeof v !== 'string') throw new ValueError(`${who}: metadata '${k}' must be a string, received ${typeof v}.`);
  }
  entries.sort(([an, a], [bn, b]) => DTYPE_ORDER.indexOf(dtypeOf(b)) - DTYPE_ORDER.indexOf(dtypeOf(a)) || (an < bn ? -1 : an > bn ? 1 : 0));
  const header: { [k: string]: unknown } = {};
  if (meta) header.__metadata__ = meta;
  let offset = 0;
  for (const [k, t] of entries) {
    const n = t.size * DTYPE_SIZES[dtypeOf(t)];
    header[k] = { dtype: dtypeOf(t), shape: t.shape.slice(), data_offsets: [offset, offset + n] };
    offset += n;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const [, t] of entries) {
    const v = t.values;
    if (t.dtype === 'float32') for (let i = 0; i < v.length; i++, pos += 4) view.setFloat32(pos, v[i], true);
    else if (t.dtype === 'int32') for (let i = 0; i < v.length; i++, pos += 4) view.setInt32(pos, v[i], true);
    else for (let i = 0; i < v.length; i++, pos += 1) out[pos] = v[i] ? 1 : 0;
  }
  return out;
}

/** What loadSafetensors returns besides the tensors. */
export interface SafetensorsContents {
  tensors: StateDict;
  metadata: { [key: string]: string } | null;
}

function f16ToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * Parses safetensors bytes into a state dict: F32/F64/F16/BF16 become float32 tensors, I32/I64/I16/I8/U8/U16/U32
 * int32 (I64/U32/U64 values must fit), BOOL bool. The header is validated as the Rust crate does: its length within
 * the file (and at most 100 MB), valid JSON starting with '{', known dtypes, integer shapes, and data offsets that
 * match each tensor's byte size and cover the data area exactly, contiguously, without overlap.
 *
 * ```ts
 * model.loadStateDict(nn.loadSafetensors(new Uint8Array(await (await fetch('model.safetensors')).arrayBuffer())));
 * ```
 */
export function loadSafetensors(bytes: Uint8Array | ArrayBuffer): StateDict {
  return readSafetensors(bytes).tensors;
}

/** loadSafetensors, also returning the `__metadata__` (null when absent). */
export function readSafetensors(bytes: Uint8Array | ArrayBuffer): SafetensorsContents {
  const who = 'nn.loadSafetensors';
  const buf = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(buf instanceof Uint8Array)) throw new ValueError(`${who}: expected a Uint8Array or ArrayBuffer, received ${typeof bytes}.`);
  if (buf.length < 8) throw new ValueError(`${who}: the data is ${buf.length} bytes, too short for the 8-byte header length.`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_SIZE))
    throw new ValueError(`${who}: header length ${n64} exceeds the format's limit of ${MAX_HEADER_SIZE} bytes (not a safetensors file?).`);
  const n = Number(n64);
  if (8 + n > buf.length) throw new ValueError(`${who}: header length ${n} runs past the end of the data (${buf.length} bytes).`);
  if (n < 2) throw new ValueError(`${who}: header length ${n} is too small for a JSON object.`);
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + n));
    if (!text.startsWith('{')) throw new ValueError(`the header must start with '{', found '${text.slice(0, 10)}'`);
    header = JSON.parse(text);
  } catch (e) {
    throw new ValueError(`${who}: invalid header: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw new ValueError(`${who}: the header must be a JSON object.`);
  const dataStart = 8 + n;
  const dataLen = buf.length - dataStart;
  let metadata: { [key: string]: string } | null = null;
  const infos: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as { [k: string]: unknown })) {
    if (name === '__metadata__') {
      if (info === null || typeof info !== 'object' || Array.isArray(info) || !Object.values(info).every((v) => typeof v === 'string')) {
        throw new ValueError(`${who}: __metadata__ must be an object of string values.`);
      }
      metadata = info as { [key: string]: string };
      continue;
    }
    const i = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (i === null || typeof i !== 'object') throw new ValueError(`${who}: entry '${name}' must be {dtype, shape, data_offsets}.`);
    if (typeof i.dtype !== 'string' || !(i.dtype in DTYPE_SIZES)) {
      throw new ValueError(
        `${who}: tensor '${name}' has unknown dtype ${JSON.stringify(i.dtype)}; known: ${Object.keys(DTYPE_SIZES).join(', ')}.`,
      );
    }
    if (i.dtype.startsWith('F8'))
      throw new NotImplementedError(`${who}: tensor '${name}' has dtype ${i.dtype}, which is not supported here.`);
    if (!Array.isArray(i.shape) || !i.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ValueError(`${who}: tensor '${name}' has an invalid shape ${JSON.stringify(i.shape)} (integers >= 0 expected).`);
    }
    const off = i.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0) || off[1] < off[0]) {
      throw new ValueError(
        `${who}: tensor '${name}' has invalid data_offsets ${JSON.stringify(off)} ([begin, end] with 0 <= begin <= end expected).`,
      );
    }
    const size = (i.shape as number[]).reduce((a, d) => a * d, 1);
    const nbytes = size * DTYPE_SIZES[i.dtype];
    if (off[1] - off[0] !== nbytes) {
      throw new ValueError(
        `${who}: tensor '${name}' (${i.dtype} ${formatShape(i.shape as number[])}) needs ${nbytes} bytes but its data_offsets [${off[0]}, ${off[1]}] span ${off[1] - off[0]}.`,
      );
    }
    infos.push({ name, dtype: i.dtype, shape: i.shape as number[], begin: off[0], end: off[1] });
  }
  // The data area must be covered exactly: sorted by offset, each tensor starts where the previous ended.
  const sorted = infos.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const t of sorted) {
    if (t.begin !== expected) {
      throw new ValueError(
        `${who}: tensor '${t.name}' starts at byte ${t.begin} of the data but the previous tensor ends at ${expected} (offsets must be contiguous and not overlap).`,
      );
    }
    expected = t.end;
  }
  if (expected !== dataLen)
    throw new ValueError(`${who}: the tensors cover ${expected} bytes but the data area after the header has ${dataLen}.`);

  const tensors: StateDict = {};
  for (const t of infos) {
    const size = t.shape.reduce((a, d) => a * d, 1);
    const p = dataStart + t.begin;
    const at = (k: number) => p + k * DTYPE_SIZES[t.dtype];
    switch (t.dtype) {
      case 'F32':
      case 'F64':
      case 'F16':
      case 'BF16': {
        const v = new Float32Array(size);
        for (let k = 0; k < size; k++) {
          v[k] =
            t.dtype === 'F32'
              ? view.getFloat32(at(k), true)
              : t.dtype === 'F64'
                ? view.getFloat64(at(k), true)
                : t.dtype === 'F16'
                  ? f16ToF32(view.getUint16(at(k), true))
                  : new Float32Array(new Uint32Array([view.getUint16(at(k), true) << 16]).buffer)[0];
        }
        tensors[t.name] = tensor(v, t.shape.slice(), 'float32');
        break;
      }
      case 'BOOL': {
        const v = new Uint8Array(size);
        for (let k = 0; k < size; k++) v[k] = buf[p + k] ? 1 : 0;
        tensors[t.name] = tensor(v, t.shape.slice(), 'bool');
        break;
      }
      default: {
        const v = new Int32Array(size);
        for (let k = 0; k < size; k++) {
          const q = at(k);
          let x: number | bigint;
          switch (t.dtype) {
            case 'I32':
              x = view.getInt32(q, true);
              break;
            case 'U32':
              x = view.getUint32(q, true);
              break;
            case 'I16':
              x = view.getInt16(q, true);
              break;
            case 'U16':
              x = view.getUint16(q, true);
              break;
            case 'I8':
              x = view.getInt8(q);
              break;
            case 'U8':
              x = view.getUint8(q);
              break;
            case 'I64':
              x = view.getBigInt64(q, true);
              break;
            default:
              x = view.getBigUint64(q, true);
          }
          if (x > 2147483647 || x < -2147483648) {
            throw new ValueError(
              `${who}: tensor '${t.name}' (${t.dtype}) holds ${x} at index ${k}, outside the int32 range of this library's tensors.`,
            );
          }
          v[k] = Number(x);
        }
        tensors[t.name] = tensor(v, t.shape.slice(), 'int32');
      }
    }
  }
  return { tensors, metadata };
}
