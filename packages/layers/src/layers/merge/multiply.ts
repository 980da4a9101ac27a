/** Multiply: the elementwise product of a list of inputs. */
import { mul, Tensor } from '@recurrent/core';
import { Merge, MergeArgs } from './merge';

/**
 * Multiplies a list of inputs of equal (or broadcastable) shape elementwise, e.g. two
 * [batch, timeSteps, features] tensors → [batch, timeSteps, features]. The output mask is the AND of the input masks.
 *
 * ```js
 * layers.multiply([tensor2d([[1, 2]]), tensor2d([[3, 4]])]);   // [[3, 8]]
 * ```
 */
export class Multiply extends Merge {
  static override className = 'Multiply';

  constructor(args: MergeArgs = {}) {
    super(args, 'Multiply');
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    let out = inputs[0];
    for (let i = 1; i < inputs.length; i++) out = mul(out, inputs[i]);
    return out;
  }
}
