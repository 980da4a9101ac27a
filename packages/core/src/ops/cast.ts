/** cast: converting between dtypes. */
import { record } from '../engine';
import { convertValues, DataType, isDataType } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { ValueError } from '../errors';

/**
 * `x` converted to `dtype`: to int32 truncates toward zero, to bool tests `!== 0`.
 * The gradient passes through unchanged (as tfjs).
 *
 * ```js
 * cast(tensor1d([1.7, -1.7]), 'int32');   // [1, -1]
 * ```
 */
export function cast(x: TensorLike, dtype: DataType): Tensor {
  const t = convertToTensor(x, 'x', 'cast');
  if (!isDataType(dtype)) {
    throw new ValueError(`cast: unknown dtype '${String(dtype)}'; expected 'float32', 'int32' or 'bool'.`);
  }
  const out =
    t.dtype === dtype ? makeTensor(t.values, t.shape.slice(), dtype) : makeTensor(convertValues(t.values, dtype), t.shape.slice(), dtype);
  record('cast', [t], [out], ([dy]) => [dy]);
  return out;
}
