/**
 * Keras-style Sequential models exported to ONNX and run in onnxruntime-node: the outputs equal
 * recurrent's `predict` within 1e-5 (all weights, biases included, set to random values first).
 */
import { Tensor, tensor } from '@recurrent/core';
import { Layer, layers } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import { exportModel, ExportOptions } from '../src';
import { exportAndCompare, expectOnnxMatches, randomInput, randomizeWeights, values } from './helpers/ort_compare';

const BATCH = 3;
const STEPS = 5;
const FEATURES = 4;

/** Builds the model from `stack`, randomizes its weights, and checks ONNX Runtime's output against predict. */
async function checkModel(stack: Layer[], options: ExportOptions = {}, seed = 1, batch = BATCH): Promise<Uint8Array> {
  const run = { inputName: options.inputName, outputName: options.outputName };
  return exportAndCompare(stack, { seed, shapes: [[batch, STEPS, FEATURES]], exportOptions: options, run });
}

const inputShape = [STEPS, FEATURES];

describe('LSTM', () => {
  test.each([false, true])('tfjs defaults (recurrentActivation hardSigmoid), returnSequences %s', async (returnSequences) => {
    await checkModel([layers.lstm({ units: 6, inputShape, returnSequences })]);
  });

  test('sigmoid gates, relu activation, returnSequences both ways', async () => {
    await checkModel(
      [layers.lstm({ units: 5, inputShape, recurrentActivation: 'sigmoid', activation: 'relu', returnSequences: true })],
      {},
      2,
    );
    await checkModel([layers.lstm({ units: 5, inputShape, recurrentActivation: 'sigmoid' })], {}, 3);
  });

  test("Keras 3's hard sigmoid (slope 1/6) as recurrentActivation", async () => {
    await checkModel([layers.lstm({ units: 4, inputShape, recurrentActivation: 'hardSigmoidKeras3' })], {}, 4);
  });

  test('two stacked layers and a softmax Dense head', async () => {
    await checkModel(
      [
        layers.lstm({ units: 6, inputShape, returnSequences: true }),
        layers.lstm({ units: 5, recurrentActivation: 'sigmoid' }),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
      {},
      5,
    );
  });

  test('goBackwards, returnSequences both ways (Keras keeps processing order)', async () => {
    await checkModel([layers.lstm({ units: 4, inputShape, goBackwards: true, returnSequences: true })], {}, 6);
    await checkModel([layers.lstm({ units: 4, inputShape, goBackwards: true })], {}, 7);
  });
});

describe('GRU', () => {
  test.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('resetAfter %s, returnSequences %s', async (resetAfter, returnSequences) => {
    await checkModel([layers.gru({ units: 5, inputShape, resetAfter, returnSequences })], {}, resetAfter ? 11 : 12);
  });

  test('sigmoid gates, no bias, two layers', async () => {
    await checkModel(
      [
        layers.gru({ units: 4, inputShape, recurrentActivation: 'sigmoid', useBias: false, returnSequences: true }),
        layers.gru({ units: 3, resetAfter: true, recurrentActivation: 'sigmoid' }),
      ],
      {},
      13,
    );
  });
});

describe('SimpleRNN', () => {
  test.each(['tanh', 'relu', 'linear'])('activation %s, returnSequences both ways', async (activation) => {
    await checkModel([layers.simpleRNN({ units: 5, inputShape, activation: activation as 'tanh', returnSequences: true })], {}, 21);
    await checkModel([layers.simpleRNN({ units: 5, inputShape, activation: activation as 'tanh' })], {}, 22);
  });

  test('RNN layer with a built-in cell', async () => {
    await checkModel([layers.rnn({ cell: layers.gruCell({ units: 4, resetAfter: true }), inputShape, returnSequences: true })], {}, 23);
  });
});

describe('Bidirectional', () => {
  test.each(['concat', 'sum', 'ave', 'mul'] as const)('LSTM, mergeMode %s, returnSequences both ways', async (mergeMode) => {
    await checkModel([layers.bidirectional({ layer: layers.lstm({ units: 4, returnSequences: true }), mergeMode, inputShape })], {}, 31);
    await checkModel([layers.bidirectional({ layer: layers.lstm({ units: 4 }), mergeMode, inputShape })], {}, 32);
  });

  test('GRU resetAfter true and false, stacked, with a Dense head', async () => {
    await checkModel(
      [
        layers.bidirectional({ layer: layers.gru({ units: 4, returnSequences: true, resetAfter: true }), inputShape }),
        layers.bidirectional({ layer: layers.gru({ units: 3 }), mergeMode: 'sum' }),
        layers.dense({ units: 2, activation: 'tanh' }),
      ],
      {},
      33,
    );
  });

  test("Keras's backwardLayer with its own activations (ONNX lists functions per direction)", async () => {
    await checkModel(
      [
        layers.bidirectional({
          layer: layers.lstm({ units: 3, returnSequences: true }),
          backwardLayer: layers.lstm({
            units: 3,
            returnSequences: true,
            goBackwards: true,
            activation: 'relu',
            recurrentActivation: 'sigmoid',
          }),
          inputShape,
        }),
      ],
      {},
      36,
    );
  });

  test('SimpleRNN', async () => {
    await checkModel([layers.bidirectional({ layer: layers.simpleRNN({ units: 4, returnSequences: true }), inputShape })], {}, 34);
  });

  test.each([13, 17, 18, 21])('mean merge at opset %i (ReduceMean axes attribute before 18, input after)', async (opset) => {
    await checkModel(
      [layers.bidirectional({ layer: layers.gru({ units: 3, returnSequences: true }), mergeMode: 'ave', inputShape })],
      { opset },
      35,
    );
  });
});

describe('heads and other layers', () => {
  test('TimeDistributed(Dense) after a sequence, Dropout and Activation', async () => {
    await checkModel(
      [
        layers.lstm({ units: 6, inputShape, returnSequences: true }),
        layers.dropout({ rate: 0.3 }),
        layers.timeDistributed({ layer: layers.dense({ units: 3 }) }),
        layers.activation({ activation: 'softmax' }),
      ],
      {},
      41,
    );
  });

  test.each(['relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign', 'swish', 'mish', 'gelu', 'linear'])(
    'Dense with activation %s on a sequence (MatMul broadcasts over time)',
    async (activation) => {
      await checkModel(
        [layers.gru({ units: 4, inputShape, returnSequences: true }), layers.dense({ units: 3, activation: activation as 'relu' })],
        {},
        42,
      );
    },
  );

  test.each(['int64', 'int32'] as const)('Embedding (Gather) + LSTM + Dense, %s ids', async (indexType) => {
    const model = sequential({
      layers: [layers.embedding({ inputDim: 10, outputDim: 4, inputLength: STEPS }), layers.lstm({ units: 5 }), layers.dense({ units: 2 })],
    });
    randomizeWeights(model, 51);
    const ids = tensor(
      Array.from(values(BATCH * STEPS, 52), (v) => Math.floor((v + 0.5) * 10)),
      [BATCH, STEPS],
      'float32',
    );
    const bytes = exportModel(model, { indexType });
    await expectOnnxMatches(bytes, ids, model.predict(ids) as Tensor, { ids: indexType });
  });

  test("Flatten with dataFormat 'channelsFirst' (features moved before the steps first, as Keras)", async () => {
    await checkModel(
      [layers.simpleRNN({ units: 3, inputShape, returnSequences: true }), layers.flatten({ dataFormat: 'channelsFirst' })],
      { dynamicTime: false },
      54,
    );
  });

  test('Flatten after a fixed-length sequence', async () => {
    await checkModel(
      [layers.simpleRNN({ units: 3, inputShape, returnSequences: true }), layers.flatten(), layers.dense({ units: 2 })],
      { dynamicTime: false },
      53,
    );
  });
});

describe('shapes and names', () => {
  test('the batch and time dimensions are dynamic by default: other batch sizes and lengths run', async () => {
    const model = sequential({ layers: [layers.lstm({ units: 4, inputShape: [null, FEATURES] }), layers.dense({ units: 1 })] });
    randomizeWeights(model, 61);
    const bytes = exportModel(model, { inputName: 'x', outputName: 'y' });
    const longer = randomInput([7, 9, FEATURES], 62);
    await expectOnnxMatches(bytes, longer, model.predict(longer) as Tensor, { inputName: 'x', outputName: 'y' });
  });

  test('a model without inputShape exports once built (input shape from the first kernel)', async () => {
    const model = sequential({ layers: [layers.gru({ units: 3, returnSequences: true }), layers.dense({ units: 2 })] });
    const x = randomInput([2, STEPS, FEATURES], 63);
    model.predict(x);
    randomizeWeights(model, 64);
    await expectOnnxMatches(exportModel(model), x, model.predict(x) as Tensor);
  });

  test('a Sequential nested in a Sequential exports its layers in order', async () => {
    const inner = sequential({ layers: [layers.gru({ units: 4, inputShape, returnSequences: true }), layers.gru({ units: 3 })] });
    await checkModel([inner, layers.dense({ units: 2 })], {}, 67);
  });

  test('a single layer exports as a one-layer model', async () => {
    const lstm = layers.lstm({ units: 3, inputShape });
    const model = sequential({ layers: [lstm] });
    randomizeWeights(model, 65);
    const x = randomInput([2, STEPS, FEATURES], 66);
    await expectOnnxMatches(exportModel(lstm), x, model.predict(x) as Tensor);
  });
});
