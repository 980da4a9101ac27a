/**
 * Functional models (`model({inputs, outputs})`) exported to ONNX and run in onnxruntime-node: chains of
 * layers and two-input models merged with Concatenate / Add / ... equal recurrent's `predict` within 1e-5
 * (weights randomized first); what cannot be exported is refused naming the layer.
 */
import * as ort from 'onnxruntime-node';
import { Tensor, tensor } from '@recurrent/core';
import { input, layers } from '@recurrent/layers';
import { LayersModel, model, sequential } from '@recurrent/models';
import { exportModel } from '../src';
import { expectOnnxMatches, randomInput, randomizeWeights, values } from './helpers/ort_compare';

const BATCH = 3;
const STEPS = 5;
const FEATURES = 4;

/** Runs `bytes` on several named float32 inputs; returns the 'output' tensor. */
async function runFeeds(bytes: Uint8Array, feeds: { [name: string]: Tensor }): Promise<{ data: Float32Array; dims: number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const ortFeeds: { [name: string]: ort.Tensor } = {};
  for (const [name, t] of Object.entries(feeds))
    ortFeeds[name] = new ort.Tensor('float32', Float32Array.from(t.dataSync()), t.shape.slice());
  const result = await session.run(ortFeeds);
  await session.release();
  return { data: result.output.data as Float32Array, dims: result.output.dims.slice() };
}

/** Expects ONNX Runtime's output for the named inputs to equal `expected` within 1e-5. */
async function expectFeedsMatch(bytes: Uint8Array, feeds: { [name: string]: Tensor }, expected: Tensor): Promise<void> {
  const actual = await runFeeds(bytes, feeds);
  expect(actual.dims).toEqual(expected.shape);
  const e = expected.dataSync();
  let diff = 0;
  for (let i = 0; i < e.length; i++) diff = Math.max(diff, Math.abs(actual.data[i] - e[i]));
  expect(diff).toBeLessThanOrEqual(1e-5);
  expect(Math.max(...Array.from(e, Math.abs))).toBeGreaterThan(1e-3);
}

