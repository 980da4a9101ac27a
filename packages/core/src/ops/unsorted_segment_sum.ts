/** `unsortedSegmentSum(x, segmentIds, numSegments)`: sums the rows of x that share a segment id (tfjs semantics). */
import { record } from '../engine';
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { assertValidShape, formatShape, sizeFromShape } from '../shape';
import { ValueError } from '../errors';
import { indexArgument } from './op_utils';

/**
 * Row `s` of the result is the sum of the slices `x[i]` with `segmentIds[i] = s`: shape `[numSegments, ...x.shape[1:]]`,
 * dtype of x; segments no id names are zero. The gradient gathers the upstream gradient rows back by id.
 * tfjs note: tfjs silently drops ids outside [0, numSegments); we refuse them with a ValueError. tfjs's cpu backend
 * returns float32 for int32 x; ours keeps int32 (as TensorFlow).
 *
 * ```js
 * unsortedSegmentSum(tensor1d([1, 2, 3, 4]), tensor1d([1, 0, 1, 1], 'int32'), 2);   // [2, 8]
 * ```
 */
export function unsortedSegmentSum(x: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  const t = convertToTensor(x, 'x', 'unsortedSegmentSum');
  const ids = indexArgument('unsortedSegmentSum', 'segmentIds', segmentIds);
  if (ids.dtype !== 'int32') throw new ValueError(`unsortedSegmentSum: argument 'segmentIds' must be int32, received ${ids.dtype}.`);
  if (t.rank === 0) throw new ValueError(`unsortedSegmentSum: argument 'x' must have rank >= 1, received a scalar.`);
  if (t.dtype === 'bool') throw new ValueError(`unsortedSegmentSum: argument 'x' must be float32 or int32, received bool.`);
  if (ids.rank !== 1 || ids.shape[0] !== t.shape[0]) {
    throw new ValueError(
      `unsortedSegmentSum: 'segmentIds' must be 1-D with one id per row of x (shape ${formatShape(t.shape)}), expected shape ` +
        `[${t.shape[0]}], received ${formatShape(ids.shape)}.`,
    );
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new ValueError(`unsortedSegmentSum: argument 'numSegments' must be a non-negative integer, received ${numSegments}.`);
  }
  const iv = ids.values;
  iv.forEach((id, i) => {
    if (id < 0 || id >= numSegments) {
      throw new ValueError(
        `unsortedSegmentSum: segmentIds[${i}] = ${id} is out of range, expected 0 <= id < numSegments = ${numSegments}.`,
      );
    }
  });
  const inner = sizeFromShape(t.shape.slice(1));
  const outShape = [numSegments, ...t.shape.slice(1)];
  assertValidShape('unsortedSegmentSum', outShape);
  const out = allocate(t.dtype, numSegments * inner);
  const xv = t.values;
  for (let r = 0; r < iv.length; r++) for (let k = 0; k < inner; k++) out[iv[r] * inner + k] += xv[r * inner + k];
  const result = makeTensor(out, outShape, t.dtype);
  record('unsortedSegmentSum', [t, ids], [result], ([dy]) => {
    const g = new Float32Array(t.size);
    const dv = dy.values;
    for (let r = 0; r < iv.length; r++) for (let k = 0; k < inner; k++) g[r * inner + k] = dv[iv[r] * inner + k];
    return [makeTensor(g, t.shape.slice(), 'float32'), null];
  });
  return result;
}
