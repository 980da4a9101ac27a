/** topK/sparseTopK accuracy, auc and perplexity on worked examples; the tfjs-style `losses` namespace against tfjs. */
import * as tf from '@tensorflow/tfjs';
import { tensor, tensor2d, variable } from '@recurrent/core';
import {
  auc,
  getMetric,
  losses,
  perplexity,
  Reduction,
  sparseTopKCategoricalAccuracy,
  topKCategoricalAccuracy,
  train,
} from '@recurrent/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const P = [
  [0.1, 0.5, 0.3, 0.1],
  [0.4, 0.3, 0.2, 0.1],
  [0.25, 0.25, 0.25, 0.25],
];

describe('top-k accuracy (Keras, ties at the boundary count in)', () => {
  test('sparse and one-hot agree with a hand table', () => {
    // row 0: label 2 has the 2nd largest → in top 2, not top 1; row 1: label 3 smallest; row 2: all tied → in.
    expect(Array.from(sparseTopKCategoricalAccuracy(tensor([2, 3, 1]), tensor2d(P), 2).values)).toEqual([1, 0, 1]);
    expect(Array.from(sparseTopKCategoricalAccuracy(tensor([2, 3, 1]), tensor2d(P), 1).values)).toEqual([0, 0, 1]);
    const oneHot = tensor2d([
      [0, 0, 1, 0],
      [0, 0, 0, 1],
      [0, 1, 0, 0],
    ]);
    expect(Array.from(topKCategoricalAccuracy(oneHot, tensor2d(P), 2).values)).toEqual([1, 0, 1]);
    expect(Array.from(topKCategoricalAccuracy(oneHot, tensor2d(P)).values)).toEqual([1, 1, 1]);
    expect(getMetric('sparse_top_k_categorical_accuracy').fn).toBe(sparseTopKCategoricalAccuracy);
    expect(() => sparseTopKCategoricalAccuracy(tensor([7, 0, 0]), tensor2d(P))).toThrow(
      'sparseTopKCategoricalAccuracy: label 7 at position 0 is not a class index in [0, 4).',
    );
  });
});

describe('auc and perplexity', () => {
  test('auc is the Mann–Whitney probability with ties as halves', () => {
    // positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4)=1, (0.8>0.1)=1, (0.4=0.4)=0.5, (0.4>0.1)=1 → 3.5/4
    expect(auc(tensor([1, 1, 0, 0]), tensor([0.8, 0.4, 0.4, 0.1])).values[0]).toBeCloseTo(0.875, 6);
    expect(auc(tensor([1, 0]), tensor([0.2, 0.9])).values[0]).toBe(0);
    expect(auc(tensor([1, 1]), tensor([0.2, 0.9])).values[0]).toBe(0);
  });
  test('perplexity = exp(mean cross-entropy)', () => {
    const probs = tensor([
      [
        [0.5, 0.5],
        [0.25, 0.75],
      ],
    ]);
    const expected = Math.exp(-(Math.log(0.5) + Math.log(0.75)) / 2);
    expect(perplexity(tensor([[0, 1]]), probs).values[0]).toBeCloseTo(expected, 5);
  });
});

describe('losses namespace matches tf.losses', () => {
  const labels = [
    [1, 0, 1],
    [0, 1, 0],
  ];
  const preds = [
    [0.9, 0.2, 0.6],
    [0.3, 0.7, 0.1],
  ];
  const weights = [
    [1, 0, 2],
    [0.5, 1, 0],
  ];
  const close = (ours: any, theirs: tf.Tensor) => {
    expect(ours.shape).toEqual(theirs.shape);
    Array.from(theirs.dataSync()).forEach((v, i) => expect(ours.values[i]).toBeCloseTo(v, 5));
  };
  test.each(['absoluteDifference', 'meanSquaredError', 'hingeLoss', 'logLoss', 'huberLoss'])(
    '%s with and without weights, each reduction',
    (name) => {
      const f = (losses as any)[name];
      const g = (tf.losses as any)[name];
      close(f(tensor2d(labels), tensor2d(preds)), g(tf.tensor2d(labels), tf.tensor2d(preds)));
      for (const r of [Reduction.NONE, Reduction.MEAN, Reduction.SUM, Reduction.SUM_BY_NONZERO_WEIGHTS]) {
        const extra = name === 'huberLoss' ? [0.3] : name === 'logLoss' ? [1e-7] : [];
        close(
          f(tensor2d(labels), tensor2d(preds), tensor2d(weights), ...extra, r),
          g(tf.tensor2d(labels), tf.tensor2d(preds), tf.tensor2d(weights), ...extra, r),
        );
      }
    },
  );
  test('cross-entropies with logits, label smoothing, cosineDistance', () => {
    const logits = [
      [2, -1, 0.5],
      [-0.3, 1.2, 0.1],
    ];
    close(
      losses.sigmoidCrossEntropy(tensor2d(labels), tensor2d(logits), null, 0.1),
      tf.losses.sigmoidCrossEntropy(tf.tensor2d(labels), tf.tensor2d(logits), undefined, 0.1),
    );
    const onehot = [
      [1, 0, 0],
      [0, 0, 1],
    ];
    close(
      losses.softmaxCrossEntropy(tensor2d(onehot), tensor2d(logits), null, 0.2),
      tf.losses.softmaxCrossEntropy(tf.tensor2d(onehot), tf.tensor2d(logits), undefined, 0.2),
    );
    close(
      losses.cosineDistance(tensor2d(labels), tensor2d(preds), 1),
      tf.losses.cosineDistance(tf.tensor2d(labels), tf.tensor2d(preds), 1),
    );
  });
  test('differentiable inside optimizer.minimize; shapes checked', () => {
    const w = variable(tensor([0]), true, 'losses_ns_w');
    const opt = train.sgd(0.5);
    for (let i = 0; i < 20; i++) opt.minimize(() => losses.meanSquaredError(tensor([3]), w.mul(1)), false, [w]);
    expect(w.values[0]).toBeCloseTo(3, 3);
    expect(() => losses.meanSquaredError(tensor([1, 2]), tensor([1]))).toThrow(
      'losses.meanSquaredError: labels shape [2] and predictions shape [1] must match.',
    );
  });
});
