/** `movingAverage(v, x, decay, step, zeroDebias)`: one exponential-moving-average update (tfjs's movingAverage). */
import { Tensor } from '../tensor';
import { convertToTensor, scalar, TensorLike } from '../convert';
import { formatShape, shapesEqual } from '../shape';
import { ValueError } from '../errors';
import { add, div, mul, sub } from './arithmetic';
import { pow } from './binary_math';

/**
 * The updated average `v + (x − v)(1 − decay)`, divided by `1 − decay^step` when `zeroDebias` (the default), which
 * removes the bias toward the zero start in the first steps. Built from differentiable ops, so it has a gradient.
 *
 * ```js
 * let avg = zeros([4]);
 * avg = movingAverage(avg, batchMean, 0.99, step);   // step = 1, 2, ...
 * ```
 */
export function movingAverage(v: TensorLike, x: TensorLike, decay: number | Tensor, step?: number | Tensor, zeroDebias = true): Tensor {
  const tv = convertToTensor(v, 'v', 'movingAverage');
  const tx = convertToTensor(x, 'x', 'movingAverage');
  if (!shapesEqual(tv.shape, tx.shape) || tv.dtype !== tx.dtype) {
    throw new ValueError(
      `movingAverage: v and x must have one shape and dtype, received v ${formatShape(tv.shape)} ${tv.dtype} and x ${formatShape(tx.shape)} ${tx.dtype}.`,
    );
  }
  const tDecay = convertToTensor(decay, 'decay', 'movingAverage');
  const one = scalar(1);
  let update = mul(sub(tx, tv), sub(one, tDecay));
  if (zeroDebias) {
    if (step === undefined || step === null) {
      throw new ValueError('movingAverage: step is required when zeroDebias is true (the default), received undefined.');
    }
    update = div(update, sub(one, pow(tDecay, convertToTensor(step, 'step', 'movingAverage'))));
  }
  return add(tv, update);
}
