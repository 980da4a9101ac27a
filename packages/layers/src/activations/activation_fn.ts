/** The ActivationFn base class: an elementwise (or softmax) function serialized by name. */
import type { Tensor } from '@recurrent/core';
import type { ConfigDict, SerializableKind } from '../serialization/registry';

/**
 * An activation function. Its static `className` is the tfjs identifier ('relu', 'hardSigmoid', ...),
 * which is what layer configs store (`activation: 'relu'`).
 *
 * tfjs note: tfjs calls this base class `Activation`; here that name belongs to the Activation layer.
 */
export abstract class ActivationFn {
  /** Registry kind, inherited by subclasses. */
  static readonly serializableKind: SerializableKind = 'activation';
  static className = 'activation';

  /** Applies the function to `x`. */
  abstract apply(x: Tensor, axis?: number): Tensor;

  /** Activations take no args. */
  getConfig(): ConfigDict {
    return {};
  }

  /** The identifier that serializes this activation ('relu', ...). */
  getClassName(): string {
    return (this.constructor as typeof ActivationFn).className;
  }

  /** Rebuilds from a config (activations have none). */
  static fromConfig<T>(this: new () => T, clsOrConfig?: unknown): T {
    if (typeof clsOrConfig === 'function') return new (clsOrConfig as new () => T)();
    return new this();
  }
}
