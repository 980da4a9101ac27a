/**
 * Every layer tfjs also has, against tfjs on one table: `computeOutputShape` with null batch/time dims (what
 * functional models infer shapes with), the output mask of `computeMask` where tfjs gives one, and the forward
 * values (and gradients) of the layers no other file compares with tfjs (Flatten, Permute, RepeatVector,
 * Reshape, Dropout and the noise layers at inference, the Activation layer, Dense without bias).
 */
import * as tf from '@tensorflow/tfjs';
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import { layers, Layer, resetNameCounters } from '@recurrent/layers';
import type { Shape } from '@recurrent/layers';
import { maxDiff, toTf } from '../helpers/tfjs_compare';
import { expectTfjsParity } from '../helpers/tfjs_layer_parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ours = (name: string, args: object = {}): Layer => (layers as any)[name](args);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const theirs = (name: string, args: object = {}): tf.layers.Layer => (tf.layers as any)[name](args);

interface ShapeCase {
  /** Factory name in both namespaces (`layers.x` and `tf.layers.x`). */
  name: string;
  args?: Record<string, unknown>;
  /** tfjs's args when they differ (e.g. a wrapped layer). */
  tfArgs?: Record<string, unknown>;
  /** Input shape(s) with nulls. */
  shape: Shape | Shape[];
}

const wrapped = (units: number, extra: Record<string, unknown> = {}) => ({
  ours: { layer: layers.lstm({ units, ...extra }) },
  tf: { layer: tf.layers.lstm({ units, ...extra }) },
});

const SHAPE_CASES: ShapeCase[] = [
  { name: 'dense', args: { units: 3 }, shape: [null, null, 4] },
  { name: 'dense', args: { units: 2 }, shape: [null, 4] },
  { name: 'activation', args: { activation: 'relu' }, shape: [null, null, 4] },
  { name: 'dropout', args: { rate: 0.3 }, shape: [null, null, 4] },
  { name: 'spatialDropout1d', args: { rate: 0.3 }, shape: [null, null, 4] },
  { name: 'flatten', shape: [null, 3, 4] },
  { name: 'flatten', shape: [null, 2, 3, 4] },
  { name: 'permute', args: { dims: [2, 1] }, shape: [null, 3, 4] },
  { name: 'permute', args: { dims: [3, 1, 2] }, shape: [null, null, 3, 4] },
  { name: 'repeatVector', args: { n: 3 }, shape: [null, 4] },
  { name: 'reshape', args: { targetShape: [2, 6] }, shape: [null, 3, 4] },
  { name: 'embedding', args: { inputDim: 5, outputDim: 3 }, shape: [null, null] },
  { name: 'embedding', args: { inputDim: 5, outputDim: 3, inputLength: 4 }, shape: [null, 4] },
  { name: 'embedding', args: { inputDim: 5, outputDim: 3 }, shape: [null, 2, 4] },
  { name: 'masking', shape: [null, null, 4] },
  { name: 'globalAveragePooling1d', shape: [null, null, 4] },
  { name: 'globalMaxPooling1d', shape: [null, null, 4] },
  { name: 'layerNormalization', shape: [null, null, 4] },
  { name: 'batchNormalization', shape: [null, null, 4] },
  { name: 'conv1d', args: { filters: 3, kernelSize: 3 }, shape: [null, 9, 4] },
  { name: 'conv1d', args: { filters: 3, kernelSize: 3, strides: 2, padding: 'same' }, shape: [null, 9, 4] },
  { name: 'conv1d', args: { filters: 3, kernelSize: 3, dilationRate: 2 }, shape: [null, 9, 4] },
  { name: 'conv1d', args: { filters: 3, kernelSize: 3 }, shape: [null, null, 4] },
  { name: 'maxPooling1d', shape: [null, 9, 4] },
  { name: 'maxPooling1d', args: { poolSize: 3, strides: 2, padding: 'same' }, shape: [null, 9, 4] },
  { name: 'averagePooling1d', args: { poolSize: 3, strides: 1 }, shape: [null, 9, 4] },
  { name: 'averagePooling1d', args: { poolSize: 2 }, shape: [null, null, 4] },
  { name: 'gaussianNoise', args: { stddev: 0.1 }, shape: [null, null, 4] },
  { name: 'gaussianDropout', args: { rate: 0.1 }, shape: [null, null, 4] },
  { name: 'alphaDropout', args: { rate: 0.1 }, shape: [null, null, 4] },
  { name: 'leakyReLU', shape: [null, null, 4] },
  { name: 'prelu', shape: [null, 3, 4] },
  { name: 'elu', shape: [null, null, 4] },
  { name: 'thresholdedReLU', shape: [null, null, 4] },
  { name: 'softmax', shape: [null, null, 4] },
  { name: 'reLU', args: { maxValue: 6 }, shape: [null, null, 4] },
  { name: 'simpleRNN', args: { units: 3 }, shape: [null, null, 4] },
  { name: 'gru', args: { units: 3, returnSequences: true }, shape: [null, null, 4] },
  { name: 'lstm', args: { units: 3, returnState: true }, shape: [null, null, 4] },
  { name: 'lstm', args: { units: 3, returnSequences: true, returnState: true }, shape: [null, 5, 4] },
  { name: 'simpleRNN', args: { units: 2, returnState: true, goBackwards: true }, shape: [null, null, 4] },
  { name: 'gru', args: { units: 2, returnSequences: true, returnState: true }, shape: [null, 7, 4] },
  { name: 'convLstm2d', args: { filters: 2, kernelSize: 3 }, shape: [null, null, 6, 5, 3] },
  {
    name: 'convLstm2d',
    args: { filters: 2, kernelSize: 3, padding: 'same', strides: 2, returnSequences: true },
    shape: [null, 4, 6, 5, 3],
  },
  {
    name: 'concatenate',
    shape: [
      [null, 3, 4],
      [null, 3, 2],
    ],
  },
  {
    name: 'concatenate',
    args: { axis: 1 },
    shape: [
      [null, 3, 4],
      [null, 2, 4],
    ],
  },
  {
    name: 'add',
    shape: [
      [null, 3, 4],
      [null, 3, 4],
    ],
  },
  {
    name: 'multiply',
    shape: [
      [null, 4],
      [null, 4],
      [null, 4],
    ],
  },
  {
    name: 'average',
    shape: [
      [null, 3, 4],
      [null, 3, 4],
    ],
  },
  {
    name: 'maximum',
    shape: [
      [null, 3, 4],
      [null, 3, 4],
    ],
  },
  {
    name: 'minimum',
    shape: [
      [null, 3, 4],
      [null, 3, 4],
    ],
  },
  {
    name: 'dot',
    args: { axes: 1 },
    shape: [
      [null, 4],
      [null, 4],
    ],
  },
  {
    name: 'dot',
    args: { axes: [2, 2] },
    shape: [
      [null, 3, 4],
      [null, 5, 4],
    ],
  },
  {
    name: 'dot',
    args: { axes: [1, 1] },
    shape: [
      [null, 3, 4],
      [null, 3, 2],
    ],
  },
];

