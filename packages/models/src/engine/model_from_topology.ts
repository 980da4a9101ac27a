/**
 * Builds a model from a (camelCase, Keras-normalized) topology: a Sequential (`{name, layers: [{className,
 * config}]}`, or the legacy bare list) or a functional model (`className` 'Model' / 'Functional' with inbound nodes),
 * with nested models as layers of either, at most `MAX_MODEL_NESTING` deep. Every layer made is pushed to `created`
 * so a failed load can dispose of it.
 */
import { describeJsonValue, isPlainObject } from '../io/model_json';
import { LoadError } from '@recurrent/core';
import { deserializeWith, Layer } from '@recurrent/layers';
import type { BuiltinClasses } from '@recurrent/layers';
import type { JSONObject } from '../io/types';
import type { connectFunctional, FunctionalLayerEntry } from './functional_from_config';
import type { LayersModel } from './layers_model';
import { Sequential } from './sequential';

/** How deep models may nest in a file (a Sequential inside a Model inside ...). */
export const MAX_MODEL_NESTING = 16;
/** Class names of functional models in files (tfjs 'Model', Keras 3 'Functional'). */
export const FUNCTIONAL_CLASS_NAMES = ['Model', 'Functional', 'LayersModel'];

type MakeError = (message: string, cause?: unknown) => Error;

/**
 * Where the layer classes of a file come from: the built-in classes to find (besides registered ones) and the
 * names an unknown-class error lists (every known class, also those not imported); and the code that connects
 * a functional model's layers (functional_from_config.ts), which `loadLayersModel` imports only for a file that
 * has a functional model (bundlers put it in its own chunk); null when the file has none.
 */
export interface LayerClassSource {
  builtins: BuiltinClasses;
  knownNames(): string[];
  connectFunctional: typeof connectFunctional | null;
}

/** Whether a topology holds a functional model (at its top or nested), i.e. needs `LayerClassSource.connectFunctional`. */
export function hasFunctionalModel(classNames: ReadonlySet<string>): boolean {
  return FUNCTIONAL_CLASS_NAMES.some((n) => classNames.has(n));
}

/** The message of a thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Adds the registration hint to an unknown-class error from the registry. */
function withRegistrationHint(message: string): string {
  const m = /Unknown (\w+) class '([^']*)'/.exec(message);
  if (!m) return message;
  return (
    `${message} (In this model file: define the class with \`static className = '${m[2]}'\` and call ` +
    `serialization.registerClass(${/^[A-Za-z_$][\w$]*$/.test(m[2]) ? m[2] : 'YourClass'}) before loading.)`
  );
}

/** The layer entries of a topology's config (Sequential or functional), checked to be `{className, config}` objects. */
export function topologyLayerConfigs(ts: JSONObject): JSONObject[] {
  const className = ts.className;
  if (className !== 'Sequential' && !(typeof className === 'string' && FUNCTIONAL_CLASS_NAMES.includes(className))) {
    throw new LoadError(
      `loadLayersModel: modelTopology.class_name must be 'Sequential', 'Model' or 'Functional', received ${typeof className === 'string' ? `'${className.slice(0, 60)}'` : describeJsonValue(className)}.`,
      'modelTopology.class_name',
    );
  }
  const config = ts.config;
  const layers = Array.isArray(config) && className === 'Sequential' ? config : isPlainObject(config) ? config.layers : undefined;
  if (!isPlainObject(config) && !(Array.isArray(config) && className === 'Sequential')) {
    throw new LoadError(
      `loadLayersModel: modelTopology.config must be an object {name, layers}, received ${describeJsonValue(config)}.`,
      'modelTopology.config',
    );
  }
  if (!Array.isArray(layers)) {
    throw new LoadError(
      `loadLayersModel: modelTopology.config.layers must be an array of {class_name, config}, received ${describeJsonValue(layers)}.`,
      'modelTopology.config.layers',
    );
  }
  layers.forEach((l, i) => {
    if (!isPlainObject(l) || typeof l.className !== 'string') {
      throw new LoadError(
        `loadLayersModel: modelTopology.config.layers[${i}] must be an object {class_name: string, config}, received ${isPlainObject(l) ? `an object without a string class_name` : describeJsonValue(l)}.`,
        `modelTopology.config.layers[${i}]`,
      );
    }
    if (
      l.config !== undefined &&
      l.config !== null &&
      !isPlainObject(l.config) &&
      !(l.className === 'Sequential' && Array.isArray(l.config))
    ) {
      throw new LoadError(
        `loadLayersModel: modelTopology.config.layers[${i}] (${l.className}): config must be an object, received ${describeJsonValue(l.config)}.`,
        `modelTopology.config.layers[${i}].config`,
      );
    }
  });
  return layers as JSONObject[];
}

