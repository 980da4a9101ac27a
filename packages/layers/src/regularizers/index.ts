/** The `regularizers` namespace (tfjs `tf.regularizers`) and lookup by identifier. */
import { describeValue } from '../engine/args';
import { deserializeIdentifier, serialize, SerializedObject } from '../serialization/registry';
import type { BuiltinClasses, ConfigDict } from '../serialization/registry';
import { L1L2, L1L2Args } from './l1l2';
import { Regularizer } from './regularizer';
import { ValueError } from '@recurrent/core';

/** tfjs identifier strings ('l1l2', 'l1', 'l2'; the class name 'L1L2' too). */
export type RegularizerIdentifier = 'l1l2' | 'l1' | 'l2' | string;

/** The built-in regularizer classes (found by name and from `{className, config}` without registration). */
export const BUILTIN_REGULARIZERS: BuiltinClasses = { classes: [L1L2] };

/** Factory functions, as `tf.regularizers`. */
export const regularizers = {
  /** l1 · Σ|x| + l2 · Σx² (both default 0.01). */
  l1l2: (args: L1L2Args = {}) => new L1L2(args),
  /** l1 · Σ|x| (default 0.01). */
  l1: (args: { l1?: number } = {}) => new L1L2({ l1: args?.l1 ?? 0.01, l2: 0 }),
  /** l2 · Σx² (default 0.01). */
  l2: (args: { l2?: number } = {}) => new L1L2({ l1: 0, l2: args?.l2 ?? 0.01 }),
};

/**
 * A Regularizer from an instance, an identifier ('l1', 'l2', 'l1l2', 'L1L2') or `{className, config}`;
 * null/undefined give null.
 */
export function getRegularizer(
  identifier: RegularizerIdentifier | Regularizer | SerializedObject | ConfigDict | null | undefined,
): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'string') {
    const key = identifier.replace(/_/g, '').toLowerCase();
    if (key === 'l1') return regularizers.l1();
    if (key === 'l2') return regularizers.l2();
  }
  if (typeof identifier === 'string' || typeof identifier === 'object') {
    return deserializeIdentifier(identifier as string | SerializedObject, 'regularizer', BUILTIN_REGULARIZERS);
  }
  throw new ValueError(
    `getRegularizer: expected a Regularizer, a string or a {className, config} object, received ${describeValue(identifier)}.`,
  );
}

/** `{className, config}` of a regularizer, or null. */
export function serializeRegularizer(regularizer: Regularizer | null): SerializedObject | null {
  return regularizer ? serialize(regularizer) : null;
}
