/** Small tensors used by backward functions. */
import { makeTensor, Tensor } from '../tensor';

/** A float32 zero gradient shaped like `x` (for ops whose derivative is zero almost everywhere). */
export function zerosGrad(x: Tensor): Tensor {
  return makeTensor(new Float32Array(x.size), x.shape.slice(), 'float32');
}