describe('chains (one input, one output, each layer one input)', () => {
  test('LSTM → Bidirectional GRU → Dense(softmax) equals predict at two batch sizes and lengths', async () => {
    const x = input({ shape: [null, FEATURES], name: 'seq' });
    let h = layers.lstm({ units: 6, returnSequences: true }).apply(x);
    h = layers.bidirectional({ layer: layers.gru({ units: 3, resetAfter: true }) }).apply(h);
    const y = layers.dense({ units: 2, activation: 'softmax' }).apply(h);
    const m = model({ inputs: x, outputs: y as never });
    randomizeWeights(m, 1);
    const data = randomInput([BATCH, STEPS, FEATURES], 2, 1.5);
    const bytes = exportModel(m);
    await expectOnnxMatches(bytes, data, m.predict(data) as Tensor);
    // Other batch sizes and lengths run (dynamic dims as for Sequential models).
    const longer = randomInput([2, 8, FEATURES], 3);
    await expectOnnxMatches(bytes, longer, m.predict(longer) as Tensor);
  });

  test('int32 ids → Embedding → SimpleRNN → TimeDistributed(Dense), int64 ids in ONNX', async () => {
    const ids = input({ shape: [STEPS], dtype: 'int32' });
    let h = layers.embedding({ inputDim: 10, outputDim: 4 }).apply(ids);
    h = layers.simpleRNN({ units: 5, returnSequences: true }).apply(h);
    const y = layers.timeDistributed({ layer: layers.dense({ units: 3 }) }).apply(h);
    const m = model({ inputs: ids, outputs: y as never });
    randomizeWeights(m, 11);
    const batch = tensor(
      Array.from(values(BATCH * STEPS, 12), (v) => Math.floor((v + 0.5) * 10)),
      [BATCH, STEPS],
      'int32',
    );
    await expectOnnxMatches(exportModel(m), batch, m.predict(batch) as Tensor, { ids: 'int64' });
  });

  test('a Sequential used as a layer of a functional model exports its layers', async () => {
    const inner = sequential({
      layers: [layers.gru({ units: 4, inputShape: [STEPS, FEATURES], returnSequences: true }), layers.gru({ units: 3 })],
    });
    const x = input({ shape: [STEPS, FEATURES] });
    const y = layers.dense({ units: 2 }).apply(inner.apply(x));
    const m = model({ inputs: x, outputs: y as never });
    randomizeWeights(m, 21);
    const data = randomInput([BATCH, STEPS, FEATURES], 22, 1.5);
    await expectOnnxMatches(exportModel(m, { inputName: 'x', outputName: 'y' }), data, m.predict(data) as Tensor, {
      inputName: 'x',
      outputName: 'y',
    });
  });

  test('a functional model used as a layer, of a functional model and of a Sequential', async () => {
    const innerIn = input({ shape: [null, FEATURES] });
    const inner = model({
      inputs: innerIn,
      outputs: layers.gru({ units: 4, returnSequences: true }).apply(innerIn) as never,
      name: 'encoder',
    });
    const x = input({ shape: [STEPS, FEATURES] });
    const outer = model({ inputs: x, outputs: layers.dense({ units: 2 }).apply(layers.lstm({ units: 3 }).apply(inner.apply(x))) as never });
    randomizeWeights(outer, 25);
    const data = randomInput([BATCH, STEPS, FEATURES], 26, 1.5);
    await expectOnnxMatches(exportModel(outer), data, outer.predict(data) as Tensor);
    const stack = sequential({ layers: [inner, layers.simpleRNN({ units: 3 })] });
    randomizeWeights(stack, 27);
    await expectOnnxMatches(exportModel(stack, { inputShape: [STEPS, FEATURES] }), data, stack.predict(data) as Tensor);
  });

  test('Masking → LSTM → Dense with sequenceLengths: ONNX with the lengths equals predict with the mask', async () => {
    const lengths = [5, 2, 4];
    const v = values(BATCH * STEPS * FEATURES, 28, 1.5);
    lengths.forEach((len, b) => v.fill(0, (b * STEPS + len) * FEATURES, (b + 1) * STEPS * FEATURES));
    const data = tensor(v, [BATCH, STEPS, FEATURES], 'float32');
    const x = input({ shape: [STEPS, FEATURES] });
    const y = layers.dense({ units: 2 }).apply(layers.lstm({ units: 4 }).apply(layers.masking({ maskValue: 0 }).apply(x)));
    const m = model({ inputs: x, outputs: y as never });
    randomizeWeights(m, 29);
    await expectOnnxMatches(exportModel(m, { sequenceLengths: true }), data, m.predict(data) as Tensor, { lengths });
    expect(() => exportModel(m)).toThrow(
      /layer 'masking\w*' \(Masking\) cannot be exported: ONNX's recurrent operators take per-sequence lengths/,
    );
  });

  test('a layer applied twice (shared weights) is exported at both calls', async () => {
    const x = input({ shape: [STEPS, FEATURES] });
    const shared = layers.dense({ units: FEATURES, activation: 'tanh' });
    const y = layers.lstm({ units: 3 }).apply(shared.apply(shared.apply(x)));
    const m = model({ inputs: x, outputs: y as never });
    randomizeWeights(m, 31);
    const data = randomInput([BATCH, STEPS, FEATURES], 32, 1.5);
    await expectOnnxMatches(exportModel(m), data, m.predict(data) as Tensor);
  });
});

/** Two sequence inputs through their own recurrent encoders, merged by `merge`, with a Dense head. */
function twoInputModel(merge: (a: never, b: never) => unknown, units = [4, 4]): LayersModel {
  const a = input({ shape: [null, FEATURES], name: 'left' });
  const b = input({ shape: [null, 3], name: 'right' });
  const ha = layers.lstm({ units: units[0] }).apply(a);
  const hb = layers.gru({ units: units[1] }).apply(b);
  const y = layers.dense({ units: 2 }).apply(merge(ha as never, hb as never) as never);
  return model({ inputs: [a, b], outputs: y as never });
}

describe('two inputs merged', () => {
  const left = randomInput([BATCH, STEPS, FEATURES], 41, 1.5);
  const right = randomInput([BATCH, STEPS + 2, 3], 42, 1.5);

  test('concatenate (ONNX Concat), inputs named after the input layers, each with its own time dim', async () => {
    const m = twoInputModel((a, b) => layers.concatenate().apply([a, b]), [4, 3]);
    randomizeWeights(m, 43);
    await expectFeedsMatch(exportModel(m), { left, right }, m.predict([left, right]) as Tensor);
    // Each input has its own symbolic time length: other lengths run.
    const l2 = randomInput([2, 7, FEATURES], 44);
    const r2 = randomInput([2, 3, 3], 45);
    await expectFeedsMatch(exportModel(m), { left: l2, right: r2 }, m.predict([l2, r2]) as Tensor);
  });

  test.each([
    ['add', (a: never, b: never) => layers.add().apply([a, b])],
    ['subtract', (a: never, b: never) => layers.subtract().apply([a, b])],
    ['multiply', (a: never, b: never) => layers.multiply().apply([a, b])],
    ['average', (a: never, b: never) => layers.average().apply([a, b])],
    ['maximum', (a: never, b: never) => layers.maximum().apply([a, b])],
    ['minimum', (a: never, b: never) => layers.minimum().apply([a, b])],
  ])('%s', async (_name, merge) => {
    const m = twoInputModel(merge);
    randomizeWeights(m, 51);
    await expectFeedsMatch(exportModel(m, { inputNames: ['a', 'b'] }), { a: left, b: right }, m.predict([left, right]) as Tensor);
  });

  test('concatenate along the time axis of two sequences', async () => {
    const a = input({ shape: [STEPS, FEATURES], name: 'a' });
    const b = input({ shape: [3, FEATURES], name: 'b' });
    const joined = layers.concatenate({ axis: 1 }).apply([a, b]);
    const y = layers.simpleRNN({ units: 3, returnSequences: true }).apply(joined);
    const m = model({ inputs: [a, b], outputs: y as never });
    randomizeWeights(m, 61);
    const xa = randomInput([BATCH, STEPS, FEATURES], 62);
    const xb = randomInput([BATCH, 3, FEATURES], 63);
    await expectFeedsMatch(exportModel(m), { a: xa, b: xb }, m.predict([xa, xb]) as Tensor);
  });
});

