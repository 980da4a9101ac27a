/** `nn.optim.SGD`: stochastic gradient descent with PyTorch's momentum, dampening, Nesterov and weight decay. */
import { Optimizer, ParamGroup, ParamGroupSpec, ParamState } from './optimizer';
import type { Variable } from '@recurrent/core';
import { ValueError } from '@recurrent/core';

/** Options of `nn.optim.SGD` (PyTorch's keyword arguments, camelCase). */
export interface SGDOptions {
  /** Learning rate (default 1e-3, as PyTorch 2). */
  lr?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Dampening of the momentum (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient: g + weightDecay·p (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** Maximize the objective instead (default false). */
  maximize?: boolean;
}

/**
 * PyTorch's rule: g ← g + λp; b ← g on the first step, else μb + (1 − τ)g; g ← g + μb (Nesterov) or b;
 * p ← p − lr·g.
 *
 * ```ts
 * const opt = new nn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 * ```
 */
export class SGD extends Optimizer {
  constructor(params: Variable[] | ParamGroupSpec[], options: SGDOptions = {}) {
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options);
  }

  protected get name(): string {
    return 'SGD';
  }

  protected override checkGroup(g: ParamGroup, where: string): void {
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new ValueError(
        `${where}: nesterov requires momentum > 0 and dampening 0, received momentum ${g.momentum} and dampening ${g.dampening}.`,
      );
    }
  }

  protected update(g: ParamGroup, st: ParamState, p: Float32Array, grad: Float32Array, out: Float32Array): void {
    const { lr, momentum: mu, dampening: tau, weightDecay: wd, nesterov, maximize } = g;
    const first = st.momentumBuffer === undefined;
    const buf = mu !== 0 ? this.buffer(st, 'momentumBuffer', p.length) : null;
    for (let i = 0; i < p.length; i++) {
      let d = Math.fround(maximize ? -grad[i] : grad[i]);
      if (wd !== 0) d = Math.fround(d + wd * p[i]);
      if (buf) {
        buf[i] = first ? d : Math.fround(Math.fround(mu * buf[i]) + (1 - tau) * d);
        d = nesterov ? Math.fround(d + mu * buf[i]) : buf[i];
      }
      out[i] = p[i] - lr * d;
    }
  }
}
