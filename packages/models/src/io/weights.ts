/**
 * The binary weights format of tfjs: the values of every weight, in manifest order, as
 * little-endian float32 / int32 / bool (1 byte) arrays, concatenated with no padding; quantized
 * weights hold uint8 / uint16 / float16 values instead and are dequantized to float32 (int32) on load.
 *
 * Everything that comes from a file is checked before anything is allocated: the specs (names,
 * shapes, dtypes, quantization) first, then the total byte length against the data.
 */
import { Tensor, ValueError, NotImplementedError } from '@recurrent/core';
import type { DataType, TypedArray } from '@recurrent/core';
import { DTYPE_VALUE_SIZE_MAP, NamedTensor, WeightData, WeightDType, WeightsManifestConfig, WeightsManifestEntry } from './types';

/** Largest number of elements one weight may declare (2^31 - 1, tfjs's / V8's typed array bound). */
export const MAX_WEIGHT_ELEMENTS = 2 ** 31 - 1;
/** Largest rank a weight may declare. */
export const MAX_WEIGHT_RANK = 32;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A tensor-like value accepted by `encodeWeights` (recurrent's Tensor, or a tfjs tensor). */
export interface TensorLikeForEncoding {
  shape: number[];
  dtype: string;
  dataSync(): ArrayLike<number>;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `[${x.slice(0, 8).map(describe).join(',')}${x.length > 8 ? ',...' : ''}]`;
  if (typeof x === 'string') return `'${x.length > 60 ? `${x.slice(0, 60)}...` : x}'`;
  if (typeof x === 'object') return 'an object';
  return String(x);
}

function weightLabel(spec: unknown, index: number): string {
  const name = spec !== null && typeof spec === 'object' ? (spec as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? `weight '${name}'` : `weight spec #${index}`;
}

/** Normalized byte sources: ArrayBuffers and views (Node Buffers, Uint8Arrays) become Uint8Arrays. */
function toByteChunks(fn: string, data: WeightData | ArrayBufferView | ArrayBufferView[]): Uint8Array[] {
  const items: unknown[] = Array.isArray(data) ? data : [data];
  return items.map((item, i) => {
    if (item instanceof ArrayBuffer) return new Uint8Array(item);
    if (ArrayBuffer.isView(item)) return new Uint8Array(item.buffer, item.byteOffset, item.byteLength);
    // Cross-realm ArrayBuffers (jsdom, workers) fail instanceof; accept by tag.
    if (Object.prototype.toString.call(item) === '[object ArrayBuffer]') return new Uint8Array(item as ArrayBuffer);
    throw new ValueError(
      `${fn}: weight data${Array.isArray(data) ? ` item ${i}` : ''} must be an ArrayBuffer (or a typed array), received ${describe(item)}.`,
    );
  });
}

/** Concatenates buffers (shards) in order into one ArrayBuffer (tfjs's `concatenateArrayBuffers`). */
export function concatenateArrayBuffers(buffers: WeightData | ArrayBufferView | ArrayBufferView[]): ArrayBuffer {
  const chunks = toByteChunks('concatenateArrayBuffers', buffers);
  if (chunks.length === 1 && chunks[0].byteOffset === 0 && chunks[0].byteLength === chunks[0].buffer.byteLength) {
    return chunks[0].buffer as ArrayBuffer;
  }
  let total = 0;
  for (const c of chunks) total += c.byteLength;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out.buffer;
}

/** Total byte length of weight data (one buffer or shards). */
export function weightDataByteLength(data: WeightData | ArrayBufferView | ArrayBufferView[]): number {
  return toByteChunks('weightDataByteLength', data).reduce((n, c) => n + c.byteLength, 0);
}

/** The weight specs of all groups of a manifest, in order (tfjs's `getWeightSpecs`). */
export function getWeightSpecs(manifest: WeightsManifestConfig): WeightsManifestEntry[] {
  const out: WeightsManifestEntry[] = [];
  for (const group of manifest) out.push(...group.weights);
  return out;
}

/**
 * Checks a shape from a file: an array of non-negative integers, at most MAX_WEIGHT_RANK long,
 * whose product is at most MAX_WEIGHT_ELEMENTS. Returns the element count.
 */
export function checkWeightShape(where: string, shape: unknown): number {
  if (!Array.isArray(shape)) {
    throw new ValueError(`${where}: 'shape' must be an array of non-negative integers, received ${describe(shape)}.`);
  }
  if (shape.length > MAX_WEIGHT_RANK) {
    throw new ValueError(`${where}: 'shape' has rank ${shape.length}; at most ${MAX_WEIGHT_RANK} dimensions are supported.`);
  }
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ValueError(
        `${where}: 'shape' must be an array of non-negative integers, but dimension ${i} of ${describe(shape)} is ${describe(d)}.`,
      );
    }
    size *= d;
    if (size > MAX_WEIGHT_ELEMENTS) {
      throw new ValueError(
        `${where}: 'shape' ${describe(shape)} has more than ${MAX_WEIGHT_ELEMENTS} (2^31 - 1) elements; refusing to allocate it.`,
      );
    }
  }
  return size;
}

