/**
 * ConvLSTM1D and ConvLSTM1DCell: outputs and final states against Keras 3.15's ConvLSTM1D with the same weights
 * (fixtures/keras_conv_lstm1d, made by generate.py there: strides, dilation, padding, returnSequences,
 * returnState, goBackwards, masks, initial states); finite-difference gradients w.r.t. every weight, the input
 * and the initial states; equality with ConvLSTM2D (checked against tfjs in its own test) over [steps, 1]
 * images with a [k, 1] kernel; stateful streaming; dropout; shapes with null dims; the harness; config
 * round trip; bad input.
 */
import * as fs from 'fs';
import * as path from 'path';
import { concat, reshape, slice, sum, Tensor, tensor, zeros } from '@recurrent/core';
import {
  ConvLSTM1D,
  ConvLSTM1DArgs,
  ConvLSTM1DCell,
  ConvLSTM2D,
  deserialize,
  Layer,
  layers,
  resetNameCounters,
  serialize,
} from '../../src';
import { checkGradients } from '@recurrent/test-utils';
import { checkWeightGradients } from '../helpers/weight_grad_check';
import { runLayerHarness } from '../helpers/layer_harness';
import { maxDiff, uniform } from './rnn_test_utils';

interface Encoded {
  shape: number[];
  values: number[];
}
interface KerasCase {
  title: string;
  args: ConvLSTM1DArgs;
  x: Encoded;
  weights: Encoded[];
  mask?: number[][];
  initialState?: Encoded[];
  outputs: Encoded[];
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras_conv_lstm1d/keras_conv_lstm1d.json'), 'utf8')) as {
  keras_version: string;
  cases: KerasCase[];
};
const dec = (e: Encoded) => tensor(e.values, e.shape);

runLayerHarness({
  make: () => layers.convLstm1d({ filters: 3, kernelSize: 3, padding: 'same' }),
  inputShape: [2, 3, 5, 2],
  expectedOutputShape: [2, 5, 3],
  expectedWeightShapes: [[3, 2, 12], [3, 3, 12], [12]],
  expectedParamCount: 3 * 2 * 12 + 3 * 3 * 12 + 12,
});
runLayerHarness({
  title: 'ConvLSTM1D valid, strides 2, dilation 1, returnSequences + returnState, no bias',
  make: () => layers.convLstm1d({ filters: 2, kernelSize: 2, strides: 2, returnSequences: true, returnState: true, useBias: false }),
  inputShape: [2, 3, 7, 1],
  expectedOutputShape: [
    [2, 3, 3, 2],
    [2, 3, 2],
    [2, 3, 2],
  ],
  expectedWeightShapes: [
    [2, 1, 8],
    [2, 2, 8],
  ],
  expectedParamCount: 2 * 1 * 8 + 2 * 2 * 8,
});
runLayerHarness({
  make: () => layers.convLstm1dCell({ filters: 2, kernelSize: 2, padding: 'same' }),
  inputShape: [2, 4, 3],
  makeInput: () => [uniform([2, 4, 3], 1), uniform([2, 4, 2], 2), uniform([2, 4, 2], 3)],
  expectedOutputShape: [
    [2, 4, 2],
    [2, 4, 2],
    [2, 4, 2],
  ],
  expectedWeightShapes: [[2, 3, 8], [2, 2, 8], [8]],
  expectedParamCount: 2 * 3 * 8 + 2 * 2 * 8 + 8,
});

