/**
 * Line source for `data.csv` under Node: a local path or `file://` URL is read with a `fs` read
 * stream (64 KB chunks, flat memory); `http(s)://` URLs go through `fetch`. `fs` is imported lazily,
 * and the models package's browser build has file_lines.browser.ts in this file's place.
 */
import { linesFromChunks, responseChunks } from './line_reader';
import { ValueError } from '@recurrent/core';

const FILE_SCHEME = 'file://';

/** True when `source` names a URL to fetch rather than a local file. */
export function isUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !source.startsWith(FILE_SCHEME);
}

/* eslint-disable @typescript-eslint/no-explicit-any */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const proc = (globalThis as any).process;
  if (!proc || !proc.versions || typeof proc.versions.node !== 'string') {
    throw new ValueError(`data.csv: reading the file '${path}' needs Node.js; in a browser give an http(s) URL.`);
  }
  const fsName = 'fs';
  const fsMod = await import(/* webpackIgnore: true */ fsName);
  const fs = fsMod.default ?? fsMod;
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new Error(`data.csv: cannot read '${path}'${code === 'ENOENT' ? ': no such file' : `: ${(e as Error).message}`}.`);
  } finally {
    stream.destroy();
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The lines of a file path, `file://` URL, or http(s) URL. */
export function readLines(source: string, init?: RequestInit): AsyncGenerator<string> {
  if (isUrl(source)) return linesFromChunks(responseChunks(source, init));
  const path = source.startsWith(FILE_SCHEME) ? source.slice(FILE_SCHEME.length) : source;
  return linesFromChunks(fileChunks(path));
}
