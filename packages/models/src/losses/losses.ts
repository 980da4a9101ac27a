/**
 * Loss functions as tfjs-layers (and Keras) define them: each takes `(yTrue, yPred)` and returns
 * the per-sample loss, reduced over the last axis (shape `[batch]` for `[batch, features]` inputs).
 * All are built from differentiable core ops, so training backpropagates through them.
 * Probabilities are clipped to [ε, 1-ε] with ε = 1e-7, as Keras and tfjs-layers do.
 */
import {
  Tensor,
  TensorLike,
  abs,
  add,
  cast,
  clipByValue,
  convertToTensor,
  div,
  formatShape,
  log,
  log1p,
  logSoftmax,
  max,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  relu,
  shapesEqual,
  softplus,
  sqrt,
  square,
  sub,
  sum,
  exp,
  ValueError,
} from '@recurrent/core';

/** A loss (or metric) function: `(yTrue, yPred) => perSampleLoss`. */
export type LossOrMetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Keras's fuzz factor (tfjs-layers' `epsilon()`). */
export const LOSS_EPSILON = 1e-7;

/** Both inputs as tensors, checked to have the same shape (errors name the loss or metric). */
export function sameShapeInputs(name: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const t = convertToTensor(yTrue, 'yTrue', name);
  const p = convertToTensor(yPred, 'yPred', name);
  if (!shapesEqual(t.shape, p.shape)) {
    throw new ValueError(`${name}: yTrue shape ${formatShape(t.shape)} and yPred shape ${formatShape(p.shape)} must match.`);
  }
  return [t, p];
}

/** `sameShapeInputs`, with yPred required to be float32 and yTrue cast to float32. */
function prepare(name: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  let [t, p] = sameShapeInputs(name, yTrue, yPred);
  if (p.dtype !== 'float32') throw new ValueError(`${name}: yPred must be float32, received ${p.dtype}.`);
  if (t.dtype !== 'float32') t = cast(t, 'float32');
  return [t, p];
}

function checkFromLogits(name: string, fromLogits: unknown): boolean {
  if (fromLogits != null && typeof fromLogits !== 'boolean') {
    throw new ValueError(`${name}: fromLogits must be a boolean, received ${String(fromLogits)}.`);
  }
  return Boolean(fromLogits);
}

function checkLabelSmoothing(name: string, labelSmoothing: number): number {
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new ValueError(`${name}: labelSmoothing must be a number in [0, 1], received ${String(labelSmoothing)}.`);
  }
  return labelSmoothing;
}

/** mean((yPred - yTrue)², -1). */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('meanSquaredError', yTrue, yPred);
  return mean(square(sub(p, t)), -1);
}

/** mean(|yPred - yTrue|, -1). */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('meanAbsoluteError', yTrue, yPred);
  return mean(abs(sub(p, t)), -1);
}

/** 100 · mean(|(yTrue - yPred) / max(|yTrue|, ε)|, -1). */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('meanAbsolutePercentageError', yTrue, yPred);
  const denom = clipByValue(abs(t), LOSS_EPSILON, Number.MAX_VALUE);
  return mul(100, mean(abs(div(sub(t, p), denom)), -1));
}

/** mean((log(1 + max(yPred, ε)) - log(1 + max(yTrue, ε)))², -1). */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('meanSquaredLogarithmicError', yTrue, yPred);
  const a = log1p(clipByValue(p, LOSS_EPSILON, Number.MAX_VALUE));
  const b = log1p(clipByValue(t, LOSS_EPSILON, Number.MAX_VALUE));
  return mean(square(sub(a, b)), -1);
}

/**
 * Huber loss, mean over the last axis of `0.5·e²` where `|e| ≤ delta` and `delta·(|e| - 0.5·delta)`
 * elsewhere (`e = yPred - yTrue`), as Keras's `huber`.
 *
 * tfjs note: tfjs-layers has no per-sample Huber loss; `tf.losses.huberLoss` reduces over all elements
 * by default.
 */
