/** Minimum: the elementwise minimum of a list of inputs. */
import { minimum, Tensor } from '@recurrent/core';
import { Merge, MergeArgs } from './merge';

/**
 * The elementwise minimum of a list of inputs of equal (or broadcastable) shape, e.g. two
 * [batch, features] tensors → [batch, features]; on ties the gradient goes to the earlier input (as tfjs).
 * The output mask is the AND of the input masks.
 *
 * ```js
 * layers.minimum([tensor2d([[1, 5]]), tensor2d([[3, 2]])]);   // [[1, 2]]
 * ```
 */
export class Minimum extends Merge {
  static override className = 'Minimum';

  constructor(args: MergeArgs = {}) {
    super(args, 'Minimum');
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    let out = inputs[0];
    for (let i = 1; i < inputs.length; i++) out = minimum(out, inputs[i]);
    return out;
  }
}
