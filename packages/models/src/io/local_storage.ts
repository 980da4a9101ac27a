/**
 * `localstorage://` IO in browsers, with tfjs's key layout so models saved by tfjs load here and
 * vice versa: `tensorflowjs_models/<path>/{info, model_topology, weight_specs, weight_data,
 * model_metadata}`, weight data base64-encoded.
 */
import { arrayBufferToBase64String, base64StringToArrayBuffer } from './base64';
import { checkArtifactsForSave, copyOptionalFields, getModelArtifactsInfoForJSON, parseJSONSafely } from './model_json';
import { checkWeightSpecs, concatenateArrayBuffers } from './weights';
import type { IOHandler, IORouter, ModelArtifacts, ModelArtifactsInfo, ModelStoreManager, SaveResult } from './types';
import { ValueError } from '@recurrent/core';

export const LOCAL_STORAGE_URL_SCHEME = 'localstorage://';
const PATH_SEPARATOR = '/';
const PATH_PREFIX = 'tensorflowjs_models';
const INFO_SUFFIX = 'info';

/** The subset of the Web Storage API used here (a fake can be passed for tests). */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options of the localstorage:// handler and manager. */
export interface LocalStorageOptions {
  /** The storage to use instead of `globalThis.localStorage`. */
  storage?: StorageLike;
}

/** The environment's `localStorage` when it has a usable one, else null. */
export function globalLocalStorage(): StorageLike | null {
  try {
    const ls = (globalThis as { localStorage?: StorageLike }).localStorage;
    return ls != null && typeof ls.getItem === 'function' ? ls : null;
  } catch {
    return null;
  }
}

function getStorage(fn: string, options: LocalStorageOptions): StorageLike {
  if (options.storage) return options.storage;
  const ls = globalLocalStorage();
  if (ls === null) throw new Error(`${fn}: this environment has no localStorage (a browser is needed); in Node use file://.`);
  return ls;
}

/** tfjs's storage keys of a model path. */
export function localStorageKeys(path: string) {
  const key = (suffix: string) => [PATH_PREFIX, path, suffix].join(PATH_SEPARATOR);
  return {
    info: key(INFO_SUFFIX),
    topology: key('model_topology'),
    weightSpecs: key('weight_specs'),
    weightData: key('weight_data'),
    modelMetadata: key('model_metadata'),
  };
}

function modelPathFromKey(key: string): string {
  const items = key.split(PATH_SEPARATOR);
  if (items.length < 3) throw new Error(`Invalid localStorage key format: ${key}`);
  return items.slice(1, items.length - 1).join(PATH_SEPARATOR);
}

function stripScheme(path: string): string {
  return path.startsWith(LOCAL_STORAGE_URL_SCHEME) ? path.slice(LOCAL_STORAGE_URL_SCHEME.length) : path;
}