export function huberLoss(yTrue: TensorLike, yPred: TensorLike, delta = 1): Tensor {
  if (typeof delta !== 'number' || !(delta > 0)) {
    throw new ValueError(`huberLoss: delta must be a positive number, received ${String(delta)}.`);
  }
  const [t, p] = prepare('huberLoss', yTrue, yPred);
  const a = abs(sub(p, t));
  const quadratic = minimum(a, delta);
  const linear = sub(a, quadratic);
  return mean(add(mul(0.5, square(quadratic)), mul(delta, linear)), -1);
}

/** mean(log(cosh(yPred - yTrue)), -1), computed as `x + softplus(-2x) - log 2` (no overflow). */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('logCosh', yTrue, yPred);
  const x = sub(p, t);
  return mean(sub(add(x, softplus(mul(-2, x))), Math.log(2)), -1);
}

/** Stable sigmoid cross-entropy: max(x, 0) - x·z + log(1 + e^-|x|). */
function sigmoidCrossEntropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  return add(sub(relu(logits), mul(logits, labels)), log1p(exp(neg(abs(logits)))));
}

/**
 * Binary cross-entropy, mean over the last axis. Probabilities are clipped to [ε, 1-ε] and turned
 * back into logits, then the stable sigmoid cross-entropy is used (as tfjs-layers). With
 * `fromLogits`, `yPred` are logits (as Keras's `from_logits=True`). `labelSmoothing` squeezes the
 * labels towards 0.5 (Keras).
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false, labelSmoothing = 0): Tensor {
  const name = 'binaryCrossentropy';
  const logitsGiven = checkFromLogits(name, fromLogits);
  const ls = checkLabelSmoothing(name, labelSmoothing);
  let [t, p] = prepare(name, yTrue, yPred);
  if (ls > 0) t = add(mul(t, 1 - ls), 0.5 * ls);
  let logits = p;
  if (!logitsGiven) {
    const c = clipByValue(p, LOSS_EPSILON, 1 - LOSS_EPSILON);
    logits = log(div(c, sub(1, c)));
  }
  return mean(sigmoidCrossEntropyWithLogits(t, logits), -1);
}

/** -Σ yTrue·log(p) over the last axis for one-hot (or soft) targets. */
function categoricalFromProbsOrLogits(t: Tensor, p: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return neg(sum(mul(t, logSoftmax(p, -1)), -1));
  const normalized = div(p, sum(p, -1, true));
  const clipped = clipByValue(normalized, LOSS_EPSILON, 1 - LOSS_EPSILON);
  return neg(sum(mul(t, log(clipped)), -1));
}

/**
 * Categorical cross-entropy for one-hot targets, summed over the last (class) axis. Probabilities are
 * renormalized to sum to 1 and clipped to [ε, 1-ε]; with `fromLogits` a log-softmax is used.
 *
 * tfjs note: tfjs-layers applies softmax and then clips (so logits of ±100 give a loss capped at
 * -log ε ≈ 16.1); we use the exact log-softmax form, as Keras.
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false, labelSmoothing = 0): Tensor {
  const name = 'categoricalCrossentropy';
  const logitsGiven = checkFromLogits(name, fromLogits);
  const ls = checkLabelSmoothing(name, labelSmoothing);
  let [t, p] = prepare(name, yTrue, yPred);
  if (p.rank === 0) throw new ValueError(`${name}: yPred must have a class axis, received a scalar.`);
  if (ls > 0) t = add(mul(t, 1 - ls), ls / p.shape[p.rank - 1]);
  return categoricalFromProbsOrLogits(t, p, logitsGiven);
}

/**
 * Categorical cross-entropy for integer class labels: `yTrue` has the shape of `yPred` without its
 * class axis (or with a class axis of 1). Labels outside [0, numClasses) throw.
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false): Tensor {
  const name = 'sparseCategoricalCrossentropy';
  const logitsGiven = checkFromLogits(name, fromLogits);
  const t = convertToTensor(yTrue, 'yTrue', name);
  const p = convertToTensor(yPred, 'yPred', name);
  if (p.dtype !== 'float32') throw new ValueError(`${name}: yPred must be float32, received ${p.dtype}.`);
  const oneHot = sparseToOneHot(name, t, p);
  // tfjs-layers clips the probabilities before renormalizing and clipping again.
  const probs = logitsGiven ? p : clipByValue(p, LOSS_EPSILON, 1 - LOSS_EPSILON);
  return categoricalFromProbsOrLogits(oneHot, probs, logitsGiven);
}

/**
 * Throws naming `name` unless the integer labels `t` have yPred's shape without its class (last) axis, or with a
 * class axis of 1; returns that batch shape (yPred's shape without its last axis).
 */
