/** Lookup and serialization of activation functions. */
import { describeValue } from '../engine/args';
import type { Tensor } from '@recurrent/core';
import { deserializeIdentifier, SerializedObject } from '../serialization/registry';
import type { BuiltinClasses, ConfigDict } from '../serialization/registry';
import { ActivationFn } from './activation_fn';
import {
  Elu,
  Gelu,
  GeluNew,
  HardSigmoid,
  HardSigmoidKeras3,
  Linear,
  LogSoftmax,
  Mish,
  Relu,
  Relu6,
  Selu,
  Sigmoid,
  Softmax,
  Softplus,
  Softsign,
  Swish,
  Tanh,
} from './activations';
import { ValueError } from '@recurrent/core';

/** tfjs activation identifiers (snake_case spellings such as 'hard_sigmoid' are accepted too). */
export type ActivationIdentifier =
  | 'elu'
  | 'gelu'
  | 'gelu_new'
  | 'hardSigmoid'
  | 'hardSigmoidKeras3'
  | 'linear'
  | 'logSoftmax'
  | 'mish'
  | 'relu'
  | 'relu6'
  | 'selu'
  | 'sigmoid'
  | 'softmax'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'tanh'
  | string;

/** The built-in activation classes (found by name and from `{className, config}` without registration). */
export const BUILTIN_ACTIVATIONS: BuiltinClasses = {
  classes: [
    Linear,
    Relu,
    Relu6,
    Elu,
    Selu,
    Sigmoid,
    HardSigmoid,
    HardSigmoidKeras3,
    Tanh,
    Softmax,
    LogSoftmax,
    Softplus,
    Softsign,
    Swish,
    Mish,
    Gelu,
    GeluNew,
  ],
};

/** A plain function used as an activation; serialized by its `name` (register a class to reload it). */
class FunctionActivation extends ActivationFn {
  static override className = 'function';
  constructor(private readonly fn: (x: Tensor) => Tensor) {
    super();
  }
  apply(x: Tensor): Tensor {
    return this.fn(x);
  }
  override getClassName(): string {
    return this.fn.name || 'custom_activation';
  }
}

/**
 * An ActivationFn from an identifier string ('relu', 'hardSigmoid', 'hard_sigmoid'), an instance,
 * a function `(x: Tensor) => Tensor`, or `{className, config}`; null/undefined give linear.
 * Unknown names throw listing the known ones.
 */
export function getActivation(
  identifier: ActivationIdentifier | ActivationFn | ((x: Tensor) => Tensor) | SerializedObject | ConfigDict | null | undefined,
): ActivationFn {
  if (identifier === null || identifier === undefined) return new Linear();
  if (identifier instanceof ActivationFn) return identifier;
  if (typeof identifier === 'function') return new FunctionActivation(identifier as (x: Tensor) => Tensor);
  if (typeof identifier === 'string' || typeof identifier === 'object') {
    return deserializeIdentifier(identifier as string | SerializedObject, 'activation', BUILTIN_ACTIVATIONS);
  }
  throw new ValueError(`getActivation: expected a name, an ActivationFn or a function, received ${describeValue(identifier)}.`);
}

/** The identifier a config stores for an activation ('relu'). */
export function serializeActivation(activation: ActivationFn): string {
  return activation.getClassName();
}
