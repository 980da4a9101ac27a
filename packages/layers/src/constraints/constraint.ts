/** The Constraint base class and the per-axis L2 norm it uses. */
import { mul, sqrt, sum, Tensor } from '@recurrent/core';
import type { ConfigDict, SerializableKind } from '../serialization/registry';

/** Projects a weight back into an allowed set after each optimizer update. Subclasses set a static `className`. */
export abstract class Constraint {
  /** Registry kind, inherited by subclasses. */
  static readonly serializableKind: SerializableKind = 'constraint';
  static className = 'Constraint';

  /** The projected weight value. */
  abstract apply(w: Tensor): Tensor;

  /** The constructor args that rebuild this constraint. */
  getConfig(): ConfigDict {
    return {};
  }

  /** The serialized class name (the static className). */
  getClassName(): string {
    return (this.constructor as typeof Constraint).className;
  }

  /** Rebuilds from a config: `Cls.fromConfig(config)`, or tfjs style `Cls.fromConfig(Cls, config)`. */
  static fromConfig<T>(this: new (args: ConfigDict) => T, clsOrConfig: unknown, config?: ConfigDict): T {
    if (typeof clsOrConfig === 'function') return new (clsOrConfig as new (args: ConfigDict) => T)(config ?? {});
    return new this((clsOrConfig as ConfigDict) ?? {});
  }
}

/** Fuzz factor added to norms before dividing (Keras `epsilon()`). */
export const EPSILON = 1e-7;

/** L2 norms of `w` along `axis`, keeping dims. */
export function l2Norms(w: Tensor, axis: number | number[]): Tensor {
  return sqrt(sum(mul(w, w), axis, true));
}
