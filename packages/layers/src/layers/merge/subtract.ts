/** Subtract: the elementwise difference of exactly two inputs. */
import { sub, Tensor } from '@recurrent/core';
import { Merge, MergeArgs } from './merge';

/**
 * `inputs[0] − inputs[1]` for exactly two inputs of equal (or broadcastable) shape, e.g.
 * [batch, features] and [batch, features] → [batch, features]. The output mask is the AND of the input masks.
 *
 * ```js
 * layers.subtract([tensor2d([[5, 7]]), tensor2d([[1, 2]])]);   // [[4, 5]]
 * ```
 */
export class Subtract extends Merge {
  static override className = 'Subtract';

  constructor(args: MergeArgs = {}) {
    super(args, 'Subtract');
  }

  protected override get inputCountRange(): [number, number] {
    return [2, 2];
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    return sub(inputs[0], inputs[1]);
  }
}
