/** GlobalMaxPooling1D: the maximum over the steps of a sequence (over unmasked steps when masked). */
import { checkArgsOf } from '../serialization/registry';
import { any, max, Tensor, where } from '@recurrent/core';
import { GlobalPooling1D, GlobalPooling1DArgs } from './global_pooling1d';

/** Args of `GlobalMaxPooling1D`. */
export type GlobalMaxPooling1DArgs = GlobalPooling1DArgs;

/**
 * [batch, steps, features] → [batch, features]: the maximum over the steps. With a [batch, steps]
 * mask the maximum is over the unmasked steps only; a sample with every step masked gives 0.
 *
 * tfjs note: tfjs and Keras 3 ignore the mask here, so padded steps (e.g. the zero-index embedding)
 * can win the maximum; following Keras 3's masked average, masked steps are left out instead.
 */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  static override className = 'GlobalMaxPooling1D';

  constructor(args: GlobalMaxPooling1DArgs = {}) {
    super(args);
    // Validate the option bag once the object is complete (direct `new GlobalMaxPooling1D(...)`; factories and files check too).
    if (new.target === GlobalMaxPooling1D) checkArgsOf(this, args);
  }

  protected override pool(x: Tensor, keep: Tensor | null): Tensor {
    const axis = this.stepsAxis;
    if (keep === null) return max(x, axis);
    const pooled = max(where(keep, x, -Infinity), axis);
    const anyKept = any(keep, axis);
    return where(anyKept, pooled, 0);
  }
}
