/** ELU: x for x > 0, alpha·(exp(x) − 1) otherwise, as a layer. */
import { cast, elu, expm1, greater, minimum, mul, Tensor, where } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../../engine/layer';
import { sequenceOfOneStep } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import type { ConfigDict } from '../../serialization/registry';

/** Args of `ELU` (tfjs `ELULayerArgs`). */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/**
 * `x` for x > 0, `alpha·(exp(x) − 1)` otherwise, elementwise; shape unchanged, masks pass through.
 *
 * ```js
 * layers.elu({alpha: 0.5}).apply(tensor([-1, 2]));   // [-0.316, 2]
 * ```
 *
 * tfjs note: tfjs's ELU layer refuses alpha ≠ 1; any alpha works here (as Keras).
 */
export class ELU extends Layer {
  static override className = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    args = args ?? {};
    checkArgKeys('ELU', args, ['alpha', ...LAYER_ARG_KEYS]);
    super(args);
    checkNumberArg(`Layer ${this.name}`, 'alpha', args.alpha);
    this.alpha = args.alpha ?? 1;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    if (this.alpha === 1) return elu(x);
    return where(greater(x, 0), x, mul(expm1(minimum(x, 0)), this.alpha));
  }

  /** Streaming (`step()`): elementwise, so one step is a sequence of length 1. */
  override stepFunction(): LayerStepFunction {
    return sequenceOfOneStep(this);
  }

  override getConfig(): ConfigDict {
    return { alpha: this.alpha, ...super.getConfig() };
  }
}