/** An IOHandler saving to / loading from localStorage under `modelPath`. */
export function browserLocalStorage(modelPath: string, options: LocalStorageOptions = {}): IOHandler {
  if (typeof modelPath !== 'string' || modelPath.length === 0) {
    throw new ValueError('browserLocalStorage: modelPath must not be null, undefined or empty.');
  }
  modelPath = stripScheme(modelPath);
  const keys = localStorageKeys(modelPath);
  const removeAll = (ls: StorageLike) => Object.values(keys).forEach((k) => ls.removeItem(k));

  const save = async (modelArtifacts: ModelArtifacts): Promise<SaveResult> => {
    const fn = `localstorage://${modelPath} save`;
    const artifacts = checkArtifactsForSave(fn, modelArtifacts);
    const ls = getStorage(fn, options);
    const info = getModelArtifactsInfoForJSON(artifacts);
    const weightBuffer = artifacts.weightData == null ? new ArrayBuffer(0) : concatenateArrayBuffers(artifacts.weightData);
    try {
      ls.setItem(keys.info, JSON.stringify(info));
      ls.setItem(keys.topology, JSON.stringify(artifacts.modelTopology));
      ls.setItem(keys.weightSpecs, JSON.stringify(artifacts.weightSpecs));
      ls.setItem(keys.weightData, arrayBufferToBase64String(weightBuffer));
      const metadata: ModelArtifacts = { format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy };
      copyOptionalFields(artifacts, metadata);
      ls.setItem(keys.modelMetadata, JSON.stringify(metadata));
      return { modelArtifactsInfo: info };
    } catch (e) {
      removeAll(ls);
      throw new Error(
        `Failed to save model '${modelPath}' to local storage (${(e as Error).message}); the size quota being exceeded ` +
          `is a possible cause: modelTopologyBytes=${info.modelTopologyBytes}, weightSpecsBytes=${info.weightSpecsBytes}, ` +
          `weightDataBytes=${info.weightDataBytes}.`,
      );
    }
  };

  const load = async (): Promise<ModelArtifacts> => {
    const fn = `localstorage://${modelPath} load`;
    const ls = getStorage(fn, options);
    const infoText = ls.getItem(keys.info);
    if (infoText == null) throw new Error(`In local storage, there is no model with name '${modelPath}'.`);
    const info = parseJSONSafely(fn, infoText, `the stored info (${keys.info})`) as { modelTopologyType?: string } | null;
    if (info === null || typeof info !== 'object' || info.modelTopologyType !== 'JSON') {
      throw new Error(`${fn}: only JSON model topologies are supported (stored info: ${infoText.slice(0, 200)}).`);
    }
    const topologyText = ls.getItem(keys.topology);
    if (topologyText == null) throw new Error(`In local storage, the topology of model '${modelPath}' is missing.`);
    const topology = parseJSONSafely(fn, topologyText, `the stored topology (${keys.topology})`);
    if (topology === null || typeof topology !== 'object' || Array.isArray(topology)) {
      throw new Error(`${fn}: the stored topology (${keys.topology}) is not a JSON object.`);
    }
    const specsText = ls.getItem(keys.weightSpecs);
    if (specsText == null) throw new Error(`In local storage, the weight specs of model '${modelPath}' are missing.`);
    const weightSpecs = parseJSONSafely(fn, specsText, `the stored weight specs (${keys.weightSpecs})`);
    checkWeightSpecs(fn, weightSpecs);
    const out: ModelArtifacts = {
      modelTopology: topology as ModelArtifacts['modelTopology'],
      weightSpecs: weightSpecs as ModelArtifacts['weightSpecs'],
    };
    const metadataText = ls.getItem(keys.modelMetadata);
    if (metadataText != null) {
      const m = parseJSONSafely(fn, metadataText, `the stored metadata (${keys.modelMetadata})`) as ModelArtifacts | null;
      if (m !== null && typeof m === 'object') {
        out.format = m.format;
        out.generatedBy = m.generatedBy;
        out.convertedBy = m.convertedBy;
        copyOptionalFields(m, out);
      }
    }
    const dataText = ls.getItem(keys.weightData);
    if (dataText == null) throw new Error(`In local storage, the binary weight values of model '${modelPath}' are missing.`);
    out.weightData = base64StringToArrayBuffer(dataText);
    return out;
  };

  return { save, load };
}

/** Lists and removes models in localStorage (tfjs's BrowserLocalStorageManager). */
export function localStorageManager(options: LocalStorageOptions = {}): ModelStoreManager {
  return {
    async listModels() {
      const ls = getStorage('listModels', options);
      const out: { [path: string]: ModelArtifactsInfo } = {};
      const prefix = PATH_PREFIX + PATH_SEPARATOR;
      const suffix = PATH_SEPARATOR + INFO_SUFFIX;
      for (let i = 0; i < ls.length; i++) {
        const key = ls.key(i);
        if (key !== null && key.startsWith(prefix) && key.endsWith(suffix)) {
          const text = ls.getItem(key);
          if (text != null) out[modelPathFromKey(key)] = parseJSONSafely('listModels', text, key) as ModelArtifactsInfo;
        }
      }
      return out;
    },
    async removeModel(path: string) {
      const ls = getStorage('removeModel', options);
      path = stripScheme(path);
      const keys = localStorageKeys(path);
      const text = ls.getItem(keys.info);
      if (text == null) throw new Error(`Cannot find model at path '${path}' in local storage.`);
      const info = parseJSONSafely('removeModel', text, keys.info) as ModelArtifactsInfo;
      Object.values(keys).forEach((k) => ls.removeItem(k));
      return info;
    },
  };
}

/** Router for localstorage:// URLs. */
export const localStorageRouter: IORouter = (url) => {
  if (typeof url === 'string' && url.startsWith(LOCAL_STORAGE_URL_SCHEME)) {
    return browserLocalStorage(url.slice(LOCAL_STORAGE_URL_SCHEME.length));
  }
  return null;
};
