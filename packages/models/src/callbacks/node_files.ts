import { ValueError } from '@recurrent/core';
/**
 * Lazy access to Node's `fs/promises` and `path` for the Node-only callbacks (csvLogger,
 * backupAndRestore). Imported on first use, so browser bundles that never use them need neither.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function nodeFiles(where: string): Promise<{ fs: any; path: any }> {
  const proc = (globalThis as any).process;
  if (!proc || !proc.versions || typeof proc.versions.node !== 'string') {
    throw new ValueError(
      `${where} writes files and needs Node.js; in a browser use a ModelCheckpoint to indexeddb:// or a custom callback.`,
    );
  }
  const fsName = 'fs/promises';
  const pathName = 'path';
  const [fs, path] = await Promise.all([import(/* webpackIgnore: true */ fsName), import(/* webpackIgnore: true */ pathName)]);
  return { fs: fs.default ?? fs, path: path.default ?? path };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
