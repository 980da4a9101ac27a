/**
 * Every function of tfjs's `tf.metrics` namespace, by its tfjs name, against tfjs on the same inputs (rank 2 and
 * rank 3, where a rank-3 input reduces the last axis only), and `tf.losses.computeWeightedLoss` with each
 * reduction. Precision and recall take 0/1 predictions here (ours thresholds probabilities at 0.5 as Keras; see
 * metrics.ts's tfjs note and compile_names_parity.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import { losses, metrics, Reduction } from '@recurrent/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic values in [lo, hi). */
function vals(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s / 2 ** 32) * (hi - lo);
  });
}

const SHAPES = [
  [5, 4],
  [2, 3, 4],
];
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const softmaxRows = (v: number[], k: number) => {
  const out = v.map(Math.exp);
  for (let i = 0; i < out.length; i += k) {
    const sum = out.slice(i, i + k).reduce((a, b) => a + b, 0);
    for (let j = i; j < i + k; j++) out[j] /= sum;
  }
  return out;
};
const oneHotRows = (n: number, k: number, seed: number) =>
  vals(n / k, seed).flatMap((u) => Array.from({ length: k }, (_, j) => (j === Math.floor(((u + 1) / 2) * k) ? 1 : 0)));

type Inputs = (shape: number[]) => [number[], number[]];
const INPUTS: { [kind: string]: Inputs } = {
  real: (s) => [vals(size(s), 1), vals(size(s), 2)],
  binary: (s) => [vals(size(s), 3).map((v) => (v > 0 ? 1 : 0)), vals(size(s), 4, 0, 1)],
  binaryHard: (s) => [vals(size(s), 3).map((v) => (v > 0 ? 1 : 0)), vals(size(s), 5).map((v) => (v > -0.2 ? 1 : 0))],
  oneHot: (s) => [oneHotRows(size(s), s[s.length - 1], 6), softmaxRows(vals(size(s), 7, -2, 2), s[s.length - 1])],
  probs: (s) => [softmaxRows(vals(size(s), 8), s[s.length - 1]), softmaxRows(vals(size(s), 9, -2, 2), s[s.length - 1])],
  // Edge values: predictions exactly 0 and 1 (clipped by ε = 1e-7 in both), true values 0 (MAPE's divisor), a zero row
  // (cosine's normalization).
  binaryEdges: (s) => [
    vals(size(s), 3).map((v) => (v > 0 ? 1 : 0)),
    vals(size(s), 16).map((v) => (v > 0.3 ? 1 : v < -0.3 ? 0 : (v + 1) / 2)),
  ],
  oneHotEdges: (s) => [oneHotRows(size(s), s[s.length - 1], 6), oneHotRows(size(s), s[s.length - 1], 17)],
  realEdges: (s) => [
    vals(size(s), 1).map((v, i) => (i % 5 === 0 || i < s[s.length - 1] ? 0 : v)),
    vals(size(s), 2).map((v, i) => (i < s[s.length - 1] ? 0 : v)),
  ],
};

const CASES: Array<[string, keyof typeof INPUTS]> = [
  ['binaryAccuracy', 'binary'],
  ['binaryCrossentropy', 'binary'],
  ['categoricalAccuracy', 'oneHot'],
  ['categoricalCrossentropy', 'oneHot'],
  ['categoricalCrossentropy', 'probs'],
  ['cosineProximity', 'real'],
  ['meanAbsoluteError', 'real'],
  ['meanAbsolutePercentageError', 'real'],
  ['MAPE', 'real'],
  ['mape', 'real'],
  ['meanSquaredError', 'real'],
  ['MSE', 'real'],
  ['mse', 'real'],
  ['precision', 'binaryHard'],
  ['recall', 'binaryHard'],
  ['r2Score', 'real'],
  ['binaryCrossentropy', 'binaryEdges'],
  ['binaryAccuracy', 'binaryEdges'],
  ['categoricalCrossentropy', 'oneHotEdges'],
  ['categoricalAccuracy', 'oneHotEdges'],
  ['meanAbsolutePercentageError', 'realEdges'],
  ['cosineProximity', 'realEdges'],
  ['meanSquaredError', 'realEdges'],
];

describe('tf.metrics by name: same values and shapes as tfjs', () => {
  it('the table covers every function tfjs exports in tf.metrics', () => {
    const covered = new Set([...CASES.map(([n]) => n), 'sparseCategoricalAccuracy']);
    expect(Object.keys(tf.metrics).filter((k) => !covered.has(k))).toEqual([]);
  });

  it.each(CASES.flatMap(([name, kind]) => SHAPES.map((shape) => [name, kind, shape] as const)))('%s (%s) on %j', (name, kind, shape) => {
    const [t, p] = INPUTS[kind](shape);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const ours = (metrics as any)[name](tensor(t, shape), tensor(p, shape)) as Tensor;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const theirs = (tf.metrics as any)[name](tf.tensor(t, shape), tf.tensor(p, shape)) as tf.Tensor;
    expect(ours.shape).toEqual(theirs.shape);
    const a = ours.dataSync();
    const b = theirs.dataSync();
    for (let i = 0; i < b.length; i++) {
      if (!(Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i])))) throw new Error(`${name}[${i}]: ${a[i]} vs tfjs ${b[i]}`);
    }
  });

  it.each([
    [[5], [5, 4]],
    [
      [5, 1],
      [5, 4],
    ],
    [
      [2, 3],
      [2, 3, 4],
    ],
  ])('sparseCategoricalAccuracy: labels %j, predictions %j', (labelShape, predShape) => {
    const p = softmaxRows(vals(size(predShape), 11, -2, 2), 4);
    const labels = vals(size(labelShape), 12, 0, 4).map(Math.floor);
    const ours = metrics.sparseCategoricalAccuracy(tensor(labels, labelShape), tensor(p, predShape));
    const theirs = tf.metrics.sparseCategoricalAccuracy(tf.tensor(labels, labelShape), tf.tensor(p, predShape));
    expect(ours.shape).toEqual(theirs.shape);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
  });
});

