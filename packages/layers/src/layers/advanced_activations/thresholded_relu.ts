/** ThresholdedReLU: x for x > theta, 0 otherwise, as a layer. */
import { cast, greater, mul, Tensor } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../../engine/layer';
import { sequenceOfOneStep } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import type { ConfigDict } from '../../serialization/registry';

/** Args of `ThresholdedReLU` (tfjs `ThresholdedReLULayerArgs`). */
export interface ThresholdedReLUArgs extends LayerArgs {
  /** Threshold (default 1). */
  theta?: number;
}

/**
 * `x` for x > theta, `0` otherwise, elementwise; shape unchanged, masks pass through, no weights.
 *
 * ```js
 * layers.thresholdedReLU({theta: 0.5}).apply(tensor([0.2, 0.7]));   // [0, 0.7]
 * ```
 */
export class ThresholdedReLU extends Layer {
  static override className = 'ThresholdedReLU';
  readonly theta: number;

  constructor(args: ThresholdedReLUArgs = {}) {
    args = args ?? {};
    checkArgKeys('ThresholdedReLU', args, ['theta', ...LAYER_ARG_KEYS]);
    super(args);
    checkNumberArg(`Layer ${this.name}`, 'theta', args.theta);
    this.theta = args.theta ?? 1;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    return mul(x, cast(greater(x, this.theta), 'float32'));
  }

  /** Streaming (`step()`): elementwise, so one step is a sequence of length 1. */
  override stepFunction(): LayerStepFunction {
    return sequenceOfOneStep(this);
  }

  override getConfig(): ConfigDict {
    return { theta: this.theta, ...super.getConfig() };
  }
}
