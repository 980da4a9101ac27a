/** transpose: permutes the axes of a tensor. */
import { record } from '../engine';
import { allocate, TypedArray } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { computeStrides, formatShape } from '../shape';
import { stridedGather } from './op_utils';
import { ValueError } from '../errors';

/** Copies `values` of `shape` into a new array laid out as the axes permuted by `perm`. */
export function transposeValues(values: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const inStrides = computeStrides(shape);
  // Walking the output in order steps through the input by the input stride of each output axis.
  stridedGather(
    values,
    0,
    perm.map((p) => shape[p]),
    perm.map((p) => inStrides[p]),
    out,
  );
}

/** Validates `perm` as a permutation of `0..rank-1` (default: reversed axes). */
function parsePerm(x: Tensor, perm?: number[]): number[] {
  const rank = x.rank;
  if (perm === undefined || perm === null) return Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (!Array.isArray(perm)) {
    const example = rank >= 2 ? Array.from({ length: rank }, (_, i) => (i < rank - 2 ? i : 2 * rank - 3 - i)).join(', ') : '0';
    throw new ValueError(
      `transpose: perm must be an array of axes (a permutation of 0..${rank - 1}, e.g. [${example}]), received ${typeof perm === 'number' ? `the number ${perm}` : typeof perm}; PyTorch's x.transpose(dim0, dim1), which swaps two axes, is written transpose(x, perm) with the full permutation here.`,
    );
  }
  if (perm.length !== rank) {
    throw new ValueError(
      `transpose: perm ${formatShape(perm)} must have length equal to the rank of x (shape ${formatShape(x.shape)}, rank ${rank}).`,
    );
  }
  const seen = new Array<boolean>(rank).fill(false);
  return perm.map((p) => {
    const a = p < 0 ? p + rank : p;
    if (!Number.isInteger(a) || a < 0 || a >= rank || seen[a]) {
      throw new ValueError(
        `transpose: perm ${formatShape(perm)} is not a permutation of the axes of x with shape ${formatShape(x.shape)}.`,
      );
    }
    seen[a] = true;
    return a;
  });
}

/**
 * Permutes the axes of `x`: output axis `i` is input axis `perm[i]`. Without `perm`, reverses the axes
 * (a matrix transpose for rank 2).
 *
 * ```js
 * transpose(tensor2d([[1, 2, 3], [4, 5, 6]]));   // [[1, 4], [2, 5], [3, 6]]
 * ```
 */
export function transpose(x: TensorLike, perm?: number[]): Tensor {
  const t = convertToTensor(x, 'x', 'transpose');
  const p = parsePerm(t, perm);
  const outShape = p.map((a) => t.shape[a]);
  const out = allocate(t.dtype, t.size);
  transposeValues(t.values, t.shape, p, out);
  const result = makeTensor(out, outShape, t.dtype);
  record('transpose', [t], [result], ([dy]) => {
    const inverse = new Array<number>(p.length);
    p.forEach((a, i) => (inverse[a] = i));
    return [transpose(dy, inverse)];
  });
  return result;
}
