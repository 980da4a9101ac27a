/** `searchSorted`, `lowerBound`, `upperBound`: where values would go in sorted rows (tfjs semantics; bucketizing). */
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { ValueError } from '../errors';

/**
 * For each value, the index in the last dimension of `sortedSequence` where it would be inserted to keep the row
 * sorted: `side` 'left' gives the first such index (lower bound), 'right' the last (upper bound). Rows pair up:
 * the leading dimensions of both (flattened) must have the same size. int32, shape of `values`.
 * tfjs note: tfjs returns shape [rows, values.shape[-1]] (leading dimensions flattened, [1, n] for 1-D values);
 * we keep the shape of `values`, as TensorFlow and tfjs's documentation. Empty rows (every value goes to 0) and
 * empty values work here; tfjs throws on them (it cannot reshape to [-1, 0]).
 *
 * ```js
 * searchSorted(tensor1d([0, 3, 9, 10, 10]), tensor1d([0, 4, 10]));            // [0, 2, 3]
 * searchSorted(tensor1d([0, 3, 9, 10, 10]), tensor1d([0, 4, 10]), 'right');   // [1, 2, 5]
 * ```
 */
export function searchSorted(sortedSequence: TensorLike, values: TensorLike, side: 'left' | 'right' = 'left'): Tensor {
  const op = 'searchSorted';
  const seq = convertToTensor(sortedSequence, 'sortedSequence', op);
  const v = convertToTensor(values, 'values', op, seq.dtype);
  if (side !== 'left' && side !== 'right')
    throw new ValueError(`${op}: argument 'side' must be 'left' or 'right', received ${String(side)}.`);
  if (seq.rank === 0 || v.rank === 0) {
    throw new ValueError(
      `${op}: 'sortedSequence' and 'values' must have rank >= 1, received shapes ${formatShape(seq.shape)} and ${formatShape(v.shape)}.`,
    );
  }
  const n = seq.shape[seq.rank - 1];
  const m = v.shape[v.rank - 1];
  const seqRows = n === 0 ? seq.shape.slice(0, -1).reduce((a, b) => a * b, 1) : seq.size / n;
  const valRows = m === 0 ? v.shape.slice(0, -1).reduce((a, b) => a * b, 1) : v.size / m;
  if (seqRows !== valRows) {
    throw new ValueError(
      `${op}: the leading dimensions of 'sortedSequence' (shape ${formatShape(seq.shape)}) and 'values' (shape ` +
        `${formatShape(v.shape)}) must hold the same number of rows, received ${seqRows} and ${valRows}.`,
    );
  }
  const sv = seq.values;
  const vv = v.values;
  const out = new Int32Array(v.size);
  for (let r = 0; r < valRows; r++) {
    for (let j = 0; j < m; j++) {
      const x = vv[r * m + j];
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const s = sv[r * n + mid];
        if (side === 'left' ? s < x : s <= x) lo = mid + 1;
        else hi = mid;
      }
      out[r * m + j] = lo;
    }
  }
  return makeTensor(out, v.shape.slice(), 'int32');
}

/** `searchSorted(sortedSequence, values, 'left')`: the first index where each value fits. */
export function lowerBound(sortedSequence: TensorLike, values: TensorLike): Tensor {
  return searchSorted(sortedSequence, values, 'left');
}

/** `searchSorted(sortedSequence, values, 'right')`: the index after the last element ≤ each value. */
export function upperBound(sortedSequence: TensorLike, values: TensorLike): Tensor {
  return searchSorted(sortedSequence, values, 'right');
}
