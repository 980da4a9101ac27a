/** ActivityRegularization: an identity layer that adds an L1/L2 penalty on its input to the losses. */
import { Tensor } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../../engine/layer';
import { identityStep } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import { L1L2 } from '../../regularizers/l1l2';
import type { ConfigDict } from '../../serialization/registry';

/** Args of `ActivityRegularization` (Keras `ActivityRegularization`). */
export interface ActivityRegularizationArgs extends LayerArgs {
  /** L1 factor (default 0). */
  l1?: number;
  /** L2 factor (default 0). */
  l2?: number;
}

/**
 * Returns its input unchanged and records `(l1·Σ|x| + l2·Σx²) / batch` (as Keras) as an activity loss (in `losses`, added to
 * the training loss as any layer's activity regularizer). Masks pass through; no weights.
 *
 * ```js
 * layers.activityRegularization({l1: 1e-3}).apply(x);   // same x; layer.losses holds the penalty
 * ```
 *
 * tfjs note: tfjs has no such layer (and refuses activity regularizers in apply); this is Keras's.
 */
export class ActivityRegularization extends Layer {
  static override className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    args = args ?? {};
    checkArgKeys('ActivityRegularization', args, ['l1', 'l2', ...LAYER_ARG_KEYS]);
    super(args);
    checkNumberArg(`Layer ${this.name}`, 'l1', args.l1, { min: 0 });
    checkNumberArg(`Layer ${this.name}`, 'l2', args.l2, { min: 0 });
    this.l1 = args.l1 ?? 0;
    this.l2 = args.l2 ?? 0;
    this.activityRegularizer = new L1L2({ l1: this.l1, l2: this.l2 });
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    return getExactlyOneTensor(this.name, inputs);
  }

  /** Streaming (`step()`): the identity (the penalty is a training loss only). */
  override stepFunction(): LayerStepFunction {
    return identityStep;
  }

  override getConfig(): ConfigDict {
    return { l1: this.l1, l2: this.l2, ...super.getConfig() };
  }
}
