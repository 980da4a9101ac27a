/**
 * `file://` IO in Node.js (tfjs-node's `tf.io.fileSystem`): saving writes `model.json` and
 * `weights.bin` into a directory; loading reads a model.json and its shards (any number of groups
 * and paths, relative to the model.json). Node's `fs` is imported lazily, so browser bundles that
 * never use `file://` do not need it; the models package's browser build (dist/index.browser.mjs, which
 * recurrent.min.js is made from) has file_system.browser.ts in this file's place.
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
import { FILE_URL_SCHEME, fileSystemArgs, needsNodeError, type FileSystemOptions } from './file_system_args';
import type { IOHandler, IORouter, ModelArtifacts, SaveResult } from './types';
import { ValueError } from '@recurrent/core';

export { FILE_URL_SCHEME, type FileSystemOptions };
const MODEL_JSON_FILENAME = 'model.json';

/* eslint-disable @typescript-eslint/no-explicit-any */
interface NodeModules {
  fs: any;
  path: any;
}

async function nodeModules(fn: string): Promise<NodeModules> {
  const proc = (globalThis as any).process;
  if (!proc || !proc.versions || typeof proc.versions.node !== 'string') {
    throw needsNodeError(fn);
  }
  // Module names in variables so bundlers leave them alone.
  const fsName = 'fs/promises';
  const pathName = 'path';
  const [fs, path] = await Promise.all([import(/* webpackIgnore: true */ fsName), import(/* webpackIgnore: true */ pathName)]);
  return { fs: fs.default ?? fs, path: path.default ?? path };
}

