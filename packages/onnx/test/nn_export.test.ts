/**
 * PyTorch-style nn modules exported to ONNX and run in onnxruntime-node: the outputs equal `forward`'s
 * within 1e-5 (PyTorch gate orders i,f,g,o / r,z,n reordered to ONNX's i,o,f,c / z,r,h).
 */
import { Tensor, tensor } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { exportModel, ExportOptions } from '../src';
import { expectOnnxMatches, randomInput, randomizeParameters, values } from './helpers/ort_compare';

async function checkModule(module: nn.Module, inputShape: number[], seed: number, options: ExportOptions = {}): Promise<void> {
  randomizeParameters(module, seed);
  module.eval();
  const x = randomInput(inputShape, seed + 5, 1.5);
  const expected = (module as unknown as { forward(x: Tensor): Tensor }).forward(x);
  await expectOnnxMatches(exportModel(module, options), x, expected);
}

describe('recurrent modules', () => {
  test.each([
    [1, false],
    [2, false],
    [1, true],
    [2, true],
  ])('nn.LSTM numLayers %i, bidirectional %s (batchFirst)', async (numLayers, bidirectional) => {
    await checkModule(new nn.LSTM(4, 5, { numLayers, bidirectional }), [3, 6, 4], 100 + numLayers);
  });

  test.each([
    [1, false],
    [2, true],
  ])('nn.GRU numLayers %i, bidirectional %s (linear_before_reset, r,z,n reordered)', async (numLayers, bidirectional) => {
    await checkModule(new nn.GRU(4, 3, { numLayers, bidirectional }), [2, 5, 4], 110 + numLayers);
  });

  test.each(['tanh', 'relu'] as const)('nn.RNN nonlinearity %s, 2 layers, bidirectional', async (nonlinearity) => {
    await checkModule(new nn.RNN(3, 4, { numLayers: 2, bidirectional: true, nonlinearity }), [2, 5, 3], 120);
  });

  test('time-major input (batchFirst false)', async () => {
    await checkModule(new nn.LSTM(3, 4, { batchFirst: false, numLayers: 2 }), [6, 2, 3], 130);
    await checkModule(new nn.GRU(3, 4, { batchFirst: false, bidirectional: true }), [6, 2, 3], 131);
  });

  test('without biases', async () => {
    await checkModule(new nn.LSTM(3, 4, { bias: false }), [2, 5, 3], 140);
    await checkModule(new nn.RNN(3, 4, { bias: false }), [2, 5, 3], 141);
  });
});

describe('Sequential, Linear, Embedding, Dropout', () => {
  test('nn.Sequential(LSTM, Dropout, Linear) on a sequence', async () => {
    await checkModule(new nn.Sequential(new nn.LSTM(4, 6, { numLayers: 2 }), new nn.Dropout(0.2), new nn.Linear(6, 3)), [2, 5, 4], 150);
  });

  test('nn.Linear on features [batch, in]', async () => {
    await checkModule(new nn.Linear(5, 3), [4, 5], 151);
    await checkModule(new nn.Linear(5, 3, { bias: false }), [4, 5], 152);
  });

  test.each(['int64', 'int32'] as const)('nn.Sequential(Embedding, GRU, Linear) with %s ids', async (indexType) => {
    const model = new nn.Sequential(new nn.Embedding(12, 4), new nn.GRU(4, 5, { bidirectional: true }), new nn.Linear(10, 2));
    randomizeParameters(model, 160);
    model.eval();
    const ids = tensor(
      Array.from(values(3 * 6, 161), (v) => Math.floor((v + 0.5) * 12)),
      [3, 6],
      'int32',
    );
    await expectOnnxMatches(exportModel(model, { indexType }), ids, model.forward(ids) as Tensor, { ids: indexType });
  });
});
