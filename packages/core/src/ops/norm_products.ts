/** `euclideanNorm` and `outerProduct` (tfjs), composed from differentiable ops. */
import { Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { ValueError } from '../errors';
import { norm } from './cumsum_norm';
import { matMul } from './mat_mul';
import { reshape } from './reshape';

/**
 * The Euclidean norm √(Σ x²) over `axis` (all elements by default), tfjs's `euclideanNorm`; `keepDims` keeps the
 * reduced axes as size 1. `euclideanNorm(tensor2d([[3, 4], [5, 12]]), 1)` → [5, 13].
 * tfjs note: tfjs throws for int32 x (its sqrt refuses int32); ours returns float32.
 */
export function euclideanNorm(x: TensorLike, axis: number | number[] | null = null, keepDims = false): Tensor {
  return norm(convertToTensor(x, 'x', 'euclideanNorm'), 'euclidean', axis, keepDims);
}

/**
 * The outer product of two 1-D tensors: `[n] ⊗ [m] → [n, m]`, element (i, j) = v1[i]·v2[j].
 * `outerProduct(tensor1d([1, 2]), tensor1d([3, 4, 5]))` → [[3, 4, 5], [6, 8, 10]].
 */
export function outerProduct(v1: TensorLike, v2: TensorLike): Tensor {
  const a = convertToTensor(v1, 'v1', 'outerProduct');
  const b = convertToTensor(v2, 'v2', 'outerProduct');
  if (a.rank !== 1 || b.rank !== 1) {
    throw new ValueError(`outerProduct: 'v1' and 'v2' must be 1-D, received shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}.`);
  }
  return matMul(reshape(a, [a.shape[0], 1]), reshape(b, [1, b.shape[0]]));
}