/** Creates one layer (or nested model) from its `{className, config}` entry. */
function createLayer(conf: JSONObject, label: string, created: Layer[], fail: MakeError, depth: number, classes: LayerClassSource): Layer {
  const cls = conf.className as string;
  if (cls === 'Sequential' || FUNCTIONAL_CLASS_NAMES.includes(cls)) {
    const nested = { className: cls, config: conf.config ?? {} } as JSONObject;
    try {
      return buildModel(nested, created, fail, depth + 1, classes);
    } catch (e) {
      throw fail(`${label}: ${messageOf(e).replace(/^loadLayersModel: /, '')}`, e);
    }
  }
  let layer: Layer;
  try {
    layer = deserializeWith<Layer>({ className: cls, config: conf.config ?? {} }, 'layer', {}, classes.builtins);
  } catch (e) {
    const msg = messageOf(e);
    if (msg.startsWith(`Unknown layer class '${cls}'`)) {
      throw fail(
        `${label}: unknown layer class '${cls}'. Known layer classes: ${classes.knownNames().join(', ')}. ` +
          `To load a model with a custom layer, give the class \`static className = '${cls}'\` and register it ` +
          `before loading: serialization.registerClass(${/^[A-Za-z_$][\w$]*$/.test(cls) ? cls : 'YourLayer'}).`,
        e,
      );
    }
    throw fail(`${label}: cannot create the layer from its config: ${withRegistrationHint(msg)}`, e);
  }
  if (!(layer instanceof Layer)) throw fail(`${label}: the registered class did not produce a Layer.`);
  created.push(layer);
  return layer;
}

function buildModel(ts: JSONObject, created: Layer[], fail: MakeError, depth: number, classes: LayerClassSource): LayersModel {
  if (depth > MAX_MODEL_NESTING) throw fail(`models are nested more than ${MAX_MODEL_NESTING} deep; refusing to build the topology.`);
  let layerConfigs: JSONObject[];
  try {
    layerConfigs = topologyLayerConfigs(ts);
  } catch (e) {
    throw fail(messageOf(e), e);
  }
  const config = isPlainObject(ts.config) ? ts.config : {};
  const name = config.name;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw fail(`modelTopology.config.name must be a string, received ${describeJsonValue(name)}.`);
  }
  if (ts.className === 'Sequential') {
    let model: Sequential;
    try {
      model = new Sequential(typeof name === 'string' ? { name } : {});
    } catch (e) {
      throw fail(`cannot create the Sequential model: ${messageOf(e)}`, e);
    }
    created.push(model);
    layerConfigs.forEach((conf, i) => {
      const label = `layer ${i} ('${isPlainObject(conf.config) && typeof conf.config.name === 'string' ? conf.config.name : '?'}', class ${conf.className})`;
      const layer = createLayer(conf, label, created, fail, depth, classes);
      try {
        model.add(layer);
      } catch (e) {
        throw fail(`${label}: cannot add it to the model: ${messageOf(e)}`, e);
      }
    });
    return model;
  }
  const entries: FunctionalLayerEntry[] = layerConfigs.map((conf, i) => {
    const layerName =
      typeof conf.name === 'string'
        ? conf.name
        : isPlainObject(conf.config) && typeof conf.config.name === 'string'
          ? conf.config.name
          : undefined;
    if (layerName === undefined)
      throw fail(`layer ${i} (class ${conf.className}) has no name; a functional model's layers are referred to by name.`);
    const label = `layer ${i} ('${layerName}', class ${conf.className})`;
    const withName = isPlainObject(conf.config) ? { ...conf, config: { ...conf.config, name: layerName } } : conf;
    return { name: layerName, layer: createLayer(withName, label, created, fail, depth, classes), inboundNodes: conf.inboundNodes ?? [] };
  });
  // Never null here: the loader imports it for every file that names a functional class (hasFunctionalModel).
  const connect = classes.connectFunctional;
  if (!connect) throw fail(`internal error: the functional model code was not loaded for class '${String(ts.className)}'.`);
  try {
    const model = connect(typeof name === 'string' ? name : undefined, entries, config.inputLayers, config.outputLayers);
    created.push(model);
    return model;
  } catch (e) {
    throw fail(messageOf(e), e);
  }
}

/**
 * Builds the model of a topology (see the file comment) with the layer classes of `classes`; errors come from
 * `fail` (the loader's prefix).
 */
export function modelFromTopology(ts: JSONObject, created: Layer[], fail: MakeError, classes: LayerClassSource): LayersModel {
  return buildModel(ts, created, fail, 0, classes);
}

/** Every `className`/`class_name` string in a topology (the layer classes it may name, and others). */
export function classNamesIn(ts: unknown): Set<string> {
  const names = new Set<string>();
  const stack: unknown[] = [ts];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      for (const v of x) stack.push(v);
      continue;
    }
    for (const [k, v] of Object.entries(x)) {
      if ((k === 'className' || k === 'class_name') && typeof v === 'string') names.add(v);
      else stack.push(v);
    }
  }
  return names;
}