async function statOrNull(fs: any, p: string): Promise<any | null> {
  try {
    return await fs.stat(p);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
    throw e;
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * An IOHandler for a local path. Saving: `path` is a directory (created if needed; `model.json` and
 * `weights.bin` are written in it) or a path ending in `.json` (weights go beside it). Loading:
 * `path` is a model.json file or a directory containing one.
 */
export function fileSystem(path: string, options: FileSystemOptions = {}): IOHandler {
  let weightsFileName: string;
  [path, weightsFileName] = fileSystemArgs(path, options);

  const save = async (modelArtifacts: ModelArtifacts): Promise<SaveResult> => {
    const fn = `fileSystem('${path}').save`;
    const artifacts = checkArtifactsForSave(fn, modelArtifacts);
    const { fs, path: nodePath } = await nodeModules(fn);
    let dir = path;
    let jsonPath: string;
    if (path.toLowerCase().endsWith('.json')) {
      dir = nodePath.dirname(path);
      jsonPath = path;
    } else {
      jsonPath = nodePath.join(dir, MODEL_JSON_FILENAME);
    }
    const st = await statOrNull(fs, dir);
    if (st !== null && !st.isDirectory()) {
      throw new ValueError(`${fn}: '${dir}' exists and is not a directory; the path must be a directory or a .json file path.`);
    }
    await fs.mkdir(dir, { recursive: true });
    const modelJSON = oneShardModelJSON(artifacts, weightsFileName);
    const weightData = artifacts.weightData == null ? new ArrayBuffer(0) : concatenateArrayBuffers(artifacts.weightData);
    // Nothing half-written: each file goes to a temporary name and is renamed into place (weights
    // first, so model.json never names weights that are not complete); temporaries are removed on failure.
    const tag = `.tmp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const weightsPath = nodePath.join(dir, weightsFileName);
    const temps = [weightsPath + tag, jsonPath + tag];
    try {
      await fs.writeFile(temps[0], new Uint8Array(weightData));
      await fs.writeFile(temps[1], JSON.stringify(modelJSON), 'utf8');
      await fs.rename(temps[0], weightsPath);
      await fs.rename(temps[1], jsonPath);
    } catch (e) {
      await Promise.all(temps.map((t) => fs.rm(t, { force: true }).catch(() => undefined)));
      throw e;
    }
    return { modelArtifactsInfo: getModelArtifactsInfoForJSON(artifacts) };
  };

  const load = async (): Promise<ModelArtifacts> => {
    const fn = `fileSystem('${path}').load`;
    const { fs, path: nodePath } = await nodeModules(fn);
    const st = await statOrNull(fs, path);
    if (st === null) throw new Error(`${fn}: no such file or directory '${path}'.`);
    const jsonPath = st.isDirectory() ? nodePath.join(path, MODEL_JSON_FILENAME) : path;
    if (st.isDirectory() && (await statOrNull(fs, jsonPath)) === null) {
      throw new Error(`${fn}: the directory '${path}' has no ${MODEL_JSON_FILENAME}.`);
    }
    const text = await fs.readFile(jsonPath, 'utf8');
    const modelJSON = parseModelJSON(text);
    if (modelJSON.weightsManifest == null) return getModelArtifactsForJSONSync(modelJSON);
    const dir = nodePath.resolve(nodePath.dirname(jsonPath));
    const manifest = modelJSON.weightsManifest;
    const expected = groupByteLengths(fn, manifest);
    // Containment is checked on real paths (symlinks resolved), so a weights.bin that is a link to a file
    // outside the model directory is refused; nothing about an outside file (not even its size) is reported.
    const realDir: string = await fs.realpath(dir);
    const inside = (base: string, full: string) => {
      const rel = nodePath.relative(base, full);
      return !(rel === '..' || rel.startsWith(`..${nodePath.sep}`) || rel.startsWith('../') || nodePath.isAbsolute(rel));
    };
    const shardPaths: string[][] = [];
    const realPaths: string[][] = [];
    for (let g = 0; g < manifest.length; g++) {
      const group = manifest[g];
      const fulls: string[] = [];
      const reals: string[] = [];
      for (const p of group.paths) {
        if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(p) || nodePath.isAbsolute(p)) {
          throw new Error(`${fn}: weight path '${p}' in ${jsonPath} must be relative to the model.json directory.`);
        }
        const full = nodePath.resolve(dir, p);
        if (!inside(dir, full)) {
          throw new Error(`${fn}: weight path '${p}' in ${jsonPath} points outside the model directory '${dir}'.`);
        }
        let real: string;
        try {
          real = await fs.realpath(full);
        } catch (e) {
          if ((e as { code?: string }).code === 'ENOENT')
            throw new Error(`${fn}: weight file '${full}' (weightsManifest[${g}]) does not exist.`);
          throw e;
        }
        if (!inside(realDir, real)) {
          throw new Error(
            `${fn}: weight path '${p}' in ${jsonPath} resolves (through a symbolic link) outside the model directory '${dir}'; it is not read.`,
          );
        }
        fulls.push(full);
        reals.push(real);
      }
      shardPaths.push(fulls);
      realPaths.push(reals);
    }
    // Check sizes before reading, so a wrong manifest never reads (or allocates) more than the files hold.
    const sizeOf = new Map<string, number>();
    for (let g = 0; g < manifest.length; g++) {
      let total = 0;
      const sizes: number[] = [];
      for (let i = 0; i < shardPaths[g].length; i++) {
        const real = realPaths[g][i];
        let size = sizeOf.get(real);
        if (size === undefined) {
          const s = await statOrNull(fs, real);
          if (s === null || !s.isFile())
            throw new Error(`${fn}: weight file '${shardPaths[g][i]}' (weightsManifest[${g}]) does not exist.`);
          size = s.size as number;
          sizeOf.set(real, size);
        }
        sizes.push(size);
        total += size;
      }
      if (total !== expected[g]) {
        throw new Error(
          `${fn}: weight group ${g} needs ${expected[g]} bytes but its files hold ${total}: ` +
            `${shardPaths[g].map((f, i) => `${f} (${sizes[i]} bytes)`).join(', ')}.`,
        );
      }
    }
    // A shard listed many times is read once.
    const bufferOf = new Map<string, ArrayBuffer>();
    const shards: ArrayBuffer[][] = [];
    for (let g = 0; g < manifest.length; g++) {
      const group: ArrayBuffer[] = [];
      for (const real of realPaths[g]) {
        let b = bufferOf.get(real);
        if (b === undefined) {
          const buf: Uint8Array = await fs.readFile(real);
          b = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
          bufferOf.set(real, b);
        }
        group.push(b);
      }
      shards.push(group);
    }
    const [specs, data] = assembleShards(fn, manifest, shards, (g, p) => shardPaths[g][p]);
    return getModelArtifactsForJSONSync(modelJSON, specs, data);
  };

  return { save, load };
}

/** Router for `file://` URLs. */
export const fileSystemRouter: IORouter = (url) => {
  if (typeof url === 'string' && url.startsWith(FILE_URL_SCHEME)) return fileSystem(url.slice(FILE_URL_SCHEME.length));
  return null;
};
