import * as tf from '@tensorflow/tfjs';
import { tensor, Tensor } from '@recurrent/core';
import { io } from '@recurrent/models';
import type { WeightsManifestEntry } from '@recurrent/models';

const { encodeWeights, decodeWeights, concatenateArrayBuffers, decodeModelAndOptimizerWeights, float16BitsToFloat32 } = io;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bytesOf(b: ArrayBuffer): number[] {
  return Array.from(new Uint8Array(b));
}

describe('encodeWeights', () => {
  it('writes the same bytes and specs as tf.io.encodeWeights for float32, int32 and bool', async () => {
    const values = {
      'dense/kernel': [
        [1.5, -2.25, 3],
        [0.1, 1e-30, -7e20],
      ],
      'emb/ids': [
        [1, -2],
        [2147483647, -2147483648],
      ],
      mask: [true, false, true],
      scalar: 3.25,
    };
    const ours = encodeWeights({
      'dense/kernel': tensor(values['dense/kernel']),
      'emb/ids': tensor(values['emb/ids'], undefined, 'int32'),
      mask: tensor([1, 0, 1], undefined, 'bool'),
      scalar: tensor(values.scalar),
    });
    const theirs = await tf.io.encodeWeights({
      'dense/kernel': tf.tensor(values['dense/kernel']),
      'emb/ids': tf.tensor(values['emb/ids'], undefined, 'int32'),
      mask: tf.tensor(values.mask, undefined, 'bool'),
      scalar: tf.scalar(values.scalar),
    });
    expect(ours.specs).toEqual(theirs.specs);
    expect(bytesOf(ours.data)).toEqual(bytesOf(theirs.data as ArrayBuffer));
  });

  it('accepts [{name, tensor}] lists and a group, and rejects bad input naming the weight', () => {
    const { specs } = encodeWeights([{ name: 'iter', tensor: tensor(3, [], 'int32') }], 'optimizer');
    expect(specs).toEqual([{ name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' }]);
    expect(() => encodeWeights({ w: [1, 2] as unknown as Tensor })).toThrow(/weight 'w' is not a tensor/);
    expect(() => encodeWeights({ s: { shape: [1], dtype: 'string', dataSync: () => [0] } })).toThrow(
      /unsupported dtype in weight 's': 'string'/,
    );
    expect(() =>
      encodeWeights([
        { name: 'a', tensor: tensor(1) },
        { name: 'a', tensor: tensor(2) },
      ]),
    ).toThrow(/duplicate weight name 'a'/);
  });
});

describe('decodeWeights', () => {
  it('round-trips encodeWeights exactly (values, shapes, dtypes)', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6.5],
    ]);
    const b = tensor([7, -8], undefined, 'int32');
    const c = tensor([1, 0, 0, 1], [2, 2], 'bool');
    const d = tensor(0.5);
    const e = tensor([], [0, 3]);
    const { data, specs } = encodeWeights({ a, b, c, d, e });
    const out = decodeWeights(data, specs);
    for (const [name, t] of Object.entries({ a, b, c, d, e })) {
      expect(out[name]).toBeInstanceOf(Tensor);
      expect(out[name].shape).toEqual(t.shape);
      expect(out[name].dtype).toBe(t.dtype);
      expect(Array.from(out[name].dataSync())).toEqual(Array.from(t.dataSync()));
    }
  });

  it('decodes what tfjs encodes, read at unaligned offsets after bool weights', async () => {
    const r = rng(1);
    const named: { [k: string]: tf.Tensor } = {
      flag: tf.tensor([true, false, true], [3], 'bool'),
      w: tf.tensor(
        Array.from({ length: 12 }, () => r() * 10 - 5),
        [3, 4],
      ),
      ids: tf.tensor([5, -6, 7], [3], 'int32'),
    };
    const { data, specs } = await tf.io.encodeWeights(named);
    const out = decodeWeights(data as ArrayBuffer, specs as WeightsManifestEntry[]);
    for (const k of Object.keys(named)) {
      expect(Array.from(out[k].dataSync())).toEqual(Array.from(named[k].dataSync() as ArrayLike<number>));
      expect(out[k].dtype).toBe(named[k].dtype);
    }
  });

  it('dequantizes uint8 / uint16 (affine) and float16 exactly as tf.io.decodeWeights, for float32 and int32', () => {
    const r = rng(7);
    for (let trial = 0; trial < 30; trial++) {
      const specs: WeightsManifestEntry[] = [];
      const chunks: Uint8Array[] = [];
      const n = 1 + Math.floor(r() * 4);
      for (let i = 0; i < n; i++) {
        const shape = [1 + Math.floor(r() * 5), 1 + Math.floor(r() * 4)];
        const size = shape[0] * shape[1];
        const kind = Math.floor(r() * 5);
        if (kind === 0 || kind === 1) {
          const dtype = kind === 0 ? 'float32' : 'int32';
          const scale = r() * 0.1;
          const min = -r() * 3;
          specs.push({ name: `q8_${i}`, shape, dtype, quantization: { dtype: 'uint8', scale, min } });
          chunks.push(Uint8Array.from({ length: size }, () => Math.floor(r() * 256)));
        } else if (kind === 2) {
          specs.push({ name: `q16_${i}`, shape, dtype: 'float32', quantization: { dtype: 'uint16', scale: r() * 1e-3, min: -r() } });
          chunks.push(new Uint8Array(Uint16Array.from({ length: size }, () => Math.floor(r() * 65536)).buffer));
        } else if (kind === 3) {
          specs.push({ name: `f16_${i}`, shape, dtype: 'float32', quantization: { dtype: 'float16' } });
          chunks.push(new Uint8Array(Uint16Array.from({ length: size }, () => Math.floor(r() * 65536)).buffer));
        } else {
          specs.push({ name: `f32_${i}`, shape, dtype: 'float32' });
          chunks.push(new Uint8Array(Float32Array.from({ length: size }, () => r() - 0.5).buffer));
        }
      }
      const data = concatenateArrayBuffers(chunks.map((c) => c.slice().buffer));
      const ours = decodeWeights(data, specs);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const theirs = tf.io.decodeWeights(data, specs as any);
      for (const s of specs) {
        expect(ours[s.name].dtype).toBe(s.dtype);
        expect(ours[s.name].shape).toEqual(s.shape);
        const a = Array.from(ours[s.name].dataSync());
        const b = Array.from(theirs[s.name].dataSync() as ArrayLike<number>);
        expect(a.length).toBe(b.length);
        a.forEach((v, j) => expect(Object.is(v, b[j]) || (Number.isNaN(v) && Number.isNaN(b[j]))).toBe(true));
      }
    }
  });

  it('decodes every half-float bit pattern like tfjs (subnormals, ±0, ±Infinity, NaN)', () => {
    const bits = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const spec: WeightsManifestEntry = { name: 'h', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16' } };
    const ours = decodeWeights(bits.buffer, [spec]).h.dataSync();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const theirs = tf.io.decodeWeights(bits.buffer, [spec as any]).h.dataSync() as Float32Array;
    let mismatches = 0;
    for (let i = 0; i < 65536; i++) {
      const same = Object.is(ours[i], theirs[i]) || (Number.isNaN(ours[i]) && Number.isNaN(theirs[i]));
      if (!same) mismatches++;
    }
    expect(mismatches).toBe(0);
    // Hand-checked values.
    expect(float16BitsToFloat32(0x3c00)).toBe(1);
    expect(float16BitsToFloat32(0xc000)).toBe(-2);
    expect(float16BitsToFloat32(0x7bff)).toBe(65504);
    expect(float16BitsToFloat32(0x0001)).toBe(2 ** -24);
    expect(float16BitsToFloat32(0x8000)).toBe(-0);
    expect(float16BitsToFloat32(0x7c00)).toBe(Infinity);
    expect(float16BitsToFloat32(0x7e00)).toBeNaN();
  });

  it('affine dequantization follows value = q * scale + min (hand values)', () => {
    const q = new Uint8Array([0, 1, 255]);
    const out = decodeWeights(q.buffer, [
      { name: 'w', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
    ]);
    expect(Array.from(out.w.dataSync())).toEqual([-1, -0.5, 126.5]);
    const i = decodeWeights(q.buffer, [{ name: 'w', shape: [3], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.3, min: 0 } }]);
    expect(Array.from(i.w.dataSync())).toEqual([0, 0, 77]); // round(0.3), round(76.5)
    expect(i.w.dtype).toBe('int32');
  });

  it('concatenates several shards in order', () => {
    const { data, specs } = encodeWeights({ a: tensor([1, 2, 3]), b: tensor([4, 5], undefined, 'int32') });
    const bytes = new Uint8Array(data);
    const shards = [bytes.slice(0, 5).buffer, bytes.slice(5, 9).buffer, bytes.slice(9).buffer];
    const out = decodeWeights(shards, specs);
    expect(Array.from(out.a.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(out.b.dataSync())).toEqual([4, 5]);
    // Node Buffers / views with offsets are read at their offset.
    const padded = new Uint8Array(data.byteLength + 3);
    padded.set(bytes, 3);
    expect(Array.from(decodeWeights(padded.subarray(3), specs).a.dataSync())).toEqual([1, 2, 3]);
  });

  it('splits model and optimizer weights by group', () => {
    const model = encodeWeights({ k: tensor([1, 2]) });
    const opt = encodeWeights({ iter: tensor(4, [], 'int32') }, 'optimizer');
    const { modelWeights, optimizerWeights } = decodeModelAndOptimizerWeights([model.data, opt.data], [...model.specs, ...opt.specs]);
    expect(Object.keys(modelWeights)).toEqual(['k']);
    expect(optimizerWeights.map((w) => w.name)).toEqual(['iter']);
    expect(optimizerWeights[0].tensor.dataSync()[0]).toBe(4);
  });

  describe('refuses bad specs before allocating, naming the weight', () => {
    const buf = new ArrayBuffer(16);
    const cases: Array<[string, unknown, RegExp]> = [
      ['negative dim', { name: 'w', shape: [2, -1], dtype: 'float32' }, /weight 'w'.*dimension 1 .* is -1/],
      ['fractional dim', { name: 'w', shape: [1.5], dtype: 'float32' }, /weight 'w'.*non-negative integers.*1\.5/],
      ['NaN dim', { name: 'w', shape: [NaN], dtype: 'float32' }, /weight 'w'.*NaN/],
      ['string dim', { name: 'w', shape: ['4'], dtype: 'float32' }, /weight 'w'.*'4'/],
      ['huge', { name: 'big', shape: [65536, 65536], dtype: 'float32' }, /weight 'big'.*more than 2147483647.*refusing to allocate/],
      ['huge product overflowing', { name: 'big', shape: [1e308, 1e308, 0], dtype: 'float32' }, /weight 'big'/],
      ['shape not array', { name: 'w', shape: 4, dtype: 'float32' }, /weight 'w'.*'shape' must be an array/],
      ['rank too high', { name: 'w', shape: new Array(40).fill(1), dtype: 'float32' }, /weight 'w'.*rank 40/],
      ['unknown dtype', { name: 'w', shape: [1], dtype: 'float64' }, /weight 'w': unsupported 'dtype' 'float64'/],
      ['string dtype', { name: 'w', shape: [1], dtype: 'string' }, /not supported by recurrent/],
      ['no name', { shape: [1], dtype: 'float32' }, /weight spec #0 has no 'name'/],
      ['spec not object', 42, /weight spec #0 must be an object/],
      [
        'quantization dtype',
        { name: 'w', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' } },
        /weight 'w': unknown quantization dtype 'int4'/,
      ],
      [
        'quantization without scale',
        { name: 'w', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8', min: 0 } },
        /weight 'w'.*needs finite numbers 'scale' and 'min'/,
      ],
      ['float16 int32', { name: 'w', shape: [1], dtype: 'int32', quantization: { dtype: 'float16' } }, /weight 'w'.*float32 weights only/],
      [
        'uint8 bool',
        { name: 'w', shape: [1], dtype: 'bool', quantization: { dtype: 'uint8', scale: 1, min: 0 } },
        /weight 'w'.*not 'bool'/,
      ],
    ];
    it.each(cases)('%s', (_label, spec, message) => {
      expect(() => decodeWeights(buf, [spec as WeightsManifestEntry])).toThrow(message);
    });
    it('specs must be an array with unique names', () => {
      expect(() => decodeWeights(buf, {} as unknown as WeightsManifestEntry[])).toThrow(/weight specs must be an array/);
      expect(() =>
        decodeWeights(buf, [
          { name: 'a', shape: [2], dtype: 'float32' },
          { name: 'a', shape: [2], dtype: 'float32' },
        ]),
      ).toThrow(/duplicate weight name 'a'/);
    });
  });

  it('reports truncated data naming the first weight that does not fit, and unexplained trailing bytes', () => {
    const specs: WeightsManifestEntry[] = [
      { name: 'a', shape: [2], dtype: 'float32' },
      { name: 'b', shape: [3], dtype: 'int32' },
    ];
    expect(() => decodeWeights(new ArrayBuffer(12), specs)).toThrow(
      /truncated: weight 'b' \(shape \[3\], int32\) needs bytes 8\.\.20 but the data has 12 bytes/,
    );
    expect(() => decodeWeights(new ArrayBuffer(24), specs)).toThrow(/24 bytes but the 2 weight specs describe 20 bytes/);
    expect(() => decodeWeights('abc' as unknown as ArrayBuffer, specs)).toThrow(/weight data must be an ArrayBuffer/);
  });
});
