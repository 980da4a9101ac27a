/** The core names the optimizers use, and a float32 tensor from values. */
import { formatShape, Tensor, tensor, Variable } from '@recurrent/core';

export { formatShape, Tensor, Variable };

/** A float32 tensor owning `values` with `shape`. */
export function makeTensorFrom(values: Float32Array, shape: number[]): Tensor {
  return tensor(values, shape.slice(), 'float32');
}
