/**
 * PyTorch-style nn modules and the model format (issue 7): a PyTorch checkpoint exported to JSON (the format of
 * examples/pytorch_export/export_state_dict.py: {key: {shape, data}} with PyTorch's key names and layouts) →
 * nn.LSTM (numLayers 2) → nn.convert.toLayers → sequential() → save('file://...') → loadLayersModel predicts what
 * the nn module computes; and nn modules train with the library's optimizers (train.adam().applyGradients on the
 * gradients of module.parameters()).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mean, RandomGenerator, reshape, slice, square, sub, Tensor, tensor, variableGrads } from '@recurrent/core';
import { nn, resetNameCounters } from '@recurrent/layers';
import { loadLayersModel, sequential, train } from '@recurrent/models';
import { maxAbsDiff, values } from './helpers';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-nn-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeEach(() => resetNameCounters());

/** A PyTorch state_dict of nn.LSTM/nn.GRU(inputSize, hidden, num_layers, bidirectional) as the export script writes it. */
function torchCheckpointJSON(
  gates: number,
  inputSize: number,
  hidden: number,
  numLayers: number,
  bidirectional: boolean,
  seed: number,
): string {
  const rng = new RandomGenerator(seed);
  const k = 1 / Math.sqrt(hidden); // PyTorch's init range
  const entry = (shape: number[]) => ({ shape, data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-k, k)) });
  const dict: { [key: string]: { shape: number[]; data: number[] } } = {};
  const D = bidirectional ? 2 : 1;
  for (let l = 0; l < numLayers; l++) {
    for (const sfx of bidirectional ? ['', '_reverse'] : ['']) {
      const inSize = l === 0 ? inputSize : D * hidden;
      dict[`weight_ih_l${l}${sfx}`] = entry([gates * hidden, inSize]);
      dict[`weight_hh_l${l}${sfx}`] = entry([gates * hidden, hidden]);
      dict[`bias_ih_l${l}${sfx}`] = entry([gates * hidden]);
      dict[`bias_hh_l${l}${sfx}`] = entry([gates * hidden]);
    }
  }
  return JSON.stringify(dict);
}

function sequenceInput(batch: number, steps: number, features: number): Tensor {
  return tensor(
    Array.from({ length: batch * steps * features }, (_, i) => Math.sin(0.61 * i) * 1.2),
    [batch, steps, features],
  );
}

describe('PyTorch checkpoint (JSON) → nn module → layers → file → loadLayersModel', () => {
  it('nn.LSTM with numLayers 2: the saved and reloaded model predicts what the nn module computes', async () => {
    const dict = nn.loadStateDictJSON(torchCheckpointJSON(4, 3, 5, 2, false, 11));
    const lstm = new nn.LSTM(3, 5, { numLayers: 2 });
    lstm.loadStateDict(dict);
    const x = sequenceInput(2, 6, 3);
    const expected = values(lstm.forward(x) as Tensor);

    const model = sequential({ layers: nn.convert.toLayers(lstm) });
    expect(maxAbsDiff(values(model.predict(x)), expected)).toBeLessThan(1e-5);
    await model.save(`file://${path.join(tmp, 'lstm')}`);
    const json = JSON.parse(fs.readFileSync(path.join(tmp, 'lstm', 'model.json'), 'utf8'));
    expect(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['LSTM', 'LSTM']);
    expect(json.modelTopology.config.layers[0].config.batch_input_shape).toEqual([null, 6, 3]);

    const back = await loadLayersModel(`file://${path.join(tmp, 'lstm', 'model.json')}`);
    expect(maxAbsDiff(values(back.predict(x)), expected)).toBeLessThan(1e-5);
    expect(values(back.predict(x))).toEqual(values(model.predict(x)));
    // And back to PyTorch's layout: the same function again.
    const again = nn.convert.fromLayers(back.layers);
    expect(maxAbsDiff(values(again.forward(x) as Tensor), expected)).toBeLessThan(1e-5);
  });

  it('bidirectional nn.GRU with numLayers 2 (Keras GRU resetAfter true inside Bidirectional) round-trips the same way', async () => {
    const gru = new nn.GRU(3, 4, { numLayers: 2, bidirectional: true });
    gru.loadStateDict(nn.loadStateDictJSON(torchCheckpointJSON(3, 3, 4, 2, true, 12)));
    const x = sequenceInput(2, 5, 3);
    const expected = values(gru.forward(x) as Tensor);
    const model = sequential({ layers: nn.convert.toLayers(gru) });
    model.predict(x);
    await model.save(`file://${path.join(tmp, 'gru')}`);
    const back = await loadLayersModel(`file://${path.join(tmp, 'gru', 'model.json')}`);
    expect(back.layers.map((l) => l.getClassName())).toEqual(['Bidirectional', 'Bidirectional']);
    expect(maxAbsDiff(values(back.predict(x)), expected)).toBeLessThan(1e-5);
  });
});

describe('nn modules train with the library optimizers', () => {
  class Regressor extends nn.Module {
    lstm = this.registerModule('lstm', new nn.LSTM(2, 8, { seed: 1 }));
    head = this.registerModule('head', new nn.Linear(8, 1, { seed: 2 }));
    forward(x: Tensor): Tensor {
      const out = this.lstm.forward(x) as Tensor;
      const [batch, steps, hidden] = out.shape;
      return this.head.forward(reshape(slice(out, [0, steps - 1, 0], [batch, 1, hidden]), [batch, hidden]));
    }
  }

  it('train.adam().applyGradients(variableGrads(loss, module.parameters()).grads): the loss of a seeded toy task falls', () => {
    const rng = new RandomGenerator(5);
    const N = 32;
    const T = 4;
    const xv = new Float32Array(N * T * 2);
    for (let i = 0; i < xv.length; i++) xv[i] = rng.uniform(-1, 1);
    const yv = new Float32Array(N);
    for (let n = 0; n < N; n++) yv[n] = xv[n * T * 2] - 0.5 * xv[(n * T + T - 1) * 2 + 1]; // first step's x0 minus half the last x1
    const x = tensor(xv, [N, T, 2]);
    const y = tensor(yv, [N, 1]);
    const model = new Regressor();
    const params = model.parameters();
    const loss = () => mean(square(sub(model.forward(x), y)));
    const optimizer = train.adam(0.02);
    const losses: number[] = [];
    for (let step = 0; step < 60; step++) {
      const { value, grads } = variableGrads(loss, params);
      losses.push(Number(value.dataSync()[0]));
      optimizer.applyGradients(grads);
    }
    expect(optimizer.iterations).toBe(60);
    expect(losses[59]).toBeLessThan(0.3 * losses[0]);
    // The trained LSTM still converts and saves like any other.
    const layers = nn.convert.toLayers(model.lstm, { returnSequences: false });
    expect(layers.length).toBe(1);
  });
});