describe('tf.losses.computeWeightedLoss', () => {
  const l = vals(12, 13, 0, 2);
  const cases: Array<[string, number[] | null, number[]]> = [
    ['no weights', null, []],
    ['a scalar weight', [0.5], []],
    ['weights of the losses shape with zeros', vals(12, 14).map((v) => (v > 0.3 ? 0 : v + 1)), [3, 4]],
    ['weights broadcast over rows', [1, 0, 2], [3, 1]],
  ];
  it.each(
    cases.flatMap(([title, w, ws]) =>
      [Reduction.NONE, Reduction.SUM, Reduction.MEAN, Reduction.SUM_BY_NONZERO_WEIGHTS].map((r) => [title, r, w, ws] as const),
    ),
  )('%s, reduction %s', (_title, reduction, w, wShape) => {
    const ours = losses.computeWeightedLoss(tensor(l, [3, 4]), w ? tensor(w, wShape) : null, reduction);
    const theirs = tf.losses.computeWeightedLoss(
      tf.tensor(l, [3, 4]),
      w ? tf.tensor(w, wShape) : undefined,
      reduction as unknown as tf.Reduction,
    );
    expect(ours.shape).toEqual(theirs.shape);
    const a = ours.dataSync();
    const b = theirs.dataSync();
    b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 5));
  });
});

describe('tf.losses with weights and every reduction (rank 2 and rank 3)', () => {
  const reductions = [Reduction.NONE, Reduction.SUM, Reduction.MEAN, Reduction.SUM_BY_NONZERO_WEIGHTS];
  type Loss = (t: Tensor | tf.Tensor, p: Tensor | tf.Tensor, w: Tensor | tf.Tensor | undefined, ...rest: unknown[]) => Tensor | tf.Tensor;
  const cases: Array<[string, keyof typeof INPUTS, unknown[]]> = [
    ['absoluteDifference', 'real', []],
    ['meanSquaredError', 'real', []],
    ['hingeLoss', 'binary', []],
    ['huberLoss', 'real', [0.4]],
    ['logLoss', 'binary', [1e-6]],
    ['sigmoidCrossEntropy', 'binary', [0.2]],
    ['softmaxCrossEntropy', 'oneHot', [0.1]],
    ['cosineDistance', 'real', [-1]],
  ];
  it.each(cases.flatMap(([name, kind, extra]) => SHAPES.flatMap((shape) => reductions.map((r) => [name, r, shape, kind, extra] as const))))(
    '%s, reduction %s, on %j',
    (name, reduction, shape, kind, extra) => {
      const [t, p] = INPUTS[kind](shape);
      // softmaxCrossEntropy and cosineDistance reduce the last axis: their weights have one value per row.
      const perRow = name === 'softmaxCrossEntropy' || name === 'cosineDistance';
      const wShape = perRow ? shape.slice(0, -1).concat(name === 'cosineDistance' ? [1] : []) : shape;
      const w = vals(size(wShape), 15).map((v) => (v > 0.5 ? 0 : v + 1));
      // cosineDistance takes the axis before the weights.
      const args = (ws: unknown) => (name === 'cosineDistance' ? [...extra, ws, reduction] : [ws, ...extra, reduction]);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ours = ((losses as any)[name] as Loss)(tensor(t, shape), tensor(p, shape), ...(args(tensor(w, wShape)) as [Tensor])) as Tensor;
      // tfjs's softmaxCrossEntropy smooths with labels.shape[1] classes (TensorFlow: the last axis), so on rank 3 the
      // labels are smoothed by hand (TensorFlow's formula) and given to tfjs with no smoothing (tfjs_losses.ts's tfjs note).
      const rank3Smoothing = name === 'softmaxCrossEntropy' && shape.length === 3;
      const ls = extra[0] as number;
      const tfLabels = rank3Smoothing ? t.map((v) => v * (1 - ls) + ls / shape[2]) : t;
      const tfExtra = rank3Smoothing ? [0] : extra;
      const tfArgs =
        name === 'cosineDistance' ? [...tfExtra, tf.tensor(w, wShape), reduction] : [tf.tensor(w, wShape), ...tfExtra, reduction];
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const theirs = ((tf.losses as any)[name] as Loss)(
        tf.tensor(tfLabels, shape),
        tf.tensor(p, shape),
        ...(tfArgs as [tf.Tensor]),
      ) as tf.Tensor;
      expect(ours.shape).toEqual(theirs.shape);
      const a = ours.dataSync();
      const b = theirs.dataSync();
      for (let i = 0; i < b.length; i++) {
        if (!(Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, Math.abs(b[i])))) throw new Error(`${name}[${i}]: ${a[i]} vs tfjs ${b[i]}`);
      }
    },
  );
});
