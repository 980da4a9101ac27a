/** Masking: marks time steps whose features all equal `maskValue` as padding for downstream layers. */
import { checkArgsOf } from '../serialization/registry';
import { any, cast, notEqual, mul, Tensor, ValueError } from '@recurrent/core';
import { InputSpec } from '../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../engine/layer';
import type { ConfigDict } from '../serialization/registry';

/** Args of `Masking` (tfjs `MaskingArgs`). */
export interface MaskingArgs extends LayerArgs {
  /** A step is masked when every feature equals this value (default 0). */
  maskValue?: number;
}

/**
 * For inputs [batch, timeSteps, features]: the output mask is `any(x != maskValue, axis -1)`
 * ([batch, timeSteps], bool), and the output is the input with fully masked steps set to zero
 * (as tfjs/Keras: `x * any(x != maskValue, -1, keepDims)`).
 *
 * ```js
 * const m = layers.masking({maskValue: 0});
 * m.computeMask(tensor3d([[[1, 2], [0, 0]]]));   // [[true, false]]
 * ```
 *
 * tfjs note: inputs of rank < 2 are rejected (tfjs accepts them and computes a meaningless mask).
 */
export class Masking extends Layer {
  static override className = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args ?? {});
    const maskValue = args?.maskValue ?? 0;
    if (typeof maskValue !== 'number') {
      throw new ValueError(`Layer ${this.name}: maskValue must be a number, received ${JSON.stringify(maskValue)}.`);
    }
    this.maskValue = maskValue;
    this.supportsMasking = true;
    this.inputSpec = [new InputSpec({ minNdim: 2 })];
    // Validate the option bag once the object is complete (direct `new Masking(...)`; factories and files check too).
    if (new.target === Masking) checkArgsOf(this, args);
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    const keep = any(notEqual(x, this.maskValue), -1, true);
    return mul(x, cast(keep, x.dtype));
  }

  /** `any(x != maskValue, axis -1)`: true for steps that carry data. */
  override computeMask(inputs: Tensor | Tensor[], _mask?: Tensor | Tensor[] | null): Tensor {
    return any(notEqual(getExactlyOneTensor(this.name, inputs), this.maskValue), -1);
  }

  override getConfig(): ConfigDict {
    return { maskValue: this.maskValue, ...super.getConfig() };
  }
}
