/**
 * Browser file IO: `downloads://` saving (two downloads via anchor clicks on Blob URLs, as tfjs's
 * `browserDownloads`) and `browserFiles([jsonFile, ...weightFiles])` loading from <input type=file>.
 */
import { assembleShards, groupByteLengths } from './shards';
import {
  checkArtifactsForSave,
  getModelArtifactsForJSONSync,
  getModelArtifactsInfoForJSON,
  oneShardModelJSON,
  parseModelJSON,
} from './model_json';
import { concatenateArrayBuffers } from './weights';
import type { IOHandler, IORouter, ModelArtifacts, SaveResult } from './types';
import { ValueError } from '@recurrent/core';

export const DOWNLOADS_URL_SCHEME = 'downloads://';

/** Files as browsers give them (`File`), or anything with a name and text()/arrayBuffer(). */
export interface FileLike {
  name: string;
  size?: number;
  text?(): Promise<string>;
  arrayBuffer?(): Promise<ArrayBuffer>;
}

function defer<T>(f: () => T): Promise<T> {
  return new Promise((resolve) => setTimeout(resolve, 0)).then(f);
}

/**
 * A save handler that downloads `<prefix>.json` and `<prefix>.weights.bin` (default prefix
 * 'model'). Needs `document` and `URL.createObjectURL` (a browser).
 */
export function browserDownloads(fileNamePrefix = 'model'): IOHandler {
  if (fileNamePrefix.startsWith(DOWNLOADS_URL_SCHEME)) fileNamePrefix = fileNamePrefix.slice(DOWNLOADS_URL_SCHEME.length);
  if (fileNamePrefix == null || fileNamePrefix.length === 0) fileNamePrefix = 'model';
  const jsonFileName = `${fileNamePrefix}.json`;
  const weightsFileName = `${fileNamePrefix}.weights.bin`;
  const save = async (modelArtifacts: ModelArtifacts): Promise<SaveResult> => {
    const fn = `downloads://${fileNamePrefix} save`;
    const artifacts = checkArtifactsForSave(fn, modelArtifacts);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const g = globalThis as any;
    if (typeof g.document === 'undefined' || typeof g.URL?.createObjectURL !== 'function') {
      throw new Error(`${fn}: browser downloads need 'document' and URL.createObjectURL (a browser); in Node use file://.`);
    }
    const modelJSON = oneShardModelJSON(artifacts, weightsFileName);
    const jsonUrl = g.URL.createObjectURL(new Blob([JSON.stringify(modelJSON)], { type: 'application/json' }));
    const click = (fileName: string, href: string) => {
      const anchor = g.document.createElement('a');
      anchor.download = fileName;
      anchor.href = href;
      const event = typeof g.MouseEvent === 'function' ? new g.MouseEvent('click') : undefined;
      if (event && typeof anchor.dispatchEvent === 'function') anchor.dispatchEvent(event);
      else anchor.click();
    };
    await defer(() => click(jsonFileName, jsonUrl));
    if (artifacts.weightData != null) {
      const weightsUrl = g.URL.createObjectURL(
        new Blob([concatenateArrayBuffers(artifacts.weightData)], { type: 'application/octet-stream' }),
      );
      await defer(() => click(weightsFileName, weightsUrl));
    }
    return { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts) };
  };
  return { save };
}

function basename(path: string): string {
  let p = path.trim();
  while (p.endsWith('/')) p = p.slice(0, -1);
  const items = p.split('/');
  return items[items.length - 1];
}

async function readText(file: FileLike): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return readWithFileReader(file, 'text') as Promise<string>;
}

async function readBuffer(file: FileLike): Promise<ArrayBuffer> {
  if (typeof file.arrayBuffer === 'function') return file.arrayBuffer();
  return readWithFileReader(file, 'buffer') as Promise<ArrayBuffer>;
}

function readWithFileReader(file: FileLike, as: 'text' | 'buffer'): Promise<string | ArrayBuffer> {
  if (typeof FileReader === 'undefined') return Promise.reject(new Error(`browserFiles: cannot read file '${file.name}'.`));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string | ArrayBuffer);
    reader.onerror = () => reject(new Error(`browserFiles: failed to read file '${file.name}'.`));
    if (as === 'text') reader.readAsText(file as unknown as Blob);
    else reader.readAsArrayBuffer(file as unknown as Blob);
  });
}

/**
 * A load handler for user-selected files: the model.json first, then its weight files (matched to
 * manifest paths by basename, as tfjs).
 */
export function browserFiles(files: FileLike[]): IOHandler {
  if (
    files == null ||
    (!Array.isArray(files) && typeof (files as ArrayLike<FileLike>).length !== 'number') ||
    (files as ArrayLike<FileLike>).length < 1
  ) {
    throw new ValueError(`browserFiles: at least 1 file (the model.json) is required, received ${String(files)}.`);
  }
  const list = Array.from(files as ArrayLike<FileLike>);
  const jsonFile = list[0];
  const weightFiles = list.slice(1);
  const load = async (): Promise<ModelArtifacts> => {
    const fn = `browserFiles('${jsonFile.name}')`;
    let text: string;
    try {
      text = await readText(jsonFile);
    } catch (e) {
      throw new Error(`${fn}: failed to read the model JSON: ${(e as Error).message}`);
    }
    const modelJSON = parseModelJSON(text, { requireWeightsManifest: true });
    if (weightFiles.length === 0) return { modelTopology: modelJSON.modelTopology };
    const manifest = modelJSON.weightsManifest;
    const expected = groupByteLengths(fn, manifest);
    const names = weightFiles.map((f) => basename(f.name));
    const seen = new Set<string>();
    const chosen: FileLike[][] = manifest.map((group) =>
      group.paths.map((p) => {
        const b = basename(p);
        if (seen.has(b)) throw new ValueError(`${fn}: duplicate file basename in the weights manifest: '${b}'.`);
        seen.add(b);
        const i = names.indexOf(b);
        if (i === -1)
          throw new ValueError(`${fn}: weight file with basename '${b}' is not provided (given: ${names.join(', ') || 'none'}).`);
        return weightFiles[i];
      }),
    );
    if (seen.size !== weightFiles.length) {
      throw new ValueError(`${fn}: the weights manifest lists ${seen.size} files but ${weightFiles.length} weight files were provided.`);
    }
    chosen.forEach((group, g) => {
      if (group.every((f) => typeof f.size === 'number')) {
        const total = group.reduce((n, f) => n + (f.size as number), 0);
        if (total !== expected[g]) {
          throw new Error(
            `${fn}: weight group ${g} needs ${expected[g]} bytes but its files (${group.map((f) => f.name).join(', ')}) hold ${total}.`,
          );
        }
      }
    });
    const shards = await Promise.all(chosen.map((group) => Promise.all(group.map(readBuffer))));
    const [specs, data] = assembleShards(fn, manifest, shards, (g, p) => chosen[g][p].name);
    return getModelArtifactsForJSONSync(modelJSON, specs, data);
  };
  return { load };
}

/** Router for downloads:// URLs (save only). */
export const browserDownloadsRouter: IORouter = (url) => {
  if (typeof url === 'string' && url.startsWith(DOWNLOADS_URL_SCHEME)) return browserDownloads(url.slice(DOWNLOADS_URL_SCHEME.length));
  return null;
};
