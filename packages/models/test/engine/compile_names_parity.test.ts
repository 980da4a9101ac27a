/**
 * What tfjs users compile models with, by tfjs's names, against tfjs's own model on the same weights and data:
 * every loss name tfjs-layers' `compile` knows (the loss value of `evaluate` and of `trainOnBatch`, then the
 * weights after one SGD step, i.e. the loss gradient), every metric name of its `compile` (the reported values),
 * and every optimizer name with tfjs's defaults plus the optimizer options (weights after several
 * `trainOnBatch` steps of a two-layer model).
 */
import * as tf from '@tensorflow/tfjs';
import { constraints, layers, regularizers } from '@recurrent/layers';
import { Scalar } from '@recurrent/core';
import { LayersModel, Optimizer, sequential, train } from '@recurrent/models';
import { copyWeights, expectWeightsClose, lcgData, oneHotFrom, pair, worstRatio } from './parity_helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 12;
const D = 3;
const K = 4;
const xv = lcgData(N * D, 21);
const X = pair(xv, [N, D]);
const labels = Array.from({ length: N }, (_, i) => (xv[i * D] > 0 ? 1 : 0) + (xv[i * D + 1] > 0.3 ? 2 : 0));

/** Targets of each kind, [N, K] unless said. */
const Y = {
  oneHot: pair(oneHotFrom(labels, K), [N, K]),
  sparse: pair(
    labels.map((l) => l),
    [N, 1],
  ),
  binary: pair(
    lcgData(N * K, 5).map((v) => (v > 0 ? 1 : 0)),
    [N, K],
  ),
  plusMinus: pair(
    lcgData(N * K, 5).map((v) => (v > 0 ? 1 : -1)),
    [N, K],
  ),
  real: pair(lcgData(N * K, 6), [N, K]),
  positive: pair(
    lcgData(N * K, 7).map((v) => Math.abs(v) + 0.1),
    [N, K],
  ),
  probs: pair(
    (() => {
      const v = lcgData(N * K, 8).map((u) => Math.exp(u));
      for (let i = 0; i < N; i++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += v[i * K + k];
        for (let k = 0; k < K; k++) v[i * K + k] /= s;
      }
      return v;
    })(),
    [N, K],
  ),
};

/** The same one-layer model (Dense [D] → [K], given activation) in both libraries, tfjs's weights copied into ours. */
function models(activation: string, units = K): { theirs: tf.LayersModel; ours: LayersModel } {
  const theirs = tf.sequential();
  theirs.add(tf.layers.dense({ units, inputShape: [D], activation: activation as 'linear', biasInitializer: 'randomNormal' }));
  const ours = sequential();
  ours.add(layers.dense({ units, inputShape: [D], activation: activation as 'linear' }));
  copyWeights(theirs, ours);
  return { theirs, ours };
}

const num = (v: Scalar | Scalar[] | tf.Scalar | tf.Scalar[] | number | number[]): number[] =>
  (Array.isArray(v) ? v : [v]).map((s) => (typeof s === 'number' ? s : s.dataSync()[0]));

function expectNumbersClose(ours: number[], theirs: number[], rtol: number, what: string): void {
  expect(ours.length).toBe(theirs.length);
  const r = worstRatio(ours, theirs, rtol, 1e-6);
  if (!(r <= 1)) throw new Error(`${what}: ours ${JSON.stringify(ours)} vs tfjs ${JSON.stringify(theirs)}`);
}

describe("losses by tfjs-layers' compile names: evaluate, trainOnBatch and the SGD step equal tfjs's", () => {
  const cases: Array<[string, string, keyof typeof Y]> = [
    ['meanSquaredError', 'linear', 'real'],
    ['meanAbsoluteError', 'linear', 'real'],
    ['meanAbsolutePercentageError', 'linear', 'real'],
    ['meanSquaredLogarithmicError', 'linear', 'positive'],
    ['squaredHinge', 'tanh', 'plusMinus'],
    ['hinge', 'tanh', 'plusMinus'],
    ['categoricalHinge', 'linear', 'oneHot'],
    ['logcosh', 'linear', 'real'],
    ['categoricalCrossentropy', 'softmax', 'oneHot'],
    ['categoricalCrossentropy', 'softmax', 'probs'],
    ['sparseCategoricalCrossentropy', 'softmax', 'sparse'],
    ['binaryCrossentropy', 'sigmoid', 'binary'],
    ['kullbackLeiblerDivergence', 'softmax', 'probs'],
    ['poisson', 'softplus', 'positive'],
    ['cosineProximity', 'linear', 'real'],
  ];
  it.each(cases)('%s (%s output, %s targets)', async (loss, activation, target) => {
    const { theirs, ours } = models(activation);
    const y = Y[target];
    theirs.compile({ optimizer: tf.train.sgd(0.5), loss });
    ours.compile({ optimizer: train.sgd(0.5), loss });
    expectNumbersClose(num(ours.evaluate(X.r, y.r) as Scalar), num(theirs.evaluate(X.t, y.t) as tf.Scalar), 1e-5, `${loss} evaluate`);
    const ourLoss = num((await ours.trainOnBatch(X.r, y.r)) as number);
    const theirLoss = num((await theirs.trainOnBatch(X.t, y.t)) as number);
    expectNumbersClose(ourLoss, theirLoss, 1e-5, `${loss} trainOnBatch`);
    expectWeightsClose(theirs, ours, 1e-4, 1e-6);
  });
});

