/**
 * Masked Keras models exported with `sequenceLengths: true`: for sequences padded at the end, ONNX Runtime
 * with the lengths input equals `predict` with the mask within 1e-5.
 */
import { Tensor, tensor } from '@recurrent/core';
import { Layer, layers, nn } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import { exportModel } from '../src';
import { expectOnnxMatches, randomizeWeights, values } from './helpers/ort_compare';

const LENGTHS = [6, 3, 1, 4];
const STEPS = 6;
const FEATURES = 3;

/** Random features, zeros after each sequence's length (what Masking(0) masks). */
function paddedInput(seed: number): Tensor {
  const v = values(LENGTHS.length * STEPS * FEATURES, seed, 1.5);
  LENGTHS.forEach((len, b) => {
    for (let t = len; t < STEPS; t++) for (let f = 0; f < FEATURES; f++) v[(b * STEPS + t) * FEATURES + f] = 0;
  });
  return tensor(v, [LENGTHS.length, STEPS, FEATURES], 'float32');
}

async function checkMasked(stack: Layer[], seed: number): Promise<void> {
  const model = sequential({ layers: [layers.masking({ maskValue: 0, inputShape: [STEPS, FEATURES] }), ...stack] });
  randomizeWeights(model, seed);
  const x = paddedInput(seed + 3);
  await expectOnnxMatches(exportModel(model, { sequenceLengths: true }), x, model.predict(x) as Tensor, { lengths: LENGTHS });
}

test.each(['globalAveragePooling1d', 'globalMaxPooling1d'] as const)(
  'Masking + LSTM sequence + %s (pools the first length steps) + Dense, and the pool right after Masking',
  async (pool) => {
    await checkMasked([layers.lstm({ units: 4, returnSequences: true }), layers[pool](), layers.dense({ units: 2 })], 11);
    // Straight after Masking: the padded zeros would lower the mean / raise a negative max if counted.
    await checkMasked([layers.dense({ units: 3 }), layers[pool]()], 12);
  },
);

test('Masking + LSTM sequence + LayerNormalization + BatchNormalization (per step, the mask passes) + GRU', async () => {
  const stack = [
    layers.lstm({ units: 4, returnSequences: true }),
    layers.layerNormalization(),
    layers.batchNormalization(),
    layers.gru({ units: 3 }),
  ];
  const model = sequential({ layers: [layers.masking({ maskValue: 0, inputShape: [STEPS, FEATURES] }), ...stack] });
  randomizeWeights(model, 13);
  stack[2].setWeights(stack[2].getWeights().map((w, k) => (k === 3 ? w.abs().add(0.2) : w)));
  const x = paddedInput(16);
  await expectOnnxMatches(exportModel(model, { sequenceLengths: true }), x, model.predict(x) as Tensor, { lengths: LENGTHS });
});

test('Masking + LayerNormalization over the time axis refuses (padded steps would enter its statistics)', () => {
  const model = sequential({
    layers: [layers.masking({ maskValue: 0, inputShape: [STEPS, FEATURES] }), layers.layerNormalization({ axis: [1, 2], name: 'ln' })],
  });
  expect(() => exportModel(model, { sequenceLengths: true })).toThrow(
    /layer 'ln' \(LayerNormalization\) cannot be exported: it receives a masked sequence/,
  );
});

test('Masking + LSTM (last output) + Dense', async () => {
  await checkMasked([layers.lstm({ units: 5 }), layers.dense({ units: 2 })], 1);
});

test('Masking + stacked LSTM → GRU resetAfter, TimeDistributed(Dense) between', async () => {
  await checkMasked(
    [
      layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }),
      layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'tanh' }) }),
      layers.gru({ units: 4, resetAfter: true }),
    ],
    2,
  );
});

test('Masking + Bidirectional GRU (concat) and SimpleRNN goBackwards', async () => {
  await checkMasked([layers.bidirectional({ layer: layers.gru({ units: 3 }) }), layers.dense({ units: 1 })], 3);
  await checkMasked([layers.simpleRNN({ units: 4, goBackwards: true })], 4);
});