describe('computeOutputShape with null dims equals tfjs', () => {
  it.each(SHAPE_CASES.map((c) => [`${c.name} ${JSON.stringify(c.args ?? {})} on ${JSON.stringify(c.shape)}`, c] as const))(
    '%s',
    (_title, c) => {
      const a = ours(c.name, c.args);
      const b = theirs(c.name, c.tfArgs ?? c.args);
      expect(a.computeOutputShape(c.shape)).toEqual(b.computeOutputShape(c.shape as Any));
    },
  );

  // tfjs leaves the -1 dim unknown when the batch is null; Keras 3.15's compute_output_shape resolves it from
  // the known non-batch dims ((None, 6, 2) and (None, 4, 3)), as here (reshape.ts's tfjs note).
  it.each([
    [
      [-1, 2],
      [null, 3, 4],
      [null, 6, 2],
      [null, null, 2],
    ],
    [
      [4, -1],
      [null, 2, 6],
      [null, 4, 3],
      [null, 4, null],
    ],
  ])('reshape targetShape %j on %j: %j as Keras 3 (tfjs %j)', (targetShape, shape, keras, tfjs) => {
    expect(layers.reshape({ targetShape }).computeOutputShape(shape)).toEqual(keras);
    expect(tf.layers.reshape({ targetShape }).computeOutputShape(shape)).toEqual(tfjs);
  });

  // Causal pads kernelSize − 1 steps on the left, so 10 steps, kernel 4, strides 3 give 4 outputs (Keras 3.15:
  // (None, 4, 3)); tfjs's computeOutputShape treats 'causal' as 'valid' (its Conv1D layer does not run 'causal').
  it("conv1d 'causal' strides 3 on [null, 10, 4]: [null, 4, 3] as Keras 3 (tfjs [null, 3, 3])", () => {
    const args = { filters: 3, kernelSize: 4, strides: 3, padding: 'causal' } as const;
    expect(layers.conv1d(args).computeOutputShape([null, 10, 4])).toEqual([null, 4, 3]);
    expect(tf.layers.conv1d(args).computeOutputShape([null, 10, 4])).toEqual([null, 3, 3]);
  });

  it.each([
    ['concat', false, false],
    ['sum', true, false],
    ['mul', false, true],
    ['ave', true, true],
    [null, true, true],
  ] as const)('bidirectional(lstm) mergeMode %p, returnSequences %p, returnState %p', (mergeMode, returnSequences, returnState) => {
    const w = wrapped(3, { returnSequences, returnState });
    const a = layers.bidirectional({ ...w.ours, mergeMode });
    const b = tf.layers.bidirectional({ ...w.tf, mergeMode: mergeMode as Any } as Any);
    expect(a.computeOutputShape([null, null, 4])).toEqual(b.computeOutputShape([null, null, 4]));
  });

  it.each([
    ['dense', { units: 3 }, [null, 5, 4]],
    ['conv1d', { filters: 2, kernelSize: 2 }, [null, 5, 6, 4]],
    ['lstm', { units: 2, returnSequences: true }, [null, 5, 6, 4]],
  ] as const)('timeDistributed(%s %j) on %j', (name, args, shape) => {
    const a = layers.timeDistributed({ layer: ours(name, args) });
    const b = tf.layers.timeDistributed({ layer: theirs(name, args) });
    expect(a.computeOutputShape(shape as Any)).toEqual(b.computeOutputShape(shape as Any));
  });
});

