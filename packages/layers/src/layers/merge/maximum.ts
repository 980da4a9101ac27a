/** Maximum: the elementwise maximum of a list of inputs. */
import { maximum, Tensor } from '@recurrent/core';
import { Merge, MergeArgs } from './merge';

/**
 * The elementwise maximum of a list of inputs of equal (or broadcastable) shape, e.g. two
 * [batch, features] tensors → [batch, features]; on ties the gradient goes to the earlier input (as tfjs).
 * The output mask is the AND of the input masks.
 *
 * ```js
 * layers.maximum([tensor2d([[1, 5]]), tensor2d([[3, 2]])]);   // [[3, 5]]
 * ```
 */
export class Maximum extends Merge {
  static override className = 'Maximum';

  constructor(args: MergeArgs = {}) {
    super(args, 'Maximum');
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    let out = inputs[0];
    for (let i = 1; i < inputs.length; i++) out = maximum(out, inputs[i]);
    return out;
  }
}