describe('what a functional model cannot export', () => {
  test('an unsupported multi-input layer is named', () => {
    const q = input({ shape: [STEPS, FEATURES] });
    const v = input({ shape: [STEPS, FEATURES] });
    const y = layers.attention({ name: 'att' }).apply([q, v]);
    const m = model({ inputs: [q, v], outputs: y as never });
    expect(() => exportModel(m)).toThrow(
      /layer 'att' \(Attention\) cannot be exported: it takes 2 inputs; the multi-input layers ONNX export supports are Concatenate, Add, Subtract/,
    );
  });

  test('an unsupported one-input layer is named, as in a Sequential', () => {
    const x = input({ shape: [STEPS, FEATURES] });
    const y = layers.prelu({ name: 'act' }).apply(layers.lstm({ units: 3, returnSequences: true }).apply(x));
    expect(() => exportModel(model({ inputs: x, outputs: y as never }))).toThrow(
      /layer 'act' \(PReLU\) cannot be exported: no ONNX conversion/,
    );
  });

  test('a recurrent layer called with initialState is named', () => {
    const x = input({ shape: [STEPS, FEATURES] });
    const h0 = input({ shape: [3] });
    const y = layers.gru({ units: 3, name: 'dec' }).apply(x, { initialState: [h0] } as never);
    const m = model({ inputs: [x, h0], outputs: y as never });
    expect(() => exportModel(m)).toThrow(/layer 'dec' \(GRU\) cannot be exported: it is called with initialState/);
  });

  test('a layer pinned to training: true refuses (ONNX export is inference only)', () => {
    const x = input({ shape: [STEPS, FEATURES] });
    const y = layers.lstm({ units: 3 }).apply(layers.dropout({ rate: 0.5, name: 'mc' }).apply(x, { training: true } as never));
    expect(() => exportModel(model({ inputs: x, outputs: y as never }))).toThrow(
      /layer 'mc' \(Dropout\) cannot be exported: it is called with training: true/,
    );
  });

  test('two outputs refuse', () => {
    const x = input({ shape: [STEPS, FEATURES] });
    const h = layers.lstm({ units: 3 }).apply(x);
    const m = model({
      inputs: x,
      outputs: [layers.dense({ units: 1 }).apply(h), layers.dense({ units: 2 }).apply(h)] as never,
      name: 'twin',
    });
    expect(() => exportModel(m)).toThrow(/model 'twin' cannot be exported: it has 2 outputs; only models with one output are supported/);
  });

  test('merging inputs of different ranks refuses (Keras and ONNX broadcast differently)', () => {
    const a = input({ shape: [STEPS, FEATURES] });
    const b = input({ shape: [FEATURES] });
    const y = layers.add({ name: 'plus' }).apply([a, b]);
    expect(() => exportModel(model({ inputs: [a, b], outputs: y as never }))).toThrow(
      /layer 'plus' \(Add\) cannot be exported: its inputs have different ranks \(input 0 \[batch, \w+, 4\], input 1 \[batch, 4\]\)/,
    );
  });

  test('input names: inputName with two inputs, wrong inputNames count, duplicates', () => {
    const m = twoInputModel((a, b) => layers.add().apply([a, b]));
    expect(() => exportModel(m, { inputName: 'x' })).toThrow(
      /the model has 2 inputs; name them with inputNames \(an array of 2 names\), not inputName/,
    );
    expect(() => exportModel(m, { inputNames: ['x'] })).toThrow(/inputNames has 1 names but the model has 2 inputs/);
    expect(() => exportModel(m, { inputNames: ['x', 'x'] })).toThrow(/inputNames must differ, 'x' is given twice/);
    expect(() => exportModel(m, { inputNames: ['x', 'output'] })).toThrow(/inputName and outputName must differ, both are 'output'/);
  });
});
