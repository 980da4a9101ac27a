/**
 * Metrics for classifiers and language models: `topKCategoricalAccuracy`,
 * `sparseTopKCategoricalAccuracy` (per sample, Keras), `auc` (ROC AUC of a batch) and `perplexity`
 * (exp of the mean sparse cross-entropy of a batch). Evaluated on values, not differentiated.
 *
 * ```js
 * model.compile({optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['sparseTopKCategoricalAccuracy', 'perplexity']});
 * ```
 */
import { Tensor, TensorLike, convertToTensor, formatShape, scalar, ValueError } from '@recurrent/core';
import { sameShapeInputs, sparseCategoricalCrossentropy } from '../losses/losses';

/** 1 when `value` at class `label` is among the k largest of its row (ties at the boundary count in, as tf.math.in_top_k). */
function inTopK(values: ArrayLike<number>, off: number, n: number, label: number, k: number): number {
  const target = values[off + label];
  let greater = 0;
  for (let j = 0; j < n; j++) if (values[off + j] > target) greater++;
  return greater < k ? 1 : 0;
}

function checkK(name: string, k: number): void {
  if (!Number.isInteger(k) || k <= 0) throw new ValueError(`${name}: k must be a positive integer, received ${String(k)}.`);
}

/**
 * 1 where the true class (argmax of one-hot `yTrue`) is among the `k` (default 5) highest
 * predictions, else 0; shape `yPred.shape[:-1]` (Keras `top_k_categorical_accuracy`).
 */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  const name = 'topKCategoricalAccuracy';
  checkK(name, k);
  const [t, p] = sameShapeInputs(name, yTrue, yPred);
  const n = p.shape[p.shape.length - 1];
  const rows = n === 0 ? 0 : p.size / n;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let label = 0;
    for (let j = 1; j < n; j++) if (t.values[r * n + j] > t.values[r * n + label]) label = j;
    out[r] = inTopK(p.values, r * n, n, label, k);
  }
  return new Tensor(out, p.shape.slice(0, -1), 'float32');
}

/**
 * 1 where the integer label `yTrue` is among the `k` (default 5) highest predictions; `yTrue` has
 * yPred's shape without the class axis (or with a class axis of 1) (Keras `sparse_top_k_categorical_accuracy`).
 */
export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  const name = 'sparseTopKCategoricalAccuracy';
  checkK(name, k);
  const t = convertToTensor(yTrue, 'yTrue', name);
  const p = convertToTensor(yPred, 'yPred', name);
  const n = p.shape[p.shape.length - 1];
  const rows = n === 0 ? 0 : p.size / n;
  if (t.size !== rows) {
    throw new ValueError(
      `${name}: yTrue shape ${formatShape(t.shape)} must be yPred's shape ${formatShape(p.shape)} without the class axis (${rows} labels).`,
    );
  }
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const label = t.values[r];
    if (!Number.isInteger(label) || label < 0 || label >= n)
      throw new ValueError(`${name}: label ${label} at position ${r} is not a class index in [0, ${n}).`);
    out[r] = inTopK(p.values, r * n, n, label, k);
  }
  return new Tensor(out, p.shape.slice(0, -1), 'float32');
}

/**
 * Area under the ROC curve of the batch (labels 0/1 in `yTrue`, scores in `yPred`, any equal
 * shapes): the probability that a positive scores above a negative, ties counting half (exact,
 * by ranks). A batch with only one class gives 0 (Keras's value for an empty curve).
 *
 * tfjs note: Keras's `AUC` is a streaming metric over 200 thresholds; ours is exact per batch, and
 * `fit` averages it over batches (an approximation of the epoch AUC).
 */
export function auc(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const name = 'auc';
  const [t, p] = sameShapeInputs(name, yTrue, yPred);
  const n = p.size;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p.values[a] - p.values[b]);
  // Average ranks (1-based) over ties, then the Mann–Whitney U statistic.
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && p.values[order[j + 1]] === p.values[order[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (t.values[order[k]] > 0.5) {
        rankSumPos += avg;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return scalar(0);
  return scalar((rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg));
}

/**
 * exp(mean sparse categorical cross-entropy) of the batch: the perplexity of a language model's
 * next-token probabilities `yPred` [batch, timeSteps, vocab] for labels `yTrue` [batch, timeSteps].
 *
 * tfjs note: keras-nlp's `Perplexity` accumulates the cross-entropy over an epoch before the exp;
 * ours is per batch, and `fit` averages the batch values.
 */
export function perplexity(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const ce = sparseCategoricalCrossentropy(yTrue, yPred);
  const v = ce.values;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return scalar(Math.exp(v.length ? s / v.length : 0));
}
