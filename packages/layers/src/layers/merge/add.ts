/** Add: the elementwise sum of a list of inputs. */
import { add, Tensor } from '@recurrent/core';
import { Merge, MergeArgs } from './merge';

/**
 * Sums a list of inputs of equal (or broadcastable) shape, e.g. two [batch, timeSteps, features]
 * tensors → [batch, timeSteps, features]. The output mask is the AND of the input masks.
 *
 * ```js
 * layers.add([tensor2d([[1, 2]]), tensor2d([[10, 20]])]);   // [[11, 22]]
 * new Add().apply([a, b, c]);
 * ```
 */
export class Add extends Merge {
  static override className = 'Add';

  constructor(args: MergeArgs = {}) {
    super(args, 'Add');
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    let out = inputs[0];
    for (let i = 1; i < inputs.length; i++) out = add(out, inputs[i]);
    return out;
  }
}
