/** MinMaxNorm constraint. */
import { checkArgsOf } from '../serialization/registry';
import { add, clipByValue, div, mul, Tensor } from '@recurrent/core';
import type { ConfigDict } from '../serialization/registry';
import { Constraint, EPSILON, l2Norms } from './constraint';

/** Args of `MinMaxNorm`. */
export interface MinMaxNormArgs {
  /** Minimum norm (default 0). */
  minValue?: number;
  /** Maximum norm (default 1). */
  maxValue?: number;
  /** Rate of the rescaling toward [minValue, maxValue]: 1 (default) enforces it strictly. */
  rate?: number;
  /** Axis (or axes) along which norms are computed (default 0). */
  axis?: number | number[];
}

/** Moves each slice's L2 norm toward [minValue, maxValue]: norm ← rate·clip(norm) + (1 − rate)·norm. */
export class MinMaxNorm extends Constraint {
  static override className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];

  constructor(args: MinMaxNormArgs = {}) {
    super();
    this.minValue = args?.minValue ?? 0;
    this.maxValue = args?.maxValue ?? 1;
    this.rate = args?.rate ?? 1;
    this.axis = args?.axis ?? 0;
    if (new.target === MinMaxNorm) checkArgsOf(this, args); // unknown keys, 'false' strings
  }

  apply(w: Tensor): Tensor {
    const norms = l2Norms(w, this.axis);
    const desired = add(mul(clipByValue(norms, this.minValue, this.maxValue), this.rate), mul(norms, 1 - this.rate));
    return mul(w, div(desired, add(norms, EPSILON)));
  }

  override getConfig(): ConfigDict {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}