describe("metrics by tfjs-layers' compile names: the values evaluate reports equal tfjs's", () => {
  const cases: Array<[string, string, keyof typeof Y, string[]]> = [
    ['categoricalCrossentropy', 'softmax', 'oneHot', ['accuracy', 'acc', 'categoricalAccuracy', 'categoricalCrossentropy', 'ce']],
    ['binaryCrossentropy', 'sigmoid', 'binary', ['accuracy', 'binaryAccuracy', 'crossentropy']],
    ['sparseCategoricalCrossentropy', 'softmax', 'sparse', ['acc', 'sparseCategoricalCrossentropy']],
    ['meanSquaredError', 'linear', 'real', ['mse', 'MSE', 'mae', 'MAE', 'mape', 'MAPE', 'cosine']],
  ];
  it.each(cases)('loss %s (%s output, %s targets), metrics %j', (loss, activation, target, metrics) => {
    const { theirs, ours } = models(activation);
    const y = Y[target];
    theirs.compile({ optimizer: 'sgd', loss, metrics });
    ours.compile({ optimizer: 'sgd', loss, metrics });
    const a = num(ours.evaluate(X.r, y.r) as Scalar[]);
    const b = num(theirs.evaluate(X.t, y.t) as tf.Scalar[]);
    metrics.forEach((m, i) => expectNumbersClose([a[i + 1]], [b[i + 1]], 1e-5, `metric ${m}`));
    expectNumbersClose(a, b, 1e-5, 'loss and metrics');
  });
  // tfjs note (metrics.ts): tfjs's precision counts only predictions equal to 1; ours thresholds at 0.5 as Keras's
  // Precision, i.e. tfjs's precision of the thresholded predictions.
  it("'precision' is tfjs's precision of the predictions thresholded at 0.5 (Keras)", () => {
    const { theirs, ours } = models('sigmoid');
    theirs.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['precision'] });
    ours.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['precision'] });
    const thresholded = tf.cast(tf.greater(theirs.predict(X.t) as tf.Tensor, 0.5), 'float32');
    const want = tf.metrics.precision(Y.binary.t, thresholded).dataSync()[0];
    expect(want).toBeGreaterThan(0.1);
    expectNumbersClose([num(ours.evaluate(X.r, Y.binary.r) as Scalar[])[1]], [want], 1e-6, 'precision');
    // tfjs's own value on probabilities (none is exactly 1) is 0.
    expect(num(theirs.evaluate(X.t, Y.binary.t) as tf.Scalar[])[1]).toBe(0);
  });
});

