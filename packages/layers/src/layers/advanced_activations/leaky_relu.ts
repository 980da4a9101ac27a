/** LeakyReLU: x for x > 0, alpha·x otherwise, as a layer. */
import { cast, leakyRelu, Tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../../engine/layer';
import { sequenceOfOneStep } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import type { ConfigDict } from '../../serialization/registry';

/** Args of `LeakyReLU` (tfjs `LeakyReLULayerArgs`). */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0 (default 0.3, as tfjs and Keras). */
  alpha?: number;
  /** Keras 3's name of `alpha` (files from Keras 3 hold `negative_slope`); written back as `alpha`. */
  negativeSlope?: number;
}

/**
 * `x` for x > 0, `alpha·x` otherwise, elementwise; shape unchanged, masks pass through, no weights.
 *
 * ```js
 * layers.leakyReLU({alpha: 0.1}).apply(tensor([-2, 3]));   // [-0.2, 3]
 * ```
 */
export class LeakyReLU extends Layer {
  static override className = 'LeakyReLU';
  /** Keras 3's name of `alpha`. */
  static readonly extraArgKeys: readonly string[] = ['negativeSlope'];
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    args = args ?? {};
    checkArgKeys('LeakyReLU', args, ['alpha', 'negativeSlope', ...LAYER_ARG_KEYS]);
    super(args);
    checkNumberArg(`Layer ${this.name}`, 'alpha', args.alpha);
    checkNumberArg(`Layer ${this.name}`, 'negativeSlope', args.negativeSlope);
    if (args.alpha != null && args.negativeSlope != null && args.alpha !== args.negativeSlope) {
      throw new ValueError(
        `Layer ${this.name}: alpha (${args.alpha}) and negativeSlope (${args.negativeSlope}) name the same slope; give one.`,
      );
    }
    this.alpha = args.alpha ?? args.negativeSlope ?? 0.3;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    return leakyRelu(x, this.alpha);
  }

  /** Streaming (`step()`): elementwise, so one step is a sequence of length 1. */
  override stepFunction(): LayerStepFunction {
    return sequenceOfOneStep(this);
  }

  override getConfig(): ConfigDict {
    return { alpha: this.alpha, ...super.getConfig() };
  }
}
