/**
 * Losses against tfjs (tf.metrics / tf.losses where tfjs exposes them) and float64 hand-worked
 * formulas elsewhere; extreme inputs; finite-difference gradient checks; bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import {
  LOSSES,
  LOSS_ALIASES,
  binaryCrossentropy,
  categoricalCrossentropy,
  categoricalHinge,
  cosineProximity,
  getLoss,
  hinge,
  huberLoss,
  kullbackLeiblerDivergence,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  sparseCategoricalCrossentropy,
  squaredHinge,
} from '@recurrent/models';
import { checkGradients } from '@recurrent/test-utils';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Rows = number[][];
const EPS = 1e-7;
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const meanOf = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const sumOf = (a: number[]) => a.reduce((s, v) => s + v, 0);
const rowwise = (t: Rows, p: Rows, f: (t: number[], p: number[]) => number) => t.map((row, i) => f(row, p[i]));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-5, what = ''): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${what}[${i}]: ${actual[i]} vs expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

// Regression-style targets and predictions, [3, 4].
const T: Rows = [
  [0.5, -1.2, 2.0, 0.3],
  [1.5, 0.2, -0.7, 0.9],
  [-0.4, 0.8, 1.1, -2.0],
];
const P: Rows = [
  [0.9, -0.2, 1.1, 0.35],
  [1.05, 0.4, -2.5, 0.1],
  [0.3, 0.6, 1.02, 0.5],
];
// Probabilities (rows sum to 1) and one-hot targets.
const PROBS: Rows = [
  [0.1, 0.6, 0.2, 0.1],
  [0.25, 0.25, 0.4, 0.1],
  [0.7, 0.1, 0.1, 0.1],
];
const ONE_HOT: Rows = [
  [0, 1, 0, 0],
  [0, 0, 0, 1],
  [1, 0, 0, 0],
];
const BIN_T: Rows = [
  [0, 1, 1, 0],
  [1, 1, 0, 0],
  [0, 0, 1, 1],
];
const PM1_T: Rows = BIN_T.map((r) => r.map((v) => 2 * v - 1));
const POS_T: Rows = T.map((r) => r.map((v) => Math.abs(v)));
const POS_P: Rows = P.map((r) => r.map((v) => Math.abs(v) + 0.05));

const ours = (fn: (a: Tensor, b: Tensor) => Tensor, t: Rows, p: Rows) => fn(tensor(t), tensor(p));

describe('against tfjs tf.metrics (tfjs-layers losses)', () => {
  test.each([
    ['meanSquaredError', meanSquaredError, T, P],
    ['meanAbsoluteError', meanAbsoluteError, T, P],
    ['meanAbsolutePercentageError', meanAbsolutePercentageError, T, P],
    ['binaryCrossentropy', binaryCrossentropy, BIN_T, PROBS],
    ['categoricalCrossentropy', categoricalCrossentropy, ONE_HOT, PROBS],
    ['cosineProximity', cosineProximity, T, P],
  ] as [string, (a: Tensor, b: Tensor) => Tensor, Rows, Rows][])('%s', (name, fn, t, p) => {
    const got = ours(fn, t, p);
    const want = (tf.metrics as any)[name](tf.tensor(t), tf.tensor(p)) as tf.Tensor;
    expect(got.shape).toEqual(want.shape);
    expectClose(got.dataSync(), want.dataSync(), 1e-5, name);
  });

  test('categoricalCrossentropy renormalizes unnormalized probabilities as tfjs', () => {
    const p = PROBS.map((r) => r.map((v) => v * 3));
    expectClose(
      ours(categoricalCrossentropy, ONE_HOT, p).dataSync(),
      tf.metrics.categoricalCrossentropy(tf.tensor(ONE_HOT), tf.tensor(p)).dataSync(),
    );
  });

  test('sparseCategoricalCrossentropy as tfjs (via tf.metrics with one-hot targets)', () => {
    const labels = [1, 3, 0];
    const got = sparseCategoricalCrossentropy(tensor(labels), tensor(PROBS));
    const want = tf.metrics.categoricalCrossentropy(tf.tensor(ONE_HOT), tf.tensor(PROBS));
    expectClose(got.dataSync(), want.dataSync());
    // [batch, 1] int32 labels work too.
    expectClose(sparseCategoricalCrossentropy(tensor([[1], [3], [0]], [3, 1], 'int32'), tensor(PROBS)).dataSync(), want.dataSync());
  });
});

describe('fromLogits against tf.losses', () => {
  const LOGITS: Rows = [
    [2.0, -1.0, 0.5, 3.0],
    [-0.3, 0.8, 1.5, -2.2],
    [0.0, 4.0, -3.0, 1.0],
  ];
  test('categoricalCrossentropy(fromLogits) = tf.losses.softmaxCrossEntropy (no reduction)', () => {
    const got = categoricalCrossentropy(tensor(ONE_HOT), tensor(LOGITS), true);
    const want = tf.losses.softmaxCrossEntropy(tf.tensor(ONE_HOT), tf.tensor(LOGITS), undefined, 0, tf.Reduction.NONE);
    expectClose(got.dataSync(), want.dataSync());
  });
  test('sparseCategoricalCrossentropy(fromLogits)', () => {
    const got = sparseCategoricalCrossentropy(tensor([1, 3, 0]), tensor(LOGITS), true);
    const want = tf.losses.softmaxCrossEntropy(tf.tensor(ONE_HOT), tf.tensor(LOGITS), undefined, 0, tf.Reduction.NONE);
    expectClose(got.dataSync(), want.dataSync());
  });
  test('binaryCrossentropy(fromLogits) = mean of tf.losses.sigmoidCrossEntropy (no reduction)', () => {
    const got = binaryCrossentropy(tensor(BIN_T), tensor(LOGITS), true);
    const want = tf.mean(tf.losses.sigmoidCrossEntropy(tf.tensor(BIN_T), tf.tensor(LOGITS), undefined, 0, tf.Reduction.NONE), -1);
    expectClose(got.dataSync(), want.dataSync());
  });
  test('huberLoss = mean of tf.losses.huberLoss (no reduction)', () => {
    for (const delta of [1, 0.5]) {
      const got = huberLoss(tensor(T), tensor(P), delta);
      const want = tf.mean(tf.losses.huberLoss(tf.tensor(T), tf.tensor(P), undefined, delta, tf.Reduction.NONE), -1);
      expectClose(got.dataSync(), want.dataSync());
    }
  });
  test('label smoothing as Keras (hand-worked)', () => {
    // Keras: y ← y(1-ls) + ls/numClasses for categorical, y(1-ls) + 0.5·ls for binary.
    const ls = 0.2;
    const smoothed = ONE_HOT.map((r) => r.map((v) => v * (1 - ls) + ls / 4));
    expectClose(
      categoricalCrossentropy(tensor(ONE_HOT), tensor(PROBS), false, ls).dataSync(),
      tf.metrics.categoricalCrossentropy(tf.tensor(smoothed), tf.tensor(PROBS)).dataSync(),
    );
    const bs = BIN_T.map((r) => r.map((v) => v * (1 - ls) + 0.5 * ls));
    expectClose(
      binaryCrossentropy(tensor(BIN_T), tensor(PROBS), false, ls).dataSync(),
      tf.metrics.binaryCrossentropy(tf.tensor(bs), tf.tensor(PROBS)).dataSync(),
    );
  });
});

describe('hand-worked formulas (tfjs-layers does not export these)', () => {
  const cases: [string, (a: Tensor, b: Tensor) => Tensor, Rows, Rows, (t: number[], p: number[]) => number][] = [
    [
      'meanSquaredLogarithmicError',
      meanSquaredLogarithmicError,
      POS_T,
      P,
      (t, p) => meanOf(t.map((tv, i) => (Math.log(1 + clip(p[i], EPS, Infinity)) - Math.log(1 + clip(tv, EPS, Infinity))) ** 2)),
    ],
    ['logCosh', logCosh, T, P, (t, p) => meanOf(t.map((tv, i) => Math.log(Math.cosh(p[i] - tv))))],
    [
      'kullbackLeiblerDivergence',
      kullbackLeiblerDivergence,
      PROBS.slice().reverse(),
      PROBS,
      (t, p) => sumOf(t.map((tv, i) => tv * Math.log(clip(tv, EPS, 1) / clip(p[i], EPS, 1)))),
    ],
    ['hinge', hinge, PM1_T, P, (t, p) => meanOf(t.map((tv, i) => Math.max(1 - tv * p[i], 0)))],
    ['squaredHinge', squaredHinge, PM1_T, P, (t, p) => meanOf(t.map((tv, i) => Math.max(1 - tv * p[i], 0) ** 2))],
    [
      'categoricalHinge',
      categoricalHinge,
      ONE_HOT,
      P,
      (t, p) => Math.max(0, 1 + Math.max(...t.map((tv, i) => (1 - tv) * p[i])) - sumOf(t.map((tv, i) => tv * p[i]))),
    ],
    ['poisson', poisson, POS_T, POS_P, (t, p) => meanOf(t.map((tv, i) => p[i] - tv * Math.log(p[i] + EPS)))],
    [
      'huberLoss',
      huberLoss,
      T,
      P,
      (t, p) => meanOf(t.map((tv, i) => (Math.abs(p[i] - tv) <= 1 ? 0.5 * (p[i] - tv) ** 2 : Math.abs(p[i] - tv) - 0.5))),
    ],
  ];
  test.each(cases)('%s', (name, fn, t, p, ref) => {
    const got = ours(fn, t, p);
    expect(got.shape).toEqual([t.length]);
    expectClose(got.dataSync(), rowwise(t, p, ref), 1e-5, name);
  });

  test('rank-3 inputs reduce the last axis only', () => {
    const t = tensor([T, P]);
    const p = tensor([P, T]);
    const got = meanSquaredError(t, p);
    expect(got.shape).toEqual([2, 3]);
    const want = [
      ...rowwise(T, P, (a, b) => meanOf(a.map((v, i) => (v - b[i]) ** 2))),
      ...rowwise(P, T, (a, b) => meanOf(a.map((v, i) => (v - b[i]) ** 2))),
    ];
    expectClose(got.dataSync(), want);
  });
});

describe('extreme inputs stay finite', () => {
  const allFinite = (t: Tensor) => Array.from(t.dataSync()).every(Number.isFinite);
  test('probabilities exactly 0 and 1', () => {
    const p = [
      [0, 1, 0, 1],
      [1, 0, 1, 0],
    ];
    const y = [
      [0, 1, 1, 0],
      [1, 0, 0, 1],
    ];
    for (const fn of [
      binaryCrossentropy,
      categoricalCrossentropy,
      kullbackLeiblerDivergence,
      poisson,
      meanSquaredLogarithmicError,
      meanAbsolutePercentageError,
    ]) {
      expect(allFinite(fn(tensor(y), tensor(p)))).toBe(true);
    }
    expect(allFinite(sparseCategoricalCrossentropy(tensor([0, 1]), tensor(p)))).toBe(true);
    // Perfect predictions give ~0 cross-entropy; totally wrong ones are capped at -log ε.
    expectClose(binaryCrossentropy(tensor([[1, 0]]), tensor([[1, 0]])).dataSync(), [0], 1e-6);
    // (float32 clipping at 1 - ε makes this ≈ 16.03 rather than -log ε = 16.12, in tfjs too.)
    expectClose(
      binaryCrossentropy(tensor([[1, 0]]), tensor([[0, 1]])).dataSync(),
      tf.metrics.binaryCrossentropy(tf.tensor([[1, 0]]), tf.tensor([[0, 1]])).dataSync(),
    );
    expect(binaryCrossentropy(tensor([[1, 0]]), tensor([[0, 1]])).dataSync()[0]).toBeGreaterThan(16);
  });
  test('logits of ±100 with fromLogits give the exact (uncapped) loss', () => {
    const logits = [
      [100, -100, 0],
      [-100, 100, 50],
    ];
    const y = [
      [0, 1, 0],
      [1, 0, 0],
    ];
    const cce = categoricalCrossentropy(tensor(y), tensor(logits), true);
    expect(allFinite(cce)).toBe(true);
    // -logSoftmax at the true class: 200 + log(1 + e^-100 + e^-200) ≈ 200 (row 1); row 2: 200 + log(1 + e^-50).
    expectClose(cce.dataSync(), [200, 200], 1e-6);
    const scce = sparseCategoricalCrossentropy(tensor([1, 0]), tensor(logits), true);
    expectClose(scce.dataSync(), [200, 200], 1e-6);
    const bce = binaryCrossentropy(tensor(y), tensor(logits), true);
    // Elementwise: softplus(x) - x·z → row 1: [100, 100, log 2]; row 2: [100, 100, 50].
    expectClose(bce.dataSync(), [(200 + Math.log(2)) / 3, 250 / 3], 1e-6);
    expect(allFinite(logCosh(tensor([[0]]), tensor([[100]])))).toBe(true);
    expectClose(logCosh(tensor([[0]]), tensor([[100]])).dataSync(), [100 - Math.log(2)], 1e-6);
  });
});

describe('gradients (finite differences)', () => {
  const away = (rows: Rows) => tensor(rows);
  test.each([
    ['meanSquaredError', (t: Tensor) => (p: Tensor) => meanSquaredError(t, p), T, P],
    ['meanAbsoluteError', (t: Tensor) => (p: Tensor) => meanAbsoluteError(t, p), T, P],
    ['meanAbsolutePercentageError', (t: Tensor) => (p: Tensor) => meanAbsolutePercentageError(t, p), T, P],
    ['meanSquaredLogarithmicError', (t: Tensor) => (p: Tensor) => meanSquaredLogarithmicError(t, p), POS_T, POS_P],
    ['huberLoss', (t: Tensor) => (p: Tensor) => huberLoss(t, p), T, P],
    ['logCosh', (t: Tensor) => (p: Tensor) => logCosh(t, p), T, P],
    ['binaryCrossentropy', (t: Tensor) => (p: Tensor) => binaryCrossentropy(t, p), BIN_T, PROBS],
    ['binaryCrossentropy fromLogits', (t: Tensor) => (p: Tensor) => binaryCrossentropy(t, p, true), BIN_T, P],
    ['categoricalCrossentropy', (t: Tensor) => (p: Tensor) => categoricalCrossentropy(t, p), ONE_HOT, PROBS],
    ['categoricalCrossentropy fromLogits', (t: Tensor) => (p: Tensor) => categoricalCrossentropy(t, p, true), ONE_HOT, P],
    ['sparseCategoricalCrossentropy', () => (p: Tensor) => sparseCategoricalCrossentropy(tensor([1, 3, 0]), p), ONE_HOT, PROBS],
    [
      'sparseCategoricalCrossentropy fromLogits',
      () => (p: Tensor) => sparseCategoricalCrossentropy(tensor([1, 3, 0]), p, true),
      ONE_HOT,
      P,
    ],
    ['kullbackLeiblerDivergence', (t: Tensor) => (p: Tensor) => kullbackLeiblerDivergence(t, p), PROBS.slice().reverse(), PROBS],
    ['hinge', (t: Tensor) => (p: Tensor) => hinge(t, p), PM1_T, P],
    ['squaredHinge', (t: Tensor) => (p: Tensor) => squaredHinge(t, p), PM1_T, P],
    ['categoricalHinge', (t: Tensor) => (p: Tensor) => categoricalHinge(t, p), ONE_HOT, P],
    ['poisson', (t: Tensor) => (p: Tensor) => poisson(t, p), POS_T, POS_P],
    ['cosineProximity', (t: Tensor) => (p: Tensor) => cosineProximity(t, p), T, P],
  ] as [string, (t: Tensor) => (p: Tensor) => Tensor, Rows, Rows][])('%s', (_name, make, t, p) => {
    checkGradients(make(away(t)), [away(p)], { eps: 1e-3 });
  });
});

describe('getLoss', () => {
  test('camelCase names, tfjs short names and Keras snake_case aliases', () => {
    expect(getLoss('meanSquaredError')).toBe(meanSquaredError);
    expect(getLoss('mse')).toBe(meanSquaredError);
    expect(getLoss('mean_squared_error')).toBe(meanSquaredError);
    expect(getLoss('categorical_crossentropy')).toBe(categoricalCrossentropy);
    expect(getLoss('sparse_categorical_crossentropy')).toBe(sparseCategoricalCrossentropy);
    expect(getLoss('logcosh')).toBe(logCosh);
    expect(getLoss('kld')).toBe(kullbackLeiblerDivergence);
    for (const [alias, name] of Object.entries(LOSS_ALIASES)) expect(getLoss(alias)).toBe(LOSSES[name]);
  });
  test('functions pass through', () => {
    const f = (a: Tensor, b: Tensor) => meanSquaredError(a, b);
    expect(getLoss(f)).toBe(f);
  });
  test('unknown names list the known ones', () => {
    expect(() => getLoss('meanSquareError')).toThrow(
      /getLoss: unknown loss 'meanSquareError'; known losses: meanSquaredError, meanAbsoluteError, .*cosineProximity; aliases: mse, /,
    );
    expect(() => getLoss('softmaxCrossEntropy')).toThrow(/use 'categoricalCrossentropy'/);
  });
});

describe('bad input', () => {
  test('shape mismatch names the loss and both shapes', () => {
    expect(() => meanSquaredError(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(
      'meanSquaredError: yTrue shape [1,3] and yPred shape [1,2] must match.',
    );
    expect(() =>
      categoricalCrossentropy(
        tensor([[1, 0]]),
        tensor([
          [0.5, 0.5],
          [0.5, 0.5],
        ]),
      ),
    ).toThrow('categoricalCrossentropy: yTrue shape [1,2] and yPred shape [2,2] must match.');
  });
  test('sparse labels: shape and range', () => {
    expect(() =>
      sparseCategoricalCrossentropy(
        tensor([0, 1, 2]),
        tensor([
          [0.5, 0.5],
          [0.5, 0.5],
        ]),
      ),
    ).toThrow(
      'sparseCategoricalCrossentropy: yTrue shape [3] must be yPred shape [2,2] without its last axis ([2]) or with a last axis of 1.',
    );
    expect(() =>
      sparseCategoricalCrossentropy(
        tensor([0, 2]),
        tensor([
          [0.5, 0.5],
          [0.5, 0.5],
        ]),
      ),
    ).toThrow(/sparseCategoricalCrossentropy: label 2 at index 1 is outside \[0, 2\) for 2 classes/);
  });
  test('bad options', () => {
    expect(() => huberLoss(tensor([1]), tensor([1]), -1)).toThrow(/huberLoss: delta must be a positive number, received -1/);
    expect(() => binaryCrossentropy(tensor([1]), tensor([1]), false, 2)).toThrow(
      /binaryCrossentropy: labelSmoothing must be a number in \[0, 1\], received 2/,
    );
  });
});
