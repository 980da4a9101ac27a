/** `math.confusionMatrix(labels, predictions, numClasses)` (tfjs's `tf.math` namespace). */
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { assertValidShape, formatShape } from '../shape';
import { ValueError } from '../errors';

/**
 * Counts of (label, prediction) pairs: int32 `[numClasses, numClasses]`, row = true label, column = prediction.
 * `labels` and `predictions` are 1-D class ids of equal length.
 * tfjs note: tfjs truncates non-integer ids and silently drops ids outside [0, numClasses); we refuse both.
 *
 * ```js
 * math.confusionMatrix(tensor1d([0, 1, 1], 'int32'), tensor1d([0, 1, 0], 'int32'), 2);   // [[1, 0], [1, 1]]
 * ```
 */
export function confusionMatrix(labels: TensorLike, predictions: TensorLike, numClasses: number): Tensor {
  const op = 'confusionMatrix';
  const l = convertToTensor(labels, 'labels', op, 'int32');
  const p = convertToTensor(predictions, 'predictions', op, 'int32');
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ValueError(`${op}: argument 'numClasses' must be a positive integer, received ${numClasses}.`);
  }
  if (l.rank !== 1 || p.rank !== 1 || l.shape[0] !== p.shape[0]) {
    throw new ValueError(
      `${op}: 'labels' and 'predictions' must be 1-D of the same length, received shapes ${formatShape(l.shape)} and ${formatShape(p.shape)}.`,
    );
  }
  assertValidShape(op, [numClasses, numClasses]);
  const out = new Int32Array(numClasses * numClasses);
  const check = (name: string, v: number, i: number): number => {
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new ValueError(`${op}: ${name}[${i}] = ${v} is not a class id, expected an integer in [0, ${numClasses}).`);
    }
    return v;
  };
  for (let i = 0; i < l.size; i++) out[check('labels', l.values[i], i) * numClasses + check('predictions', p.values[i], i)]++;
  return makeTensor(out, [numClasses, numClasses], 'int32');
}

/** tfjs's `tf.math` namespace. */
export const math = { confusionMatrix };
