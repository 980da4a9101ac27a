/** `addN(tensors)`: the elementwise sum of same-shape tensors (tfjs's addN), with its backward. */
import { Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape, shapesEqual } from '../shape';
import { ValueError } from '../errors';
import { add } from './arithmetic';
import { clone } from './clone';

/**
 * Sums a list of tensors of one shape and dtype elementwise (no broadcasting, as tfjs).
 *
 * ```js
 * addN([tensor1d([1, 2]), tensor1d([3, 4]), tensor1d([5, 6])]);   // [9, 12]
 * ```
 */
export function addN(tensors: TensorLike[]): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    const got = Array.isArray(tensors) ? 'an empty list' : typeof tensors;
    throw new ValueError(`addN: argument 'tensors' must be a non-empty list of tensors, received ${got}.`);
  }
  const ts = tensors.map((t, i) => convertToTensor(t, `tensors[${i}]`, 'addN'));
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, ts[0].shape) || t.dtype !== ts[0].dtype) {
      throw new ValueError(
        `addN: every tensor must have the shape and dtype of tensors[0] (${formatShape(ts[0].shape)} ${ts[0].dtype}), ` +
          `received tensors[${i}] ${formatShape(t.shape)} ${t.dtype}.`,
      );
    }
  });
  // Each add records its own backward (dy to both sides), so the sum's gradient is dy for every input.
  return ts.length === 1 ? clone(ts[0]) : ts.slice(1).reduce((acc, t) => add(acc, t), ts[0]);
}