/** A validated spec with its decoded layout. */
interface CheckedSpec {
  spec: WeightsManifestEntry;
  label: string;
  size: number;
  /** Bytes per stored value (the quantized dtype's when quantized). */
  bytesPerValue: number;
  byteLength: number;
}

const SUPPORTED_DTYPES = ['float32', 'int32', 'bool'];

/**
 * Validates one weight spec (as read from a manifest) and returns its layout. Errors name the
 * weight and the field.
 */
export function checkWeightSpec(fn: string, spec: unknown, index: number): CheckedSpec {
  const label = weightLabel(spec, index);
  const where = `${fn}: ${label}`;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ValueError(`${fn}: weight spec #${index} must be an object {name, shape, dtype}, received ${describe(spec)}.`);
  }
  const s = spec as { [k: string]: unknown };
  if (typeof s.name !== 'string' || s.name.length === 0) {
    throw new ValueError(`${fn}: weight spec #${index} has no 'name' (a non-empty string), received ${describe(s.name)}.`);
  }
  if (s.name === '__proto__') throw new ValueError(`${fn}: weight spec #${index} has the forbidden name '__proto__'.`);
  const size = checkWeightShape(where, s.shape);
  const dtype = s.dtype;
  if (typeof dtype !== 'string' || !SUPPORTED_DTYPES.includes(dtype)) {
    const extra = dtype === 'string' || dtype === 'complex64' ? ` (tfjs '${dtype}' weights are not supported by recurrent)` : '';
    throw new NotImplementedError(`${where}: unsupported 'dtype' ${describe(dtype)}${extra}; expected 'float32', 'int32' or 'bool'.`);
  }
  let bytesPerValue = DTYPE_VALUE_SIZE_MAP[dtype];
  if (s.quantization !== undefined && s.quantization !== null) {
    const q = s.quantization as { [k: string]: unknown };
    if (typeof q !== 'object' || Array.isArray(q)) {
      throw new ValueError(`${where}: 'quantization' must be an object {dtype, scale, min}, received ${describe(q)}.`);
    }
    if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      if (typeof q.scale !== 'number' || !Number.isFinite(q.scale) || typeof q.min !== 'number' || !Number.isFinite(q.min)) {
        throw new ValueError(
          `${where}: quantization '${q.dtype}' needs finite numbers 'scale' and 'min', received scale ${describe(q.scale)} and min ${describe(q.min)}.`,
        );
      }
      if (dtype !== 'float32' && dtype !== 'int32') {
        throw new ValueError(`${where}: quantization '${q.dtype}' applies to float32 or int32 weights, not '${dtype}'.`);
      }
    } else if (q.dtype === 'float16') {
      if (dtype !== 'float32') {
        throw new ValueError(`${where}: quantization 'float16' applies to float32 weights only, not '${dtype}'.`);
      }
    } else {
      throw new ValueError(`${where}: unknown quantization dtype ${describe(q.dtype)}; expected 'uint8', 'uint16' or 'float16'.`);
    }
    bytesPerValue = DTYPE_VALUE_SIZE_MAP[q.dtype];
  }
  return { spec: s as unknown as WeightsManifestEntry, label, size, bytesPerValue, byteLength: size * bytesPerValue };
}

/**
 * Validates a list of specs (array, unique names, each spec valid) and returns their layouts
 * and the total byte length they describe.
 */
export function checkWeightSpecs(fn: string, specs: unknown): { checked: CheckedSpec[]; totalBytes: number } {
  if (!Array.isArray(specs)) {
    throw new ValueError(`${fn}: weight specs must be an array of {name, shape, dtype}, received ${describe(specs)}.`);
  }
  const seen = new Set<string>();
  const checked: CheckedSpec[] = [];
  let totalBytes = 0;
  for (let i = 0; i < specs.length; i++) {
    const c = checkWeightSpec(fn, specs[i], i);
    if (seen.has(c.spec.name)) throw new ValueError(`${fn}: duplicate weight name '${c.spec.name}' (spec #${i}).`);
    seen.add(c.spec.name);
    totalBytes += c.byteLength;
    checked.push(c);
  }
  return { checked, totalBytes };
}

