/** transpose: permutes the axes of a tensor. */
import { record } from '../engine';
import { allocate, TypedArray } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { computeStrides, formatShape } from '../shape';

/** Copies `values` of `shape` into a new array laid out as the axes permuted by `perm`. */
export function transposeValues(values: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  const inStrides = computeStrides(shape);
  const outShape = perm.map((p) => shape[p]);
  // The input stride of each output axis: walking the output in order, we step through the input by these.
  const strides = perm.map((p) => inStrides[p]);
  const coord = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = values[src];
    for (let axis = rank - 1; axis >= 0; axis--) {
      coord[axis]++;
      src += strides[axis];
      if (coord[axis] < outShape[axis]) break;
      src -= strides[axis] * outShape[axis];
      coord[axis] = 0;
    }
  }
}

/** Validates `perm` as a permutation of `0..rank-1` (default: reversed axes). */
function parsePerm(x: Tensor, perm?: number[]): number[] {
  const rank = x.rank;
  if (perm === undefined || perm === null) return Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (perm.length !== rank) {
    throw new Error(
      `transpose: perm ${formatShape(perm)} must have length equal to the rank of x (shape ${formatShape(x.shape)}, rank ${rank}).`,
    );
  }
  const seen = new Array<boolean>(rank).fill(false);
  return perm.map((p) => {
    const a = p < 0 ? p + rank : p;
    if (!Number.isInteger(a) || a < 0 || a >= rank || seen[a]) {
      throw new Error(`transpose: perm ${formatShape(perm)} is not a permutation of the axes of x with shape ${formatShape(x.shape)}.`);
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
