/** Activation: applies an activation function as a layer. */
import { checkArgsOf } from '../serialization/registry';
import { Tensor, ValueError } from '@recurrent/core';
import { getActivation, serializeActivation } from '../activations';
import type { ActivationIdentifier } from '../activations';
import { ActivationFn } from '../activations/activation_fn';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../engine/layer';
import { describeArg } from '../engine/args';
import { applyStep } from '../engine/step_function';
import type { LayerStepFunction } from '../engine/step_function';
import type { ConfigDict } from '../serialization/registry';

/** Args of `Activation`. */
export interface ActivationArgs extends LayerArgs {
  /** The activation ('relu', 'softmax', ..., an ActivationFn or a function). */
  activation: ActivationIdentifier | ActivationFn | ((x: Tensor) => Tensor);
}

/** Applies `activation` elementwise (softmax along the last axis); the shape is unchanged. */
export class Activation extends Layer {
  static override className = 'Activation';
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs) {
    super(args);
    if (!args || args.activation === undefined || args.activation === null) {
      throw new ValueError(
        `Layer ${this.name}: the activation arg is required, e.g. {activation: 'relu'}; received ${describeArg(args, 'activation')}.`,
      );
    }
    this.activation = getActivation(args.activation);
    this.supportsMasking = true;
    // Validate the option bag once the object is complete (direct `new Activation(...)`; factories and files check too).
    if (new.target === Activation) checkArgsOf(this, args);
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    return this.activation.apply(getExactlyOneTensor(this.name, inputs));
  }

  /** Streaming (`step()`): the activation on one step. */
  override stepFunction(): LayerStepFunction {
    return applyStep(this);
  }

  override getConfig(): ConfigDict {
    return { activation: serializeActivation(this.activation), ...super.getConfig() };
  }
}