// ---------------------------------------------------------------------------------------------
// Half floats

let halfTable: Float32Array | null = null;

/** The float32 value of IEEE 754 half-float bits `h` (subnormals, infinities and NaN included). */
export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

function float16Table(): Float32Array {
  if (halfTable === null) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = float16BitsToFloat32(h);
  }
  return halfTable;
}

/** Decodes half floats (as uint16 bit patterns) to a new Float32Array. */
export function decodeFloat16(bits: Uint16Array): Float32Array {
  const table = float16Table();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/**
 * On a big-endian machine, reverses each `size`-byte word of `bytes` in place (the file's little-endian order ↔
 * the machine's); on a little-endian one, leaves them. Returns `bytes`.
 */
function swapOnBigEndian<B extends Uint8Array>(bytes: B, size: number): B {
  if (!LITTLE_ENDIAN) for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  return bytes;
}

function readUint16(bytes: Uint8Array, offset: number, n: number): Uint16Array {
  if (LITTLE_ENDIAN && (bytes.byteOffset + offset) % 2 === 0) {
    return new Uint16Array(bytes.buffer, bytes.byteOffset + offset, n);
  }
  return new Uint16Array(swapOnBigEndian(bytes.slice(offset, offset + n * 2), 2).buffer);
}

/** A copy of `n` little-endian float32 or int32 values at `offset`. */
function read32<T>(Type: new (buffer: ArrayBuffer) => T, bytes: Uint8Array, offset: number, n: number): T {
  return new Type(swapOnBigEndian(bytes.slice(offset, offset + n * 4), 4).buffer);
}

function decodeOne(c: CheckedSpec, bytes: Uint8Array, offset: number): Tensor {
  const { spec, size } = c;
  const dtype = spec.dtype as DataType;
  let values: TypedArray;
  const q = spec.quantization;
  if (q) {
    if (q.dtype === 'float16') {
      values = decodeFloat16(readUint16(bytes, offset, size));
    } else {
      const quantized = q.dtype === 'uint8' ? bytes.subarray(offset, offset + size) : readUint16(bytes, offset, size);
      const scale = q.scale as number;
      const min = q.min as number;
      if (dtype === 'int32') {
        values = new Int32Array(size);
        for (let i = 0; i < size; i++) values[i] = Math.round(quantized[i] * scale + min);
      } else {
        values = new Float32Array(size);
        for (let i = 0; i < size; i++) values[i] = quantized[i] * scale + min;
      }
    }
  } else if (dtype === 'float32') {
    values = read32(Float32Array, bytes, offset, size);
  } else if (dtype === 'int32') {
    values = read32(Int32Array, bytes, offset, size);
  } else {
    values = new Uint8Array(size);
    for (let i = 0; i < size; i++) values[i] = bytes[offset + i] !== 0 ? 1 : 0;
  }
  return new Tensor(values, spec.shape.slice(), dtype);
}

/**
 * Decodes weight data laid out by `specs` into tensors keyed by weight name (tfjs's
 * `tf.io.decodeWeights`). `data` may be one ArrayBuffer or the shards in order. Quantized
 * weights (uint8 / uint16 affine, float16) are dequantized to their spec dtype.
 *
 * Specs are validated before anything is allocated; an impossible shape, an unknown dtype, or a
 * byte length that does not match the data throws an Error naming the weight.
 */
export function decodeWeights(
  data: WeightData | ArrayBufferView | ArrayBufferView[],
  specs: WeightsManifestEntry[],
): { [name: string]: Tensor } {
  const fn = 'decodeWeights';
  const { checked, totalBytes } = checkWeightSpecs(fn, specs);
  const chunks = toByteChunks(fn, data);
  const available = chunks.reduce((n, c) => n + c.byteLength, 0);
  if (available < totalBytes) {
    // Name the first weight that does not fit.
    let offset = 0;
    for (const c of checked) {
      if (offset + c.byteLength > available) {
        throw new ValueError(
          `${fn}: the weight data is truncated: ${c.label} (shape [${c.spec.shape.join(',')}], ${c.spec.quantization ? c.spec.quantization.dtype : c.spec.dtype}) ` +
            `needs bytes ${offset}..${offset + c.byteLength} but the data has ${available} bytes ` +
            `(the specs describe ${totalBytes} bytes in all).`,
        );
      }
      offset += c.byteLength;
    }
  }
  if (available > totalBytes) {
    throw new ValueError(
      `${fn}: the weight data has ${available} bytes but the ${checked.length} weight specs describe ${totalBytes} bytes; ` +
        `the specs do not match the data (${available - totalBytes} unexplained trailing bytes).`,
    );
  }
  const bytes = chunks.length === 1 ? chunks[0] : new Uint8Array(concatenateArrayBuffers(chunks));
  const out: { [name: string]: Tensor } = {};
  let offset = 0;
  for (const c of checked) {
    out[c.spec.name] = decodeOne(c, bytes, offset);
    offset += c.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Encoding

function isTensorLike(x: unknown): x is TensorLikeForEncoding {
  return (
    x !== null &&
    typeof x === 'object' &&
    Array.isArray((x as TensorLikeForEncoding).shape) &&
    typeof (x as TensorLikeForEncoding).dtype === 'string' &&
    typeof (x as TensorLikeForEncoding).dataSync === 'function'
  );
}

/**
 * Encodes named tensors into one ArrayBuffer in tfjs's layout, with their specs (tfjs's
 * `tf.io.encodeWeights`). Takes a `{name: tensor}` map or `[{name, tensor}]` list; `group`
 * (e.g. `'optimizer'`) is written into every spec. Synchronous: `await` on the result works as
 * with tfjs's promise.
 */
export function encodeWeights(
  tensors: { [name: string]: TensorLikeForEncoding } | NamedTensor[],
  group?: string,
): { data: ArrayBuffer; specs: WeightsManifestEntry[] } {
  const fn = 'encodeWeights';
  const entries: Array<[string, unknown]> = Array.isArray(tensors)
    ? tensors.map((t, i) => {
        if (t === null || typeof t !== 'object' || typeof t.name !== 'string') {
          throw new ValueError(`${fn}: item ${i} must be {name: string, tensor}, received ${describe(t)}.`);
        }
        return [t.name, t.tensor];
      })
    : Object.keys(tensors).map((k) => [k, tensors[k]]);
  const specs: WeightsManifestEntry[] = [];
  const arrays: Uint8Array[] = [];
  let total = 0;
  const seen = new Set<string>();
  for (const [name, t] of entries) {
    if (seen.has(name)) throw new ValueError(`${fn}: duplicate weight name '${name}'.`);
    seen.add(name);
    if (!isTensorLike(t)) throw new ValueError(`${fn}: weight '${name}' is not a tensor, received ${describe(t)}.`);
    if (!SUPPORTED_DTYPES.includes(t.dtype)) {
      throw new NotImplementedError(`${fn}: unsupported dtype in weight '${name}': '${t.dtype}'; expected 'float32', 'int32' or 'bool'.`);
    }
    const dtype = t.dtype as WeightDType;
    const values = t.dataSync();
    let bytes: Uint8Array;
    if (dtype === 'bool') {
      bytes = new Uint8Array(values.length);
      for (let i = 0; i < values.length; i++) bytes[i] = values[i] ? 1 : 0;
    } else {
      const typed =
        dtype === 'float32'
          ? values instanceof Float32Array
            ? values
            : Float32Array.from(values)
          : values instanceof Int32Array
            ? values
            : Int32Array.from(values);
      bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
      if (!LITTLE_ENDIAN) bytes = swapOnBigEndian(bytes.slice(), 4); // a copy: the tensor keeps its values
    }
    const spec: WeightsManifestEntry = { name, shape: t.shape.slice(), dtype };
    if (group != null) spec.group = group;
    specs.push(spec);
    arrays.push(bytes);
    total += bytes.byteLength;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.byteLength;
  }
  return { data: out.buffer, specs };
}

/**
 * Splits decoded weights into model weights and optimizer weights by their spec's `group`
 * (tfjs's `decodeModelAndOptimizerWeights`).
 */
export function decodeModelAndOptimizerWeights(
  data: WeightData | ArrayBufferView | ArrayBufferView[],
  specs: WeightsManifestEntry[],
): { modelWeights: { [name: string]: Tensor }; optimizerWeights: Array<{ name: string; tensor: Tensor }> } {
  const all = decodeWeights(data, specs);
  const modelWeights: { [name: string]: Tensor } = {};
  const optimizerWeights: Array<{ name: string; tensor: Tensor }> = [];
  for (const spec of specs) {
    if (spec.group === 'optimizer') optimizerWeights.push({ name: spec.name, tensor: all[spec.name] });
    else modelWeights[spec.name] = all[spec.name];
  }
  return { modelWeights, optimizerWeights };
}