describe('ConvLSTM1D: Keras 3 parity (same weights)', () => {
  it('the fixture was made by Keras 3.15 and has every case', () => {
    expect(fixture.keras_version).toMatch(/^3\.15\./);
    expect(fixture.cases.length).toBe(8);
  });

  it.each(fixture.cases.map((c) => [c.title, c] as const))('%s', (_, c) => {
    const layer = new ConvLSTM1D(c.args);
    const x = dec(c.x);
    layer.apply(x);
    expect(layer.getWeights().map((w) => w.shape)).toEqual(c.weights.map((w) => w.shape));
    layer.setWeights(c.weights.map(dec));
    const kwargs = {
      ...(c.mask ? { mask: tensor(c.mask.flat(), [c.mask.length, c.mask[0].length], 'bool') } : {}),
      ...(c.initialState ? { initialState: c.initialState.map(dec) } : {}),
    };
    const y = layer.apply(x, kwargs);
    const ys = Array.isArray(y) ? y : [y];
    expect(ys.length).toBe(c.outputs.length);
    const shapes = layer.computeOutputShape(x.shape);
    ys.forEach((t, i) => {
      expect(t.shape).toEqual(c.outputs[i].shape);
      expect(t.shape).toEqual(ys.length > 1 ? (shapes as number[][])[i] : shapes);
      // Largest seen: 1.2e-7 (float32 summation order); a weight or formula error gives ≳ 1e-4.
      expect(maxDiff(t, dec(c.outputs[i]))).toBeLessThan(1e-6);
    });
  });

  it('a changed weight is caught (the comparison can fail)', () => {
    const c = fixture.cases[1];
    const layer = new ConvLSTM1D(c.args);
    layer.apply(dec(c.x));
    const w = c.weights.map(dec);
    w[1] = tensor(
      c.weights[1].values.map((v, i) => (i === 5 ? v + 1e-3 : v)),
      c.weights[1].shape,
    );
    layer.setWeights(w);
    expect(maxDiff((layer.apply(dec(c.x)) as Tensor[])[0], dec(c.outputs[0]))).toBeGreaterThan(1e-6);
  });
});

describe('ConvLSTM1D: equals ConvLSTM2D over [steps, 1] images with a [k, 1] kernel', () => {
  it.each([
    { padding: 'same' as const, strides: 1, dilationRate: 1 },
    { padding: 'valid' as const, strides: 2, dilationRate: 1 },
    { padding: 'same' as const, strides: 1, dilationRate: 2 },
  ])('padding $padding, strides $strides, dilation $dilationRate, returnSequences + returnState', (o) => {
    const common = { filters: 2, returnSequences: true, returnState: true, padding: o.padding };
    const one = new ConvLSTM1D({ ...common, kernelSize: 3, strides: o.strides, dilationRate: o.dilationRate });
    const two = new ConvLSTM2D({ ...common, kernelSize: [3, 1], strides: [o.strides, 1], dilationRate: [o.dilationRate, 1] });
    const x = uniform([2, 3, 7, 2], 90);
    one.apply(x);
    one.setWeights(one.getWeights().map((w, i) => uniform(w.shape.slice(), 91 + i, -0.5, 0.5)));
    const x2 = reshape(x, [2, 3, 7, 1, 2]);
    two.apply(x2);
    two.setWeights(one.getWeights().map((w) => (w.rank === 3 ? reshape(w, [w.shape[0], 1, w.shape[1], w.shape[2]]) : w)));
    const a = one.apply(x) as Tensor[];
    const b = two.apply(x2) as Tensor[];
    a.forEach((t, i) => expect(maxDiff(t, reshape(b[i], t.shape))).toBeLessThan(1e-6));
  });
});

