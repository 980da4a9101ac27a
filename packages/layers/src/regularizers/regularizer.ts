/** The Regularizer base class. */
import type { Tensor } from '@recurrent/core';
import type { ConfigDict, SerializableKind } from '../serialization/registry';

/** Maps a weight to a scalar penalty added to the loss. Subclasses set a static `className`. */
export abstract class Regularizer {
  /** Registry kind, inherited by subclasses. */
  static readonly serializableKind: SerializableKind = 'regularizer';
  static className = 'Regularizer';

  /** The scalar penalty of `x`. */
  abstract apply(x: Tensor): Tensor;

  /** The constructor args that rebuild this regularizer. */
  getConfig(): ConfigDict {
    return {};
  }

  /** The serialized class name (the static className). */
  getClassName(): string {
    return (this.constructor as typeof Regularizer).className;
  }

  /** Rebuilds from a config: `Cls.fromConfig(config)`, or tfjs style `Cls.fromConfig(Cls, config)`. */
  static fromConfig<T>(this: new (args: ConfigDict) => T, clsOrConfig: unknown, config?: ConfigDict): T {
    if (typeof clsOrConfig === 'function') return new (clsOrConfig as new (args: ConfigDict) => T)(config ?? {});
    return new this((clsOrConfig as ConfigDict) ?? {});
  }
}
