/**
 * model.json: safe parsing (plain JSON.parse, forbidden keys rejected, bounded depth), validation
 * of the top-level structure, and the conversions between ModelJSON and ModelArtifacts.
 */
import { checkWeightSpecs, weightDataByteLength } from './weights';
import { getLoadLimits, raiseHint } from './limits';
import type {
  JSONObject,
  ModelArtifacts,
  ModelArtifactsInfo,
  ModelJSON,
  WeightsManifestConfig,
  WeightsManifestEntry,
  WeightData,
} from './types';
import { ValueError, NotImplementedError } from '@recurrent/core';

/** Keys that could reach an object's prototype if a parsed config were merged into another object. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** A short description of a (parsed JSON) value for error messages: 'null', 'an array', "the string '...'", 'number 3'. */
export function describeJsonValue(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (x instanceof ArrayBuffer) return 'an ArrayBuffer';
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'string') return `the string '${x.length > 40 ? `${x.slice(0, 40)}...` : x}'`;
  return `${typeof x} ${String(x)}`;
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Throws if `value` (parsed JSON) has a forbidden key (`__proto__`, `constructor`, `prototype`)
 * anywhere, nests deeper than `maxDepth`, holds more than `maxJsonValues` values (counted per
 * reference: a hand-built object sharing sub-objects cannot make later passes exponential), or a
 * string or key longer than `maxStringLength` (io/limits.ts). Iterative, so hostile nesting cannot
 * overflow the stack; paths are built only for the error.
 */
export function assertSafeJSON(fn: string, value: unknown, rootPath = '', maxDepth = getLoadLimits().maxJsonDepth): void {
  const { maxJsonValues, maxStringLength } = getLoadLimits();
  // Each entry: the node and its parent entry's index plus key, so a path is built only when needed.
  const nodes: unknown[] = [value];
  const parents: number[] = [-1];
  const keys: Array<string | number> = [''];
  const depths: number[] = [0];
  const pathOf = (i: number): string => {
    const chain: Array<string | number> = [];
    for (let j = i; j > 0; j = parents[j]) chain.push(keys[j]);
    let p = rootPath;
    for (let k = chain.length - 1; k >= 0; k--) p = childPath(p, chain[k]);
    return p || '(root)';
  };
  const stack: number[] = [0];
  let count = 0;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const node = nodes[i];
    if (++count > maxJsonValues) {
      throw new ValueError(
        `${fn}: the JSON holds more than ${maxJsonValues} values (a shared sub-object counts once per reference), at ${pathOf(i)} ${raiseHint('maxJsonValues')}.`,
      );
    }
    if (typeof node === 'string') {
      if (node.length > maxStringLength) {
        throw new ValueError(
          `${fn}: a string of ${node.length} characters at ${pathOf(i)} is longer than ${maxStringLength} ${raiseHint('maxStringLength')}.`,
        );
      }
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const depth = depths[i];
    if (depth >= maxDepth) {
      throw new ValueError(`${fn}: the JSON nests more than ${maxDepth} levels deep at ${pathOf(i)} ${raiseHint('maxJsonDepth')}.`);
    }
    const push = (child: unknown, key: string | number) => {
      nodes.push(child);
      parents.push(i);
      keys.push(key);
      depths.push(depth + 1);
      stack.push(nodes.length - 1);
    };
    if (Array.isArray(node)) {
      if (count + node.length > maxJsonValues) {
        throw new ValueError(
          `${fn}: the JSON holds more than ${maxJsonValues} values, at ${pathOf(i)} (an array of ${node.length}) ${raiseHint('maxJsonValues')}.`,
        );
      }
      for (let k = 0; k < node.length; k++) push(node[k], k);
    } else if (ArrayBuffer.isView(node) || node instanceof ArrayBuffer) {
      continue;
    } else {
      for (const key of Object.keys(node)) {
        if (key.length > maxStringLength) {
          throw new ValueError(
            `${fn}: a key of ${key.length} characters at ${pathOf(i)} is longer than ${maxStringLength} ${raiseHint('maxStringLength')}.`,
          );
        }
        if (FORBIDDEN_KEYS.includes(key)) {
          throw new ValueError(
            `${fn}: forbidden key '${key}' at ${childPath(pathOf(i) === '(root)' ? rootPath : pathOf(i), key)}; model JSON may not use ${FORBIDDEN_KEYS.join(', ')} as keys.`,
          );
        }
        push((node as JSONObject)[key], key);
      }
    }
  }
}