describe("optimizers by tfjs-layers' compile names (tfjs's defaults) and with options: weights after 4 trainOnBatch steps", () => {
  /** Two layers, so kernels and biases of several shapes are updated. */
  function twoLayers(): { theirs: tf.LayersModel; ours: LayersModel } {
    const theirs = tf.sequential();
    theirs.add(tf.layers.dense({ units: 5, inputShape: [D], activation: 'tanh', biasInitializer: 'randomNormal' }));
    theirs.add(tf.layers.dense({ units: K, activation: 'softmax' }));
    const ours = sequential();
    ours.add(layers.dense({ units: 5, inputShape: [D], activation: 'tanh' }));
    ours.add(layers.dense({ units: K, activation: 'softmax' }));
    copyWeights(theirs, ours);
    return { theirs, ours };
  }
  async function run(theirOpt: string | tf.Optimizer, ourOpt: string | Optimizer): Promise<void> {
    const { theirs, ours } = twoLayers();
    theirs.compile({ optimizer: theirOpt, loss: 'categoricalCrossentropy' });
    ours.compile({ optimizer: ourOpt, loss: 'categoricalCrossentropy' });
    for (let step = 0; step < 4; step++) {
      // A different batch each step (rows rotated), so the moments see changing gradients.
      const idx = Array.from({ length: N }, (_, i) => (i + 3 * step) % N);
      const xs = pair(
        idx.flatMap((i) => Array.from(xv.slice(i * D, i * D + D))),
        [N, D],
      );
      const ys = pair(
        oneHotFrom(
          idx.map((i) => labels[i]),
          K,
        ),
        [N, K],
      );
      const l1 = num((await ours.trainOnBatch(xs.r, ys.r)) as number);
      const l2 = num((await theirs.trainOnBatch(xs.t, ys.t)) as number);
      expectNumbersClose(l1, l2, 1e-4, `loss at step ${step}`);
    }
    expectWeightsClose(theirs, ours, 1e-4, 1e-6);
  }

  // 'adadelta' is left out: ours follows Keras 3 (tfjs note in adadelta.ts; checked in optimizers.test.ts).
  it.each(['sgd', 'adam', 'adamax', 'rmsprop', 'adagrad', 'SGD', 'Adam', 'RMSProp'])("'%s'", (name) => run(name, name));

  it.each([
    ['sgd 0.3', () => tf.train.sgd(0.3), () => train.sgd(0.3)],
    ['momentum 0.1, 0.9', () => tf.train.momentum(0.1, 0.9), () => train.momentum(0.1, 0.9)],
    ['momentum nesterov', () => tf.train.momentum(0.1, 0.7, true), () => train.momentum(0.1, 0.7, true)],
    ['adam β 0.8/0.95 ε 1e-4', () => tf.train.adam(0.05, 0.8, 0.95, 1e-4), () => train.adam(0.05, 0.8, 0.95, 1e-4)],
    ['adamax decay 0.1', () => tf.train.adamax(0.05, 0.8, 0.95, 1e-6, 0.1), () => train.adamax(0.05, 0.8, 0.95, 1e-6, 0.1)],
    ['rmsprop momentum', () => tf.train.rmsprop(0.02, 0.8, 0.5, 1e-6), () => train.rmsprop(0.02, 0.8, 0.5, 1e-6)],
    // A tiny ε: tfjs subtracts it under the square root where TensorFlow (and we) add it (rmsprop.ts's tfjs note).
    ['rmsprop centered', () => tf.train.rmsprop(0.02, 0.9, 0.3, 1e-12, true), () => train.rmsprop(0.02, 0.9, 0.3, 1e-12, true)],
    ['adagrad initial accumulator 0.5', () => tf.train.adagrad(0.2, 0.5), () => train.adagrad(0.2, 0.5)],
  ] as const)('%s', (_title, theirs, ours) => run(theirs(), ours()));
});

