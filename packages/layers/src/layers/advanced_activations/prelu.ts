/** PReLU: a leaky ReLU whose negative slope is a learned weight. */
import { cast, formatShape, prelu, Tensor, ValueError } from '@recurrent/core';
import { Constraint } from '../../constraints/constraint';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../../constraints';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import { sequenceOfOneStep, StepRefusal } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import type { LayerVariable } from '../../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../../initializers';
import { Initializer } from '../../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../../regularizers';
import { Regularizer } from '../../regularizers/regularizer';
import type { ConfigDict, SerializedObject } from '../../serialization/registry';

/** Args of `PReLU` (tfjs `PReLULayerArgs`). */
export interface PReLUArgs extends LayerArgs {
  /** Initializer of alpha (default 'zeros'). */
  alphaInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Regularizer of alpha. */
  alphaRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Constraint of alpha. */
  alphaConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Input axes (1 = the first after the batch) along which one alpha is shared, e.g. [1] for the time axis. */
  sharedAxes?: number | number[] | null;
}

/**
 * `x` for x > 0, `alpha·x` otherwise, with a learned `alpha` per element of the input's non-batch shape
 * (size 1 along `sharedAxes`). Weight: 'alpha' [d1, d2, ...] (shared axes 1). Masks pass through.
 *
 * ```js
 * layers.prelu({sharedAxes: [1]}).apply(randomNormal([4, 10, 8]));   // alpha [1, 8]: one slope per feature
 * ```
 */
export class PReLU extends Layer {
  static override className = 'PReLU';
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: number[] | null;
  alpha: LayerVariable | null = null;

  constructor(args: PReLUArgs = {}) {
    args = args ?? {};
    checkArgKeys('PReLU', args, ['alphaInitializer', 'alphaRegularizer', 'alphaConstraint', 'sharedAxes', ...LAYER_ARG_KEYS]);
    super(args);
    const shared = args.sharedAxes == null ? null : Array.isArray(args.sharedAxes) ? args.sharedAxes.slice() : [args.sharedAxes];
    if (shared && shared.some((a) => !Number.isInteger(a) || a < 1)) {
      throw new ValueError(
        `Layer ${this.name}: sharedAxes must be positive integers (1 = the first axis after the batch), received ${JSON.stringify(args.sharedAxes)}.`,
      );
    }
    this.sharedAxes = shared;
    this.alphaInitializer = getInitializer(args.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = getRegularizer(args.alphaRegularizer);
    this.alphaConstraint = getConstraint(args.alphaConstraint);
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = getExactlyOneShape(this.name, inputShape);
    if (shape.length < 2)
      throw new ValueError(`Layer ${this.name}: expected input of rank ≥ 2 [batch, ...], received ${formatShape(shape)}.`);
    const param = shape.slice(1);
    for (const a of this.sharedAxes ?? []) {
      if (a >= shape.length)
        throw new ValueError(`Layer ${this.name}: shared axis ${a} is out of range for input shape ${formatShape(shape)}.`);
      param[a - 1] = 1;
    }
    if (param.some((d) => d === null)) {
      throw new ValueError(
        `Layer ${this.name}: alpha needs known sizes on the non-shared axes; input shape ${formatShape(shape)} with sharedAxes ${JSON.stringify(this.sharedAxes)} (share the unknown axes, e.g. sharedAxes: [1] for time).`,
      );
    }
    this.alpha = this.addWeight('alpha', param, 'float32', this.alphaInitializer, this.alphaRegularizer, true, this.alphaConstraint);
    const axes: { [axis: number]: number } = {};
    param.forEach((d, i) => {
      if (!(this.sharedAxes ?? []).includes(i + 1)) axes[i + 1] = d as number;
    });
    this.inputSpec = [new InputSpec({ ndim: shape.length, axes })];
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    return prelu(x, this.alpha!);
  }

  /** Streaming (`step()`): one step as a sequence of length 1, when the slopes do not vary over time steps. */
  override stepFunction(): LayerStepFunction {
    const alpha = this.weights[0];
    if (alpha && alpha.shape.slice(0, -1).some((d) => d !== 1))
      throw new StepRefusal(this, 'its slopes vary over time steps (set sharedAxes: [1])');
    return sequenceOfOneStep(this);
  }

  override getConfig(): ConfigDict {
    return {
      alphaInitializer: serializeInitializer(this.alphaInitializer),
      alphaRegularizer: serializeRegularizer(this.alphaRegularizer),
      alphaConstraint: serializeConstraint(this.alphaConstraint),
      sharedAxes: this.sharedAxes,
      ...super.getConfig(),
    };
  }
}
