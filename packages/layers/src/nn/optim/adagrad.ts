/** `nn.optim.Adagrad` with PyTorch's lrDecay, weight decay, initial accumulator and eps. */
import { Optimizer, ParamGroup, ParamGroupSpec, ParamState } from './optimizer';
import type { Variable } from '@recurrent/core';

/** Options of `nn.optim.Adagrad`. */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Learning-rate decay: lr/(1 + (t − 1)·lrDecay) at step t (default 0). */
  lrDecay?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Initial value of the sum of squares (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator (default 1e-10). */
  eps?: number;
  /** Maximize the objective instead (default false). */
  maximize?: boolean;
}

/**
 * PyTorch's rule: g ← g + λp; s ← s + g²; p ← p − lr/(1 + (t − 1)·lrDecay) · g/(√s + ε).
 *
 * ```ts
 * const opt = new nn.optim.Adagrad(model.parameters(), { lr: 0.05 });
 * ```
 */
export class Adagrad extends Optimizer {
  constructor(params: Variable[] | ParamGroupSpec[], options: AdagradOptions = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options);
  }

  protected get name(): string {
    return 'Adagrad';
  }

  protected update(g: ParamGroup, st: ParamState, p: Float32Array, grad: Float32Array, out: Float32Array): void {
    const { lr, lrDecay, weightDecay: wd, initialAccumulatorValue: init, eps, maximize } = g;
    const n = p.length;
    const sum = this.buffer(st, 'sum', n, init);
    const step = ((st.step as number | undefined) ?? 0) + 1;
    st.step = step;
    const clr = lr / (1 + (step - 1) * lrDecay);
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -grad[i] : grad[i];
      if (wd !== 0) gi = Math.fround(gi + wd * p[i]);
      sum[i] = Math.fround(sum[i] + Math.fround(gi * gi));
      const std = Math.fround(Math.fround(Math.sqrt(sum[i])) + eps);
      out[i] = p[i] - clr * Math.fround(gi / std);
    }
  }
}