// tfjs never applies constraints in training (tfjs issue 3345; train_step.ts's tfjs note); Keras applies each after every
// update. So the reference is tfjs's step followed by tfjs's own constraints (through setWeights).
describe('constraints and regularizers in training: weights and losses after 4 trainOnBatch steps equal tfjs (+ constraints as Keras)', () => {
  type Opts = Record<string, unknown>;
  const cases: Array<
    [string, (c: typeof tf.constraints | typeof constraints, r: typeof tf.regularizers | typeof regularizers) => [Opts, Opts]]
  > = [
    ['maxNorm kernel, nonNeg bias', (c) => [{ kernelConstraint: c.maxNorm({ maxValue: 0.5 }), biasConstraint: c.nonNeg() }, {}]],
    [
      'unitNorm kernel (axis 0), minMaxNorm bias',
      (c) => [{ kernelConstraint: c.unitNorm({ axis: 0 }), biasConstraint: c.minMaxNorm({ minValue: 0.2, maxValue: 0.6, rate: 0.5 }) }, {}],
    ],
    [
      'l1 kernel, l2 bias, l1l2 on the second kernel',
      (_c, r) => [
        { kernelRegularizer: r.l1({ l1: 0.02 }), biasRegularizer: r.l2({ l2: 0.05 }) },
        { kernelRegularizer: r.l1l2({ l1: 0.01, l2: 0.03 }) },
      ],
    ],
    [
      'maxNorm with l2 on the same kernel',
      (c, r) => [{ kernelConstraint: c.maxNorm({ maxValue: 0.7, axis: 1 }), kernelRegularizer: r.l2({ l2: 0.1 }) }, {}],
    ],
  ];
  it.each(cases)('%s', async (_title, opts) => {
    const [t1, t2] = opts(tf.constraints, tf.regularizers);
    const [o1, o2] = opts(constraints, regularizers);
    const theirs = tf.sequential();
    theirs.add(tf.layers.dense({ units: 5, inputShape: [D], activation: 'tanh', biasInitializer: 'randomNormal', ...t1 }));
    theirs.add(tf.layers.dense({ units: K, activation: 'softmax', ...t2 }));
    const ours = sequential();
    ours.add(layers.dense({ units: 5, inputShape: [D], activation: 'tanh', ...o1 }));
    ours.add(layers.dense({ units: K, activation: 'softmax', ...o2 }));
    copyWeights(theirs, ours);
    theirs.compile({ optimizer: tf.train.sgd(0.3), loss: 'categoricalCrossentropy' });
    ours.compile({ optimizer: train.sgd(0.3), loss: 'categoricalCrossentropy' });
    for (let step = 0; step < 4; step++) {
      const l1 = num((await ours.trainOnBatch(X.r, Y.oneHot.r)) as number);
      const l2 = num((await theirs.trainOnBatch(X.t, Y.oneHot.t)) as number);
      expectNumbersClose(l1, l2, 1e-5, `loss at step ${step}`);
      // tfjs's setWeights writes through LayerVariable.write, which applies the variable's constraint once.
      for (const layer of theirs.layers) layer.setWeights(layer.getWeights().map((w) => w.clone()));
    }
    expectWeightsClose(theirs, ours, 1e-4, 1e-6);
  });

  // tfjs's RNN layers do not collect their cell's penalties (their `losses` is empty: tfjs trains without them;
  // base_rnn.ts's tfjs note). Keras counts them; the reference is tfjs's model minimizing its loss plus the penalties
  // written with tfjs's regularizers, then tfjs's constraints through setWeights.
  it('LSTM with recurrent and kernel constraints, recurrent and bias regularizers (tfjs drops RNN penalties: added by hand)', async () => {
    const x = pair(lcgData(N * 4 * D, 41), [N, 4, D]);
    const shape = { units: 3, inputShape: [4, D] };
    const theirs = tf.sequential();
    theirs.add(
      tf.layers.lstm({
        ...shape,
        kernelConstraint: tf.constraints.unitNorm({ axis: 0 }),
        recurrentConstraint: tf.constraints.maxNorm({ maxValue: 0.6 }),
        unitForgetBias: true,
      }),
    );
    theirs.add(tf.layers.dense({ units: K, activation: 'softmax' }));
    const ours = sequential();
    ours.add(
      layers.lstm({
        ...shape,
        kernelConstraint: constraints.unitNorm({ axis: 0 }),
        recurrentConstraint: constraints.maxNorm({ maxValue: 0.6 }),
        recurrentRegularizer: regularizers.l1({ l1: 0.02 }),
        biasRegularizer: regularizers.l2({ l2: 0.05 }),
      }),
    );
    ours.add(layers.dense({ units: K, activation: 'softmax' }));
    copyWeights(theirs, ours);
    ours.compile({ optimizer: train.adam(0.05), loss: 'categoricalCrossentropy' });
    const opt = tf.train.adam(0.05);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const vars = theirs.trainableWeights.map((w) => (w as any).read() as tf.Variable);
    const [, recurrentKernel, bias] = vars;
    // l1 on the recurrent kernel (no zero entries): tfjs's |x| gradient at 0 is -1 where ours (TensorFlow) is 0.
    const l1 = tf.regularizers.l1({ l1: 0.02 });
    const l2 = tf.regularizers.l2({ l2: 0.05 });
    for (let step = 0; step < 4; step++) {
      const ourLoss = num((await ours.trainOnBatch(x.r, Y.oneHot.r)) as number);
      const theirLoss = opt.minimize(
        () => {
          const ce = tf.mean(tf.metrics.categoricalCrossentropy(Y.oneHot.t, theirs.predict(x.t) as tf.Tensor));
          return tf.addN([ce, l1.apply(recurrentKernel), l2.apply(bias)]) as tf.Scalar;
        },
        true,
        vars,
      )!;
      expectNumbersClose(ourLoss, [theirLoss.dataSync()[0]], 1e-5, `loss at step ${step}`);
      for (const layer of theirs.layers) layer.setWeights(layer.getWeights().map((w) => w.clone()));
    }
    // Adam divides each gradient element by its own RMS: an element whose gradient is near 0 turns float32 rounding
    // noise into an update of up to lr. With the seeded start, one Dense bias element ends 1.9e-5 apart (0.0772 vs
    // 0.0772105; every other weight within 1e-6 relative): atol 5e-5, 0.1% of lr.
    expectWeightsClose(theirs, ours, 1e-4, 5e-5);
    // tfjs's own model has no penalty to train on.
    expect(theirs.layers[0].losses).toEqual([]);
  });
});
