/** Rescaling: `x · scale + offset` (Keras / tfjs `Rescaling`), e.g. 8-bit audio or pixel values to [0, 1]. */
import { add, cast, mul, Tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, describeArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';

/** Args of `Rescaling`. */
export interface RescalingArgs extends LayerArgs {
  /** The factor every input value is multiplied by (required). */
  scale: number;
  /** Added after scaling (default 0). */
  offset?: number;
}

/**
 * Multiplies its input (any shape, e.g. `[batch, timeSteps, features]`) by `scale` and adds `offset`; int32 input is
 * cast to float32 first. No weights; the output has the input's shape.
 *
 * tfjs note: masks pass through (as Keras 3); tfjs's Rescaling does not support masking.
 *
 * ```js
 * layers.rescaling({scale: 1 / 127.5, offset: -1});   // [0, 255] → [-1, 1]
 * ```
 */
export class Rescaling extends Layer {
  static override className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    if (!args || typeof args.scale !== 'number') {
      throw new ValueError(`Rescaling: scale must be a number, received ${describeArg(args, 'scale')}.`);
    }
    checkArgKeys('Rescaling', args, ['scale', 'offset', ...LAYER_ARG_KEYS]);
    super(args);
    checkNumberArg(`Layer ${this.name}`, 'scale', args.scale);
    checkNumberArg(`Layer ${this.name}`, 'offset', args.offset);
    this.scale = args.scale;
    this.offset = args.offset ?? 0;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    return add(mul(x.dtype === 'float32' ? x : cast(x, 'float32'), this.scale), this.offset);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return getExactlyOneShape(this.name, inputShape);
  }

  override getConfig(): ConfigDict {
    return { scale: this.scale, offset: this.offset, ...super.getConfig() };
  }
}
