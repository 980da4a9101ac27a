/**
 * The class registry behind deserialization: serializable classes (layers, initializers,
 * regularizers, constraints, activations) are found by their static `className`, per kind.
 * Built-in classes are registered by `registerBuiltins()` (builtins.ts); custom classes by
 * `registerClass(MyClass)`.
 */

/** A plain JSON-able configuration object (tfjs's `ConfigDict`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConfigDict = { [key: string]: any };

/** The serialized form of an object: tfjs `{className, config}` (Keras `class_name` is accepted on input). */
export interface SerializedObject {
  className: string;
  config: ConfigDict;
}

/** What a registry holds. */
export type SerializableKind = 'layer' | 'initializer' | 'regularizer' | 'constraint' | 'activation';

/** A class the registry can hold: a static `className`, optionally a static `serializableKind` and `fromConfig`. */
export interface SerializableClass {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (...args: any[]): any;
  className: string;
  serializableKind?: SerializableKind;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fromConfig?: (...args: any[]) => any;
}

import { describeValue } from '../engine/args';
import { checkConstructedArgs, FILE_IGNORED_KEYS, INTERNAL_ARGS, LAYER_ARG_KEYS } from '../engine/args';

const KINDS: SerializableKind[] = ['layer', 'initializer', 'regularizer', 'constraint', 'activation'];

/** Classes whose args are validated against their config after construction (the built-ins; see checkArgsOf). */
const validated = new WeakSet<SerializableClass>();
/** > 0 while `deserialize` constructs: constructors then leave the check to it (it knows the keys came from a file). */
let deserializing = 0;

/** Marks `cls` as validating its args (builtins.ts marks every built-in class). */
export function validateArgsOf(cls: SerializableClass): void {
  validated.add(cls);
}

/**
 * Validates the args `obj` (an instance of a marked class) was constructed from: unknown keys refused with a
 * "did you mean", keys in `static ignoredArgKeys` (and, from files, Keras-only keys) accepted with a warning,
 * booleans and numbers type-checked (args.ts `checkConstructedArgs`). No-op for unmarked (custom) classes.
 */
export function checkArgsOf(obj: unknown, args: unknown, fromFile = false): void {
  if (obj === null || typeof obj !== 'object') return;
  if (!fromFile && deserializing > 0) return;
  if (args !== null && typeof args === 'object' && (args as { [INTERNAL_ARGS]?: boolean })[INTERNAL_ARGS]) return;
  const cls = (obj as object).constructor as SerializableClass & { extraArgKeys?: readonly string[]; ignoredArgKeys?: readonly string[] };
  if (!validated.has(cls)) return;
  const getConfig = (obj as { getConfig?: () => ConfigDict }).getConfig;
  if (typeof getConfig !== 'function') return;
  const kind = cls.serializableKind;
  const extra = [...(kind === 'layer' ? LAYER_ARG_KEYS : []), ...(cls.extraArgKeys ?? [])];
  const ignored = [...(cls.ignoredArgKeys ?? []), ...(fromFile ? FILE_IGNORED_KEYS : [])];
  checkConstructedArgs(cls.className, args, getConfig.call(obj), extra, ignored);
}
const registries = new Map<SerializableKind, Map<string, SerializableClass>>(KINDS.map((k) => [k, new Map()]));

function checkKind(fn: string, kind: unknown): SerializableKind {
  if (!KINDS.includes(kind as SerializableKind)) {
    throw new Error(`${fn}: unknown kind '${String(kind)}'; expected one of ${KINDS.join(', ')}.`);
  }
  return kind as SerializableKind;
}

/**
 * Registers a class for deserialization under its static `className`. The kind comes from the
 * class's static `serializableKind` (inherited from the Layer, Initializer, Regularizer, Constraint
 * or ActivationFn base) unless given. Registering again replaces the previous class of that name.
 *
 * ```js
 * class MyLayer extends Layer { static className = 'MyLayer'; ... }
 * registerClass(MyLayer);
 * ```
 */
