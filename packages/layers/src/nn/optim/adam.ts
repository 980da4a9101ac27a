/** `nn.optim.Adam` and the shared Adam/AdamW update. */
import { describeValue, Optimizer, ParamGroup, ParamGroupSpec, ParamState, stateBuffer } from './optimizer';
import type { Variable } from '@recurrent/core';
import { ValueError } from '@recurrent/core';

/** Options of `nn.optim.Adam` / `nn.optim.AdamW` (PyTorch's keyword arguments, camelCase). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Coefficients of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay p ← p(1 − lr·λ) (default 1e-2). */
  weightDecay?: number;
  /** Use the maximum of the second moments so far (AMSGrad, default false). */
  amsgrad?: boolean;
  /** Maximize the objective instead (default false). */
  maximize?: boolean;
}

/** Adam's update of one parameter; `decoupled` selects AdamW's weight decay. */
export function adamUpdate(
  g: ParamGroup,
  st: ParamState,
  p: Float32Array,
  grad: Float32Array,
  out: Float32Array,
  decoupled: boolean,
): void {
  const { lr, eps, weightDecay: wd, amsgrad, maximize } = g;
  const [b1, b2] = g.betas as [number, number];
  const n = p.length;
  const m = stateBuffer(st, 'expAvg', n);
  const v = stateBuffer(st, 'expAvgSq', n);
  const vmax = amsgrad ? stateBuffer(st, 'maxExpAvgSq', n) : null;
  const step = ((st.step as number | undefined) ?? 0) + 1;
  st.step = step;
  const bc1 = 1 - Math.pow(b1, step);
  const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
  const stepSize = lr / bc1;
  for (let i = 0; i < n; i++) {
    let pi = p[i];
    let gi = maximize ? -grad[i] : grad[i];
    if (wd !== 0) {
      if (decoupled) pi = Math.fround(pi * (1 - lr * wd));
      else gi = Math.fround(gi + wd * pi);
    }
    m[i] = Math.fround(Math.fround(m[i] * b1) + gi * (1 - b1));
    v[i] = Math.fround(Math.fround(v[i] * b2) + Math.fround(gi * gi) * (1 - b2));
    let s = v[i];
    if (vmax) s = vmax[i] = Math.max(vmax[i], v[i]);
    const denom = Math.fround(Math.fround(Math.fround(Math.sqrt(s)) / bc2Sqrt) + eps);
    out[i] = pi - stepSize * Math.fround(m[i] / denom);
  }
}

/** Checks the `betas` of an Adam/AdamW group (the number and boolean options are checked by the base). */
export function checkAdamGroup(g: ParamGroup, where: string): void {
  const b = g.betas;
  if (!Array.isArray(b) || b.length !== 2 || !b.every((x) => typeof x === 'number' && x >= 0 && x < 1)) {
    throw new ValueError(
      `${where}: betas must be two numbers in [0, 1), e.g. [0.9, 0.999], received ${Array.isArray(b) ? `[${b.map(describeValue).join(', ')}]` : describeValue(b)}.`,
    );
  }
}

/**
 * PyTorch's Adam: g ← g + λp; m ← β1·m + (1 − β1)g; v ← β2·v + (1 − β2)g²;
 * p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε) (with max(v) under amsgrad).
 *
 * ```ts
 * const opt = new nn.optim.Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.98] });
 * ```
 * tfjs note: unlike `train.adam` (ε inside the bias-corrected square root's sum as Keras), this is PyTorch's formula.
 */
export class Adam extends Optimizer {
  constructor(params: Variable[] | ParamGroupSpec[], options: AdamOptions = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, options);
  }

  protected get name(): string {
    return 'Adam';
  }

  protected override checkGroup(g: ParamGroup, where: string): void {
    checkAdamGroup(g, where);
  }

  protected update(g: ParamGroup, st: ParamState, p: Float32Array, grad: Float32Array, out: Float32Array): void {
    adamUpdate(g, st, p, grad, out, false);
  }
}
