/**
 * safetensors: bytes written here equal, byte for byte, the file fixtures/generate_safetensors.py writes from torch
 * tensors per the format (the `safetensors` Python module was not available to call save_file; see the script);
 * files from Python with other dtypes load; hostile headers are refused; the Node file helpers round-trip.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Tensor, tensor } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { num } from './helpers';

const dir = path.join(__dirname, 'fixtures');
const values = JSON.parse(fs.readFileSync(path.join(dir, 'state_dict_values.json'), 'utf8'));
const pyBytes = new Uint8Array(fs.readFileSync(path.join(dir, 'state_dict.safetensors')));

function stateDictFromValues(): nn.StateDict {
  const sd: nn.StateDict = {};
  for (const [k, v] of Object.entries<any>(values)) {
    sd[k] =
      v.dtype === 'torch.int32' ? tensor(Int32Array.from(v.data), v.shape, 'int32') : tensor(Float32Array.from(v.data), v.shape, 'float32');
  }
  return sd;
}

function header(bytes: Uint8Array): string {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

function build(h: object | string, data: Uint8Array, lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof h === 'string' ? h : JSON.stringify(h));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

test('saveSafetensors writes the same bytes as the Python fixture (order, padding, metadata)', () => {
  const bytes = nn.saveSafetensors(stateDictFromValues(), { metadata: { format: 'pt' } });
  expect(header(bytes)).toBe(header(pyBytes));
  expect(Buffer.from(bytes).equals(Buffer.from(pyBytes))).toBe(true);
  expect((bytes.length - 8) % 8).toBe((pyBytes.length - 8) % 8);
});

test('loadSafetensors reads the Python file: values, shapes, dtypes, metadata', () => {
  const { tensors, metadata } = nn.readSafetensors(pyBytes);
  expect(metadata).toEqual({ format: 'pt' });
  expect(Object.keys(tensors).sort()).toEqual(Object.keys(values).sort());
  for (const [k, v] of Object.entries<any>(values)) {
    expect(tensors[k].shape).toEqual(v.shape);
    expect(tensors[k].dtype).toBe(v.dtype === 'torch.int32' ? 'int32' : 'float32');
    expect(num(tensors[k])).toEqual(Array.from(Float32Array.from(v.data)));
  }
});

test('other dtypes from PyTorch (F64, F16, BF16, I64, I8, U8, BOOL, empty) load as float32 / int32 / bool', () => {
  const mixed = JSON.parse(fs.readFileSync(path.join(dir, 'mixed_dtypes_values.json'), 'utf8'));
  const sd = nn.loadSafetensors(new Uint8Array(fs.readFileSync(path.join(dir, 'mixed_dtypes.safetensors'))));
  const kinds: { [k: string]: string } = {
    f64: 'float32',
    f16: 'float32',
    bf16: 'float32',
    i64: 'int32',
    i8: 'int32',
    u8: 'int32',
    mask: 'bool',
    empty: 'float32',
  };
  for (const [k, v] of Object.entries<any>(mixed)) {
    expect(sd[k].shape).toEqual(v.shape);
    expect(sd[k].dtype).toBe(kinds[k]);
    expect(num(sd[k])).toEqual(kinds[k] === 'float32' ? Array.from(Float32Array.from(v.data)) : v.data);
  }
});

test('an nn module round-trips through bytes and through a file', async () => {
  const a = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, seed: 1 });
  const b = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, seed: 2 });
  b.loadStateDict(nn.loadSafetensors(nn.saveSafetensors(a.stateDict())));
  for (const [k, v] of Object.entries(a.stateDict())) expect(num(b.stateDict()[k])).toEqual(num(v));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'st-')), 'm.safetensors');
  await nn.saveSafetensorsFile(file, a.stateDict());
  const c = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, seed: 3 });
  c.loadStateDict(await nn.loadSafetensorsFile(`file://${file}`));
  expect(num(c.getParameter('weight_hh_l1_reverse'))).toEqual(num(a.getParameter('weight_hh_l1_reverse')));
});

describe('hostile or broken input is refused', () => {
  const f32 = new Uint8Array(8);
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', new Uint8Array(4), /too short for the 8-byte header length/],
    ['huge header length', build(ok, f32, BigInt(2) ** BigInt(40)), /header length 1099511627776 exceeds the format's limit/],
    ['header past the end', build(ok, f32, BigInt(5000)), /header length 5000 runs past the end of the data/],
    ['not JSON', build('{"a": nope}', f32), /invalid header/],
    ['not an object', build('[1,2]   ', f32), /header must start with '\{'/],
    ['unknown dtype', build({ a: { dtype: 'F128', shape: [2], data_offsets: [0, 8] } }, f32), /tensor 'a' has unknown dtype "F128"/],
    ['bad shape', build({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, f32), /tensor 'a' has an invalid shape \[-2\]/],
    [
      'size mismatch',
      build({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32),
      /tensor 'a' \(F32 \[3\]\) needs 12 bytes but its data_offsets \[0, 8\] span 8/,
    ],
    [
      'offsets out of range',
      build({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, f32),
      /tensor 'a' starts at byte 8 of the data but the previous tensor ends at 0/,
    ],
    [
      'overlap',
      build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32),
      /tensor 'b' starts at byte 4 of the data but the previous tensor ends at 8/,
    ],
    ['trailing bytes', build(ok, new Uint8Array(12)), /the tensors cover 8 bytes but the data area after the header has 12/],
    ['negative offsets', build({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, f32), /invalid data_offsets \[8,0\]/],
    ['bad metadata', build({ __metadata__: { x: 1 }, ...ok }, f32), /__metadata__ must be an object of string values/],
  ];
  for (const [name, bytes, re] of cases) test(name, () => expect(() => nn.loadSafetensors(bytes)).toThrow(re));
  test('I64 outside int32', () => {
    const d = new Uint8Array(8);
    new DataView(d.buffer).setBigInt64(0, BigInt(2) ** BigInt(40), true);
    expect(() => nn.loadSafetensors(build({ big: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, d))).toThrow(
      /tensor 'big' \(I64\) holds 1099511627776 at index 0, outside the int32 range/,
    );
  });
  test('saving bad state dicts', () => {
    expect(() => nn.saveSafetensors({ a: [1, 2] as unknown as Tensor })).toThrow(
      /nn\.saveSafetensors: 'a' must be a Tensor, received object/,
    );
    expect(() => nn.saveSafetensors({ __metadata__: tensor([1]) })).toThrow(/'__metadata__' is reserved/);
    expect(() => nn.saveSafetensors({}, { metadata: { a: 1 as never } })).toThrow(/metadata 'a' must be a string/);
  });
});

test('a checkpoint with missing / extra keys: strict load names them, non-strict returns them (as PyTorch)', () => {
  const m = new nn.Linear(2, 1, { seed: 1 });
  const sd = nn.loadSafetensors(nn.saveSafetensors({ weight: m.weight, extra: tensor([1, 2]) }));
  expect(() => m.loadStateDict(sd)).toThrow(/missing key\(s\): 'bias'\n {2}unexpected key\(s\): 'extra'/);
  expect(m.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['extra'] });
});

test('saveSafetensors refuses an unknown option key (a mistyped metadata was dropped silently)', () => {
  expect(() => nn.saveSafetensors(stateDictFromValues(), { metdata: { format: 'pt' } } as never)).toThrow(
    /nn\.saveSafetensors: unknown option 'metdata'; did you mean 'metadata'\?/,
  );
});