export function registerClass<T extends SerializableClass>(cls: T, kind?: SerializableKind): T {
  if (typeof cls !== 'function') throw new Error(`registerClass: expected a class, received ${typeof cls}.`);
  const name = cls.className;
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(
      `registerClass: class ${cls.name || '(anonymous)'} has no static className; add \`static className = '${cls.name || 'MyClass'}'\`.`,
    );
  }
  const k = checkKind('registerClass', kind ?? cls.serializableKind);
  registries.get(k)!.set(name, cls);
  return cls;
}

/** The registered class of `name` (in `kind`, or in any kind when omitted), or undefined. */
export function getRegisteredClass(name: string, kind?: SerializableKind): SerializableClass | undefined {
  if (kind !== undefined) return registries.get(checkKind('getRegisteredClass', kind))!.get(name);
  for (const k of KINDS) {
    const cls = registries.get(k)!.get(name);
    if (cls) return cls;
  }
  return undefined;
}

/** The registered class names of `kind`, sorted. */
export function registeredClassNames(kind: SerializableKind): string[] {
  return Array.from(registries.get(checkKind('registeredClassNames', kind))!.keys()).sort();
}

/**
 * Rebuilds an object from `{className, config}` (or Keras `{class_name, config}`) using the
 * registry of `kind`; `customObjects` (className → class) are consulted first. Unknown names
 * throw, listing the known ones and saying how to register a custom class.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function deserialize<T = any>(
  serialized: SerializedObject | { class_name: string; config?: ConfigDict },
  kind: SerializableKind,
  customObjects: { [className: string]: SerializableClass } = {},
): T {
  checkKind('deserialize', kind);
  if (serialized === null || typeof serialized !== 'object') {
    throw new Error(`deserialize: expected a {className, config} object for a ${kind}, received ${describeValue(serialized)}.`);
  }
  const s = serialized as { className?: string; class_name?: string; config?: ConfigDict };
  const name = s.className ?? s.class_name;
  if (typeof name !== 'string') {
    throw new Error(`deserialize: the ${kind} object has no className: ${JSON.stringify(serialized)}.`);
  }
  // Own properties of customObjects only: an inherited name ('constructor', 'toString') is not a custom class.
  const custom = customObjects !== null && typeof customObjects === 'object' && Object.prototype.hasOwnProperty.call(customObjects, name)
    ? customObjects[name] : undefined;
  const cls = custom ?? registries.get(kind)!.get(name);
  if (!cls) {
    throw new Error(
      `Unknown ${kind} class '${name}'. Known ${kind} classes: ${registeredClassNames(kind).join(', ') || '(none registered)'}. ` +
        `To use a custom ${kind}, give the class a static className and call registerClass(YourClass) ` +
        `before deserializing (or pass it in customObjects).`,
    );
  }
  const config = s.config ?? {};
  let obj: T;
  deserializing++;
  try {
    obj = (typeof cls.fromConfig === 'function' ? cls.fromConfig(cls, config) : new cls(config)) as T;
  } finally {
    deserializing--;
  }
  checkArgsOf(obj, config, true);
  return obj;
}

/** `{className, config}` of an object that has `getClassName()` (or a static className) and `getConfig()`. */
export function serialize(obj: { getConfig(): ConfigDict; getClassName?(): string }): SerializedObject {
  const className = obj.getClassName ? obj.getClassName() : (obj.constructor as SerializableClass).className;
  return { className, config: obj.getConfig() };
}

/** Lower-case with underscores removed: 'glorot_uniform', 'glorotUniform' and 'GlorotUniform' all match. */
function normalizeName(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/**
 * The registered class of `kind` named by a string identifier in any casing tfjs or Keras uses
 * ('glorotUniform', 'glorot_uniform', 'GlorotUniform'); throws listing the known identifiers.
 */
export function lookupByName(name: string, kind: SerializableKind): SerializableClass {
  const registry = registries.get(checkKind('lookupByName', kind))!;
  const exact = registry.get(name);
  if (exact) return exact;
  const key = normalizeName(name);
  for (const [className, cls] of registry) if (normalizeName(className) === key) return cls;
  throw new Error(
    `Unknown ${kind} '${name}'. Known ${kind}s: ${registeredClassNames(kind).join(', ') || '(none registered)'} ` +
      `(camelCase and snake_case spellings are accepted). To use a custom ${kind}, pass an instance, ` +
      `or register its class with registerClass(YourClass).`,
  );
}