/** Parses JSON text with clear errors and the forbidden-key/depth checks; never evaluates code. */
export function parseJSONSafely(fn: string, text: unknown, what = 'the JSON'): unknown {
  let str: string;
  if (typeof text === 'string') {
    str = text;
  } else if (text instanceof ArrayBuffer || ArrayBuffer.isView(text)) {
    str = new TextDecoder('utf-8').decode(text as ArrayBuffer);
  } else {
    throw new ValueError(`${fn}: expected ${what} as a string, received ${describeJsonValue(text)}.`);
  }
  // A UTF-8 byte order mark (TextDecoder drops it from bytes; a string read elsewhere may keep it).
  if (str.charCodeAt(0) === 0xfeff) str = str.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(str);
  } catch (e) {
    throw new ValueError(`${fn}: ${what} is not valid JSON: ${(e as Error).message}`);
  }
  assertSafeJSON(fn, parsed);
  return parsed;
}

/** True for a plain (parsed JSON) object: not null, an array or an ArrayBuffer. */
export function isPlainObject(x: unknown): x is JSONObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof ArrayBuffer);
}

/**
 * Validates a weights manifest: an array of groups `{paths: string[], weights: spec[]}` whose
 * specs are valid (names unique across all groups). Returns it.
 */
export function validateWeightsManifest(fn: string, manifest: unknown, field = 'weightsManifest'): WeightsManifestConfig {
  if (!Array.isArray(manifest)) {
    throw new ValueError(`${fn}: '${field}' must be an array of {paths, weights} groups, received ${describeJsonValue(manifest)}.`);
  }
  const all: unknown[] = [];
  manifest.forEach((group, g) => {
    if (!isPlainObject(group)) {
      throw new ValueError(`${fn}: '${field}[${g}]' must be an object {paths, weights}, received ${describeJsonValue(group)}.`);
    }
    if (!Array.isArray(group.paths) || group.paths.some((p: unknown) => typeof p !== 'string' || p.length === 0)) {
      throw new ValueError(
        `${fn}: '${field}[${g}].paths' must be an array of non-empty strings (shard file paths), received ${JSON.stringify(group.paths)?.slice(0, 200)}.`,
      );
    }
    if (!Array.isArray(group.weights)) {
      throw new ValueError(
        `${fn}: '${field}[${g}].weights' must be an array of weight specs, received ${describeJsonValue(group.weights)}.`,
      );
    }
    if (group.paths.length === 0 && group.weights.length > 0) {
      throw new ValueError(`${fn}: '${field}[${g}]' lists ${group.weights.length} weights but no shard paths.`);
    }
    all.push(...group.weights);
  });
  checkWeightSpecs(`${fn}: '${field}'`, all);
  return manifest as WeightsManifestConfig;
}

/** The optional object fields model.json and the artifacts share (copied between them when present), in file order. */
const OPTIONAL_OBJECT_FIELDS = ['signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature', 'trainingConfig'] as const;

/** Copies the `OPTIONAL_OBJECT_FIELDS` that `from` has (not null) into `to`. */
export function copyOptionalFields(from: ModelArtifacts | ModelJSON, to: ModelArtifacts | ModelJSON): void {
  for (const field of OPTIONAL_OBJECT_FIELDS) if (from[field] != null) to[field] = from[field];
}

/** Options of `parseModelJSON` / `validateModelJSON`. */
export interface ModelJSONOptions {
  /** Require a `weightsManifest` (default false: a topology-only model.json is valid, as in tfjs). */
  requireWeightsManifest?: boolean;
}

/**
 * Validates the top level of a parsed model.json: `modelTopology` an object, `weightsManifest`
 * an array of valid groups (when present or required), and the optional string/object fields.
 */
export function validateModelJSON(fn: string, json: unknown, options: ModelJSONOptions = {}): ModelJSON {
  if (!isPlainObject(json)) {
    throw new ValueError(
      `${fn}: model.json must hold a JSON object {modelTopology, weightsManifest, ...}, received ${describeJsonValue(json)}.`,
    );
  }
  if (!isPlainObject(json.modelTopology)) {
    throw new ValueError(
      `${fn}: 'modelTopology' must be an object (the Keras model config), received ${json.modelTopology === undefined ? 'nothing (the field is missing)' : describeJsonValue(json.modelTopology)}.`,
    );
  }
  if (json.weightsManifest !== undefined || options.requireWeightsManifest) {
    if (json.weightsManifest === undefined) throw new ValueError(`${fn}: 'weightsManifest' is missing.`);
    validateWeightsManifest(fn, json.weightsManifest);
  }
  for (const field of ['format', 'generatedBy', 'convertedBy']) {
    const v = json[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw new ValueError(`${fn}: '${field}' must be a string, received ${describeJsonValue(v)}.`);
    }
  }
  for (const field of OPTIONAL_OBJECT_FIELDS) {
    const v = json[field];
    if (v !== undefined && v !== null && !isPlainObject(v)) {
      throw new ValueError(`${fn}: '${field}' must be an object, received ${describeJsonValue(v)}.`);
    }
  }
  return json as ModelJSON;
}

