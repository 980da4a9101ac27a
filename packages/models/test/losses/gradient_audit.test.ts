/**
 * Finite-difference gradients of the loss paths losses.test.ts does not differentiate (session 7 audit): label
 * smoothing (with and without logits), huberLoss's delta, rank-3 predictions, the 'ctc' loss, and every function
 * of the tfjs-style `losses` namespace with weights and each reduction.
 */
import { Tensor, tensor } from '@recurrent/core';
import { binaryCrossentropy, categoricalCrossentropy, ctc, huberLoss, losses, sparseCategoricalCrossentropy } from '@recurrent/models';
import { checkGradients, randomInput } from '@recurrent/test-utils';

const ONE_HOT = tensor(
  [
    [0, 1, 0],
    [1, 0, 0],
    [0, 0, 1],
  ],
  [3, 3],
);
const BIN = tensor(
  [
    [0, 1, 1],
    [1, 0, 0],
    [0, 1, 0],
  ],
  [3, 3],
);
/** Probabilities in (0.1, 0.8): inside the [ε, 1 − ε] clip. */
const probs = () => randomInput([3, 3], 1, 0.1, 0.8);
const logits = () => randomInput([3, 3], 2, -2, 2);

describe('Keras losses: label smoothing, delta, rank 3 (gradient w.r.t. the predictions)', () => {
  it.each([
    ['binaryCrossentropy labelSmoothing 0.1', (p: Tensor) => binaryCrossentropy(BIN, p, false, 0.1), probs],
    ['binaryCrossentropy fromLogits, labelSmoothing 0.2', (p: Tensor) => binaryCrossentropy(BIN, p, true, 0.2), logits],
    [
      'categoricalCrossentropy labelSmoothing 0.1 (unnormalized probabilities)',
      (p: Tensor) => categoricalCrossentropy(ONE_HOT, p, false, 0.1),
      probs,
    ],
    ['categoricalCrossentropy fromLogits, labelSmoothing 0.3', (p: Tensor) => categoricalCrossentropy(ONE_HOT, p, true, 0.3), logits],
  ] as Array<[string, (p: Tensor) => Tensor, () => Tensor]>)('%s', (_, f, make) => {
    checkGradients(f, [make()], { eps: 1e-3 });
  });

  it('huberLoss with delta 0.5: both the quadratic and the linear part (|error| away from delta)', () => {
    const t = tensor([0, 0, 0, 0, 0, 0], [2, 3]);
    const p = tensor([0.2, -0.3, 0.8, -1.4, 0.45, -0.6], [2, 3]);
    checkGradients((a) => huberLoss(t, a, 0.5), [p], { eps: 1e-3 });
  });

  it('rank 3: categorical and sparse categorical cross-entropy from logits, binary from probabilities', () => {
    const y = tensor([0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0], [2, 2, 3]);
    checkGradients((a) => categoricalCrossentropy(y, a, true), [randomInput([2, 2, 3], 3, -2, 2)], { eps: 1e-3 });
    checkGradients((a) => sparseCategoricalCrossentropy(tensor([1, 2, 0, 1], [2, 2]), a, true), [randomInput([2, 2, 3], 4, -2, 2)], {
      eps: 1e-3,
    });
    checkGradients((a) => binaryCrossentropy(y, a), [randomInput([2, 2, 3], 5, 0.1, 0.9)], { eps: 1e-3 });
  });
});

describe("the 'ctc' loss (labels padded with 0)", () => {
  it('gradient w.r.t. the logits, labels of different lengths with a repeat', () => {
    const y = tensor(
      [
        [1, 1, 2],
        [3, 0, 0],
      ],
      [2, 3],
    );
    checkGradients((a) => ctc(y, a), [randomInput([2, 6, 4], 6, -1.5, 1.5)], { eps: 1e-2, rtol: 2e-2, atol: 2e-3 });
  });
});

describe('the losses namespace (tfjs tf.losses): predictions, and the weights, under every reduction', () => {
  const labels = tensor([0, 1, 1, 0, 1, 0], [2, 3]);
  // A zero weight: the predictions' gradient there is 0. The weights' own gradient is checked with nonzero weights only:
  // SUM_BY_NONZERO_WEIGHTS divides by the count of nonzero weights, a step in each weight at 0 (ill-posed there).
  const weights = tensor([0.5, 1.5, 0, 1, 2, 0.7], [2, 3]);
  const nonzeroWeights = tensor([0.5, 1.5, 0.3, 1, 2, 0.7], [2, 3]);
  const reductions = [losses.Reduction.NONE, losses.Reduction.MEAN, losses.Reduction.SUM, losses.Reduction.SUM_BY_NONZERO_WEIGHTS];
  const fns: Array<[string, (p: Tensor, w: Tensor, r: number) => Tensor, () => Tensor]> = [
    ['absoluteDifference', (p, w, r) => losses.absoluteDifference(labels, p, w, r), () => randomInput([2, 3], 7, 0.05, 0.9)],
    ['meanSquaredError', (p, w, r) => losses.meanSquaredError(labels, p, w, r), () => randomInput([2, 3], 8)],
    ['huberLoss delta 0.3', (p, w, r) => losses.huberLoss(labels, p, w, 0.3, r), () => tensor([0.1, 0.5, 1.2, -0.5, 0.85, 0.2], [2, 3])],
    ['logLoss', (p, w, r) => losses.logLoss(labels, p, w, 1e-7, r), () => randomInput([2, 3], 9, 0.1, 0.9)],
    ['hingeLoss', (p, w, r) => losses.hingeLoss(labels, p, w, r), () => tensor([0.3, -0.4, 0.5, -1.4, 2.2, 0.6], [2, 3])],
    ['cosineDistance axis 1', (p, w, r) => losses.cosineDistance(labels, p, 1, w.slice([0, 0], [2, 1]), r), () => randomInput([2, 3], 10)],
    [
      'sigmoidCrossEntropy labelSmoothing 0.1',
      (p, w, r) => losses.sigmoidCrossEntropy(labels, p, w, 0.1, r),
      () => randomInput([2, 3], 11, -2, 2),
    ],
    [
      'softmaxCrossEntropy labelSmoothing 0.2',
      (p, w, r) => losses.softmaxCrossEntropy(tensor([0, 1, 0, 0, 0, 1], [2, 3]), p, w.slice([0, 0], [2, 1]).reshape([2]), 0.2, r),
      () => randomInput([2, 3], 12, -2, 2),
    ],
  ];
  for (const [name, f, make] of fns) {
    it(`${name}: reductions NONE, MEAN, SUM, SUM_BY_NONZERO_WEIGHTS; gradient w.r.t. the weights too`, () => {
      for (const r of reductions) {
        checkGradients((p, w) => f(p, w, r), [make(), nonzeroWeights], { eps: 1e-3 });
        checkGradients((p) => f(p, weights, r), [make()], { eps: 1e-3 });
      }
    });
  }
  it('computeWeightedLoss: losses and weights (broadcast [2, 1])', () => {
    for (const r of reductions)
      checkGradients((l, w) => losses.computeWeightedLoss(l, w, r), [randomInput([2, 3], 13), tensor([0.5, 2], [2, 1])]);
  });
});
