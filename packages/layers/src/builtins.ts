/**
 * The ONE list of built-in serializable classes: what deserialization finds by name (model files,
 * `deserialize`). Nothing registers them at import: the lookups that can meet any class (serialization/
 * builtin_lookup.ts, used by model loading) import this list, and the ones that can meet only one kind import
 * that kind's own table (initializers/index.ts, activations/index.ts, ...; cells/builtin_cells.ts), so an
 * application that never deserializes a layer does not bundle every layer. New layers go in builtin_layers.ts;
 * new initializers, activations, regularizers and constraints in their kind's table.
 */
import { BUILTIN_ACTIVATIONS } from './activations';
import { BUILTIN_CONSTRAINTS } from './constraints';
import { BUILTIN_INITIALIZERS } from './initializers';
import { BUILTIN_REGULARIZERS } from './regularizers';

import { BUILTIN_LAYERS } from './builtin_layers';
import { registerClass, validateArgsOf } from './serialization/registry';
import type { BuiltinClasses, SerializableClass } from './serialization/registry';
import { Bidirectional } from './wrappers/bidirectional';
import { TimeDistributed } from './wrappers/time_distributed';

/** Every built-in class; its registry kind comes from its base class. */
export const BUILTIN_CLASSES: SerializableClass[] = [
  ...BUILTIN_INITIALIZERS.classes,
  ...BUILTIN_REGULARIZERS.classes,
  ...BUILTIN_CONSTRAINTS.classes,
  ...BUILTIN_ACTIVATIONS.classes,
  ...BUILTIN_LAYERS.classes,
  TimeDistributed,
  Bidirectional,
];

const SELF_VALIDATING = BUILTIN_LAYERS.selfValidating ?? [];

/** BUILTIN_CLASSES as the registry's lookups take them. */
export const BUILTINS: BuiltinClasses = { classes: BUILTIN_CLASSES, selfValidating: SELF_VALIDATING };

let registered = false;

/**
 * Registers every class of BUILTIN_CLASSES as if registered with `registerClass` (once; later calls do nothing).
 * Not needed: lookups find the built-ins without it (kept for code written when it was).
 */
export function registerBuiltins(): void {
  if (registered) return;
  registered = true;
  for (const cls of BUILTIN_CLASSES) {
    registerClass(cls);
    if (!SELF_VALIDATING.includes(cls)) validateArgsOf(cls);
  }
}