/**
 * Parses the text of a model.json safely: malformed JSON, forbidden keys (`__proto__`,
 * `constructor`, `prototype`, anywhere, named by key path) and a bad top-level structure give
 * Errors naming the problem. Uses JSON.parse only (no eval).
 */
export function parseModelJSON(text: string | ArrayBuffer | ArrayBufferView, options: ModelJSONOptions = {}): ModelJSON {
  const fn = 'parseModelJSON';
  return validateModelJSON(fn, parseJSONSafely(fn, text, 'model.json'), options);
}

/** The model.json object for artifacts whose weights are described by `manifest` (tfjs's helper). */
export function getModelJSONForModelArtifacts(artifacts: ModelArtifacts, manifest: WeightsManifestConfig): ModelJSON {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new NotImplementedError(
      'getModelJSONForModelArtifacts: binary (GraphDef) model topologies are not supported; expected a JSON topology.',
    );
  }
  const result: ModelJSON = {
    modelTopology: artifacts.modelTopology as JSONObject,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: manifest,
  };
  copyOptionalFields(artifacts, result);
  return result;
}

/** The model.json of artifacts whose weights are saved as one file, `./<weightsFileName>` beside it. */
export function oneShardModelJSON(artifacts: ModelArtifacts, weightsFileName: string): ModelJSON {
  return getModelJSONForModelArtifacts(artifacts, [{ paths: [`./${weightsFileName}`], weights: artifacts.weightSpecs ?? [] }]);
}

/** ModelArtifacts from a parsed model.json plus its weights (tfjs's `getModelArtifactsForJSONSync`). */
export function getModelArtifactsForJSONSync(
  modelJSON: ModelJSON,
  weightSpecs?: WeightsManifestEntry[],
  weightData?: WeightData,
): ModelArtifacts {
  const out: ModelArtifacts = {
    modelTopology: modelJSON.modelTopology,
    format: modelJSON.format,
    generatedBy: modelJSON.generatedBy,
    convertedBy: modelJSON.convertedBy,
  };
  if (modelJSON.weightsManifest != null) {
    if (!weightSpecs) throw new ValueError('getModelArtifactsForJSON: model.json has a weightsManifest but no weight specs were given.');
    if (!weightData) throw new ValueError('getModelArtifactsForJSON: model.json has a weightsManifest but no weight data was given.');
    out.weightSpecs = weightSpecs;
    out.weightData = weightData;
  }
  copyOptionalFields(modelJSON, out);
  return out;
}

/** ModelArtifacts from a model.json, loading its weights with `loadWeights` (tfjs's `getModelArtifactsForJSON`). */
export async function getModelArtifactsForJSON(
  modelJSON: ModelJSON,
  loadWeights: (manifest: WeightsManifestConfig) => Promise<[WeightsManifestEntry[], WeightData]>,
): Promise<ModelArtifacts> {
  let specs: WeightsManifestEntry[] | undefined;
  let data: WeightData | undefined;
  if (modelJSON.weightsManifest != null) [specs, data] = await loadWeights(modelJSON.weightsManifest);
  return getModelArtifactsForJSONSync(modelJSON, specs, data);
}

/** UTF-8 byte length of a string. */
export function stringByteLength(str: string): number {
  return new TextEncoder().encode(str).length;
}

/** Sizes of JSON-topology artifacts (tfjs's `getModelArtifactsInfoForJSON`). */
export function getModelArtifactsInfoForJSON(artifacts: ModelArtifacts): ModelArtifactsInfo {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new ValueError('Expected a JSON model topology, received an ArrayBuffer.');
  }
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: artifacts.modelTopology == null ? 0 : stringByteLength(JSON.stringify(artifacts.modelTopology)),
    weightSpecsBytes: artifacts.weightSpecs == null ? 0 : stringByteLength(JSON.stringify(artifacts.weightSpecs)),
    weightDataBytes: artifacts.weightData == null ? 0 : weightDataByteLength(artifacts.weightData),
  };
}

/** Checks artifacts handed to a save handler: a JSON topology object; specs match the data when both are present. */
export function checkArtifactsForSave(fn: string, artifacts: unknown): ModelArtifacts {
  if (!isPlainObject(artifacts))
    throw new ValueError(`${fn}: expected model artifacts (an object), received ${describeJsonValue(artifacts)}.`);
  const a = artifacts as ModelArtifacts;
  if (a.modelTopology instanceof ArrayBuffer) {
    throw new NotImplementedError(`${fn}: saving a binary (GraphDef) model topology is not supported; expected a JSON topology.`);
  }
  if (a.modelTopology != null && !isPlainObject(a.modelTopology)) {
    throw new ValueError(`${fn}: 'modelTopology' must be an object, received ${describeJsonValue(a.modelTopology)}.`);
  }
  if (a.weightData != null && a.weightSpecs == null) {
    throw new ValueError(`${fn}: the artifacts have weightData but no weightSpecs describing it.`);
  }
  return a;
}
