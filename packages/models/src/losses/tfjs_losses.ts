/**
 * The `losses` namespace as tfjs's `tf.losses` (tfjs-core): each takes `(labels, predictions,
 * weights?, ..., reduction?)` and returns the reduced loss (a scalar by default, the mean over
 * non-zero weights), built from differentiable ops so it works inside `optimizer.minimize`.
 *
 * ```js
 * const loss = losses.meanSquaredError(yTrue, yPred);            // scalar
 * optimizer.minimize(() => losses.softmaxCrossEntropy(labels, model.predict(x)));
 * ```
 *
 * (The per-sample loss functions that `compile` uses are the package's `meanSquaredError` etc.)
 */
import { ctc } from './ctc';
import {
  Tensor,
  TensorLike,
  abs,
  cast,
  convertToTensor,
  div,
  exp,
  formatShape,
  log,
  log1p,
  logSoftmax,
  mean,
  minimum,
  mul,
  neg,
  notEqual,
  ones,
  relu,
  scalar,
  shapesEqual,
  square,
  sub,
  sum,
  add,
  ValueError,
} from '@recurrent/core';

/** How a loss is reduced (tfjs's `Reduction`). */
export enum Reduction {
  NONE = 0,
  MEAN = 1,
  SUM = 2,
  SUM_BY_NONZERO_WEIGHTS = 3,
}

function pair(name: string, labels: TensorLike, predictions: TensorLike): [Tensor, Tensor] {
  const l = convertToTensor(labels, 'labels', name);
  const p = convertToTensor(predictions, 'predictions', name);
  if (!shapesEqual(l.shape, p.shape)) {
    throw new ValueError(`losses.${name}: labels shape ${formatShape(l.shape)} and predictions shape ${formatShape(p.shape)} must match.`);
  }
  return [l, p];
}

/** Weights and reduces per-element losses (tfjs `tf.losses.computeWeightedLoss`). */
export function computeWeightedLoss(losses: TensorLike, weights?: TensorLike | null, reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const l = convertToTensor(losses, 'losses', 'computeWeightedLoss');
  const w = weights == null ? null : convertToTensor(weights, 'weights', 'computeWeightedLoss');
  const weighted = w ? mul(l, w) : l;
  switch (reduction) {
    case Reduction.NONE:
      return weighted;
    case Reduction.SUM:
      return sum(weighted);
    case Reduction.MEAN: {
      if (!w) return mean(weighted);
      const factor = l.size / w.size;
      const r = div(sum(weighted), sum(w));
      return factor > 1 ? div(r, scalar(factor)) : r;
    }
    case Reduction.SUM_BY_NONZERO_WEIGHTS: {
      if (!w) return div(sum(weighted), scalar(l.size));
      const nonZero = sum(cast(notEqual(mul(w, ones(l.shape)), scalar(0)), 'float32'));
      return div(sum(weighted), nonZero);
    }
    default:
      throw new ValueError(
        `losses.computeWeightedLoss: unknown reduction ${String(reduction)}; use losses.Reduction.NONE, MEAN, SUM or SUM_BY_NONZERO_WEIGHTS.`,
      );
  }
}

/** |labels − predictions|, reduced. */
function absoluteDifference(
  labels: TensorLike,
  predictions: TensorLike,
  weights?: TensorLike | null,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [l, p] = pair('absoluteDifference', labels, predictions);
  return computeWeightedLoss(abs(sub(l, p)), weights, reduction);
}

/** (labels − predictions)², reduced. */
function meanSquaredError(
  labels: TensorLike,
  predictions: TensorLike,
  weights?: TensorLike | null,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [l, p] = pair('meanSquaredError', labels, predictions);
  return computeWeightedLoss(square(sub(l, p)), weights, reduction);
}

/** Huber loss with threshold `delta` (default 1), reduced. */
function huberLoss(
  labels: TensorLike,
  predictions: TensorLike,
  weights?: TensorLike | null,
  delta = 1,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [l, p] = pair('huberLoss', labels, predictions);
  const err = abs(sub(p, l));
  const quad = minimum(err, scalar(delta));
  const lin = sub(err, quad);
  return computeWeightedLoss(add(mul(scalar(0.5), square(quad)), mul(scalar(delta), lin)), weights, reduction);
}

/** −y·log(p + ε) − (1 − y)·log(1 − p + ε), reduced. */
function logLoss(
  labels: TensorLike,
  predictions: TensorLike,
  weights?: TensorLike | null,
  epsilon = 1e-7,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [l, p] = pair('logLoss', labels, predictions);
  const one = scalar(1);
  const eps = scalar(epsilon);
  const losses = sub(neg(mul(l, log(add(p, eps)))), mul(sub(one, l), log(add(sub(one, p), eps))));
  return computeWeightedLoss(losses, weights, reduction);
}

/** max(0, 1 − (2·labels − 1)·predictions), reduced (labels 0/1). */
function hingeLoss(
  labels: TensorLike,
  predictions: TensorLike,
  weights?: TensorLike | null,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [l, p] = pair('hingeLoss', labels, predictions);
  const signed = sub(mul(scalar(2), l), scalar(1));
  return computeWeightedLoss(relu(sub(scalar(1), mul(signed, p))), weights, reduction);
}

/** 1 − Σ labels·predictions over `axis` (inputs assumed unit-normalized), reduced. */
function cosineDistance(
  labels: TensorLike,
  predictions: TensorLike,
  axis: number,
  weights?: TensorLike | null,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [l, p] = pair('cosineDistance', labels, predictions);
  return computeWeightedLoss(sub(scalar(1), sum(mul(l, p), axis, true)), weights, reduction);
}

/** Sigmoid cross-entropy of `logits` for 0/1 labels (numerically stable), with label smoothing; reduced. */
function sigmoidCrossEntropy(
  multiClassLabels: TensorLike,
  logits: TensorLike,
  weights?: TensorLike | null,
  labelSmoothing = 0,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  let [l, z] = pair('sigmoidCrossEntropy', multiClassLabels, logits);
  if (labelSmoothing > 0) l = add(mul(l, scalar(1 - labelSmoothing)), scalar(0.5 * labelSmoothing));
  const losses = add(sub(relu(z), mul(z, l)), log1p(exp(neg(abs(z)))));
  return computeWeightedLoss(losses, weights, reduction);
}

/** Softmax cross-entropy of `logits` [batch, classes] for one-hot labels, with label smoothing; reduced over samples. */
function softmaxCrossEntropy(
  onehotLabels: TensorLike,
  logits: TensorLike,
  weights?: TensorLike | null,
  labelSmoothing = 0,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  let [l, z] = pair('softmaxCrossEntropy', onehotLabels, logits);
  if (labelSmoothing > 0) {
    // tfjs note: tfjs divides by labels.shape[1], which is not the class count for rank > 2; the last axis as TensorFlow.
    const classes = l.shape[l.shape.length - 1];
    l = add(mul(l, scalar(1 - labelSmoothing)), scalar(labelSmoothing / classes));
  }
  const perSample = neg(sum(mul(l, logSoftmax(z, -1)), -1));
  return computeWeightedLoss(perSample, weights, reduction);
}

/** tfjs's `tf.losses`. */
export const losses = {
  absoluteDifference,
  computeWeightedLoss,
  cosineDistance,
  hingeLoss,
  huberLoss,
  logLoss,
  meanSquaredError,
  sigmoidCrossEntropy,
  softmaxCrossEntropy,
  Reduction,
  /** Keras 3's CTC loss for compile/fit (per-sample, labels padded with 0): see `./ctc`. */
  ctc,
};
