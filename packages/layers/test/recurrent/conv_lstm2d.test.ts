/**
 * ConvLSTM2D and ConvLSTM2DCell: tfjs parity of `tf.layers.convLstm2d` with the same weights (outputs,
 * gradients w.r.t. the input, initial states and every weight) for returnSequences, returnState,
 * goBackwards, padding same/valid, strides, dilation and initial states; masks against tfjs on the kept steps; a finite-difference
 * weight-gradient check; stateful streaming; dropout; shapes with null dims; the harness; bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { concat, reverse, slice, sum, Tensor, tensor, zeros } from '@recurrent/core';
import { ConvLSTM2D, ConvLSTM2DCell, ConvLSTM2DArgs, deserialize, Layer, layers, resetNameCounters, serialize } from '../../src';
import { checkGradients } from '@recurrent/test-utils';
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
  expectedOutputShape: [
    [2, 3, 3, 3, 2],
    [2, 3, 3, 2],
    [2, 3, 3, 2],
  ],
  expectedWeightShapes: [
    [3, 2, 1, 8],
    [3, 2, 2, 8],
  ],
  expectedParamCount: 3 * 2 * 1 * 8 + 3 * 2 * 2 * 8,
});
runLayerHarness({
  make: () => layers.convLstm2dCell({ filters: 2, kernelSize: 2, padding: 'same' }),
  inputShape: [2, 4, 3, 2],
  makeInput: () => [uniform([2, 4, 3, 2], 1), uniform([2, 4, 3, 2], 2), uniform([2, 4, 3, 2], 3)],
  expectedOutputShape: [
    [2, 4, 3, 2],
    [2, 4, 3, 2],
    [2, 4, 3, 2],
  ],
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
  {
    title: 'returnSequences + returnState + goBackwards, same',
    args: { padding: 'same', returnSequences: true, returnState: true, goBackwards: true },
  },
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
    const lw = lossWeights(
      outs.map((s) => s.map((d) => d as number)),
      30,
    );
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

  it('stateful across two calls, then resetStates: equals tfjs', () => {
    const args = {
      filters: 2,
      kernelSize: 3,
      padding: 'same' as const,
      stateful: true,
      returnSequences: true,
      batchInputShape: [2, 3, 5, 4, 2],
    };
    const ours = new ConvLSTM2D(args);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const theirs = tf.layers.convLstm2d(args as any);
    const x1 = uniform([2, 3, 5, 4, 2], 41);
    const x2 = uniform([2, 3, 5, 4, 2], 42);
    ours.apply(x1);
    theirs.apply(toTf(x1));
    const weights = ours.getWeights().map((w, i) => uniform(w.shape.slice(), 43 + i, -0.5, 0.5));
    ours.setWeights(weights);
    theirs.setWeights(weights.map(toTf));
    ours.resetStates();
    theirs.resetStates();
    for (const x of [x1, x2]) expect(maxDiff(ours.apply(x) as Tensor, theirs.apply(toTf(x)) as tf.Tensor)).toBeLessThan(1e-5);
    ours.resetStates();
    theirs.resetStates();
    expect(maxDiff(ours.apply(x2) as Tensor, theirs.apply(toTf(x2)) as tf.Tensor)).toBeLessThan(1e-5);
  });

  // tfjs cannot mask 5-D inputs (its rnn transposes the mask with a 5-D permutation and throws), so the
  // masked result is compared with tfjs run per example on the kept steps only: Keras semantics say a
  // masked step repeats the previous output (zeros before the first kept step) and carries the states.
  it('mask, returnSequences + returnState: equals tfjs on the kept steps only', () => {
    const mask = [
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 0],
    ];
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

  it("default names are Keras's: conv_lstm2d, conv_lstm2d_1, ...; weights conv_lstm2d/kernel", () => {
    resetNameCounters();
    const a = layers.convLstm2d({ filters: 1, kernelSize: 1 });
    const b = layers.convLstm2d({ filters: 1, kernelSize: 1 });
    expect([a.name, b.name]).toEqual(['conv_lstm2d', 'conv_lstm2d_1']);
    expect(layers.convLstm2dCell({ filters: 1, kernelSize: 1 }).name).toMatch(/^conv_lstm2d_cell(_\d+)?$/);
    a.apply(uniform([1, 1, 2, 2, 1], 1));
    expect(a.weights[0].originalName).toBe('conv_lstm2d/kernel');
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
  it('finite-difference gradients w.r.t. every weight (same padding, mask), the input and the initial states', () => {
    const layer = new ConvLSTM2D({ filters: 2, kernelSize: 2, padding: 'same', returnSequences: true, recurrentActivation: 'sigmoid' });
    const x = uniform([1, 3, 3, 2, 1], 40);
    const mask = tensor([[1, 0, 1]], [1, 3], 'float32');
    layer.apply(x);
    layer.setWeights(layer.getWeights().map((w, i) => uniform(w.shape.slice(), 41 + i, -0.6, 0.6)));
    const wts = uniform([1, 3, 3, 2, 2], 45, 0.5, 1.5);
    checkWeightGradients(layer, () => sum((layer.apply(x, { mask }) as Tensor).mul(wts)));
    // And w.r.t. the input and the initial states (strided, valid: a different geometry).
    const strided = new ConvLSTM2D({ filters: 2, kernelSize: 2, strides: 2, returnState: true });
    const xs = uniform([1, 2, 4, 3, 1], 46);
    strided.apply(xs);
    strided.setWeights(strided.getWeights().map((w, i) => uniform(w.shape.slice(), 47 + i, -0.6, 0.6)));
    checkGradients(
      (xx, h0, c0) =>
        concat(
          (strided.apply(xx, { initialState: [h0, c0] }) as Tensor[]).map((t) => t.reshape([-1])),
          0,
        ),
      [xs, uniform([1, 2, 1, 2], 50), uniform([1, 2, 1, 2], 51)],
    );
  });

  it('stateful: two calls of 2 steps equal one call of 4 steps; resetStates zeroes', () => {
    const x = uniform([2, 4, 4, 3, 2], 50);
    const whole = new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true });
    const expected = whole.apply(x) as Tensor;
    const s = new ConvLSTM2D({
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      returnSequences: true,
      stateful: true,
      batchInputShape: [2, null, 4, 3, 2],
    });
    s.apply(slice(x, [0, 0, 0, 0, 0], [2, 2, 4, 3, 2]));
    s.setWeights(whole.getWeights());
    s.resetStates();
    const a = s.apply(slice(x, [0, 0, 0, 0, 0], [2, 2, 4, 3, 2])) as Tensor;
    const b = s.apply(slice(x, [0, 2, 0, 0, 0], [2, 2, 4, 3, 2])) as Tensor;
    expect(maxDiff(concat([a, b], 1), expected)).toBeLessThan(1e-6);
    expect(s.states!.map((t) => t.shape)).toEqual([
      [2, 4, 3, 2],
      [2, 4, 3, 2],
    ]);
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

  it('the layer (inputs convolved for all steps at once) equals a loop of cell.call, also with seeded recurrent dropout', () => {
    const x = uniform([2, 3, 5, 4, 2], 61);
    for (const training of [false, true]) {
      const make = () => new ConvLSTM2D({ filters: 2, kernelSize: 3, strides: [2, 1], recurrentDropout: 0.4, seed: 3 });
      const a = make();
      const b = make();
      a.apply(x);
      a.setWeights(a.getWeights().map((w, i) => uniform(w.shape.slice(), 62 + i, -0.5, 0.5)));
      b.apply(x);
      b.setWeights(a.getWeights());
      const ya = a.apply(x, { training }) as Tensor;
      const cell = b.convLstmCell;
      cell.resetDropoutMasks();
      let h = zeros([2, 2, 2, 2]);
      let c = zeros([2, 2, 2, 2]);
      for (let t = 0; t < 3; t++) {
        const xt = slice(x, [0, t, 0, 0, 0], [2, 1, 5, 4, 2]).reshape([2, 5, 4, 2]);
        [h, , c] = cell.call([xt, h, c], { training });
      }
      expect(maxDiff(ya, h)).toBeLessThan(1e-6);
    }
  });

  it('works inside Bidirectional: concat of the forward layer and the reversed goBackwards layer', () => {
    const args: ConvLSTM2DArgs = { filters: 2, kernelSize: 3, padding: 'same', returnSequences: true };
    const x = uniform([2, 3, 4, 4, 1], 75);
    const bi = layers.bidirectional({ layer: new ConvLSTM2D(args) });
    const y = bi.apply(x) as Tensor;
    expect(y.shape).toEqual([2, 3, 4, 4, 4]);
    expect(bi.computeOutputShape([null, 3, 4, 4, 1])).toEqual([null, 3, 4, 4, 4]);
    const w = bi.getWeights();
    const fwd = new ConvLSTM2D(args);
    const bwd = new ConvLSTM2D({ ...args, goBackwards: true });
    fwd.apply(x);
    bwd.apply(x);
    fwd.setWeights(w.slice(0, 3));
    bwd.setWeights(w.slice(3));
    const expected = concat([fwd.apply(x) as Tensor, reverse(bwd.apply(x) as Tensor, 1)], -1);
    expect(maxDiff(y, expected)).toBeLessThan(1e-6);
  });

  it('computeOutputShape with null dims', () => {
    const l = new ConvLSTM2D({ filters: 4, kernelSize: 3, returnSequences: true, returnState: true });
    expect(l.computeOutputShape([null, null, 8, 7, 3])).toEqual([
      [null, null, 6, 5, 4],
      [null, 6, 5, 4],
      [null, 6, 5, 4],
    ]);
    expect(l.computeOutputShape([null, 5, null, 7, 3])).toEqual([
      [null, 5, null, 5, 4],
      [null, null, 5, 4],
      [null, null, 5, 4],
    ]);
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
      filters: 3,
      kernelSize: [3, 2],
      strides: [2, 1],
      padding: 'same',
      dilationRate: 1,
      returnSequences: true,
      goBackwards: true,
      recurrentActivation: 'sigmoid',
      dropout: 0.1,
    });
    const c = l.getConfig();
    expect(c).toMatchObject({
      filters: 3,
      kernelSize: [3, 2],
      strides: [2, 1],
      padding: 'same',
      dataFormat: 'channelsLast',
      dilationRate: [1, 1],
      returnSequences: true,
      returnState: false,
      goBackwards: true,
      stateful: false,
      dropout: 0.1,
      unitForgetBias: true,
    });
    expect(c.units).toBeUndefined();
    const back = deserialize<Layer>(JSON.parse(JSON.stringify(serialize(l))), 'layer');
    expect(back).toBeInstanceOf(ConvLSTM2D);
    expect(back.getConfig()).toEqual(c);
    const cell = deserialize<Layer>(JSON.parse(JSON.stringify(serialize(new ConvLSTM2DCell({ filters: 2, kernelSize: 3 })))), 'layer');
    expect(cell).toBeInstanceOf(ConvLSTM2DCell);
  });
});

describe('ConvLSTM2D: configs written by tfjs and Keras', () => {
  it("tfjs's getConfig() of convLstm2d / convLstm2dCell builds the same layer here", () => {
    const theirs = tf.layers.convLstm2d({
      filters: 2,
      kernelSize: [3, 2],
      strides: [1, 2],
      padding: 'same',
      returnSequences: true,
      name: 'from_tfjs',
    });
    theirs.apply(tf.zeros([1, 2, 5, 6, 3]));
    const ours = new ConvLSTM2D(theirs.getConfig() as never);
    expect(ours.getConfig()).toMatchObject({
      name: 'from_tfjs',
      filters: 2,
      kernelSize: [3, 2],
      strides: [1, 2],
      padding: 'same',
      returnSequences: true,
      recurrentActivation: 'hardSigmoid',
    });
    const x = uniform([1, 2, 5, 6, 3], 80);
    ours.apply(x);
    ours.setWeights(theirs.getWeights().map((w) => tensor(Array.from(w.dataSync()), w.shape.slice())));
    expect(maxDiff(ours.apply(x) as Tensor, theirs.apply(toTf(x)) as tf.Tensor)).toBeLessThan(1e-5);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cellConfig = (tf.layers as any).convLstm2dCell({ filters: 2, kernelSize: 3 }).getConfig();
    expect(new ConvLSTM2DCell(cellConfig).kernelSize).toEqual([3, 3]);
  });

  it("Keras's zeroOutputForMask / timeMajor false are accepted (with a warning); timeMajor true is refused", () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const l = new ConvLSTM2D({ filters: 2, kernelSize: 3, zeroOutputForMask: false, timeMajor: false } as never);
    expect(l.filters).toBe(2);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, timeMajor: true } as never)).toThrow(
      'ConvLSTM2D: timeMajor true is not supported',
    );
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

  it('channelsFirst is refused with a clear error; so are bad options', () => {
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' })).toThrow(
      `ConvLSTM2D: dataFormat "channelsFirst" is not supported; only 'channelsLast' ([batch, time, rows, cols, channels]) is.`,
    );
    expect(() => new ConvLSTM2D({ filters: 0, kernelSize: 3 })).toThrow('ConvLSTM2D: filters must be a positive integer, received 0.');
    expect(() => new ConvLSTM2D({ filters: 2 } as never)).toThrow('ConvLSTM2D: kernelSize is required');
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: [3, 0] })).toThrow(
      'ConvLSTM2D: kernelSize must be a positive integer or an array of two, received [3,0].',
    );
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'causal' as never })).toThrow(
      `ConvLSTM2D: padding must be 'valid' or 'same', received "causal".`,
    );
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, stride: 2 } as never)).toThrow(
      "ConvLSTM2D: unknown option 'stride'; did you mean 'strides'?",
    );
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
    expect(() => l.apply(x, { initialState: [zeros([1, 3, 3, 2])] })).toThrow(
      'Layer init: initialState expects 2 state tensors (h, c) of shape [1,3,3,2], received 1.',
    );
    expect(() => l.apply(x, { constants: [zeros([1, 2])] })).toThrow('Layer init: ConvLSTM2D does not support constants.');
    // A stateful layer needs a batch size: declared, a graph input's, or the first eager call's (as Keras 3 and
    // tfjs 4.22; the eager call was refused here).
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, stateful: true, name: 'sf' }).build([null, 2, 5, 5, 1])).toThrow(
      'Layer sf: a stateful RNN needs a fixed batch size',
    );
    const sf = new ConvLSTM2D({ filters: 2, kernelSize: 3, stateful: true, name: 'sf2' });
    sf.apply(x);
    const declared = new ConvLSTM2D({ filters: 2, kernelSize: 3, stateful: true, batchInputShape: [1, 2, 5, 5, 1], name: 'sfd' });
    declared.apply(x);
    declared.setWeights(sf.getWeights());
    sf.resetStates();
    declared.resetStates();
    for (let call = 0; call < 2; call++)
      expect(Array.from((sf.apply(x) as Tensor).dataSync())).toEqual(Array.from((declared.apply(x) as Tensor).dataSync()));
    expect(() => sf.apply(uniform([2, 2, 5, 5, 1], 1))).toThrow(
      /Layer sf2: this stateful ConvLSTM\dD was declared with batch size 1 but received input of shape/,
    );
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
