/**
 * A real PyTorch export: fixtures/pytorch_export.json holds small nn.LSTM / nn.GRU state dicts written by
 * examples/pytorch_export/export_state_dict.py with their outputs on a fixed input. Regenerate (repository root):
 *
 *   /usr/bin/python3 examples/pytorch_export/export_state_dict.py --fixture packages/layers/test/nn/fixtures/pytorch_export.json
 *
 * The state dicts go through nn.loadStateDictJSON + loadStateDict (strict, PyTorch names), and the modules'
 * outputs and final states must match PyTorch's within 1e-5.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor, tensor } from '@recurrent/core';
import { nn } from '@recurrent/layers';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'pytorch_export.json'), 'utf8'));

interface JT {
  shape: number[];
  data: number[];
}

const asTensor = (j: JT): Tensor => tensor(Float32Array.from(j.data), j.shape, 'float32');

function expectWithin(got: Tensor, want: JT, tol: number): void {
  expect(got.shape).toEqual(want.shape);
  const g = Array.from(got.values as Float32Array);
  let worst = 0;
  for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i] - want.data[i]));
  expect(g.length).toBe(want.data.length);
  expect(worst).toBeLessThan(tol);
}

describe('a state dict exported from PyTorch by export_state_dict.py', () => {
  test('nn.LSTM (2 layers) loads it and matches PyTorch outputs, h_n and c_n', () => {
    const c = fx.cases.lstm;
    const lstm = new nn.LSTM(c.options.inputSize, c.options.hiddenSize, { numLayers: c.options.numLayers, batchFirst: false });
    lstm.loadStateDict(nn.loadStateDictJSON(JSON.stringify(c.state_dict)));
    const [out, [hN, cN]] = lstm.forwardWithState(asTensor(c.input));
    expectWithin(out, c.output, 1e-5);
    expectWithin(hN, c.h_n, 1e-5);
    expectWithin(cN, c.c_n, 1e-5);
  });

  test('nn.GRU (bidirectional) loads it and matches PyTorch outputs and h_n', () => {
    const c = fx.cases.gru;
    const gru = new nn.GRU(c.options.inputSize, c.options.hiddenSize, { bidirectional: c.options.bidirectional, batchFirst: false });
    gru.loadStateDict(nn.loadStateDictJSON(c.state_dict));
    const [out, hN] = gru.forwardWithState(asTensor(c.input));
    expectWithin(out, c.output, 1e-5);
    expectWithin(hN, c.h_n, 1e-5);
  });

  test('loading it into a module of other sizes is refused, naming the key and the shapes', () => {
    const c = fx.cases.lstm;
    const lstm = new nn.LSTM(c.options.inputSize, c.options.hiddenSize + 1, { numLayers: c.options.numLayers, batchFirst: false });
    expect(() => lstm.loadStateDict(nn.loadStateDictJSON(c.state_dict))).toThrow(
      /size mismatch for 'weight_ih_l0'.*state dict has shape \[16,3\], the parameter has shape \[20,3\]/,
    );
  });
});