test('Embedding maskZero + Bidirectional LSTM (sum), int64 ids with a custom lengths name', async () => {
  const model = sequential({
    layers: [
      layers.embedding({ inputDim: 8, outputDim: 3, maskZero: true, inputLength: STEPS }),
      layers.bidirectional({ layer: layers.lstm({ units: 4 }), mergeMode: 'sum' }),
    ],
  });
  randomizeWeights(model, 5);
  const ids = new Float32Array(LENGTHS.length * STEPS);
  const r = values(ids.length, 6);
  LENGTHS.forEach((len, b) => {
    for (let t = 0; t < len; t++) ids[b * STEPS + t] = 1 + Math.floor((r[b * STEPS + t] + 0.5) * 6.99);
  });
  const x = tensor(ids, [LENGTHS.length, STEPS], 'float32');
  const bytes = exportModel(model, { sequenceLengths: true, sequenceLengthsName: 'lengths' });
  await expectOnnxMatches(bytes, x, model.predict(x) as Tensor, { ids: 'int64', lengths: LENGTHS, lengthsName: 'lengths' });
});

describe('what sequence lengths cannot express', () => {
  test('a masked sequence as the model output', () => {
    const model = sequential({
      layers: [layers.masking({ inputShape: [STEPS, FEATURES] }), layers.lstm({ units: 2, returnSequences: true })],
    });
    expect(() => exportModel(model, { sequenceLengths: true })).toThrow(
      /cannot be exported with sequence lengths: its output is a masked sequence/,
    );
  });

  test('goBackwards with returnSequences under a mask', () => {
    const model = sequential({
      layers: [
        layers.masking({ inputShape: [STEPS, FEATURES] }),
        layers.gru({ units: 2, goBackwards: true, returnSequences: true, name: 'back' }),
        layers.gru({ units: 2 }),
      ],
    });
    expect(() => exportModel(model, { sequenceLengths: true })).toThrow(
      /layer 'back' \(GRU\) cannot be exported with a mask: goBackwards with returnSequences/,
    );
  });

  test('zeroOutputForMask with a last output (Keras: zeros for a row whose last step is masked; ONNX: its last valid state)', async () => {
    const model = sequential({
      layers: [
        layers.masking({ maskValue: 0, inputShape: [STEPS, FEATURES] }),
        layers.lstm({ units: 3, zeroOutputForMask: true, name: 'zl' }),
      ],
    });
    randomizeWeights(model, 7);
    const x = paddedInput(8);
    // The rows shorter than STEPS come out as zeros (Keras's rnn with zero_output_for_mask), which the lengths input cannot give.
    const y = (model.predict(x) as Tensor).dataSync();
    expect(Array.from(y.subarray(3), Math.abs)).toEqual(new Array<number>(9).fill(0));
    expect(() => exportModel(model, { sequenceLengths: true })).toThrow(
      /layer 'zl' \(LSTM\) cannot be exported with a mask: zeroOutputForMask true makes the last output zeros/,
    );
    // Without a mask the option changes nothing, and the model still exports.
    const plain = sequential({ layers: [layers.lstm({ units: 3, zeroOutputForMask: true, inputShape: [STEPS, FEATURES] })] });
    randomizeWeights(plain, 9);
    await expectOnnxMatches(exportModel(plain), x, plain.predict(x) as Tensor);
  });

  test('a layer that does not pass masks after a mask', () => {
    const model = sequential({ layers: [layers.masking({ inputShape: [STEPS, FEATURES] }), layers.flatten({ name: 'flat' })] });
    expect(() => exportModel(model, { sequenceLengths: true })).toThrow(
      /layer 'flat' \(Flatten\) cannot be exported: it receives a masked sequence/,
    );
  });

  test('sequenceLengths on a model without a mask, or on an nn module', () => {
    const model = sequential({ layers: [layers.lstm({ units: 2, inputShape: [STEPS, FEATURES] })] });
    expect(() => exportModel(model, { sequenceLengths: true })).toThrow(/sequenceLengths is true but model '\w+' has no mask/);
    expect(() => exportModel(new nn.GRU(2, 3), { sequenceLengths: true })).toThrow(
      'onnx.exportModel: sequenceLengths applies to Keras-style models with a mask (Masking, Embedding maskZero), not to nn.GRU.',
    );
  });
});
