/** The `constraints` namespace (tfjs `tf.constraints`) and lookup by identifier. */
import { describeValue } from '../engine/args';
import { deserializeIdentifier, serialize, SerializedObject } from '../serialization/registry';
import type { BuiltinClasses, ConfigDict } from '../serialization/registry';
import { Constraint } from './constraint';
import { MaxNorm, MaxNormArgs } from './max_norm';
import { MinMaxNorm, MinMaxNormArgs } from './min_max_norm';
import { NonNeg } from './non_neg';
import { UnitNorm, UnitNormArgs } from './unit_norm';
import { ValueError } from '@recurrent/core';

/** tfjs identifier strings (snake_case and class names are accepted too). */
export type ConstraintIdentifier = 'maxNorm' | 'minMaxNorm' | 'nonNeg' | 'unitNorm' | string;

/** The built-in constraint classes (found by name and from `{className, config}` without registration). */
export const BUILTIN_CONSTRAINTS: BuiltinClasses = { classes: [MaxNorm, UnitNorm, NonNeg, MinMaxNorm] };

/** Factory functions, as `tf.constraints`. */
export const constraints = {
  maxNorm: (args: MaxNormArgs = {}) => new MaxNorm(args),
  unitNorm: (args: UnitNormArgs = {}) => new UnitNorm(args),
  nonNeg: () => new NonNeg(),
  minMaxNorm: (args: MinMaxNormArgs = {}) => new MinMaxNorm(args),
};

/** A Constraint from an instance, an identifier ('maxNorm', 'max_norm', 'MaxNorm') or `{className, config}`; null/undefined give null. */
export function getConstraint(
  identifier: ConstraintIdentifier | Constraint | SerializedObject | ConfigDict | null | undefined,
): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === 'string' || typeof identifier === 'object') {
    return deserializeIdentifier(identifier as string | SerializedObject, 'constraint', BUILTIN_CONSTRAINTS);
  }
  throw new ValueError(
    `getConstraint: expected a Constraint, a string or a {className, config} object, received ${describeValue(identifier)}.`,
  );
}

/** `{className, config}` of a constraint, or null. */
export function serializeConstraint(constraint: Constraint | null): SerializedObject | null {
  return constraint ? serialize(constraint) : null;
}
