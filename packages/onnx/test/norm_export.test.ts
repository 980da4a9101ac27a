/**
 * LayerNormalization and BatchNormalization (inference) exported to ONNX and run in onnxruntime-node: the
 * outputs equal recurrent's `predict` within 1e-5 (random weights, positive moving variances, random inputs;
 * dynamic batch and time where the normalized axes allow).
 */
import { tensor } from '@recurrent/core';
import { Layer, layers } from '@recurrent/layers';
import type { ExportOptions } from '../src';
import { onnx } from '../src/onnx_proto';
import { exportAndCompare, randomizeWeights } from './helpers/ort_compare';

const FEATURES = 4;

/** Random weights; moving variances made positive (|v| + 0.2) as training leaves them. */
function randomize(model: Layer, seed: number): void {
  randomizeWeights(model, seed);
  const ws = model.getWeights();
  model.setWeights(
    model.weights.map((v, k) =>
      v.originalName.endsWith('moving_variance')
        ? tensor(
            Array.from(ws[k].dataSync(), (x) => Math.abs(x) + 0.2),
            ws[k].shape.slice(),
          )
        : ws[k],
    ),
  );
}

/** Exports, then compares ONNX Runtime with predict on [3, 6, F] and (with a dynamic time axis) [2, 9, F] inputs. */
async function checkModel(stack: Layer[], seed: number, options: ExportOptions = {}): Promise<string[]> {
  const shapes =
    options.dynamicTime === false
      ? [[3, 6, FEATURES]]
      : [
          [3, 6, FEATURES],
          [2, 9, FEATURES],
        ];
  const bytes = await exportAndCompare(stack, { seed, shapes, scale: 2, exportOptions: options, randomize });
  return onnx.ModelProto.decode(bytes).graph!.node!.map((n) => n.opType!);
}

describe('LayerNormalization', () => {
  test.each([13, 16, 17, 18, 21])('last axis after an LSTM sequence, opset %i (operator from 17, else decomposed)', async (opset) => {
    const ops = await checkModel(
      [layers.lstm({ units: 5, returnSequences: true, inputShape: [null, FEATURES] }), layers.layerNormalization({ epsilon: 1e-2 })],
      200,
      { opset },
    );
    expect(ops.includes('LayerNormalization')).toBe(opset >= 17);
  });

  test.each([
    [false, true],
    [true, false],
    [false, false],
  ])('center %s, scale %s', async (center, scale) => {
    await checkModel([layers.dense({ units: 3, inputShape: [null, FEATURES] }), layers.layerNormalization({ center, scale })], 210);
  });

  test.each([
    [[-2, -1], 'LayerNormalization'],
    [[2, 1], 'LayerNormalization'],
    [[1], 'ReduceMean'],
  ])('axes %j over a fixed time axis (%s)', async (axis, op) => {
    const ops = await checkModel([layers.dense({ units: 3, inputShape: [6, FEATURES] }), layers.layerNormalization({ axis })], 220, {
      dynamicTime: false,
    });
    expect(ops).toContain(op);
  });
});

describe('BatchNormalization (inference)', () => {
  test('on the features of a sequence, with its own epsilon', async () => {
    await checkModel(
      [layers.gru({ units: 3, returnSequences: true, inputShape: [null, FEATURES] }), layers.batchNormalization({ epsilon: 0.05 })],
      230,
    );
  });

  test('between Conv1D layers, with an Activation: on the channels-first copy (no extra transposes)', async () => {
    const ops = await checkModel(
      [
        layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', inputShape: [null, FEATURES] }),
        layers.batchNormalization(),
        layers.activation({ activation: 'relu' }),
        layers.conv1d({ filters: 3, kernelSize: 2, padding: 'causal' }),
      ],
      231,
    );
    expect(ops.filter((o) => o === 'Transpose').length).toBe(2); // in and out: BatchNormalization and Activation run channels-first
  });

  test('on a Dense output [batch, features], center and scale false', async () => {
    await checkModel(
      [layers.lstm({ units: 4, inputShape: [null, FEATURES] }), layers.batchNormalization({ center: false, scale: false })],
      232,
    );
  });

  test('axis 1 (the time axis of a fixed-length sequence)', async () => {
    await checkModel([layers.dense({ units: 3, inputShape: [6, FEATURES] }), layers.batchNormalization({ axis: 1 })], 233, {
      dynamicTime: false,
    });
  });
});
