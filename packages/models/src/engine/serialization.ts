/**
 * The `serialization` namespace, as tfjs's `tf.serialization`: register your own layer, cell, initializer,
 * regularizer, constraint or activation class so that models using it save and load.
 *
 * ```js
 * class Scale extends Layer {
 *   static className = 'Scale';
 *   constructor(args) { super(args); this.factor = args.factor; }
 *   call(x) { return mul(x, this.factor); }
 *   getConfig() { return {...super.getConfig(), factor: this.factor}; }
 * }
 * serialization.registerClass(Scale);
 * await model.save('file://./m');            // {class_name: 'Scale', config: {factor: 2, ...}}
 * const back = await loadLayersModel('file://./m/model.json');
 * ```
 *
 * A class is found by its static `className`; its constructor receives the (camelCase) config, or its static
 * `fromConfig(cls, config)` is called when it has one. The registry kind (layer, initializer, ...) comes from
 * the base class.
 *
 * tfjs note: tfjs's `registerClass(cls, pkg, name)` can register under a package-qualified name ('pkg>Name');
 * recurrent registers under the class's static `className` only (a second argument may name the kind).
 */
import { deserialize, getRegisteredClass, registerClass as registerInRegistry, registeredClassNames, serialize } from '@recurrent/layers';
import type { ConfigDict, SerializableClass, SerializableKind, SerializedObject } from '@recurrent/layers';
import { ValueError } from '@recurrent/core';

const KINDS: SerializableKind[] = ['layer', 'initializer', 'regularizer', 'constraint', 'activation'];

/**
 * Registers `cls` under its static `className` (tfjs's `serialization.registerClass`). Returns the class, so it
 * may be used as `const MyLayer = serialization.registerClass(class extends Layer {...})`.
 */
function registerClass<T extends SerializableClass>(cls: T, kind?: SerializableKind): T {
  if (kind !== undefined && !KINDS.includes(kind)) {
    throw new ValueError(
      `serialization.registerClass: the second argument must be a kind (${KINDS.join(', ')}); package-qualified names ` +
        `(tfjs's registerClass(cls, pkg, name)) are not supported: the class is registered under its static className.`,
    );
  }
  return registerInRegistry(cls, kind);
}

/** The registered name of a class (its static className), as tfjs's `getRegisteredName`. */
function getRegisteredName(cls: SerializableClass): string {
  if (typeof cls !== 'function' || typeof cls.className !== 'string') {
    throw new ValueError('serialization.getRegisteredName: expected a class with a static className.');
  }
  return cls.className;
}

/**
 * A read-only view of the registry shaped as tfjs's `SerializationMap.getMap()`: `classNameMap[className]` is
 * `[cls, fromConfig]`. Register with `registerClass`; `SerializationMap.register(cls)` is an alias.
 */
class SerializationMap {
  static getMap(): { classNameMap: { [className: string]: [SerializableClass, (cls: unknown, config: ConfigDict) => unknown] } } {
    // Null prototype: a registered class named '__proto__' or 'constructor' is an entry like any other.
    const classNameMap: { [className: string]: [SerializableClass, (cls: unknown, config: ConfigDict) => unknown] } = Object.create(null);
    for (const kind of KINDS) {
      for (const name of registeredClassNames(kind)) {
        const cls = getRegisteredClass(name, kind)!;
        const fromConfig =
          typeof cls.fromConfig === 'function'
            ? (c: unknown, config: ConfigDict) => cls.fromConfig!(c, config)
            : (_c: unknown, config: ConfigDict) => new cls(config);
        if (!(name in classNameMap)) classNameMap[name] = [cls, fromConfig];
      }
    }
    return { classNameMap };
  }

  static register<T extends SerializableClass>(cls: T, kind?: SerializableKind): T {
    return registerClass(cls, kind);
  }
}

/** Model and layer (de)serialization helpers (tfjs's `tf.serialization`). */
export const serialization = {
  registerClass,
  getRegisteredName,
  getRegisteredClass,
  registeredClassNames,
  SerializationMap,
  /** `{className, config}` of a layer/initializer/...: `serialization.serialize(layer)`. */
  serialize: serialize as (obj: { getConfig(): ConfigDict; getClassName?(): string }) => SerializedObject,
  /** Rebuilds an object of `kind` (default 'layer') from `{className, config}` (or Keras `{class_name, config}`). */
  deserialize: <T = unknown>(
    serialized: SerializedObject | { class_name: string; config?: ConfigDict },
    kind: SerializableKind = 'layer',
  ): T => deserialize<T>(serialized, kind),
};
