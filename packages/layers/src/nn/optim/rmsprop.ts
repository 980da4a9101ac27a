/** `nn.optim.RMSprop` with PyTorch's alpha, eps, momentum, centered and weight decay. */
import { Optimizer, ParamGroup, ParamGroupSpec, ParamState } from './optimizer';
import type { Variable } from '@recurrent/core';

/** Options of `nn.optim.RMSprop`. */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalize by the estimated variance (subtract the squared mean gradient; default false). */
  centered?: boolean;
  /** Maximize the objective instead (default false). */
  maximize?: boolean;
}

/**
 * PyTorch's rule: g ← g + λp; s ← αs + (1 − α)g²; a ← √(s − ḡ²) (centered, ḡ ← αḡ + (1 − α)g) or √s; a ← a + ε;
 * with momentum b ← μb + g/a, p ← p − lr·b; else p ← p − lr·g/a.
 *
 * ```ts
 * const opt = new nn.optim.RMSprop(model.parameters(), { lr: 1e-3, centered: true });
 * ```
 * tfjs note: PyTorch adds ε after the square root and defaults alpha (tfjs `decay`) to 0.99.
 */
export class RMSprop extends Optimizer {
  constructor(params: Variable[] | ParamGroupSpec[], options: RMSpropOptions = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options);
  }

  protected get name(): string {
    return 'RMSprop';
  }

  protected update(g: ParamGroup, st: ParamState, p: Float32Array, grad: Float32Array, out: Float32Array): void {
    const { lr, alpha, eps, weightDecay: wd, momentum: mu, centered, maximize } = g;
    const n = p.length;
    st.step = ((st.step as number | undefined) ?? 0) + 1;
    const sq = this.buffer(st, 'squareAvg', n);
    const ga = centered ? this.buffer(st, 'gradAvg', n) : null;
    const buf = mu > 0 ? this.buffer(st, 'momentumBuffer', n) : null;
    // float32 coefficients and PyTorch's fused ops (addcmul / addcdiv round once) keep the rounding close to PyTorch's.
    const a = Math.fround(alpha);
    const oneMinusA = Math.fround(1 - alpha);
    for (let i = 0; i < n; i++) {
      let gi = maximize ? -grad[i] : grad[i];
      if (wd !== 0) gi = Math.fround(gi + wd * p[i]);
      sq[i] = Math.fround(Math.fround(sq[i] * a) + oneMinusA * gi * gi);
      let avg: number;
      if (ga) {
        ga[i] = Math.fround(Math.fround(ga[i] * a) + oneMinusA * gi);
        avg = Math.fround(Math.sqrt(Math.fround(sq[i] - ga[i] * ga[i])));
      } else {
        avg = Math.fround(Math.sqrt(sq[i]));
      }
      avg = Math.fround(avg + eps);
      if (buf) {
        buf[i] = Math.fround(Math.fround(buf[i] * mu) + gi / avg);
        out[i] = p[i] - lr * buf[i];
      } else {
        out[i] = p[i] - (lr * gi) / avg;
      }
    }
  }
}
