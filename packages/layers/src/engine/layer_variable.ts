/** LayerVariable: a core Variable owned by a layer, carrying its constraint. */
import { DataType, Tensor, Variable } from '@recurrent/core';
import type { Constraint } from '../constraints/constraint';

/**
 * A weight of a layer. It is a core `Variable` (so `variableGrads` and optimizers use it
 * directly), named `${layerName}/${weightName}` like tfjs; when that name is already taken by
 * a live variable (a layer rebuilt from its config has the same name), a suffix `_1`, `_2`, ...
 * is added, as tfjs does. `originalName` keeps the unsuffixed name.
 */
export class LayerVariable extends Variable {
  /** `${layerName}/${weightName}` without a uniquifying suffix. */
  readonly originalName: string;
  /** Applied after each optimizer update (`write` applies it). */
  readonly constraint: Constraint | null;

  /** @internal use `createLayerVariable`. */
  constructor(value: Tensor, dtype: DataType, name: string, originalName: string, trainable: boolean, constraint: Constraint | null) {
    super(value, trainable, name, dtype);
    this.originalName = originalName;
    this.constraint = constraint;
  }

  /** Assigns `value` and then projects it with the constraint, if any (as tfjs's `LayerVariable.write`). */
  write(value: Tensor): this {
    this.assign(value);
    if (this.constraint) this.assign(this.constraint.apply(this));
    return this;
  }

  /** A plain tensor copy of the current value. */
  read(): Tensor {
    return this.clone();
  }
}

/** Creates a LayerVariable named `name`, or `name_1`, `name_2`, ... if a live variable already has that name. */
export function createLayerVariable(
  value: Tensor,
  dtype: DataType,
  name: string,
  trainable: boolean,
  constraint: Constraint | null,
): LayerVariable {
  for (let k = 0; ; k++) {
    const candidate = k === 0 ? name : `${name}_${k}`;
    try {
      return new LayerVariable(value, dtype, candidate, name, trainable, constraint);
    } catch (e) {
      if (!/already registered/.test((e as Error).message) || k > 10000) throw e;
    }
  }
}
