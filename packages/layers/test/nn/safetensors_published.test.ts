/**
 * safetensors against the format's own published expectations: the exact bytes that the huggingface/safetensors
 * test suites assert for `safetensors.torch.save_file` / `save` (bindings/python/tests/test_pt_*.py) and for the
 * Rust `serialize` that both call (safetensors/src/tensor.rs tests). The Python module cannot be installed on this
 * machine (no PyPI), so these published byte strings stand in for a file written by Python: ours must equal them
 * byte for byte, and must load back to the same values.
 */
import { tensor } from '@recurrent/core';
import { nn } from '@recurrent/layers';

/** Little-endian u64 header length, then the header text, then raw bytes. */
function bytesOf(headerLength: number, headerText: string, data: number[]): Uint8Array {
  const text = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

const zeros16 = new Array<number>(16).fill(0);

test('save_file({"test": torch.zeros((2, 2), dtype=torch.int32)}): 64-byte header padded with four spaces', () => {
  // '@' = 64; the JSON is 60 characters, so four spaces align the data to 8 bytes.
  const expected = bytesOf(64, '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}    ', zeros16);
  const ours = nn.saveSafetensors({ test: tensor(new Int32Array(4), [2, 2], 'int32') });
  expect(Array.from(ours)).toEqual(Array.from(expected));
  const back = nn.loadSafetensors(expected).test;
  expect(back.dtype).toBe('int32');
  expect(back.shape).toEqual([2, 2]);
  expect(Array.from(back.values)).toEqual([0, 0, 0, 0]);
});

test('the same after data[1, 1] = 1: the last element is little-endian 1', () => {
  const data = zeros16.slice();
  data[12] = 1;
  const expected = bytesOf(64, '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}    ', data);
  const ours = nn.saveSafetensors({ test: tensor(Int32Array.from([0, 0, 0, 1]), [2, 2], 'int32') });
  expect(Array.from(ours)).toEqual(Array.from(expected));
  expect(Array.from(nn.loadSafetensors(expected).test.values)).toEqual([0, 0, 0, 1]);
});

test('save({"test": torch.zeros((2, 2), dtype=torch.float32)}) (test_in_memory)', () => {
  const expected = bytesOf(64, '{"test":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}    ', zeros16);
  const ours = nn.saveSafetensors({ test: tensor(new Float32Array(4), [2, 2], 'float32') });
  expect(Array.from(ours)).toEqual(Array.from(expected));
});

// f32 0..5 little-endian: 0, 1 (0x3f800000), 2, 3, 4, 5.
const f32Zero2Five = [0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64];

test('Rust serialize test_serialization: "attn.0" F32 [1, 2, 3] = 0..5, header exactly 64 bytes (no padding)', () => {
  const expected = bytesOf(64, '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}', f32Zero2Five);
  const ours = nn.saveSafetensors({ 'attn.0': tensor(Float32Array.from([0, 1, 2, 3, 4, 5]), [1, 2, 3], 'float32') });
  expect(Array.from(ours)).toEqual(Array.from(expected));
  const back = nn.loadSafetensors(expected)['attn.0'];
  expect(back.shape).toEqual([1, 2, 3]);
  expect(Array.from(back.values)).toEqual([0, 1, 2, 3, 4, 5]);
});

test('Rust serialize test_serialization_forced_alignement: "attn0" [1, 1, 2, 3], seven spaces of padding', () => {
  const expected = bytesOf(72, '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ', f32Zero2Five);
  const ours = nn.saveSafetensors({ attn0: tensor(Float32Array.from([0, 1, 2, 3, 4, 5]), [1, 1, 2, 3], 'float32') });
  expect(Array.from(ours)).toEqual(Array.from(expected));
});

test('Rust serialize test_empty: no tensors, then no tensors with __metadata__ {"framework": "pt"}', () => {
  expect(Array.from(nn.saveSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
  const withMeta = bytesOf(40, '{"__metadata__":{"framework":"pt"}}     ', []);
  expect(Array.from(nn.saveSafetensors({}, { metadata: { framework: 'pt' } }))).toEqual(Array.from(withMeta));
  expect(Object.keys(nn.loadSafetensors(withMeta))).toEqual([]);
});
