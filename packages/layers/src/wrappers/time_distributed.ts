/** TimeDistributed: applies a layer to every time slice of a sequence. */
import { checkArgsOf } from '../serialization/registry';
import { formatShape, reshape, Tensor, ValueError } from '@recurrent/core';
import { InputSpec } from '../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Shape } from '../engine/layer';
import { applyStep } from '../engine/step_function';
import type { LayerStepFunction } from '../engine/step_function';
import { Wrapper, WrapperArgs } from './wrapper';
import { BUILTIN_LAYERS } from '../builtin_layers';
import type { BuiltinClasses } from '../serialization/registry';
import { Bidirectional } from './bidirectional';

/** The built-in layers a TimeDistributed can wrap (found by name when `layer` comes serialized). */
const INNER_LAYERS: BuiltinClasses = {
  // A getter, read when a layer is constructed: TimeDistributed itself is defined below (Keras nests it for 4D input).
  get classes() {
    return [...BUILTIN_LAYERS.classes, Bidirectional, TimeDistributed];
  },
  selfValidating: BUILTIN_LAYERS.selfValidating,
};

/** Args of `TimeDistributed` (tfjs `WrapperLayerArgs`). */
export type TimeDistributedArgs = WrapperArgs;

/**
 * Applies `layer` to every time slice of inputs [batch, timeSteps, ...]: the input is reshaped to
 * [batch·timeSteps, ...], passed through the layer once, and the result reshaped to
 * [batch, timeSteps, ...outputDims]. The weights are the wrapped layer's, named after the wrapper
 * as tfjs does ('time_distributed/kernel', 'time_distributed/bias' for a Dense). Masks pass through;
 * the wrapped layer receives the mask reshaped to [batch·timeSteps, ...] as `kwargs.mask`.
 *
 * ```js
 * const td = layers.timeDistributed({layer: layers.dense({units: 4})});
 * td.apply(randomNormal([2, 10, 8]));   // shape [2, 10, 4]
 * ```
 *
 * tfjs note: tfjs fixes the whole input shape (batch included) at build time and loops over the
 * steps; here only the rank and the per-step dimensions are fixed, so batch size and number of steps
 * may change between calls, and the layer runs once on the folded batch.
 */
export class TimeDistributed extends Wrapper {
  static override className = 'TimeDistributed';

  constructor(args: TimeDistributedArgs) {
    super(args, INNER_LAYERS);
    this.supportsMasking = true;
    // Validate the option bag once the object is complete (direct `new TimeDistributed(...)`; factories and files check too).
    if (new.target === TimeDistributed) checkArgsOf(this, args);
  }

  private checkRank(shape: Shape): void {
    if (shape.length < 3) {
      throw new ValueError(
        `Layer ${this.name}: TimeDistributed expects inputs of rank >= 3 ([batch, timeSteps, ...]), received input shape ${formatShape(shape)}.`,
      );
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = getExactlyOneShape(this.name, inputShape);
    this.checkRank(shape);
    this.buildWrappedLayer([shape[0], ...shape.slice(2)]);
    const axes: { [axis: number]: number } = {};
    shape.forEach((d, i) => {
      if (i >= 2 && typeof d === 'number') axes[i] = d;
    });
    this.inputSpec = [new InputSpec({ ndim: shape.length, axes })];
    this.built = true;
  }

  /**
   * Streaming (`step()`): one step [batch, ...frame] is the inner layer applied to it in inference mode, as `call`
   * applies it to every time slice; so any inner layer streams (Conv2D, pooling, Flatten, even an LSTM over the
   * sub-steps of each frame).
   */
  override stepFunction(): LayerStepFunction {
    return applyStep(this.layer);
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    this.checkRank(x.shape);
    const [batch, steps] = x.shape;
    const innerKwargs: CallKwargs = { ...(kwargs ?? {}) };
    delete innerKwargs.mask;
    let mask = kwargs?.mask ?? null;
    if (Array.isArray(mask)) mask = mask.length === 1 ? mask[0] : null;
    if (mask instanceof Tensor && mask.rank >= 2 && mask.shape[0] === batch && mask.shape[1] === steps) {
      innerKwargs.mask = reshape(mask, [batch * steps, ...mask.shape.slice(2)]);
    }
    const folded = reshape(x, [batch * steps, ...x.shape.slice(2)]);
    const y = this.layer.apply(folded, innerKwargs);
    if (Array.isArray(y)) {
      throw new ValueError(
        `Layer ${this.name}: the wrapped layer ${this.layer.name} returned ${y.length} outputs; TimeDistributed needs a single output.`,
      );
    }
    return reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = getExactlyOneShape(this.name, inputShape);
    this.checkRank(shape);
    const child = this.layer.computeOutputShape([shape[0], ...shape.slice(2)]);
    const childShape = getExactlyOneShape(this.layer.name, child);
    return [childShape[0], shape[1], ...childShape.slice(1)];
  }
}