describe('ConvLSTM1D: gradients, state, dropout', () => {
  it('finite-difference gradients w.r.t. every weight (same padding, dilation 2, mask, returnSequences)', () => {
    const layer = new ConvLSTM1D({
      filters: 2,
      kernelSize: 2,
      padding: 'same',
      dilationRate: 2,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
    });
    const x = uniform([2, 3, 5, 2], 40);
    const mask = tensor([1, 0, 1, 1, 1, 0], [2, 3], 'float32');
    layer.apply(x);
    layer.setWeights(layer.getWeights().map((w, i) => uniform(w.shape.slice(), 41 + i, -0.6, 0.6)));
    const wts = uniform([2, 3, 5, 2], 45, 0.5, 1.5);
    checkWeightGradients(layer, () => sum((layer.apply(x, { mask }) as Tensor).mul(wts)));
  });

  it('finite-difference gradients w.r.t. every weight, the input and the initial states (valid, strides 2, goBackwards)', () => {
    const layer = new ConvLSTM1D({ filters: 2, kernelSize: 3, strides: 2, goBackwards: true, returnState: true });
    const x = uniform([2, 3, 7, 1], 46);
    layer.apply(x);
    layer.setWeights(layer.getWeights().map((w, i) => uniform(w.shape.slice(), 47 + i, -0.6, 0.6)));
    const h0 = uniform([2, 3, 2], 50);
    const c0 = uniform([2, 3, 2], 51);
    const wts = uniform([3 * 2 * 3 * 2], 52, 0.5, 1.5);
    const flatOut = (xx: Tensor, h: Tensor, c: Tensor) =>
      concat(
        (layer.apply(xx, { initialState: [h, c] }) as Tensor[]).map((t) => t.reshape([-1])),
        0,
      );
    checkWeightGradients(layer, () => sum(flatOut(x, h0, c0).mul(wts)));
    checkGradients(flatOut, [x, h0, c0]);
  });

  it('stateful: two calls of 2 steps equal one call of 4 steps; resetStates zeroes', () => {
    const x = uniform([2, 4, 6, 2], 55);
    const whole = new ConvLSTM1D({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true });
    const expected = whole.apply(x) as Tensor;
    const s = new ConvLSTM1D({
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      returnSequences: true,
      stateful: true,
      batchInputShape: [2, null, 6, 2],
    });
    const part = (t: number) => slice(x, [0, t, 0, 0], [2, 2, 6, 2]);
    s.apply(part(0));
    s.setWeights(whole.getWeights());
    s.resetStates();
    const a = s.apply(part(0)) as Tensor;
    const b = s.apply(part(2)) as Tensor;
    expect(maxDiff(concat([a, b], 1), expected)).toBeLessThan(1e-6);
    expect(s.states!.map((t) => t.shape)).toEqual([
      [2, 6, 2],
      [2, 6, 2],
    ]);
    s.resetStates();
    expect(Array.from(s.states![0].dataSync()).every((v) => v === 0)).toBe(true);
    expect(() => s.resetStates([zeros([2, 6, 3]), zeros([2, 6, 2])])).toThrow(
      `Layer ${s.name}: resetStates[0] must have shape [2,6,2] ([batch, outSteps, filters]), received [2,6,3].`,
    );
    const noSteps = new ConvLSTM1D({ filters: 2, kernelSize: 3, stateful: true, batchInputShape: [2, null, null, 2], name: 'nosteps' });
    expect(() => noSteps.resetStates()).toThrow(
      'Layer nosteps: a stateful ConvLSTM1D needs the steps of its input in batchInputShape, received [2,null,null,2].',
    );
  });

  it('dropout: inference is unaffected; training is seeded, differs from inference, and equals a loop of cell.call', () => {
    const x = uniform([2, 3, 6, 2], 60);
    const make = () => new ConvLSTM1D({ filters: 2, kernelSize: 3, padding: 'same', dropout: 0.5, recurrentDropout: 0.3, seed: 7 });
    const plain = new ConvLSTM1D({ filters: 2, kernelSize: 3, padding: 'same' });
    const y0 = plain.apply(x) as Tensor;
    const drop = make();
    drop.apply(x);
    drop.setWeights(plain.getWeights());
    expect(maxDiff(drop.apply(x) as Tensor, y0)).toBe(0);
    const t1 = drop.apply(x, { training: true }) as Tensor;
    expect(maxDiff(t1, y0)).toBeGreaterThan(1e-3);
    const again = make();
    again.apply(x);
    again.setWeights(plain.getWeights());
    const cell = again.convLstmCell;
    cell.resetDropoutMasks();
    let h = zeros([2, 6, 2]);
    let c = zeros([2, 6, 2]);
    for (let t = 0; t < 3; t++) [h, , c] = cell.call([reshape(slice(x, [0, t, 0, 0], [2, 1, 6, 2]), [2, 6, 2]), h, c], { training: true });
    expect(maxDiff(h, t1)).toBeLessThan(1e-6);
  });

  it('works inside Bidirectional and propagates masks as an RNN', () => {
    const bi = layers.bidirectional({ layer: layers.convLstm1d({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true }) });
    expect((bi.apply(uniform([2, 3, 5, 1], 75)) as Tensor).shape).toEqual([2, 3, 5, 4]);
    expect(bi.computeOutputShape([null, 3, 5, 1])).toEqual([null, 3, 5, 4]);
    const back = deserialize<Layer>(JSON.parse(JSON.stringify(serialize(bi))), 'layer');
    expect(back.getConfig()).toEqual(bi.getConfig());
    const m = tensor([[1, 0, 1]], [1, 3], 'bool');
    const x = uniform([1, 3, 4, 1], 70);
    expect(new ConvLSTM1D({ filters: 1, kernelSize: 1, returnSequences: true }).computeMask(x, m)).toBe(m);
    expect(new ConvLSTM1D({ filters: 1, kernelSize: 1 }).computeMask(x, m)).toBeNull();
  });
});

