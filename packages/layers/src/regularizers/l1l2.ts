/** L1L2: the l1 · Σ|x| + l2 · Σx² penalty. */
import { checkArgsOf } from '../serialization/registry';
import { describeValue } from '../engine/args';
import { abs, add, mul, scalar, square, sum, Tensor, ValueError } from '@recurrent/core';
import type { ConfigDict } from '../serialization/registry';
import { Regularizer } from './regularizer';

/** Args of `L1L2`. */
export interface L1L2Args {
  /** L1 factor (default 0.01, as tfjs). */
  l1?: number;
  /** L2 factor (default 0.01, as tfjs). */
  l2?: number;
}

/** Penalty l1 · Σ|x| + l2 · Σx² (terms with a zero factor are skipped). */
export class L1L2 extends Regularizer {
  static override className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(args: L1L2Args = {}) {
    super();
    const l1 = args?.l1 ?? 0.01;
    const l2 = args?.l2 ?? 0.01;
    for (const [k, v] of [
      ['l1', l1],
      ['l2', l2],
    ] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new ValueError(`L1L2: ${k} must be a non-negative number, received ${describeValue(v)}.`);
      }
    }
    this.l1 = l1;
    this.l2 = l2;
    if (new.target === L1L2) checkArgsOf(this, args); // unknown keys, 'false' strings
  }

  apply(x: Tensor): Tensor {
    let penalty: Tensor = scalar(0);
    if (this.l1 !== 0) penalty = add(penalty, mul(sum(abs(x)), this.l1));
    if (this.l2 !== 0) penalty = add(penalty, mul(sum(square(x)), this.l2));
    return penalty;
  }

  override getConfig(): ConfigDict {
    return { l1: this.l1, l2: this.l2 };
  }
}
