/**
 * `http://` / `https://` IO (tfjs's `tf.io.http`): loading fetches model.json and then its weight
 * shards, whose paths are relative to the model.json URL (keeping its query string, as tfjs);
 * saving POSTs a multipart form with `model.json` and `model.weights.bin`.
 */
import { assembleShards } from './shards';
import {
  checkArtifactsForSave,
  getModelArtifactsForJSONSync,
  getModelArtifactsInfoForJSON,
  oneShardModelJSON,
  parseModelJSON,
} from './model_json';
import { concatenateArrayBuffers } from './weights';
import type {
  FetchFunction,
  IOHandler,
  IORouter,
  LoadOptions,
  ModelArtifacts,
  ModelJSON,
  SaveResult,
  WeightsManifestConfig,
} from './types';
import { ValueError } from '@recurrent/core';

const HTTP_SCHEME = /^https?:\/\//;

/** `[prefix ending in '/', query suffix]` of a URL (tfjs's `parseUrl`). */
export function parseUrl(url: string): [string, string] {
  const lastSlash = url.lastIndexOf('/');
  const lastSearchParam = url.lastIndexOf('?');
  const prefix = url.substring(0, lastSlash);
  const suffix = lastSearchParam > lastSlash ? url.substring(lastSearchParam) : '';
  return [`${prefix}/`, suffix];
}

/** True for http:// and https:// URLs. */
export function isHTTPScheme(url: string): boolean {
  return HTTP_SCHEME.test(url);
}

function getFetch(fn: string, options: LoadOptions): FetchFunction {
  if (options.fetchFunc != null) {
    if (typeof options.fetchFunc !== 'function') throw new ValueError(`${fn}: fetchFunc must be a function like fetch.`);
    return options.fetchFunc;
  }
  const f = (globalThis as { fetch?: FetchFunction }).fetch;
  if (typeof f !== 'function') {
    throw new Error(`${fn}: no global fetch in this environment; pass {fetchFunc} (e.g. node-fetch).`);
  }
  return f.bind(globalThis);
}

/** An IOHandler for a model.json URL (or `[modelJsonUrl, weightsBaseUrl]`). */
export function http(path: string | string[], loadOptions: LoadOptions = {}): IOHandler {
  const fn = 'http';
  if (path == null || path.length === 0) throw new ValueError(`${fn}: the URL must not be null, undefined or empty.`);
  if (Array.isArray(path) && path.length !== 2) {
    throw new ValueError(`${fn}: URL paths for http must have a length of 2 (model.json, weights), actual length ${path.length}.`);
  }
  const options = loadOptions ?? {};
  if (options.requestInit != null && (options.requestInit as { body?: unknown }).body != null) {
    throw new ValueError(`${fn}: requestInit is expected to have no pre-existing body, but has one.`);
  }
  const requestInit = options.requestInit ?? {};
  const jsonUrl = Array.isArray(path) ? path[0] : path;

  const fetchChecked = async (fetchFn: FetchFunction, url: string, what: string, init: unknown) => {
    let response;
    try {
      response = await fetchFn(url, init);
    } catch (e) {
      throw new Error(`${fn}: request for ${what} at ${url} failed: ${(e as Error).message}`);
    }
    if (!response || !response.ok) {
      throw new Error(`${fn}: request for ${what} at ${url} failed with status ${response ? response.status : '(no response)'}.`);
    }
    return response;
  };

  const weightUrls = async (manifest: WeightsManifestConfig): Promise<string[][]> => {
    const weightPath = Array.isArray(path) ? path[1] : path;
    const [prefix, suffix] = parseUrl(weightPath);
    const pathPrefix = options.weightPathPrefix ?? prefix;
    const out: string[][] = [];
    for (const group of manifest) {
      const urls: string[] = [];
      for (const p of group.paths) {
        urls.push(options.weightUrlConverter != null ? await options.weightUrlConverter(p) : pathPrefix + p + suffix);
      }
      out.push(urls);
    }
    return out;
  };

  const load = async (): Promise<ModelArtifacts> => {
    const fetchFn = getFetch(`${fn}('${jsonUrl}').load`, options);
    const response = await fetchChecked(fetchFn, jsonUrl, 'the model JSON', requestInit);
    const text: string = await response.text();
    let modelJSON: ModelJSON;
    try {
      modelJSON = parseModelJSON(text);
    } catch (e) {
      throw new Error(`${fn}: the model JSON at ${jsonUrl} is invalid: ${(e as Error).message}`);
    }
    if (modelJSON.weightsManifest == null) return getModelArtifactsForJSONSync(modelJSON);
    const urls = await weightUrls(modelJSON.weightsManifest);
    const total = urls.reduce((n, g) => n + g.length, 0);
    let done = 0;
    options.onProgress?.(0);
    const shards = await Promise.all(
      urls.map((group) =>
        Promise.all(
          group.map(async (url) => {
            const r = await fetchChecked(fetchFn, url, 'a weights shard', requestInit);
            const buf: ArrayBuffer = await r.arrayBuffer();
            done++;
            options.onProgress?.(done / total);
            return buf;
          }),
        ),
      ),
    );
    const [specs, data] = assembleShards(`${fn}('${jsonUrl}').load`, modelJSON.weightsManifest, shards, (g, p) => urls[g][p]);
    return getModelArtifactsForJSONSync(modelJSON, specs, data);
  };

  const save = async (modelArtifacts: ModelArtifacts): Promise<SaveResult> => {
    const sfn = `${fn}('${jsonUrl}').save`;
    const artifacts = checkArtifactsForSave(sfn, modelArtifacts);
    const fetchFn = getFetch(sfn, options);
    if (typeof FormData === 'undefined' || typeof Blob === 'undefined') {
      throw new Error(`${sfn}: FormData and Blob are needed to POST a model; this environment has neither.`);
    }
    const init: { [k: string]: unknown } = { method: 'POST', ...requestInit };
    const body = new FormData();
    const modelJSON = oneShardModelJSON(artifacts, 'model.weights.bin');
    body.append('model.json', new Blob([JSON.stringify(modelJSON)], { type: 'application/json' }), 'model.json');
    if (artifacts.weightData != null) {
      body.append(
        'model.weights.bin',
        new Blob([concatenateArrayBuffers(artifacts.weightData)], { type: 'application/octet-stream' }),
        'model.weights.bin',
      );
    }
    init.body = body;
    const response = await fetchFn(jsonUrl, init);
    if (!response || !response.ok) {
      throw new Error(`${sfn}: the POST failed with HTTP status ${response ? response.status : '(no response)'}.`);
    }
    return { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts), responses: [response] };
  };

  return { load, save };
}

/** Alias of `http` (tfjs's deprecated name). */
export const browserHTTPRequest = http;

/** Router for http:// and https:// URLs. */
export const httpRouter: IORouter = (url, loadOptions) => {
  const isHTTP = Array.isArray(url) ? url.length > 0 && url.every(isHTTPScheme) : typeof url === 'string' && isHTTPScheme(url);
  return isHTTP ? http(url, loadOptions) : null;
};
