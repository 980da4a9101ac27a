/** Dense: the densely connected layer, output = activation(input · kernel + bias). */
import { checkArgsOf } from '../serialization/registry';
import { describeArg, describeValue } from '../engine/args';
import { add, cast, matMul, reshape, Tensor, ValueError } from '@recurrent/core';
import { numberArgsMessage } from '../cells/cell_options';
import { getActivation, serializeActivation } from '../activations';
import type { ActivationIdentifier } from '../activations';
import { ActivationFn } from '../activations/activation_fn';
import { Constraint } from '../constraints/constraint';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints';
import { InputSpec } from '../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import { applyStep } from '../engine/step_function';
import type { LayerStepFunction } from '../engine/step_function';
import type { LayerVariable } from '../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { Initializer } from '../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';
import { Regularizer } from '../regularizers/regularizer';
import type { ConfigDict, SerializedObject } from '../serialization/registry';

/** Args of `Dense` (tfjs `DenseLayerArgs`). */
export interface DenseArgs extends LayerArgs {
  /** Output size (positive integer). */
  units: number;
  /** Activation applied to the output (default linear). */
  activation?: ActivationIdentifier | ActivationFn | ((x: Tensor) => Tensor) | null;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Kernel initializer (default 'glorotUniform'). */
  kernelInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Bias initializer (default 'zeros'). */
  biasInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Shorthand for `inputShape: [inputDim]`. */
  inputDim?: number;
  /** Kernel constraint. */
  kernelConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Bias constraint. */
  biasConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Kernel regularizer. */
  kernelRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Bias regularizer. */
  biasRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Output regularizer. */
  activityRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
}

/**
 * `activation(x · kernel + bias)` on the last axis of inputs of rank ≥ 2: [..., inputDim] → [..., units].
 * Weights: 'kernel' [inputDim, units], 'bias' [units].
 *
 * ```js
 * const d = layers.dense({units: 3, activation: 'relu'});
 * d.apply(tensor2d([[1, 2]])).print();   // shape [1, 3]
 * ```
 */
export class Dense extends Layer {
  /** Args the constructor reads that getConfig() does not return (tfjs's inputDim shorthand). */
  static readonly extraArgKeys: readonly string[] = ['inputDim'];
  static override className = 'Dense';
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: DenseArgs) {
    if (typeof args === 'number') throw new ValueError(numberArgsMessage('Dense', `{units: ${args}}`, args));
    if (!args || typeof args !== 'object')
      throw new ValueError(`Dense: expected an args object like {units: 8}, received ${describeValue(args)}.`);
    const base: LayerArgs = { ...args };
    if (args.batchInputShape == null && args.inputShape == null && args.inputDim != null) base.inputShape = [args.inputDim];
    super(base);
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new ValueError(`Layer ${this.name}: units must be a positive integer, received ${describeArg(args, 'units')}.`);
    }
    this.units = args.units;
    this.activation = getActivation(args.activation ?? null);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelConstraint = getConstraint(args.kernelConstraint);
    this.biasConstraint = getConstraint(args.biasConstraint);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    this.supportsMasking = true;
    this.inputSpec = [new InputSpec({ minNdim: 2 })];
    // Validate the option bag once the object is complete (direct `new Dense(...)`; factories and files check too).
    if (new.target === Dense) checkArgsOf(this, args);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = getExactlyOneShape(this.name, inputShape);
    const inputDim = shape[shape.length - 1];
    if (typeof inputDim !== 'number') {
      throw new ValueError(
        `Layer ${this.name}: the last dimension of the input must be known, received input shape ${JSON.stringify(shape)}.`,
      );
    }
    this.kernel = this.addWeight(
      'kernel',
      [inputDim, this.units],
      undefined,
      this.kernelInitializer,
      this.kernelRegularizer,
      true,
      this.kernelConstraint,
    );
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], undefined, this.biasInitializer, this.biasRegularizer, true, this.biasConstraint);
    }
    this.inputSpec = [new InputSpec({ minNdim: 2, axes: { [-1]: inputDim } })];
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== this.dtype) x = cast(x, this.dtype);
    const kernel = this.kernel!;
    let out: Tensor;
    if (x.rank === 2) {
      out = matMul(x, kernel);
    } else {
      const inputDim = x.shape[x.rank - 1];
      out = reshape(matMul(reshape(x, [-1, inputDim]), kernel), [...x.shape.slice(0, -1), this.units]);
    }
    if (this.bias) out = add(out, this.bias);
    return this.activation.apply(out);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = getExactlyOneShape(this.name, inputShape);
    return [...shape.slice(0, -1), this.units];
  }

  /** Streaming (`step()`): the layer itself on one step [batch, inputDim] → [batch, units]. */
  override stepFunction(): LayerStepFunction {
    return applyStep(this);
  }

  override getConfig(): ConfigDict {
    return {
      units: this.units,
      activation: serializeActivation(this.activation),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      biasConstraint: serializeConstraint(this.biasConstraint),
      ...super.getConfig(),
    };
  }
}
