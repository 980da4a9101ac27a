/** MaxNorm constraint. */
import { checkArgsOf } from '../serialization/registry';
import { add, clipByValue, div, mul, Tensor } from '@recurrent/core';
import type { ConfigDict } from '../serialization/registry';
import { Constraint, EPSILON, l2Norms } from './constraint';

/** Args of `MaxNorm`. */
export interface MaxNormArgs {
  /** Maximum norm (default 2). */
  maxValue?: number;
  /** Axis (or axes) along which norms are computed (default 0: each column of a Dense kernel). */
  axis?: number | number[];
}

/** Rescales slices whose L2 norm exceeds `maxValue` down to it. */
export class MaxNorm extends Constraint {
  static override className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | number[];

  constructor(args: MaxNormArgs = {}) {
    super();
    this.maxValue = args?.maxValue ?? 2;
    this.axis = args?.axis ?? 0;
    if (new.target === MaxNorm) checkArgsOf(this, args); // unknown keys, 'false' strings
  }

  apply(w: Tensor): Tensor {
    const norms = l2Norms(w, this.axis);
    const desired = clipByValue(norms, 0, this.maxValue);
    return mul(w, div(desired, add(norms, EPSILON)));
  }

  override getConfig(): ConfigDict {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}
