/**
 * Managing stored models across media (tfjs's `tf.io.listModels/removeModel/copyModel/moveModel`)
 * for the `localstorage://` and `indexeddb://` schemes.
 */
import { globalIndexedDB, indexedDBManager } from './indexed_db';
import { globalLocalStorage, localStorageManager } from './local_storage';
import { resolveHandler } from './router_registry';
import type { ModelArtifactsInfo, ModelStoreManager } from './types';
import { ValueError } from '@recurrent/core';

const SCHEME_SUFFIX = '://';

function available(scheme: string): boolean {
  if (scheme === 'localstorage') return globalLocalStorage() !== null;
  if (scheme === 'indexeddb') return globalIndexedDB() !== null;
  return true;
}

const managers: { [scheme: string]: () => ModelStoreManager } = {
  localstorage: () => localStorageManager(),
  indexeddb: () => indexedDBManager(),
};

/** Registers a manager for a custom scheme (e.g. 'mystore' for `mystore://` URLs). */
export function registerModelStoreManager(scheme: string, manager: ModelStoreManager): void {
  if (typeof scheme !== 'string' || scheme.length === 0)
    throw new ValueError('registerModelStoreManager: scheme must be a non-empty string.');
  if (scheme.endsWith(SCHEME_SUFFIX)) scheme = scheme.slice(0, -SCHEME_SUFFIX.length);
  managers[scheme] = () => manager;
}

function parseURL(fn: string, url: string): { scheme: string; path: string } {
  if (typeof url !== 'string' || url.indexOf(SCHEME_SUFFIX) === -1) {
    throw new ValueError(`${fn}: the URL '${String(url)}' has no scheme; supported schemes: ${Object.keys(managers).join(', ')}.`);
  }
  const i = url.indexOf(SCHEME_SUFFIX);
  return { scheme: url.slice(0, i), path: url.slice(i + SCHEME_SUFFIX.length) };
}

function managerFor(fn: string, scheme: string): ModelStoreManager {
  const make = Object.prototype.hasOwnProperty.call(managers, scheme) ? managers[scheme] : undefined;
  if (!make) throw new ValueError(`${fn}: cannot find a model manager for scheme '${scheme}'; known: ${Object.keys(managers).join(', ')}.`);
  return make();
}

/** All stored models of the media available here, keyed by URL ('indexeddb://my-model'). */
export async function listModels(): Promise<{ [url: string]: ModelArtifactsInfo }> {
  const out: { [url: string]: ModelArtifactsInfo } = {};
  for (const scheme of Object.keys(managers)) {
    if (!available(scheme)) continue;
    const models = await managers[scheme]().listModels();
    for (const path of Object.keys(models)) out[scheme + SCHEME_SUFFIX + path] = models[path];
  }
  return out;
}

/** Removes a stored model ('localstorage://my-model') and returns its info. */
export async function removeModel(url: string): Promise<ModelArtifactsInfo> {
  const { scheme, path } = parseURL('removeModel', url);
  return managerFor('removeModel', scheme).removeModel(path);
}

async function cloneModel(fn: string, sourceURL: string, destURL: string, deleteSource: boolean): Promise<ModelArtifactsInfo> {
  if (sourceURL === destURL) throw new ValueError(`${fn}: old path and new path are the same: '${sourceURL}'.`);
  const loadHandler = resolveHandler('load', sourceURL);
  const saveHandler = resolveHandler('save', destURL);
  const source = parseURL(fn, sourceURL);
  const sameMedium = source.scheme === parseURL(fn, destURL).scheme;
  const artifacts = await loadHandler.load!();
  // Within one medium, remove first so the two copies need not fit at once (as tfjs).
  if (deleteSource && sameMedium) await managerFor(fn, source.scheme).removeModel(source.path);
  const result = await saveHandler.save!(artifacts);
  if (deleteSource && !sameMedium) await managerFor(fn, source.scheme).removeModel(source.path);
  return result.modelArtifactsInfo;
}

/** Copies a stored model to another URL (same or different medium). */
export function copyModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return cloneModel('copyModel', sourceURL, destURL, false);
}

/** Moves a stored model to another URL (same or different medium). */
export function moveModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return cloneModel('moveModel', sourceURL, destURL, true);
}
