/**
 * Node helpers: safetensors checkpoints on disk. Node's `fs` is imported lazily, and the layers package's browser
 * build (dist/index.browser.mjs) has safetensors_file.browser.ts in place of this file, whose functions reject.
 */
import type { StateDict } from './module';
import { loadSafetensors, saveSafetensors, SaveSafetensorsOptions } from './safetensors';
import { ValueError } from '@recurrent/core';

/* eslint-disable @typescript-eslint/no-explicit-any */
async function nodeFs(fn: string): Promise<any> {
  const proc = (globalThis as any).process;
  if (!proc || !proc.versions || typeof proc.versions.node !== 'string') throw needsNode(fn);
  const name = 'fs/promises'; // in a variable so bundlers leave it alone
  const fs = await import(/* webpackIgnore: true */ name);
  return fs.default ?? fs;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The error of the file helpers outside Node. */
export function needsNode(fn: string): Error {
  // eslint-disable-next-line no-restricted-syntax -- an environment failure (no Node fs), not a bad argument
  return new Error(
    `${fn}: reading and writing files needs Node.js (fs); in a browser use nn.saveSafetensors / nn.loadSafetensors on bytes.`,
  );
}

function checkPath(fn: string, path: unknown): string {
  if (typeof path !== 'string' || path === '') throw new ValueError(`${fn}: path must be a non-empty string, received ${typeof path}.`);
  return path.startsWith('file://') ? path.slice('file://'.length) : path;
}

/**
 * Writes `stateDict` to `path` in the safetensors format (Node only; `file://` prefix optional).
 *
 * ```ts
 * await nn.saveSafetensorsFile('model.safetensors', model.stateDict());   // Python: safetensors.torch.load_file
 * ```
 */
export async function saveSafetensorsFile(path: string, stateDict: StateDict, options: SaveSafetensorsOptions = {}): Promise<void> {
  const p = checkPath('nn.saveSafetensorsFile', path);
  const bytes = saveSafetensors(stateDict, options);
  const fs = await nodeFs('nn.saveSafetensorsFile');
  await fs.writeFile(p, bytes);
}

/**
 * Reads a safetensors file into a state dict (Node only).
 *
 * ```ts
 * model.loadStateDict(await nn.loadSafetensorsFile('model.safetensors'));   // written by safetensors.torch.save_file
 * ```
 */
export async function loadSafetensorsFile(path: string): Promise<StateDict> {
  const p = checkPath('nn.loadSafetensorsFile', path);
  const fs = await nodeFs('nn.loadSafetensorsFile');
  const data: Uint8Array = await fs.readFile(p);
  return loadSafetensors(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}
