/** Average: the elementwise mean of a list of inputs. */
import { add, mul, Tensor } from '@recurrent/core';
import { asFloat, Merge, MergeArgs } from './merge';

/**
 * The elementwise mean of a list of inputs of equal (or broadcastable) shape, e.g. two
 * [batch, features] tensors → [batch, features] (float32). The output mask is the AND of the input masks.
 *
 * ```js
 * layers.average([tensor2d([[1, 2]]), tensor2d([[3, 6]])]);   // [[2, 4]]
 * ```
 */
export class Average extends Merge {
  static override className = 'Average';

  constructor(args: MergeArgs = {}) {
    super(args, 'Average');
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    let out = asFloat(inputs[0]);
    for (let i = 1; i < inputs.length; i++) out = add(out, asFloat(inputs[i]));
    // Multiplied by 1/n (not divided by n), as tfjs, so results match it to the bit.
    return mul(out, 1 / inputs.length);
  }
}
