/**
 * Runs exported ONNX bytes in onnxruntime-node (CPU) and compares with recurrent's own outputs.
 */
import * as ort from 'onnxruntime-node';
import { Tensor, tensor } from '@recurrent/core';
import type { Layer } from '@recurrent/layers';
import { nn } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import { exportModel, type ExportOptions } from '../../src';

/** Deterministic values in [-scale, scale). */
export function values(n: number, seed: number, scale = 0.5): Float32Array {
  let s = seed % 2147483647;
  if (s <= 0) s += 2147483646;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    out[i] = ((s / 2147483647) * 2 - 1) * scale;
  }
  return out;
}

/** Random float input [..shape]. */
export function randomInput(shape: number[], seed: number, scale = 1): Tensor {
  return tensor(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
      scale,
    ),
    shape,
    'float32',
  );
}

/** Sets every weight of a Keras-style model to random values (non-zero biases, so their layout is tested). */
export function randomizeWeights(model: Layer, seed: number): void {
  const ws = model.getWeights();
  model.setWeights(ws.map((w, k) => tensor(values(w.size, seed + 101 * k), w.shape.slice(), 'float32')));
}

/** Sets every parameter of an nn module to random values. */
export function randomizeParameters(module: nn.Module, seed: number): void {
  const dict = module.stateDict();
  const fresh: { [k: string]: Tensor } = {};
  Object.entries(dict).forEach(([name, t], k) => {
    fresh[name] = tensor(values(t.size, seed + 101 * k), t.shape.slice(), 'float32');
  });
  module.loadStateDict(fresh);
}

/** How to feed the exported model. */
export interface RunOptions {
  inputName?: string;
  outputName?: string;
  /** Feed the input as ids of this type. */
  ids?: 'int64' | 'int32';
  /** Per-sequence lengths for the sequence_lens input. */
  lengths?: number[];
  lengthsName?: string;
}

/** The output of `bytes` in onnxruntime for one input (float32, or ids as int64/int32). */
export async function runOnnx(bytes: Uint8Array, input: Tensor, options: RunOptions = {}): Promise<{ data: Float32Array; dims: number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const dims = input.shape.slice();
  const data = input.dataSync();
  let feed: ort.Tensor;
  if (options.ids === 'int64') feed = new ort.Tensor('int64', BigInt64Array.from(Array.from(data, (v) => BigInt(Math.round(v)))), dims);
  else if (options.ids === 'int32') feed = new ort.Tensor('int32', Int32Array.from(data), dims);
  else feed = new ort.Tensor('float32', Float32Array.from(data), dims);
  const feeds: { [name: string]: ort.Tensor } = { [options.inputName ?? 'input']: feed };
  if (options.lengths)
    feeds[options.lengthsName ?? 'sequence_lens'] = new ort.Tensor('int32', Int32Array.from(options.lengths), [options.lengths.length]);
  const result = await session.run(feeds);
  const out = result[options.outputName ?? 'output'];
  await session.release();
  return { data: out.data as Float32Array, dims: out.dims.slice() };
}

/** Largest |a − b| (Infinity when the shapes differ). */
export function maxAbsDiff(actual: { data: Float32Array; dims: number[] }, expected: Tensor): number {
  if (actual.dims.join(',') !== expected.shape.join(',')) return Infinity;
  const e = expected.dataSync();
  let m = 0;
  for (let i = 0; i < e.length; i++) m = Math.max(m, Math.abs(actual.data[i] - e[i]));
  return m;
}

/** Expects onnxruntime's output of `bytes` for `input` to equal `expected` within 1e-5, with the same shape. */
export async function expectOnnxMatches(bytes: Uint8Array, input: Tensor, expected: Tensor, options: RunOptions = {}): Promise<void> {
  const actual = await runOnnx(bytes, input, options);
  expect(actual.dims).toEqual(expected.shape);
  const diff = maxAbsDiff(actual, expected);
  expect(diff).toBeLessThanOrEqual(1e-5);
  // Guard against a trivial comparison: the outputs carry signal.
  expect(Math.max(...Array.from(expected.dataSync(), Math.abs))).toBeGreaterThan(1e-3);
}

/** What `exportAndCompare` exports and feeds. */
export interface ExportCompareOptions {
  /** Seeds the weights; input k is seeded with `seed + 7 + k`. */
  seed: number;
  /** One random input per shape, e.g. `[[3, 6, 4], [2, 9, 4]]` for a dynamic batch and time axis. */
  shapes: number[][];
  /** Inputs are drawn from [-scale, scale); 1.5 unless given. */
  scale?: number;
  exportOptions?: ExportOptions;
  run?: RunOptions;
  /** Sets the model's weights; `randomizeWeights` unless given. */
  randomize?: (model: Layer, seed: number) => void;
}

/**
 * Builds `sequential({layers: stack})`, sets random weights, exports it, and expects onnxruntime to give
 * `predict`'s output for each input shape (`expectOnnxMatches`). Returns the ONNX bytes.
 */
export async function exportAndCompare(stack: Layer[], options: ExportCompareOptions): Promise<Uint8Array> {
  const model = sequential({ layers: stack });
  (options.randomize ?? randomizeWeights)(model, options.seed);
  const bytes = exportModel(model, options.exportOptions);
  for (const [k, shape] of options.shapes.entries()) {
    const x = randomInput(shape, options.seed + 7 + k, options.scale ?? 1.5);
    await expectOnnxMatches(bytes, x, model.predict(x) as Tensor, options.run);
  }
  return bytes;
}
