/**
 * CNN-LSTM models (TimeDistributed(Conv2D / pooling / Flatten) → LSTM) and 2-D layers exported to ONNX and run
 * in onnxruntime-node: the outputs equal recurrent's `predict` within 1e-5 (random weights and inputs), at
 * other batch sizes and numbers of frames (the time axis is folded into the batch with Reshape).
 */
import { Tensor } from '@recurrent/core';
import { input, Layer, layers } from '@recurrent/layers';
import { model, sequential } from '@recurrent/models';
import { exportModel, ExportOptions } from '../src';
import { exportAndCompare, expectOnnxMatches, randomInput, randomizeWeights } from './helpers/ort_compare';

const FRAME = [7, 6, 2];
/** TimeDistributed(layer); the first one of a model takes the input shape [frames, rows, cols, channels]. */
const td = (layer: Layer, first = false): Layer => layers.timeDistributed({ layer, ...(first ? { inputShape: [null, ...FRAME] } : {}) });

/** Exports, then compares ONNX Runtime with predict on each input shape. */
async function checkModel(stack: Layer[], seed: number, shapes: number[][], exportOptions: ExportOptions = {}): Promise<void> {
  await exportAndCompare(stack, { seed, shapes, exportOptions });
}

const videos = [
  [3, 4, ...FRAME],
  [2, 6, ...FRAME],
];

describe('TimeDistributed 2-D layers before an LSTM (CNN-LSTM)', () => {
  test('Conv2D same relu → MaxPooling2D → Conv2D [2, 3] strides 2 → AveragePooling2D same → Flatten → LSTM → Dense', async () => {
    await checkModel(
      [
        td(layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }), true),
        td(layers.maxPooling2d({ poolSize: 2, padding: 'same' })),
        td(layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: 2, padding: 'same' })),
        td(layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' })),
        td(layers.flatten()),
        layers.lstm({ units: 4 }),
        layers.dense({ units: 2 }),
      ],
      400,
      videos,
    );
  });

  test('Conv2D valid with dilation 2 and no bias, then GlobalAveragePooling2D and a GRU sequence', async () => {
    await checkModel(
      [
        td(layers.conv2d({ filters: 3, kernelSize: 2, dilationRate: 2, useBias: false, activation: 'tanh' }), true),
        td(layers.globalAveragePooling2d()),
        layers.gru({ units: 3, returnSequences: true }),
      ],
      401,
      videos,
    );
  });

  test('GlobalMaxPooling2D keepdims, Flatten, BatchNormalization per frame', async () => {
    const stack = [
      td(layers.conv2d({ filters: 3, kernelSize: 3, strides: [2, 1] }), true),
      td(layers.batchNormalization()),
      td(layers.globalMaxPooling2d({ keepdims: true })),
      td(layers.flatten()),
      layers.simpleRNN({ units: 2 }),
    ];
    const m = sequential({ layers: stack });
    randomizeWeights(m, 402);
    // Moving variances positive, as training leaves them.
    const bn = (stack[1] as unknown as { layer: Layer }).layer;
    bn.setWeights(bn.getWeights().map((w, k) => (k === 3 ? w.abs().add(0.2) : w)));
    const bytes = exportModel(m);
    for (const [k, shape] of videos.entries()) {
      const x = randomInput(shape, 409 + k, 1.5);
      await expectOnnxMatches(bytes, x, m.predict(x) as Tensor);
    }
  });
});

describe('2-D layers on images [batch, rows, cols, channels]', () => {
  test('Conv2D with a softmax over the channels, AveragePooling2D valid strides 2, Flatten, Dense', async () => {
    await checkModel(
      [
        layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'softmax', inputShape: FRAME }),
        layers.averagePooling2d({ poolSize: 2 }),
        layers.flatten(),
        layers.dense({ units: 2 }),
      ],
      410,
      [
        [3, ...FRAME],
        [1, ...FRAME],
      ],
      { dynamicTime: false },
    );
  });
});

test('functional CNN-LSTM: the input feeding a TimeDistributed has a dynamic frame count (opsets 13, 17, 21)', async () => {
  const x = input({ shape: [null, ...FRAME] });
  const frames = td(layers.flatten()).apply(
    td(layers.maxPooling2d({ poolSize: 3, strides: 2 })).apply(td(layers.conv2d({ filters: 2, kernelSize: 2 })).apply(x)),
  );
  const m = model({ inputs: x, outputs: layers.lstm({ units: 3 }).apply(frames as never) as never });
  randomizeWeights(m, 420);
  for (const opset of [13, 17, 21]) {
    const bytes = exportModel(m, { opset });
    for (const [k, shape] of videos.entries()) {
      const v = randomInput(shape, 421 + k, 1.5);
      await expectOnnxMatches(bytes, v, m.predict(v) as Tensor);
    }
  }
});
