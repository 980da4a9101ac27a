/**
 * Reshaping layers (Reshape, Permute, RepeatVector, Cropping1D, ZeroPadding1D, UpSampling1D), and convolution
 * branches merged in a functional model, exported to ONNX and run in onnxruntime-node: the outputs equal
 * recurrent's `predict` within 1e-5 (random weights and inputs; other batch sizes and lengths where dynamic).
 */
import { Tensor } from '@recurrent/core';
import { input, Layer, layers } from '@recurrent/layers';
import { model } from '@recurrent/models';
import { exportModel, ExportOptions } from '../src';
import { exportAndCompare, expectOnnxMatches, randomInput, randomizeWeights } from './helpers/ort_compare';

const FEATURES = 4;

/** Exports, then compares ONNX Runtime with predict on [3, 6, F] and (with a dynamic time axis) [2, 9, F]. */
async function checkModel(stack: Layer[], seed: number, options: ExportOptions = {}): Promise<void> {
  const shapes =
    options.dynamicTime === false
      ? [[3, 6, FEATURES]]
      : [
          [3, 6, FEATURES],
          [2, 9, FEATURES],
        ];
  await exportAndCompare(stack, { seed, shapes, exportOptions: options });
}

const fixed = [6, FEATURES];
const dynamic = [null, FEATURES];

describe('Reshape', () => {
  test('[12, 2] and [-1, 8] on a fixed length, then a Dense', async () => {
    await checkModel([layers.reshape({ targetShape: [12, 2], inputShape: fixed }), layers.dense({ units: 3 })], 300, {
      dynamicTime: false,
    });
    await checkModel([layers.reshape({ targetShape: [-1, 8], inputShape: fixed }), layers.lstm({ units: 3 })], 301, { dynamicTime: false });
  });

  test('[-1, 2] on a dynamic time axis (twice the steps)', async () => {
    await checkModel([layers.dense({ units: FEATURES, inputShape: dynamic }), layers.reshape({ targetShape: [-1, 2] })], 302);
  });
});

describe('Permute and RepeatVector', () => {
  test('Permute [2, 1]: features and steps swapped (dynamic time)', async () => {
    await checkModel([layers.gru({ units: 3, returnSequences: true, inputShape: dynamic }), layers.permute({ dims: [2, 1] })], 310);
  });

  test('Permute [2, 1] then a Dense over the (fixed) steps', async () => {
    await checkModel([layers.permute({ dims: [2, 1], inputShape: fixed }), layers.dense({ units: 2 })], 311, { dynamicTime: false });
  });

  test('encoder-decoder: LSTM → RepeatVector(5) → LSTM sequence → TimeDistributed(Dense)', async () => {
    await checkModel(
      [
        layers.lstm({ units: 4, inputShape: dynamic }),
        layers.repeatVector({ n: 5 }),
        layers.lstm({ units: 3, returnSequences: true }),
        layers.timeDistributed({ layer: layers.dense({ units: 2 }) }),
      ],
      312,
    );
  });
});

describe('Cropping1D, ZeroPadding1D, UpSampling1D', () => {
  test.each([
    [1, 2],
    [0, 3],
    [2, 0],
  ])('Cropping1D [%i, %i]', async (a, b) => {
    await checkModel([layers.dense({ units: 3, inputShape: dynamic }), layers.cropping1d({ cropping: [a, b] })], 320 + a);
  });

  test('ZeroPadding1D [1, 2] before a Conv1D, and UpSampling1D size 3 after it', async () => {
    await checkModel(
      [
        layers.zeroPadding1d({ padding: [1, 2], inputShape: dynamic }),
        layers.conv1d({ filters: 3, kernelSize: 3 }),
        layers.upSampling1d({ size: 3 }),
        layers.simpleRNN({ units: 2 }),
      ],
      330,
    );
  });
});

test('functional: two Conv1D branches (kernel 2 and 3, same padding) concatenated, an LSTM and a Dense', async () => {
  const x = input({ shape: [null, FEATURES] });
  const a = layers.conv1d({ filters: 3, kernelSize: 2, padding: 'same', activation: 'relu' }).apply(x);
  const b = layers.conv1d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x);
  const merged = layers.concatenate({ axis: -1 }).apply([a, b] as never);
  const y = layers.dense({ units: 2 }).apply(layers.lstm({ units: 4 }).apply(layers.batchNormalization().apply(merged as never)));
  const m = model({ inputs: x, outputs: y as never });
  randomizeWeights(m, 340);
  const bn = m.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
  bn.setWeights(bn.getWeights().map((w, k) => (k === 3 ? w.abs().add(0.2) : w)));
  const bytes = exportModel(m);
  for (const shape of [
    [3, 6, FEATURES],
    [2, 11, FEATURES],
  ]) {
    const input0 = randomInput(shape, 341 + shape[1], 1.5);
    await expectOnnxMatches(bytes, input0, m.predict(input0) as Tensor);
  }
});
