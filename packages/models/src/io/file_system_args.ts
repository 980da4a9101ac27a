import { ValueError } from '@recurrent/core';
/**
 * What both `file://` handlers share: the Node one (file_system.ts) and the browser bundle's
 * stand-in (file_system.browser.ts, swapped in by the models package's browser build): the scheme,
 * the options, their checks and the "needs Node.js" message.
 */
export const FILE_URL_SCHEME = 'file://';
export const WEIGHTS_BINARY_FILENAME = 'weights.bin';

/** Options of `fileSystem`. */
export interface FileSystemOptions {
  /** Name of the weights file written by `save` (default 'weights.bin', as tfjs-node). */
  weightsFileName?: string;
}

/** Checks `fileSystem`'s arguments; returns the path without a `file://` prefix and the weights file name. */
export function fileSystemArgs(path: string, options: FileSystemOptions): [string, string] {
  if (typeof path !== 'string' || path.length === 0) {
    throw new ValueError(`fileSystem: expected a non-empty path, received ${JSON.stringify(path)}.`);
  }
  if (path.startsWith(FILE_URL_SCHEME)) path = path.slice(FILE_URL_SCHEME.length);
  const weightsFileName = options.weightsFileName ?? WEIGHTS_BINARY_FILENAME;
  if (/[\\/]/.test(weightsFileName) || weightsFileName === '..' || weightsFileName === '.') {
    throw new ValueError(`fileSystem: weightsFileName must be a plain file name, received '${weightsFileName}'.`);
  }
  return [path, weightsFileName];
}

/** The error of a `file://` save/load where Node's `fs` cannot be had. */
export function needsNodeError(fn: string, detail = ''): Error {
  // eslint-disable-next-line no-restricted-syntax -- an environment failure (no Node fs), not a bad argument
  return new Error(
    `${fn}: file:// needs Node.js (fs); in a browser use localstorage://, indexeddb://, downloads:// or http(s)://.${detail}`,
  );
}
