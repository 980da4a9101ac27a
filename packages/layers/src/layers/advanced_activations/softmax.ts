/** Softmax: the softmax along an axis, as a layer. */
import { cast, formatShape, softmax, Tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../../engine/layer';
import { sequenceOfOneStep, StepRefusal } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import type { ConfigDict } from '../../serialization/registry';

/** Args of `Softmax` (tfjs `SoftmaxLayerArgs`). */
export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalized over (default -1); Keras files may hold a list of one. */
  axis?: number | number[];
}

/**
 * `exp(x) / Σ exp(x)` along `axis`; shape unchanged, masks pass through, no weights.
 *
 * ```js
 * layers.softmax({axis: 1}).apply(randomNormal([2, 5, 3]));   // sums to 1 over axis 1
 * ```
 *
 * tfjs note: the default axis is Keras's -1; tfjs's is 1, but tfjs only runs softmax on the last axis,
 * so the two agree wherever tfjs runs. An input mask is passed on but not applied (tfjs 4.22 refuses a
 * mask here; Keras 3 gives masked positions ~0 weight).
 */
export class Softmax extends Layer {
  static override className = 'Softmax';
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    args = args ?? {};
    checkArgKeys('Softmax', args, ['axis', ...LAYER_ARG_KEYS]);
    super(args);
    const axis = Array.isArray(args.axis) && args.axis.length === 1 ? args.axis[0] : (args.axis ?? -1);
    if (!Number.isInteger(axis)) {
      throw new ValueError(`Layer ${this.name}: axis must be an integer or a list of one integer, received ${JSON.stringify(args.axis)}.`);
    }
    this.axis = axis as number;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    if (this.axis >= x.rank || this.axis < -x.rank) {
      throw new ValueError(`Layer ${this.name}: axis ${this.axis} is out of range for input shape ${formatShape(x.shape)}.`);
    }
    return softmax(x, this.axis);
  }

  /** Streaming (`step()`): one step as a sequence of length 1, when the axis is the last (feature) one. */
  override stepFunction(): LayerStepFunction {
    if (this.axis !== -1) throw new StepRefusal(this, `its axis is ${this.axis}; step() runs it only on the last (feature) axis`);
    return sequenceOfOneStep(this);
  }

  override getConfig(): ConfigDict {
    return { axis: this.axis, ...super.getConfig() };
  }
}
