/**
 * The registry's lookups over every built-in class (builtins.ts) besides the registered ones: what the
 * package exports as `deserialize`, `getRegisteredClass`, `registeredClassNames` and `lookupByName`, and
 * what model loading uses. Importing this module bundles every built-in class.
 */
import { BUILTINS } from '../builtins';
import * as registry from './registry';
import type { ConfigDict, SerializableClass, SerializableKind, SerializedObject } from './registry';

/**
 * Rebuilds an object from `{className, config}` (or Keras `{class_name, config}`) of `kind`: `customObjects`
 * (className → class) first, then the registered classes, then the built-in ones. Unknown names throw,
 * listing the known ones and saying how to register a custom class.
 *
 * ```js
 * const dense = deserialize({className: 'Dense', config: {units: 4}}, 'layer');
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function deserialize<T = any>(
  serialized: SerializedObject | { class_name: string; config?: ConfigDict },
  kind: SerializableKind,
  customObjects: { [className: string]: SerializableClass } = {},
): T {
  return registry.deserialize<T>(serialized, kind, customObjects, BUILTINS);
}

/** The registered or built-in class of `name` (in `kind`, or in any kind when omitted), or undefined. */
export function getRegisteredClass(name: string, kind?: SerializableKind): SerializableClass | undefined {
  return registry.getRegisteredClass(name, kind, BUILTINS);
}

/** The registered and built-in class names of `kind`, sorted. */
export function registeredClassNames(kind: SerializableKind): string[] {
  return registry.registeredClassNames(kind, BUILTINS);
}

/**
 * The registered or built-in class of `kind` named by a string identifier in any casing tfjs or Keras uses
 * ('glorotUniform', 'glorot_uniform', 'GlorotUniform'); throws listing the known identifiers.
 */
export function lookupByName(name: string, kind: SerializableKind): SerializableClass {
  return registry.lookupByName(name, kind, BUILTINS);
}