/** Our mask and tfjs's as plain arrays (null where there is none). */
function masksOf(m: Tensor | Tensor[] | null, t: tf.Tensor | tf.Tensor[] | null): { ours: unknown; theirs: unknown } {
  const plain = (v: { dataSync(): ArrayLike<number>; shape: number[] } | null | undefined) =>
    v == null ? null : { shape: v.shape, values: Array.from(v.dataSync(), (x) => (x ? 1 : 0)) };
  return {
    ours: Array.isArray(m) ? m.map(plain) : plain(m),
    theirs: Array.isArray(t) ? t.map(plain) : plain(t),
  };
}

/** A bool mask as a tfjs bool tensor. */
const tfMask = (m: Tensor): tf.Tensor => tf.tensor(Array.from(m.dataSync()), m.shape, 'bool');

const X = randomNormal([2, 4, 3], 0, 1, 'float32', 3);
const M = tensor([1, 1, 0, 1, 0, 1, 1, 0], [2, 4], 'bool');
const M2 = tensor([1, 0, 1, 1, 1, 1, 0, 0], [2, 4], 'bool');

describe('computeMask equals tfjs where tfjs gives one (input mask [2, 4] over [2, 4, 3])', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['dense', { units: 2 }],
    ['activation', { activation: 'tanh' }],
    ['dropout', { rate: 0.5 }],
    ['spatialDropout1d', { rate: 0.5 }],
    ['layerNormalization', {}],
    ['batchNormalization', {}],
    ['gaussianNoise', { stddev: 0.1 }],
    ['gaussianDropout', { rate: 0.1 }],
    ['alphaDropout', { rate: 0.1 }],
    ['prelu', {}],
    ['reLU', {}],
    ['simpleRNN', { units: 2 }],
    ['simpleRNN', { units: 2, returnSequences: true }],
    ['gru', { units: 2, returnState: true }],
    ['lstm', { units: 2, returnSequences: true, returnState: true }],
    ['lstm', { units: 2, returnSequences: true, goBackwards: true }],
  ];
  it.each(cases)('%s %j', (name, args) => {
    const a = ours(name, args);
    const b = theirs(name, args);
    a.apply(X);
    b.apply(toTf(X));
    const r = masksOf(a.computeMask(X, M), b.computeMask(toTf(X), tfMask(M)) as Any);
    expect(r.ours).toEqual(r.theirs);
  });

  it('timeDistributed(dense) passes the mask on', () => {
    const a = layers.timeDistributed({ layer: layers.dense({ units: 2 }) });
    const b = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) });
    a.apply(X);
    b.apply(toTf(X));
    const r = masksOf(a.computeMask(X, M), b.computeMask(toTf(X), tfMask(M)) as tf.Tensor);
    expect(r.ours).toEqual(r.theirs);
  });

  it('masking: the mask of the values (no input mask)', () => {
    const x = tensor([0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 3], [2, 3, 2]);
    const r = masksOf(layers.masking().computeMask(x), tf.layers.masking().computeMask(toTf(x)) as tf.Tensor);
    expect(r.ours).toEqual(r.theirs);
  });

  it('embedding maskZero: ids ≠ 0; without maskZero: none', () => {
    const ids = tensor([0, 3, 1, 0, 0, 2], [2, 3], 'int32');
    const tids = tf.tensor([0, 3, 1, 0, 0, 2], [2, 3], 'int32');
    for (const maskZero of [true, false]) {
      const r = masksOf(
        layers.embedding({ inputDim: 4, outputDim: 2, maskZero }).computeMask(ids),
        tf.layers.embedding({ inputDim: 4, outputDim: 2, maskZero }).computeMask(tids) as tf.Tensor,
      );
      expect({ maskZero, mask: r.ours }).toEqual({ maskZero, mask: r.theirs });
    }
  });

  it('concatenate of two masked inputs, and of a masked and an unmasked one (AND, the unmasked as all-true)', () => {
    const y = randomNormal([2, 4, 3], 0, 1, 'float32', 4);
    for (const masks of [
      [M, M2],
      [M, null],
    ]) {
      const a = layers.concatenate();
      const b = tf.layers.concatenate();
      const r = masksOf(
        a.computeMask([X, y], masks),
        b.computeMask([toTf(X), toTf(y)], masks.map((m) => (m ? tfMask(m) : null)) as Any) as Any,
      );
      expect({ nulls: masks.map((m) => m === null), mask: r.ours }).toEqual({ nulls: masks.map((m) => m === null), mask: r.theirs });
    }
  });

  // tfjs's elementwise Merge.computeMask loops `for (i = 1; i < masks.length - 1; ++i)` over masks expanded to
  // [1, batch, steps], so it returns the FIRST mask alone with a leading 1 (tfjs bug); tf.keras 2 ANDs them
  // (followed here); Keras 3.15 ORs them and gives None when one input is unmasked (see merge.ts's tfjs note).
  it.each(['add', 'multiply', 'average', 'maximum', 'minimum'])(
    '%s: the AND of the masks (tf.keras 2); tfjs agrees on a single mask',
    (name) => {
      const y = randomNormal([2, 4, 3], 0, 1, 'float32', 4);
      const and = Array.from(M.dataSync(), (v, i) => (v && M2.dataSync()[i] ? 1 : 0));
      expect(masksOf(ours(name).computeMask([X, y], [M, M2]), null).ours).toEqual({ shape: [2, 4], values: and });
      expect(and).toEqual([1, 0, 0, 1, 0, 1, 0, 0]);
      const one = ours(name).computeMask([X, y], [M, null] as Any) as Tensor;
      const tfOne = theirs(name).computeMask([toTf(X), toTf(y)], [tfMask(M), null] as Any) as tf.Tensor;
      expect(tfOne.shape).toEqual([1, 2, 4]);
      expect(Array.from(one.dataSync(), Number)).toEqual(Array.from(tfOne.dataSync()));
    },
  );

  // Keras 3 (supports_masking = True) passes the mask on; tfjs 4.22 refuses a mask on these layers.
  it.each([
    ['leakyReLU', {}],
    ['elu', {}],
    ['thresholdedReLU', {}],
    ['softmax', { axis: -1 }],
  ])('%s: the mask passes on as Keras 3 (tfjs throws)', (name, args) => {
    expect(() => theirs(name, args).computeMask(toTf(X), tfMask(M))).toThrow('does not support masking');
    expect(ours(name, args).computeMask(X, M)).toBe(M);
  });

  it.each([
    ['concat', true, false],
    ['sum', true, true],
    [null, true, false],
    ['concat', false, true],
  ] as const)('bidirectional(lstm) mergeMode %p, returnSequences %p, returnState %p', (mergeMode, returnSequences, returnState) => {
    const w = wrapped(2, { returnSequences, returnState });
    const a = layers.bidirectional({ ...w.ours, mergeMode });
    const b = tf.layers.bidirectional({ ...w.tf, mergeMode: mergeMode as Any } as Any);
    a.apply(X);
    b.apply(toTf(X));
    const r = masksOf(a.computeMask(X, M) as Any, b.computeMask(toTf(X), tfMask(M)) as Any);
    expect(r.ours).toEqual(r.theirs);
  });
});

