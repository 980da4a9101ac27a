/** NonNeg constraint. */
import { relu, Tensor } from '@recurrent/core';
import { Constraint } from './constraint';

/** Sets negative weights to zero. */
export class NonNeg extends Constraint {
  static override className = 'NonNeg';

  apply(w: Tensor): Tensor {
    return relu(w);
  }
}
