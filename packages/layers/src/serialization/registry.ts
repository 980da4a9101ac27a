/**
 * The class registry behind deserialization: serializable classes (layers, initializers,
 * regularizers, constraints, activations) are found by their static `className`, per kind.
 * Two sources, consulted in this order: classes registered with `registerClass(MyClass)` (custom classes;
 * registering a built-in name replaces the built-in), then the built-in classes the caller passes
 * (`BuiltinClasses`). Nothing is registered when a module is imported: each caller imports the built-in
 * classes it can meet (getInitializer the initializers, an RNN its cells, loading a model every class, through
 * serialization/builtin_lookup.ts), so an application bundles only what its code paths can reach.
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
import { ValueError } from '@recurrent/core';

const KINDS: SerializableKind[] = ['layer', 'initializer', 'regularizer', 'constraint', 'activation'];

/**
 * Built-in classes a lookup may return after the registered ones: `classes` (any kinds; each lookup keeps the
 * classes of its kind), of which `selfValidating` check their whole option bag in their own constructor (with
 * the Keras-only keys they accept); the others are validated by `deserialize` against their `getConfig()` keys.
 */
export interface BuiltinClasses {
  readonly classes: readonly SerializableClass[];
  readonly selfValidating?: readonly SerializableClass[];
}

const NO_BUILTINS: BuiltinClasses = { classes: [] };

/** Classes validated on deserialization although not built-in here (`registerBuiltins`, `validateArgsOf`). */
const validated = new WeakSet<SerializableClass>();
/** > 0 while `deserialize` constructs: constructors then leave the check to it (it knows the keys came from a file). */
let deserializing = 0;
/**
 * The built-ins of the `deserialize` call under way: a nested lookup (an RNN's serialized cell, a stack's
 * cells) sees them besides its own, so a file's nested classes resolve as its outer ones do.
 */
let activeBuiltins: BuiltinClasses = NO_BUILTINS;

/** `a` and `b` together (either one when the other is empty). */
function joinBuiltins(a: BuiltinClasses, b: BuiltinClasses): BuiltinClasses {
  if (a.classes.length === 0) return b;
  if (b.classes.length === 0 || a === b) return a;
  return { classes: [...b.classes, ...a.classes], selfValidating: [...(b.selfValidating ?? []), ...(a.selfValidating ?? [])] };
}

/** Marks `cls` as validating its args when deserialized (as the built-ins that do not validate themselves). */
export function validateArgsOf(cls: SerializableClass): void {
  validated.add(cls);
}

/**
 * Validates the args `obj` was constructed from: unknown keys refused with a "did you mean", keys in
 * `static ignoredArgKeys` (and, from files, Keras-only keys) accepted with a warning, booleans and numbers
 * type-checked (args.ts `checkConstructedArgs`). Built-in constructors call it for their own class only
 * (`if (new.target === X) checkArgsOf(this, args)`); `deserialize` calls it with `fromFile` for the built-ins
 * that do not validate themselves (custom classes are not checked).
 */
export function checkArgsOf(obj: unknown, args: unknown, fromFile = false): void {
  if (obj === null || typeof obj !== 'object') return;
  if (!fromFile && deserializing > 0) return;
  if (args !== null && typeof args === 'object' && (args as { [INTERNAL_ARGS]?: boolean })[INTERNAL_ARGS]) return;
  const cls = (obj as object).constructor as SerializableClass & { extraArgKeys?: readonly string[]; ignoredArgKeys?: readonly string[] };
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
    throw new ValueError(`${fn}: unknown kind '${String(kind)}'; expected one of ${KINDS.join(', ')}.`);
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
  if (typeof cls !== 'function') throw new ValueError(`registerClass: expected a class, received ${typeof cls}.`);
  const name = cls.className;
  if (typeof name !== 'string' || name.length === 0) {
    throw new ValueError(
      `registerClass: class ${cls.name || '(anonymous)'} has no static className; add \`static className = '${cls.name || 'MyClass'}'\`.`,
    );
  }
  const k = checkKind('registerClass', kind ?? cls.serializableKind);
  registries.get(k)!.set(name, cls);
  return cls;
}

/** The class `name` of `kind` among `builtins` (the last one listed wins, as registering again replaces). */
function builtinClass(name: string, kind: SerializableKind, builtins: BuiltinClasses): SerializableClass | undefined {
  let found: SerializableClass | undefined;
  for (const cls of builtins.classes) if (cls.className === name && cls.serializableKind === kind) found = cls;
  return found;
}

/**
 * The class of `name` (in `kind`, or in any kind when omitted): a registered one, else one of `builtins`; or
 * undefined. (The public `getRegisteredClass` of the package passes every built-in class.)
 */
export function getRegisteredClass(
  name: string,
  kind?: SerializableKind,
  builtins: BuiltinClasses = NO_BUILTINS,
): SerializableClass | undefined {
  const kinds = kind !== undefined ? [checkKind('getRegisteredClass', kind)] : KINDS;
  for (const k of kinds) {
    const cls = registries.get(k)!.get(name) ?? builtinClass(name, k, builtins);
    if (cls) return cls;
  }
  return undefined;
}

