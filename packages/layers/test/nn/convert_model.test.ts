/**
 * nn.convert.fromLayers on a whole Keras-style model ({layers}) mixing Embedding / recurrent / Dense: the nn.Sequential
 * computes what the layers compute, its state dict has PyTorch's keys, and it round-trips through safetensors.
 */
import { noGrad, Tensor, tensor } from '@recurrent/core';
import { Bidirectional, Dense, Dropout, Embedding, Layer, LSTM, GRU, nn } from '@recurrent/layers';
import { expectClose, num } from './helpers';

const ids = tensor(Int32Array.from([1, 4, 2, 0, 3, 3, 1, 2, 4, 0]), [2, 5], 'int32');

function applyAll(layers: Layer[], x: Tensor): Tensor {
  return layers.reduce((h, l) => l.apply(h) as Tensor, x);
}

test('Embedding → LSTM (last step) → Dense becomes nn.Sequential(Embedding, LSTM, LastStep, Linear)', () => {
  const layers: Layer[] = [
    new Embedding({ inputDim: 5, outputDim: 3 }),
    new LSTM({ units: 4, recurrentActivation: 'sigmoid' }),
    new Dense({ units: 2 }),
  ];
  const expected = applyAll(layers, ids);
  const m = nn.convert.fromLayers({ layers }) as nn.Sequential;
  expect(m.toString()).toMatch(/Embedding[\s\S]*LSTM[\s\S]*LastStep[\s\S]*Linear/);
  expect(Object.keys(m.stateDict())).toEqual([
    '0.weight',
    '1.weight_ih_l0',
    '1.weight_hh_l0',
    '1.bias_ih_l0',
    '1.bias_hh_l0',
    '3.weight',
    '3.bias',
  ]);
  expectClose(num(noGrad(() => m.forward(ids))), num(expected), 1e-5, 'converted model');
  const back = nn.convert.fromLayers({ layers }) as nn.Sequential;
  back.loadStateDict(nn.loadSafetensors(nn.saveSafetensors(m.stateDict())));
  expectClose(num(back.forward(ids)), num(expected), 1e-5, 'after safetensors');
});

test('bidirectional GRU stack with Dropout between, returning sequences, then Dense', () => {
  const layers: Layer[] = [
    new Embedding({ inputDim: 5, outputDim: 3 }),
    new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid', resetAfter: true }) }),
    new Dropout({ rate: 0.2 }),
    new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid', resetAfter: true }) }),
    new Dense({ units: 2 }),
  ];
  const expected = applyAll(layers, ids);
  const m = nn.convert.fromLayers({ layers }) as nn.Sequential;
  m.eval();
  const gru = m.at(1) as nn.GRU;
  expect([gru.numLayers, gru.bidirectional, gru.dropout]).toEqual([2, true, 0.2]);
  expectClose(num(m.forward(ids)), num(expected), 1e-5, 'converted model');
});

test('an array of only recurrent layers still gives the bare module (as before)', () => {
  const l = new LSTM({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' });
  l.apply(tensor(new Float32Array(2 * 3 * 3), [2, 3, 3]));
  expect(nn.convert.fromLayers([l])).toBeInstanceOf(nn.LSTM);
});

test('bad input: a Dense with an activation, maskZero, unknown layers, unbuilt', () => {
  const relu = [
    new Embedding({ inputDim: 5, outputDim: 3 }),
    new LSTM({ units: 2, recurrentActivation: 'sigmoid' }),
    new Dense({ units: 2, activation: 'relu' }),
  ];
  applyAll(relu, ids);
  expect(() => nn.convert.fromLayers({ layers: relu })).toThrow(
    /Dense dense_\d+ has activation 'relu'; only a linear Dense maps to nn\.Linear/,
  );
  const masked = [new Embedding({ inputDim: 5, outputDim: 3, maskZero: true }), new LSTM({ units: 2, recurrentActivation: 'sigmoid' })];
  applyAll(masked, ids);
  expect(() => nn.convert.fromLayers({ layers: masked })).toThrow(/has maskZero: true; nn modules have no implicit masks \(pack the batch/);
  expect(() => nn.convert.fromLayers({ layers: [new Dense({ units: 2 })] })).toThrow(/layer dense_\d+ is not built/);
  expect(() => nn.convert.fromLayers(42 as never)).toThrow(/expected a model with a layers array or an array of layers, received number/);
});
