/**
 * The browser build's line source for `data.csv` (in place of file_lines.ts): URLs are fetched and
 * streamed; a local file path cannot be read in a browser and rejects with an error that says so.
 */
import { linesFromChunks, responseChunks } from './line_reader';
import { ValueError } from '@recurrent/core';

/** True when `source` names a URL to fetch rather than a local file. */
export function isUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !source.startsWith('file://');
}

/** The lines of an http(s) URL (or any URL the platform's fetch understands). */
export function readLines(source: string, init?: RequestInit): AsyncGenerator<string> {
  // In a browser a relative path is a URL relative to the page; only file:// cannot be read.
  if (!source.startsWith('file://')) {
    return linesFromChunks(responseChunks(source, init));
  }
  const refuse = (): never => {
    throw new ValueError(
      `data.csv: reading the file '${source}' needs Node.js (this is recurrent's browser build); give an http(s) URL, ` +
        `or under Node require('recurrent').`,
    );
  };
  // Refuses on the first read, as a generator would (so creating the dataset does not throw).
  return (async function* (): AsyncGenerator<string> {
    yield refuse();
  })();
}
