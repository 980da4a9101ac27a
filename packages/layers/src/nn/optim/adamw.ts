/** `nn.optim.AdamW`: Adam with decoupled weight decay. */
import { AdamOptions, adamUpdate, checkAdamGroup } from './adam';
import { Optimizer, ParamGroup, ParamGroupSpec, ParamState } from './optimizer';
import type { Variable } from '@recurrent/core';

/**
 * PyTorch's AdamW: p ← p·(1 − lr·λ), then Adam's update without the L2 term (λ = weightDecay, default 1e-2).
 *
 * ```ts
 * const opt = new nn.optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 * ```
 */
export class AdamW extends Optimizer {
  constructor(params: Variable[] | ParamGroupSpec[], options: AdamOptions = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false }, options);
  }

  protected get name(): string {
    return 'AdamW';
  }

  protected override checkGroup(g: ParamGroup, where: string): void {
    checkAdamGroup(g, where);
  }

  protected update(g: ParamGroup, st: ParamState, p: Float32Array, grad: Float32Array, out: Float32Array): void {
    adamUpdate(g, st, p, grad, out, true);
  }
}
