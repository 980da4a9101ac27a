/**
 * 1-D convolution and pooling layers exported to ONNX and run in onnxruntime-node: the outputs equal
 * recurrent's `predict` within 1e-5 (random weights and inputs), at the exported time length and at other
 * batch sizes and lengths (dynamic batch and time). The graph's transposes are counted from the decoded model.
 */
import { Tensor } from '@recurrent/core';
import { Layer, layers } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import { exportModel } from '../src';
import { onnx } from '../src/onnx_proto';
import { exportAndCompare, expectOnnxMatches, randomInput, randomizeWeights } from './helpers/ort_compare';

const FEATURES = 4;
const inputShape = [null, FEATURES];

/** Randomizes the model, exports it, and compares ONNX Runtime with predict on [3, 9] and [2, 14] inputs (and `extra` lengths). */
async function checkModel(stack: Layer[], seed: number, lengths = [9, 14]): Promise<Uint8Array> {
  return exportAndCompare(stack, { seed, shapes: lengths.map((steps, k) => [k === 0 ? 3 : 2, steps, FEATURES]) });
}

function opCounts(bytes: Uint8Array): { [op: string]: number } {
  const counts: { [op: string]: number } = {};
  for (const n of onnx.ModelProto.decode(bytes).graph!.node!) counts[n.opType!] = (counts[n.opType!] ?? 0) + 1;
  return counts;
}

describe('Conv1D', () => {
  test.each(['valid', 'same', 'causal'] as const)('padding %s, strides 1 and 2, dilation 1 and 2', async (padding) => {
    for (const [strides, dilationRate] of [
      [1, 1],
      [2, 1],
      [1, 2],
    ]) {
      await checkModel(
        [layers.conv1d({ filters: 5, kernelSize: 3, padding, strides, dilationRate, inputShape })],
        100 + strides + 3 * dilationRate,
      );
    }
  });

  test('strides 2 with dilation 2 at a fixed length (explicit pads; refused with a dynamic time axis)', async () => {
    for (const padding of ['valid', 'same', 'causal'] as const) {
      const model = sequential({
        layers: [layers.conv1d({ filters: 3, kernelSize: 3, padding, strides: 2, dilationRate: 2, inputShape: [11, FEATURES] })],
      });
      randomizeWeights(model, 105);
      const x = randomInput([2, 11, FEATURES], 106, 1.5);
      await expectOnnxMatches(exportModel(model, { dynamicTime: false }), x, model.predict(x) as Tensor);
    }
    const dynamic = sequential({
      layers: [layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same', strides: 2, dilationRate: 2, inputShape, name: 'dil' })],
    });
    expect(() => exportModel(dynamic)).toThrow(
      /layer 'dil' \(Conv1D\) cannot be exported: padding 'same' with strides 2 and dilationRate 2 on a dynamic time axis .* export with dynamicTime false/,
    );
  });

  test('same padding with an even kernel and stride 3 on lengths that leave remainders 0, 1, 2', async () => {
    await checkModel([layers.conv1d({ filters: 3, kernelSize: 4, padding: 'same', strides: 3, inputShape })], 110, [9, 10, 11]);
  });

  test('groups 2, no bias, relu; then softmax activation (over channels)', async () => {
    await checkModel(
      [
        layers.conv1d({ filters: 6, kernelSize: 2, groups: 2, useBias: false, activation: 'relu', padding: 'same', inputShape }),
        layers.conv1d({ filters: 3, kernelSize: 3, activation: 'softmax' }),
      ],
      120,
    );
  });

  test('CNN-LSTM: Conv1D → MaxPooling1D → Conv1D → LSTM → Dense, with one transpose in and one out', async () => {
    const bytes = await checkModel(
      [
        layers.conv1d({ filters: 6, kernelSize: 3, padding: 'causal', activation: 'relu', inputShape }),
        layers.maxPooling1d({ poolSize: 2 }),
        layers.conv1d({ filters: 5, kernelSize: 2, padding: 'same', activation: 'tanh' }),
        layers.lstm({ units: 4 }),
        layers.dense({ units: 2 }),
      ],
      130,
      [12, 17],
    );
    expect(opCounts(bytes).Transpose).toBe(2 + 1); // + the LSTM's batch-major → time-major input
    expect(opCounts(bytes).Conv).toBe(2);
  });
});

describe('DepthwiseConv1D and SeparableConv1D (Conv with group = channels)', () => {
  test('DepthwiseConv1D, depthMultiplier 2, same, strides 2', async () => {
    await checkModel([layers.depthwiseConv1d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, inputShape })], 140);
  });

  test('SeparableConv1D, causal, dilation 2, relu', async () => {
    await checkModel(
      [
        layers.separableConv1d({
          filters: 5,
          kernelSize: 3,
          depthMultiplier: 2,
          padding: 'causal',
          dilationRate: 2,
          activation: 'relu',
          inputShape,
        }),
      ],
      141,
    );
  });
});

describe('pooling', () => {
  test.each([
    ['maxPooling1d', 'valid', 2, 2],
    ['maxPooling1d', 'same', 3, 2],
    ['maxPooling1d', 'same', 2, 1],
    ['averagePooling1d', 'valid', 3, 1],
    ['averagePooling1d', 'same', 3, 2],
    ['averagePooling1d', 'same', 4, 1],
  ] as const)(
    '%s padding %s, poolSize %i, strides %i (same: edge windows average their in-sequence steps)',
    async (kind, padding, poolSize, strides) => {
      // A negative-valued input shows max pooling ignoring the padding, and averages not counting it.
      await checkModel([layers.dense({ units: FEATURES, inputShape }), layers[kind]({ poolSize, strides, padding })], 150 + poolSize);
    },
  );

  test.each(['globalAveragePooling1d', 'globalMaxPooling1d'] as const)(
    '%s after a Conv1D (reads the channels-first copy) and alone',
    async (kind) => {
      const bytes = await checkModel(
        [layers.conv1d({ filters: 3, kernelSize: 2, inputShape }), layers[kind](), layers.dense({ units: 2 })],
        160,
      );
      expect(opCounts(bytes).Transpose).toBe(1);
      await checkModel([layers.gru({ units: 3, returnSequences: true, inputShape }), layers[kind]()], 161);
    },
  );

  test.each(['globalAveragePooling1d', 'globalMaxPooling1d'] as const)('%s with dataFormat channelsFirst', async (kind) => {
    await checkModel([layers.dense({ units: 5, inputShape }), layers[kind]({ dataFormat: 'channelsFirst' })], 162);
  });
});

test.each([13, 18, 21])(
  'a conv / pool / norm / reshaping stack at opset %i (reductions take axes as an attribute before 18)',
  async (opset) => {
    const m = sequential({
      layers: [
        layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', inputShape }),
        layers.batchNormalization(),
        layers.averagePooling1d({ poolSize: 2, padding: 'same' }),
        layers.layerNormalization(),
        layers.zeroPadding1d({ padding: [1, 0] }),
        layers.globalMaxPooling1d(),
        layers.repeatVector({ n: 2 }),
        layers.globalAveragePooling1d(),
      ],
    });
    randomizeWeights(m, 170);
    const bn = m.layers[1];
    bn.setWeights(bn.getWeights().map((w, k) => (k === 3 ? w.abs().add(0.2) : w)));
    const bytes = exportModel(m, { opset });
    for (const shape of [
      [3, 9, FEATURES],
      [2, 14, FEATURES],
    ]) {
      const x = randomInput(shape, 171 + shape[1], 1.5);
      await expectOnnxMatches(bytes, x, m.predict(x) as Tensor);
    }
  },
);
