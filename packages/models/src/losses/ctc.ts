/** The CTC loss for `compile`/`fit` (Keras 3's `keras.losses.ctc` / `CTC`). */
import { convertToTensor, ctcLoss, formatShape, Tensor, TensorLike, ValueError } from '@recurrent/core';

/**
 * Connectionist temporal classification loss, per sample, for models that emit one class distribution per time
 * step (OCR, speech): `compile({loss: 'ctc'})` or `losses.ctc`.
 *
 * - `yTrue` `[batch, maxLabelLength]`: label ids (int32, or float32 holding integers as `fit` passes them), each
 *   row's label first, then padding. Class 0 is the blank and is never a label id.
 * - `yPred` `[batch, timeSteps, numClasses]`: unnormalized logits (end the model with a linear `dense`; a log-softmax
 *   is applied inside, so log-probabilities work too).
 * - Returns `[batch]`: −log P(label | yPred); `fit` averages it over the batch (Keras's `sum_over_batch_size`).
 *
 * Lengths as Keras 3 takes them: every sequence uses all `timeSteps`, and a label's length is its number of
 * entries before the padding, where padding is 0 (Keras counts the entries ≠ 0, 0 being the blank).
 * tfjs note: -1 (the padding `ctcDecode` writes) is accepted as padding too, and an id after the padding started is
 * an error rather than being silently dropped. A label that cannot be aligned in `timeSteps` steps gives an
 * infinite loss (as Keras); make `timeSteps` at least the label length plus its number of adjacent repeats.
 *
 * ```js
 * model.add(layers.timeDistributed({layer: layers.dense({units: numClasses})}));   // logits; class 0 = blank
 * model.compile({optimizer: 'adam', loss: 'ctc'});
 * await model.fit(x, tensor2d([[3, 1, 4, 0], [1, 5, 0, 0]]), {epochs: 10});      // labels [3 1 4] and [1 5]
 * ```
 */
export function ctc(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const name = 'ctc';
  const t = convertToTensor(yTrue, 'yTrue', name);
  const p = convertToTensor(yPred, 'yPred', name);
  if (t.rank !== 2) {
    throw new ValueError(
      `${name}: yTrue must be padded labels of shape [batch, maxLabelLength] (integer ids, 0 = blank/padding), ` +
        `received shape ${formatShape(t.shape)}.`,
    );
  }
  if (p.rank !== 3) {
    throw new ValueError(`${name}: yPred must be logits of shape [batch, timeSteps, numClasses], received shape ${formatShape(p.shape)}.`);
  }
  if (t.shape[0] !== p.shape[0]) {
    throw new ValueError(
      `${name}: yTrue has batch size ${t.shape[0]} (shape ${formatShape(t.shape)}) but yPred has ${p.shape[0]} (shape ${formatShape(p.shape)}).`,
    );
  }
  const [B, L] = t.shape;
  const v = t.values;
  const labels = new Int32Array(B * L);
  const labelLengths = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    let n = 0;
    for (let j = 0; j < L; j++) {
      const id = v[b * L + j];
      if (!Number.isInteger(id)) throw new ValueError(`${name}: yTrue[${b}][${j}] = ${id} is not an integer label id.`);
      if (id <= 0) {
        if (id < -1)
          throw new ValueError(`${name}: yTrue[${b}][${j}] = ${id}: label ids are >= 1 (0 is the blank) and padding is 0 or -1.`);
        continue;
      }
      if (n !== j) {
        throw new ValueError(
          `${name}: yTrue[${b}][${j}] = ${id} comes after padding (${v[b * L + n]} at column ${n}); each row must hold its label ` +
            `first and padding (0 or -1) only after it.`,
        );
      }
      labels[b * L + j] = id;
      n++;
    }
    labelLengths[b] = n;
  }
  const logitLengths = new Int32Array(B).fill(p.shape[1]);
  return ctcLoss(new Tensor(labels, [B, L], 'int32'), p, new Tensor(labelLengths, [B], 'int32'), new Tensor(logitLengths, [B], 'int32'), {
    blankIndex: 0,
    fromLogits: true,
  });
}
