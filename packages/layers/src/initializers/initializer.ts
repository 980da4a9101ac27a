/** The Initializer base class and tfjs's fan computation shared by the variance-scaling family. */
import type { DataType, Tensor } from '@recurrent/core';
import type { ConfigDict, SerializableKind } from '../serialization/registry';
import { NotImplementedError } from '@recurrent/core';

/**
 * Produces the initial value of a weight from its shape. Subclasses set a static `className`
 * (tfjs names: 'Zeros', 'GlorotUniform', ...) and override `apply` and `getConfig`.
 */
export abstract class Initializer {
  /** Registry kind, inherited by subclasses. */
  static readonly serializableKind: SerializableKind = 'initializer';
  static className = 'Initializer';

  /** A tensor of `shape` and `dtype` (default float32). */
  abstract apply(shape: number[], dtype?: DataType): Tensor;

  /** The constructor args that rebuild this initializer. */
  getConfig(): ConfigDict {
    return {};
  }

  /** The serialized class name (the static className). */
  getClassName(): string {
    return (this.constructor as typeof Initializer).className;
  }

  /** Rebuilds from a config: `Cls.fromConfig(config)`, or tfjs style `Cls.fromConfig(Cls, config)`. */
  static fromConfig<T>(this: new (args: ConfigDict) => T, clsOrConfig: unknown, config?: ConfigDict): T {
    if (typeof clsOrConfig === 'function') return new (clsOrConfig as new (args: ConfigDict) => T)(config ?? {});
    return new this((clsOrConfig as ConfigDict) ?? {});
  }
}

/** Product of `shape[start..end)`. */
function prod(shape: readonly number[], start = 0, end = shape.length): number {
  let p = 1;
  for (let i = start; i < end; i++) p *= shape[i];
  return p;
}

/**
 * [fanIn, fanOut] of a weight shape, as tfjs's `computeFans` (channels-last):
 * rank 2 → [rows, cols]; rank 3–5 (conv kernels) → input/output channels times the receptive
 * field (product of the leading dims); any other rank → both sqrt(size).
 */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 2) return [shape[0], shape[1]];
  if (shape.length >= 3 && shape.length <= 5) {
    const receptive = prod(shape, 0, shape.length - 2);
    return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
  }
  const s = Math.sqrt(prod(shape));
  return [s, s];
}

/** Throws unless `dtype` is float32/int32/undefined (random initializers cannot produce bool). */
export function checkNumericDtype(name: string, dtype: DataType | undefined): 'float32' | 'int32' {
  if (dtype === undefined || dtype === 'float32') return 'float32';
  if (dtype === 'int32') return 'int32';
  throw new NotImplementedError(`${name}: dtype '${dtype}' is not supported; expected 'float32' or 'int32'.`);
}
