/**
 * ConvLSTM2D and ConvLSTM2DCell: tfjs parity of `tf.layers.convLstm2d` with the same weights (outputs,
 * gradients w.r.t. the input, initial states and every weight) for returnSequences, returnState,
 * goBackwards, padding same/valid, strides, dilation and initial states; masks against tfjs on the kept steps; a finite-difference
 * weight-gradient check; stateful streaming; dropout; shapes with null dims; the harness; bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { concat, slice, sum, Tensor, tensor, zeros } from '@recurrent/core';
import { ConvLSTM2D, ConvLSTM2DCell, ConvLSTM2DArgs, deserialize, Layer, layers, serialize } from '../../src';
import { checkWeightGradients } from '../helpers/weight_grad_check';
import { runLayerHarness } from '../helpers/layer_harness';
import { lossWeights, maxDiff, oursWithGrads, theirsWithGrads, toTf, uniform } from './rnn_test_utils';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

runLayerHarness({
  make: () => layers.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same' }),
  inputShape: [2, 3, 5, 4, 2],
  expectedOutputShape: [2, 5, 4, 3],
  expectedWeightShapes: [[3, 3, 2, 12], [3, 3, 3, 12], [12]],
  expectedParamCount: 3 * 3 * 2 * 12 + 3 * 3 * 3 * 12 + 12,
  tolerance: 0,
});
runLayerHarness({
  title: 'ConvLSTM2D valid, strides 2, returnSequences + returnState, no bias',
  make: () => layers.convLstm2d({ filters: 2, kernelSize: [3, 2], strides: 2, returnSequences: true, returnState: true, useBias: false }),
  inputShape: [2, 3, 7, 6, 1],
  expectedOutputShape: [[2, 3, 3, 3, 2], [2, 3, 3, 2], [2, 3, 3, 2]],
  expectedWeightShapes: [[3, 2, 1, 8], [3, 2, 2, 8]],
  expectedParamCount: 3 * 2 * 1 * 8 + 3 * 2 * 2 * 8,
});
runLayerHarness({
  make: () => layers.convLstm2dCell({ filters: 2, kernelSize: 2, padding: 'same' }),
  inputShape: [2, 4, 3, 2],
  makeInput: () => [uniform([2, 4, 3, 2], 1), uniform([2, 4, 3, 2], 2), uniform([2, 4, 3, 2], 3)],
  expectedOutputShape: [[2, 4, 3, 2], [2, 4, 3, 2], [2, 4, 3, 2]],
  expectedWeightShapes: [[2, 2, 2, 8], [2, 2, 2, 8], [8]],
  expectedParamCount: 2 * 2 * 2 * 8 * 2 + 8,
});

const B = 2;
const T = 3;
const H = 5;
const W = 4;
const C = 2;

interface Case {
  title: string;
  args: Partial<ConvLSTM2DArgs>;
  shape?: number[];
  initialState?: boolean;
}

const CASES: Case[] = [
  { title: 'defaults (valid, last output)', args: {} },
  { title: "padding 'same', returnSequences", args: { padding: 'same', returnSequences: true } },
  { title: 'returnState', args: { returnState: true } },
  { title: 'returnSequences + returnState + goBackwards, same', args: { padding: 'same', returnSequences: true, returnState: true, goBackwards: true } },
  { title: 'strides 2, valid', args: { strides: 2 }, shape: [B, T, 7, 6, C] },
  { title: 'strides [2, 1], same, returnSequences', args: { strides: [2, 1], padding: 'same', returnSequences: true } },
  { title: 'kernel [3, 2], tanh recurrent activation, no bias', args: { kernelSize: [3, 2], recurrentActivation: 'tanh', useBias: false } },
  { title: 'dilation 2 (values only: tfjs has no dilated conv2d gradient)', args: { dilationRate: 2 }, shape: [B, T, 6, 6, C] },
  { title: 'initial state, goBackwards', args: { padding: 'same', returnState: true, goBackwards: true }, initialState: true },
];

describe('ConvLSTM2D: tfjs parity (same weights)', () => {
  it.each(CASES)('$title', (c) => {
    const args: ConvLSTM2DArgs = { filters: 3, kernelSize: 3, ...c.args } as ConvLSTM2DArgs;
    const shape = c.shape ?? [B, T, H, W, C];
    const x = uniform(shape, 11);
    const ours = new ConvLSTM2D(args);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const theirs = tf.layers.convLstm2d(args as any);
    const outShapes = ours.computeOutputShape(shape);
    const firstOut = (Array.isArray(outShapes[0]) ? outShapes[0] : outShapes) as number[];
    const stateShape = [B, ...firstOut.slice(-3)];
    const states = c.initialState ? [uniform(stateShape, 12), uniform(stateShape, 13)] : [];
    ours.apply(x, states.length ? { initialState: states } : {});
    theirs.apply(toTf(x), states.length ? { initialState: states.map(toTf) } : {});
    // Random (non-default) weights, bias included, set on both.
    const weights = ours.getWeights().map((w, i) => uniform(w.shape.slice(), 20 + i, -0.5, 0.5));
    ours.setWeights(weights);
    theirs.setWeights(weights.map(toTf));
    expect(theirs.getWeights().map((w) => w.shape)).toEqual(weights.map((w) => w.shape));

    const outs = (Array.isArray(outShapes[0]) ? outShapes : [outShapes]) as number[][];
    const lw = lossWeights(outs.map((s) => s.map((d) => d as number)), 30);
    const withGrads = c.args.dilationRate === undefined;
    if (!withGrads) {
      const o = ours.apply(x) as Tensor;
      const t = theirs.apply(toTf(x)) as tf.Tensor;
      expect(maxDiff(o, t)).toBeLessThan(1e-5);
      return;
    }
    const a = oursWithGrads(ours, x, {}, states, lw);
    const b = theirsWithGrads(theirs, toTf(x), {}, states.map(toTf), lw);
    expect(a.outputs.length).toBe(b.outputs.length);
    a.outputs.forEach((o, i) => {
      expect(o.shape).toEqual(outs[i]);
      expect(maxDiff(o, b.outputs[i])).toBeLessThan(1e-5);
    });
    a.dInputs.forEach((g, i) => expect(maxDiff(g, b.dInputs[i])).toBeLessThan(1e-4));
    expect(a.dWeights.length).toBe(b.dWeights.length);
    a.dWeights.forEach((g, i) => expect(maxDiff(g, b.dWeights[i])).toBeLessThan(1e-4));
  });

  // tfjs cannot mask 5-D inputs (its rnn transposes the mask with a 5-D permutation and throws), so the
  // masked result is compared with tfjs run per example on the kept steps only: Keras semantics say a
  // masked step repeats the previous output (zeros before the first kept step) and carries the states.
  it('mask, returnSequences + returnState: equals tfjs on the kept steps only', () => {
    const mask = [[1, 0, 1], [0, 1, 1], [1, 1, 0]];
    const args: ConvLSTM2DArgs = { filters: 3, kernelSize: 3, padding: 'same', returnSequences: true, returnState: true };
    const x = uniform([3, T, H, W, C], 14);
    const ours = new ConvLSTM2D(args);
    ours.apply(x);
    const weights = ours.getWeights().map((w, i) => uniform(w.shape.slice(), 20 + i, -0.5, 0.5));
    ours.setWeights(weights);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const theirs = tf.layers.convLstm2d(args as any);
    theirs.apply(tf.zeros([1, 1, H, W, C]));
    theirs.setWeights(weights.map(toTf));
    const [seq, h, c] = ours.apply(x, { mask: tensor(mask.flat(), [3, T], 'bool') }) as Tensor[];
    const frame = H * W * 3;
    const seqV = seq.dataSync();
    const hV = h.dataSync();
    const cV = c.dataSync();
    mask.forEach((row, b) => {
      const kept = row.flatMap((m, t) => (m ? [t] : []));
      const xb = tf.gather(toTf(x), [b]);
      const [ts, th, tc] = theirs.apply(tf.gather(xb, kept, 1)) as tf.Tensor[];
      const tsV = ts.dataSync();
      for (let t = 0; t < T; t++) {
        const lastKept = kept.filter((k) => k <= t).length - 1;
        for (let i = 0; i < frame; i++) {
          const expected = lastKept < 0 ? 0 : tsV[lastKept * frame + i];
          expect(Math.abs(seqV[(b * T + t) * frame + i] - expected)).toBeLessThan(1e-5);
        }
      }
      expect(maxDiff(tf.tensor(Array.from(hV.slice(b * frame, (b + 1) * frame))), tf.tensor(Array.from(th.dataSync())))).toBeLessThan(1e-5);
      expect(maxDiff(tf.tensor(Array.from(cV.slice(b * frame, (b + 1) * frame))), tf.tensor(Array.from(tc.dataSync())))).toBeLessThan(1e-5);
    });
  });

  it('weights are named and shaped as tfjs: kernel, recurrent_kernel, bias', () => {
    const ours = layers.convLstm2d({ filters: 4, kernelSize: [3, 2], name: 'clstm' });
    ours.apply(uniform([1, 2, 5, 4, 3], 1));
    const theirs = tf.layers.convLstm2d({ filters: 4, kernelSize: [3, 2], name: 'clstm_tf' });
    theirs.apply(tf.zeros([1, 2, 5, 4, 3]));
    expect(ours.weights.map((w) => w.originalName)).toEqual(['clstm/kernel', 'clstm/recurrent_kernel', 'clstm/bias']);
    expect(theirs.weights.map((w) => w.originalName)).toEqual(['clstm_tf/kernel', 'clstm_tf/recurrent_kernel', 'clstm_tf/bias']);
    expect(ours.getWeights().map((w) => w.shape)).toEqual(theirs.getWeights().map((w) => w.shape));
  });

  it('unitForgetBias (default true) sets the forget slice of the bias to ones', () => {
    const l = layers.convLstm2d({ filters: 2, kernelSize: 1 });
    l.apply(uniform([1, 1, 2, 2, 1], 1));
    expect(Array.from(l.getWeights()[2].dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const n = layers.convLstm2d({ filters: 2, kernelSize: 1, unitForgetBias: false });
    n.apply(uniform([1, 1, 2, 2, 1], 1));
    expect(Array.from(n.getWeights()[2].dataSync())).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('ConvLSTM2D: gradients, state, dropout', () => {
  it('finite-difference gradients w.r.t. every weight on a tiny case (same padding, mask)', () => {
    const layer = new ConvLSTM2D({ filters: 2, kernelSize: 2, padding: 'same', returnSequences: true, recurrentActivation: 'sigmoid' });
    const x = uniform([1, 3, 3, 2, 1], 40);
    const mask = tensor([[1, 0, 1]], [1, 3], 'float32');
    layer.apply(x);
    layer.setWeights(layer.getWeights().map((w, i) => uniform(w.shape.slice(), 41 + i, -0.6, 0.6)));
    const wts = uniform([1, 3, 3, 2, 2], 45, 0.5, 1.5);
    checkWeightGradients(layer, () => sum((layer.apply(x, { mask }) as Tensor).mul(wts)));
  });

  it('stateful: two calls of 2 steps equal one call of 4 steps; resetStates zeroes', () => {
    const x = uniform([2, 4, 4, 3, 2], 50);
    const whole = new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true });
    const expected = whole.apply(x) as Tensor;
    const s = new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true, stateful: true, batchInputShape: [2, null, 4, 3, 2] });
    s.apply(slice(x, [0, 0, 0, 0, 0], [2, 2, 4, 3, 2]));
    s.setWeights(whole.getWeights());
    s.resetStates();
    const a = s.apply(slice(x, [0, 0, 0, 0, 0], [2, 2, 4, 3, 2])) as Tensor;
    const b = s.apply(slice(x, [0, 2, 0, 0, 0], [2, 2, 4, 3, 2])) as Tensor;
    expect(maxDiff(concat([a, b], 1), expected)).toBeLessThan(1e-6);
    expect(s.states!.map((t) => t.shape)).toEqual([[2, 4, 3, 2], [2, 4, 3, 2]]);
    s.resetStates();
    expect(Array.from(s.states![0].dataSync()).every((v) => v === 0)).toBe(true);
    const again = s.apply(slice(x, [0, 0, 0, 0, 0], [2, 2, 4, 3, 2])) as Tensor;
    expect(maxDiff(again, a)).toBe(0);
    expect(() => s.resetStates([zeros([2, 4, 3, 3]), zeros([2, 4, 3, 2])])).toThrow(
      `Layer ${s.name}: resetStates[0] must have shape [2,4,3,2] ([batch, outRows, outCols, filters]), received [2,4,3,3].`,
    );
  });

  it('dropout: inference is unaffected; training is seeded and differs from inference', () => {
    const x = uniform([2, 3, 4, 4, 2], 60);
    const plain = new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same' });
    const drop = new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', dropout: 0.5, recurrentDropout: 0.3, seed: 7 });
    const y0 = plain.apply(x) as Tensor;
    drop.apply(x);
    drop.setWeights(plain.getWeights());
    expect(maxDiff(drop.apply(x) as Tensor, y0)).toBe(0);
    const t1 = drop.apply(x, { training: true }) as Tensor;
    expect(maxDiff(t1, y0)).toBeGreaterThan(1e-3);
    const drop2 = new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', dropout: 0.5, recurrentDropout: 0.3, seed: 7 });
    drop2.apply(x);
    drop2.setWeights(plain.getWeights());
    expect(maxDiff(drop2.apply(x, { training: true }) as Tensor, t1)).toBe(0);
  });

  it('computeOutputShape with null dims', () => {
    const l = new ConvLSTM2D({ filters: 4, kernelSize: 3, returnSequences: true, returnState: true });
    expect(l.computeOutputShape([null, null, 8, 7, 3])).toEqual([[null, null, 6, 5, 4], [null, 6, 5, 4], [null, 6, 5, 4]]);
    expect(l.computeOutputShape([null, 5, null, 7, 3])).toEqual([[null, 5, null, 5, 4], [null, null, 5, 4], [null, null, 5, 4]]);
    const s = new ConvLSTM2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' });
    expect(s.computeOutputShape([null, null, 8, 7, 3])).toEqual([null, 4, 4, 4]);
  });

  it('masks propagate as an RNN: the input mask with returnSequences, else null', () => {
    const m = tensor([[1, 0, 1]], [1, 3], 'bool');
    const x = uniform([1, 3, 3, 3, 1], 70);
    expect(new ConvLSTM2D({ filters: 1, kernelSize: 1, returnSequences: true }).computeMask(x, m)).toBe(m);
    expect(new ConvLSTM2D({ filters: 1, kernelSize: 1 }).computeMask(x, m)).toBeNull();
  });
});

describe('ConvLSTM2D: config and registry', () => {
  it('round-trips the tfjs option names and registers ConvLSTM2D and ConvLSTM2DCell', () => {
    const l = new ConvLSTM2D({
      filters: 3, kernelSize: [3, 2], strides: [2, 1], padding: 'same', dilationRate: 1, returnSequences: true, goBackwards: true,
      recurrentActivation: 'sigmoid', dropout: 0.1,
    });
    const c = l.getConfig();
    expect(c).toMatchObject({
      filters: 3, kernelSize: [3, 2], strides: [2, 1], padding: 'same', dataFormat: 'channelsLast', dilationRate: [1, 1],
      returnSequences: true, returnState: false, goBackwards: true, stateful: false, dropout: 0.1, unitForgetBias: true,
    });
    expect(c.units).toBeUndefined();
    const back = deserialize<Layer>(JSON.parse(JSON.stringify(serialize(l))), 'layer');
    expect(back).toBeInstanceOf(ConvLSTM2D);
    expect(back.getConfig()).toEqual(c);
    const cell = deserialize<Layer>(JSON.parse(JSON.stringify(serialize(new ConvLSTM2DCell({ filters: 2, kernelSize: 3 })))), 'layer');
    expect(cell).toBeInstanceOf(ConvLSTM2DCell);
  });
});

describe('ConvLSTM2D: bad input', () => {
  it('input rank other than 5 is refused naming the layer', () => {
    const l = new ConvLSTM2D({ filters: 2, kernelSize: 3, name: 'clstm_rank' });
    expect(() => l.apply(uniform([2, 3, 4, 4], 1))).toThrow(/clstm_rank.*expected ndim=5, found ndim=4/);
    expect(() => l.computeOutputShape([null, 3, 4, 4])).toThrow(
      'Layer clstm_rank: expected input of rank 5 [batch, timeSteps, rows, cols, channels], received shape [null,3,4,4].',
    );
  });

  it("channelsFirst is refused with a clear error; so are bad options", () => {
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' })).toThrow(
      `ConvLSTM2D: dataFormat "channelsFirst" is not supported; only 'channelsLast' ([batch, time, rows, cols, channels]) is.`,
    );
    expect(() => new ConvLSTM2D({ filters: 0, kernelSize: 3 })).toThrow('ConvLSTM2D: filters must be a positive integer, received 0.');
    expect(() => new ConvLSTM2D({ filters: 2 } as never)).toThrow('ConvLSTM2D: kernelSize is required');
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: [3, 0] })).toThrow('ConvLSTM2D: kernelSize must be a positive integer or an array of two, received [3,0].');
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'causal' as never })).toThrow(`ConvLSTM2D: padding must be 'valid' or 'same', received "causal".`);
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, stride: 2 } as never)).toThrow("ConvLSTM2D: unknown option 'stride'; did you mean 'strides'?");
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, returnSequences: 'yes' } as never)).toThrow(
      "ConvLSTM2D: returnSequences must be true or false, received the string 'yes'.",
    );
  });

  it('a kernel larger than the valid-padded image, wrong initial states, constants, and a stateful layer without batch size', () => {
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 5, name: 'big' }).apply(uniform([1, 2, 4, 4, 1], 1))).toThrow(
      "Layer big: with padding 'valid' the kernel [5,5] (dilation [1,1]) does not fit the input images of shape [1,2,4,4,1].",
    );
    const l = new ConvLSTM2D({ filters: 2, kernelSize: 3, name: 'init' });
    const x = uniform([1, 2, 5, 5, 1], 1);
    expect(() => l.apply(x, { initialState: [zeros([1, 5, 5, 2]), zeros([1, 5, 5, 2])] })).toThrow(
      'Layer init: initialState[0] must have shape [1,3,3,2] ([batch, outRows, outCols, filters]), received [1,5,5,2].',
    );
    expect(() => l.apply(x, { initialState: [zeros([1, 3, 3, 2])] })).toThrow('Layer init: initialState expects 2 state tensors (h, c) of shape [1,3,3,2], received 1.');
    expect(() => l.apply(x, { constants: [zeros([1, 2])] })).toThrow('Layer init: ConvLSTM2D does not support constants.');
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, stateful: true, name: 'sf' }).apply(x)).toThrow('Layer sf: a stateful RNN needs a fixed batch size');
  });

  it('the cell refuses states of the wrong shape', () => {
    const cell = new ConvLSTM2DCell({ filters: 2, kernelSize: 3, name: 'cellx' });
    const x = uniform([1, 5, 5, 1], 1);
    expect(() => cell.apply([x, zeros([1, 5, 5, 2]), zeros([1, 5, 5, 2])])).toThrow(
      'Layer cellx: state h must have shape [1,3,3,2] for input of shape [1,5,5,1], received [1,5,5,2].',
    );
    expect(() => cell.apply([uniform([1, 5, 5], 1), zeros([1, 3, 3, 2]), zeros([1, 3, 3, 2])])).toThrow(
      'Layer cellx: a ConvLSTM2D step takes inputs of rank 4 [batch, rows, cols, channels], received shape [1,5,5].',
    );
  });
});