describe('ConvLSTM1D: shapes, config and registry', () => {
  it('computeOutputShape with null dims', () => {
    const l = new ConvLSTM1D({ filters: 4, kernelSize: 3, returnSequences: true, returnState: true });
    expect(l.computeOutputShape([null, null, 8, 3])).toEqual([
      [null, null, 6, 4],
      [null, 6, 4],
      [null, 6, 4],
    ]);
    expect(l.computeOutputShape([null, 5, null, 3])).toEqual([
      [null, 5, null, 4],
      [null, null, 4],
      [null, null, 4],
    ]);
    expect(new ConvLSTM1D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).computeOutputShape([null, null, 7, 3])).toEqual([
      null,
      4,
      4,
    ]);
    expect(new ConvLSTM1D({ filters: 4, kernelSize: 3, dilationRate: 2 }).computeOutputShape([3, 2, 9, 3])).toEqual([3, 5, 4]);
  });

  it("round-trips its options and registers ConvLSTM1D and ConvLSTM1DCell; default names are Keras's", () => {
    resetNameCounters();
    const l = new ConvLSTM1D({
      filters: 3,
      kernelSize: [2],
      strides: 2,
      padding: 'same',
      dilationRate: 1,
      returnSequences: true,
      goBackwards: true,
      recurrentActivation: 'sigmoid',
      dropout: 0.1,
      unitForgetBias: false,
    });
    expect(l.name).toBe('conv_lstm1d');
    const c = l.getConfig();
    expect(c).toMatchObject({
      filters: 3,
      kernelSize: [2],
      strides: [2],
      padding: 'same',
      dataFormat: 'channelsLast',
      dilationRate: [1],
      returnSequences: true,
      returnState: false,
      goBackwards: true,
      stateful: false,
      dropout: 0.1,
      unitForgetBias: false,
      recurrentActivation: 'sigmoid',
    });
    expect(c.units).toBeUndefined();
    const back = deserialize<Layer>(JSON.parse(JSON.stringify(serialize(l))), 'layer');
    expect(back).toBeInstanceOf(ConvLSTM1D);
    expect(back.getConfig()).toEqual(c);
    expect((ConvLSTM1D as unknown as typeof Layer).fromConfig(c).getConfig()).toEqual(c);
    const cell = deserialize<Layer>(JSON.parse(JSON.stringify(serialize(new ConvLSTM1DCell({ filters: 2, kernelSize: 3 })))), 'layer');
    expect(cell).toBeInstanceOf(ConvLSTM1DCell);
    expect(cell.name).toMatch(/^conv_lstm1d_cell(_\d+)?$/);
    l.apply(uniform([1, 2, 4, 2], 1));
    expect(l.weights.map((w) => w.originalName)).toEqual(['conv_lstm1d/kernel', 'conv_lstm1d/recurrent_kernel', 'conv_lstm1d/bias']);
  });

  it('unitForgetBias (default true) sets the forget slice of the bias to ones', () => {
    const l = layers.convLstm1d({ filters: 2, kernelSize: 1 });
    l.apply(uniform([1, 1, 2, 1], 1));
    expect(Array.from(l.getWeights()[2].dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });
});

describe('ConvLSTM1D: bad input', () => {
  it('input rank other than 4 is refused naming the layer', () => {
    const l = new ConvLSTM1D({ filters: 2, kernelSize: 3, name: 'c1_rank' });
    expect(() => l.apply(uniform([2, 3, 4], 1))).toThrow(/c1_rank.*expected ndim=4, found ndim=3/);
    expect(() => l.computeOutputShape([null, 3, 4, 4, 1])).toThrow(
      'Layer c1_rank: expected input of rank 4 [batch, timeSteps, steps, channels], received shape [null,3,4,4,1].',
    );
  });

  it('bad options are refused naming the layer, the argument and what came', () => {
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: [3, 3] as never })).toThrow(
      'ConvLSTM1D: kernelSize must be a positive integer or an array of one, received [3,3].',
    );
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: 3, strides: 0 })).toThrow(
      'ConvLSTM1D: strides must be a positive integer or an array of one, received 0.',
    );
    expect(() => new ConvLSTM1D({ filters: 2.5, kernelSize: 3 })).toThrow('ConvLSTM1D: filters must be a positive integer, received 2.5.');
    expect(() => new ConvLSTM1D({ filters: 2 } as never)).toThrow('ConvLSTM1D: kernelSize is required (a positive integer or [steps]).');
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: 3, padding: 'causal' as never })).toThrow(
      `ConvLSTM1D: padding must be 'valid' or 'same', received "causal".`,
    );
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' })).toThrow(
      `ConvLSTM1D: dataFormat "channelsFirst" is not supported; only 'channelsLast' ([batch, time, steps, channels]) is. ` +
        'Transpose channels-first inputs with layers.permute({dims: [1, 3, 2]}).',
    );
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: 3, stride: 2 } as never)).toThrow(
      "ConvLSTM1D: unknown option 'stride'; did you mean 'strides'?",
    );
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: 3, goBackwards: 1 } as never)).toThrow(
      'ConvLSTM1D: goBackwards must be true or false',
    );
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: 3, dropout: 1.5 })).toThrow(/ConvLSTM1D: dropout/);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: 3, timeMajor: true } as never)).toThrow(
      'ConvLSTM1D: timeMajor true is not supported; inputs are [batch, timeSteps, steps, channels].',
    );
    warn.mockRestore();
    expect(() => new ConvLSTM1DCell({ filters: 2, kernelSize: 3, returnSequences: true } as never)).toThrow(
      "ConvLSTM1DCell: unknown option 'returnSequences'",
    );
  });

  it('a kernel longer than the valid-padded steps, wrong initial states, constants, a stateful layer without batch size', () => {
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: 3, dilationRate: 2, name: 'big' }).apply(uniform([1, 2, 4, 1], 1))).toThrow(
      "Layer big: with padding 'valid' the kernel [3] (dilation [2]) does not fit the input sequences of shape [1,2,4,1].",
    );
    const l = new ConvLSTM1D({ filters: 2, kernelSize: 3, name: 'init' });
    const x = uniform([1, 2, 5, 1], 1);
    expect(() => l.apply(x, { initialState: [zeros([1, 5, 2]), zeros([1, 5, 2])] })).toThrow(
      'Layer init: initialState[0] must have shape [1,3,2] ([batch, outSteps, filters]), received [1,5,2].',
    );
    expect(() => l.apply(x, { initialState: [zeros([1, 3, 2])] })).toThrow(
      'Layer init: initialState expects 2 state tensors (h, c) of shape [1,3,2], received 1.',
    );
    expect(() => l.apply(x, { constants: [zeros([1, 2])] })).toThrow('Layer init: ConvLSTM1D does not support constants.');
    // A stateful layer needs a batch size: declared, a graph input's, or the first eager call's (as Keras 3 and
    // tfjs 4.22; the eager call was refused here).
    expect(() => new ConvLSTM1D({ filters: 2, kernelSize: 3, stateful: true, name: 'sf' }).build([null, 2, 5, 1])).toThrow(
      'Layer sf: a stateful RNN needs a fixed batch size',
    );
    const sf = new ConvLSTM1D({ filters: 2, kernelSize: 3, stateful: true, name: 'sf2' });
    sf.apply(x);
    const declared = new ConvLSTM1D({ filters: 2, kernelSize: 3, stateful: true, batchInputShape: [1, 2, 5, 1], name: 'sfd' });
    declared.apply(x);
    declared.setWeights(sf.getWeights());
    sf.resetStates();
    declared.resetStates();
    for (let call = 0; call < 2; call++)
      expect(Array.from((sf.apply(x) as Tensor).dataSync())).toEqual(Array.from((declared.apply(x) as Tensor).dataSync()));
    expect(() => sf.apply(uniform([2, 2, 5, 1], 1))).toThrow(
      /Layer sf2: this stateful ConvLSTM\dD was declared with batch size 1 but received input of shape/,
    );
  });

  it('the cell refuses states of the wrong shape and inputs of the wrong rank', () => {
    const cell = new ConvLSTM1DCell({ filters: 2, kernelSize: 3, name: 'cellx' });
    const x = uniform([1, 5, 1], 1);
    expect(() => cell.apply([x, zeros([1, 5, 2]), zeros([1, 5, 2])])).toThrow(
      'Layer cellx: state h must have shape [1,3,2] for input of shape [1,5,1], received [1,5,2].',
    );
    expect(() => cell.apply([uniform([1, 5, 5, 1], 1), zeros([1, 3, 2]), zeros([1, 3, 2])])).toThrow(
      'Layer cellx: a ConvLSTM1D step takes inputs of rank 3 [batch, steps, channels], received shape [1,5,5,1].',
    );
  });
});
