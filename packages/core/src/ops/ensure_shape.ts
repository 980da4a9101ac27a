/** `ensureShape(x, shape)`: a shape assertion that returns `x` (tfjs's ensureShape). */
import { Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { ValueError } from '../errors';

/**
 * Returns `x` unchanged when its shape matches `shape` (a `null` entry matches any size), else throws a ValueError
 * naming both shapes: a check to put on a model's input before it meets a layer.
 *
 * ```js
 * ensureShape(batch, [null, 20, 8]);   // batch, or a ValueError when it is not [*, 20, 8]
 * ```
 */
export function ensureShape(x: TensorLike, shape: (number | null)[]): Tensor {
  const t = convertToTensor(x, 'x', 'ensureShape');
  if (!Array.isArray(shape)) throw new ValueError(`ensureShape: shape must be an array of sizes or nulls, received ${String(shape)}.`);
  if (shape.length !== t.rank || shape.some((d, i) => d !== null && d !== t.shape[i])) {
    throw new ValueError(
      `ensureShape: x has shape ${formatShape(t.shape)}, which is not compatible with the expected shape ${formatShape(shape)}.`,
    );
  }
  return t;
}