/** The class names of `kind`, registered or among `builtins`, sorted. */
export function registeredClassNames(kind: SerializableKind, builtins: BuiltinClasses = NO_BUILTINS): string[] {
  const names = new Set(registries.get(checkKind('registeredClassNames', kind))!.keys());
  for (const cls of builtins.classes) if (cls.serializableKind === kind) names.add(cls.className);
  return Array.from(names).sort();
}

/**
 * Rebuilds an object from `{className, config}` (or Keras `{class_name, config}`) of `kind`: the class is
 * looked up in `customObjects` (className → class), then the registered classes, then `builtins`. Unknown
 * names throw, listing the known ones and saying how to register a custom class. (The package exports it as
 * `deserializeWith`; its `deserialize` passes every built-in class.)
 *
 * ```js
 * const lstm = deserializeWith({className: 'LSTM', config: {units: 4}}, 'layer', {}, await importBuiltinLayers(['LSTM']));
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function deserialize<T = any>(
  serialized: SerializedObject | { class_name: string; config?: ConfigDict },
  kind: SerializableKind,
  customObjects: { [className: string]: SerializableClass } = {},
  ownBuiltins: BuiltinClasses = NO_BUILTINS,
): T {
  checkKind('deserialize', kind);
  const builtins = joinBuiltins(ownBuiltins, activeBuiltins);
  if (serialized === null || typeof serialized !== 'object') {
    throw new ValueError(`deserialize: expected a {className, config} object for a ${kind}, received ${describeValue(serialized)}.`);
  }
  const s = serialized as { className?: string; class_name?: string; config?: ConfigDict };
  const name = s.className ?? s.class_name;
  if (typeof name !== 'string') {
    throw new ValueError(`deserialize: the ${kind} object has no className: ${JSON.stringify(serialized)}.`);
  }
  // Own properties of customObjects only: an inherited name ('constructor', 'toString') is not a custom class.
  const custom =
    customObjects !== null && typeof customObjects === 'object' && Object.prototype.hasOwnProperty.call(customObjects, name)
      ? customObjects[name]
      : undefined;
  const registered = custom ?? registries.get(kind)!.get(name);
  const builtin = registered ? undefined : builtinClass(name, kind, builtins);
  const cls = registered ?? builtin;
  if (!cls) {
    throw new ValueError(
      `Unknown ${kind} class '${name}'. Known ${kind} classes: ${registeredClassNames(kind, builtins).join(', ') || '(none registered)'}. ` +
        `To use a custom ${kind}, give the class a static className and call registerClass(YourClass) ` +
        `before deserializing (or pass it in customObjects).`,
    );
  }
  const config = s.config ?? {};
  let obj: T;
  deserializing++;
  const outerBuiltins = activeBuiltins;
  activeBuiltins = builtins;
  try {
    obj = (typeof cls.fromConfig === 'function' ? cls.fromConfig(cls, config) : new cls(config)) as T;
  } finally {
    deserializing--;
    activeBuiltins = outerBuiltins;
  }
  const validates = builtin ? !(builtins.selfValidating ?? []).includes(builtin) : validated.has(cls);
  if (validates) checkArgsOf(obj, config, true);
  return obj;
}

/**
 * An object of `kind` from an identifier string (any casing, see `lookupByName`; built with an empty config) or a
 * `{className, config}` (see `deserialize`): what `getActivation`, `getInitializer`, `getRegularizer` and
 * `getConstraint` do with a name or a serialized object.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function deserializeIdentifier<T = any>(identifier: string | SerializedObject, kind: SerializableKind, builtins: BuiltinClasses): T {
  const serialized =
    typeof identifier === 'string' ? { className: lookupByName(identifier, kind, builtins).className, config: {} } : identifier;
  return deserialize<T>(serialized, kind, {}, builtins);
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
 * The class of `kind` (registered, else among `builtins`) named by a string identifier in any casing tfjs or
 * Keras uses ('glorotUniform', 'glorot_uniform', 'GlorotUniform'); throws listing the known identifiers.
 */
export function lookupByName(name: string, kind: SerializableKind, builtins: BuiltinClasses = NO_BUILTINS): SerializableClass {
  checkKind('lookupByName', kind);
  const exact = getRegisteredClass(name, kind, builtins);
  if (exact) return exact;
  const key = normalizeName(name);
  for (const className of registeredClassNames(kind, builtins)) {
    if (normalizeName(className) === key) return getRegisteredClass(className, kind, builtins)!;
  }
  throw new ValueError(
    `Unknown ${kind} '${name}'. Known ${kind}s: ${registeredClassNames(kind, builtins).join(', ') || '(none registered)'} ` +
      `(camelCase and snake_case spellings are accepted). To use a custom ${kind}, pass an instance, ` +
      `or register its class with registerClass(YourClass).`,
  );
}
