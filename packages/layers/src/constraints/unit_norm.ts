/** UnitNorm constraint. */
import { checkArgsOf } from '../serialization/registry';
import { add, div, Tensor } from '@recurrent/core';
import type { ConfigDict } from '../serialization/registry';
import { Constraint, EPSILON, l2Norms } from './constraint';

/** Args of `UnitNorm`. */
export interface UnitNormArgs {
  /** Axis (or axes) along which norms are computed (default 0). */
  axis?: number | number[];
}

/** Rescales every slice along `axis` to unit L2 norm. */
export class UnitNorm extends Constraint {
  static override className = 'UnitNorm';
  readonly axis: number | number[];

  constructor(args: UnitNormArgs = {}) {
    super();
    this.axis = args?.axis ?? 0;
    if (new.target === UnitNorm) checkArgsOf(this, args); // unknown keys, 'false' strings
  }

  apply(w: Tensor): Tensor {
    return div(w, add(l2Norms(w, this.axis), EPSILON));
  }

  override getConfig(): ConfigDict {
    return { axis: this.axis };
  }
}