describe('forward values and gradients against tfjs (layers no other file compares)', () => {
  const cases: Array<[string, Record<string, unknown>, number[], Record<string, unknown>]> = [
    ['flatten', {}, [2, 3, 4], {}],
    ['flatten', {}, [2, 2, 3, 2], {}],
    ['flatten', { dataFormat: 'channelsFirst' }, [2, 3, 4], {}],
    ['flatten', { dataFormat: 'channelsFirst' }, [2, 2, 3, 2], {}],
    ['permute', { dims: [2, 1] }, [2, 3, 4], {}],
    ['permute', { dims: [3, 1, 2] }, [2, 3, 4, 2], {}],
    ['repeatVector', { n: 3 }, [2, 4], {}],
    ['reshape', { targetShape: [2, 6] }, [2, 3, 4], {}],
    ['reshape', { targetShape: [-1, 3] }, [2, 3, 4], {}],
    ['activation', { activation: 'selu' }, [2, 3, 4], {}],
    ['activation', { activation: 'softmax' }, [2, 3, 4], {}],
    ['activation', { activation: 'hardSigmoid' }, [2, 3, 4], {}],
    ['dense', { units: 3, useBias: false, activation: 'relu6' }, [4, 5], {}],
    ['dense', { units: 2, activation: 'swish', biasInitializer: 'randomNormal' }, [2, 3, 5], {}],
    ['dropout', { rate: 0.4 }, [2, 3, 4], { training: false }],
    ['spatialDropout1d', { rate: 0.4 }, [2, 3, 4], { training: false }],
    ['gaussianNoise', { stddev: 0.4 }, [2, 3, 4], { training: false }],
    ['gaussianDropout', { rate: 0.4 }, [2, 3, 4], { training: false }],
    ['alphaDropout', { rate: 0.4 }, [2, 3, 4], { training: false }],
  ];
  it.each(cases)('%s %j on %j', (name, args, shape, kwargs) => {
    const x = randomNormal(shape, 0, 2, 'float32', 9);
    expectTfjsParity(ours(name, args), theirs(name, args), x, { kwargs: kwargs as Any });
  });

  it.each([
    ['conv1d', { filters: 2, kernelSize: 2, activation: 'relu', biasInitializer: 'randomNormal' }, [2, 3, 5, 4]],
    ['lstm', { units: 3, returnSequences: true }, [2, 3, 5, 4]],
    ['gru', { units: 2 }, [2, 3, 5, 4]],
    ['dense', { units: 2, useBias: false }, [2, 3, 2, 4]],
  ] as const)('timeDistributed(%s %j) on %j', (name, args, shape) => {
    const x = randomNormal(shape.slice(), 0, 1, 'float32', 10);
    expectTfjsParity(layers.timeDistributed({ layer: ours(name, args) }), tf.layers.timeDistributed({ layer: theirs(name, args) }), x, {
      tol: 1e-4,
    });
  });

  it('rnn over an explicit stackedRNNCells (gruCell, simpleRNNCell, lstmCell), returnSequences', () => {
    const x = randomNormal([2, 5, 3], 0, 1, 'float32', 11);
    const ourCells = [layers.gruCell({ units: 3 }), layers.simpleRNNCell({ units: 2, activation: 'relu' }), layers.lstmCell({ units: 4 })];
    const theirCells = [
      tf.layers.gruCell({ units: 3 }),
      tf.layers.simpleRNNCell({ units: 2, activation: 'relu' }),
      tf.layers.lstmCell({ units: 4 }),
    ];
    expectTfjsParity(
      layers.rnn({ cell: layers.stackedRNNCells({ cells: ourCells }), returnSequences: true }),
      tf.layers.rnn({ cell: tf.layers.stackedRNNCells({ cells: theirCells }), returnSequences: true }),
      x,
      { tol: 1e-4 },
    );
  });

  it('dropout with rate 0 in training is the identity in both', () => {
    const x = randomNormal([2, 3], 0, 1, 'float32', 1);
    const y = layers.dropout({ rate: 0 }).apply(x, { training: true }) as Tensor;
    const ty = tf.layers.dropout({ rate: 0 }).apply(toTf(x), { training: true }) as tf.Tensor;
    expect(maxDiff(y.dataSync(), ty.dataSync())).toBe(0);
  });
});
