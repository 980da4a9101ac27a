/** GlobalAveragePooling1D: the mean over the steps of a sequence (over unmasked steps when masked). */
import { checkArgsOf } from '../serialization/registry';
import { cast, div, maximum, mean, mul, sum, Tensor } from '@recurrent/core';
import { GlobalPooling1D, GlobalPooling1DArgs } from './global_pooling1d';

/** Args of `GlobalAveragePooling1D`. */
export type GlobalAveragePooling1DArgs = GlobalPooling1DArgs;

/**
 * [batch, steps, features] → [batch, features]: the mean over the steps. With a [batch, steps]
 * mask (e.g. from Embedding maskZero or Masking) the mean is over the unmasked steps only:
 * `Σ_t mask·x / Σ_t mask`, as Keras 3; a sample with every step masked gives 0.
 *
 * ```js
 * layers.globalAveragePooling1d().apply(x, {mask});
 * ```
 *
 * tfjs note: tfjs ignores the mask and averages over all steps; here (as Keras 3) masked steps are
 * left out. Where Keras 3 returns NaN (0/0) for a fully masked sample, this returns 0.
 */
export class GlobalAveragePooling1D extends GlobalPooling1D {
  static override className = 'GlobalAveragePooling1D';

  constructor(args: GlobalAveragePooling1DArgs = {}) {
    super(args);
    // Validate the option bag once the object is complete (direct `new GlobalAveragePooling1D(...)`; factories and files check too).
    if (new.target === GlobalAveragePooling1D) checkArgsOf(this, args);
  }

  protected override pool(x: Tensor, keep: Tensor | null): Tensor {
    const axis = this.stepsAxis;
    if (keep === null) return mean(x, axis);
    const w = cast(keep, 'float32');
    const total = sum(mul(x, w), axis);
    const count = sum(w, axis);
    return div(total, maximum(count, 1));
  }
}