export function checkSparseLabelShape(name: string, t: Tensor, p: Tensor): number[] {
  const batchShape = p.shape.slice(0, -1);
  const ok =
    p.rank >= 1 && (shapesEqual(t.shape, batchShape) || (shapesEqual(t.shape.slice(0, -1), batchShape) && t.shape[t.rank - 1] === 1));
  if (!ok) {
    throw new ValueError(
      `${name}: yTrue shape ${formatShape(t.shape)} must be yPred shape ${formatShape(p.shape)} without its last ` +
        `axis (${formatShape(batchShape)}) or with a last axis of 1.`,
    );
  }
  return batchShape;
}

/** Checks sparse label shapes against yPred and builds the float32 one-hot targets (not differentiated). */
export function sparseToOneHot(name: string, t: Tensor, p: Tensor): Tensor {
  checkSparseLabelShape(name, t, p);
  const depth = p.shape[p.rank - 1];
  const labels = t.values;
  const out = new Float32Array(labels.length * depth);
  for (let i = 0; i < labels.length; i++) {
    const k = Math.floor(labels[i]);
    if (!(k >= 0 && k < depth)) {
      throw new ValueError(`${name}: label ${labels[i]} at index ${i} is outside [0, ${depth}) for ${depth} classes.`);
    }
    out[i * depth + k] = 1;
  }
  return new Tensor(out, p.shape.slice(), 'float32');
}

/** Σ yTrue·log(clip(yTrue, ε, 1) / clip(yPred, ε, 1)) over the last axis. */
export function kullbackLeiblerDivergence(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('kullbackLeiblerDivergence', yTrue, yPred);
  const ct = clipByValue(t, LOSS_EPSILON, 1);
  const cp = clipByValue(p, LOSS_EPSILON, 1);
  return sum(mul(t, log(div(ct, cp))), -1);
}

/**
 * mean(max(1 - yTrue·yPred, 0), -1) for labels in {-1, 1}.
 * tfjs note: like tfjs-layers, 0/1 labels are not converted to -1/1 (Keras 3 converts them).
 */
export function hinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('hinge', yTrue, yPred);
  return mean(maximum(0, sub(1, mul(t, p))), -1);
}

/** mean(max(1 - yTrue·yPred, 0)², -1). Same label convention as `hinge`. */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('squaredHinge', yTrue, yPred);
  return mean(square(maximum(0, sub(1, mul(t, p)))), -1);
}

/** max(0, 1 + max((1 - yTrue)·yPred) - Σ yTrue·yPred) over the last axis. */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('categoricalHinge', yTrue, yPred);
  const pos = sum(mul(t, p), -1);
  const negative = max(mul(sub(1, t), p), -1);
  return maximum(0, add(1, sub(negative, pos)));
}

/** mean(yPred - yTrue·log(yPred + ε), -1). */
export function poisson(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('poisson', yTrue, yPred);
  return mean(sub(p, mul(t, log(add(p, LOSS_EPSILON)))), -1);
}

function l2Normalize(x: Tensor): Tensor {
  return div(x, sqrt(maximum(sum(square(x), -1, true), LOSS_EPSILON)));
}

/** -Σ l2normalize(yTrue)·l2normalize(yPred) over the last axis (Keras's cosine similarity loss). */
export function cosineProximity(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = prepare('cosineProximity', yTrue, yPred);
  return neg(sum(mul(l2Normalize(t), l2Normalize(p)), -1));
}
