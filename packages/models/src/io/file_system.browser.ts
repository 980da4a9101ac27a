/**
 * The browser build's `file://` handler (the models package's dist/index.browser.mjs, and so
 * recurrent.min.js / recurrent.esm.js, have this file in place of file_system.ts): the same exports and
 * argument checks, but `save` and `load` reject with the "file:// needs Node.js" error, which is what
 * the real handler does in a browser. Under Node, the package builds (require/import 'recurrent') have
 * the real one.
 */
import { FILE_URL_SCHEME, fileSystemArgs, needsNodeError, type FileSystemOptions } from './file_system_args';
import type { IOHandler, IORouter } from './types';

export { FILE_URL_SCHEME, type FileSystemOptions };

/** `file://` stand-in of the browser build: checks its arguments; `save` and `load` reject. */
export function fileSystem(path: string, options: FileSystemOptions = {}): IOHandler {
  [path] = fileSystemArgs(path, options);
  const fail = (method: string) => async (): Promise<never> => {
    throw needsNodeError(
      `fileSystem('${path}').${method}`,
      " (This is recurrent's browser build, which has no file:// handler; under Node, require('recurrent') or import 'recurrent' has it.)",
    );
  };
  return { save: fail('save'), load: fail('load') };
}

/** Router for `file://` URLs. */
export const fileSystemRouter: IORouter = (url) => {
  if (typeof url === 'string' && url.startsWith(FILE_URL_SCHEME)) return fileSystem(url.slice(FILE_URL_SCHEME.length));
  return null;
};
