/**
 * URL routing for IO handlers (tfjs's IORouterRegistry): each router looks at a URL and returns a
 * handler for the schemes it knows (`file://`, `http(s)://`, `localstorage://`, `indexeddb://`,
 * `downloads://`) or null.
 */
import { browserDownloadsRouter } from './browser_files';
import { fileSystemRouter } from './file_system';
import { httpRouter } from './http';
import { indexedDBRouter } from './indexed_db';
import { localStorageRouter } from './local_storage';
import type { IOHandler, IORouter, LoadOptions } from './types';
import { ValueError } from '@recurrent/core';

// tfjs note: tfjs registers each router only where its medium exists (browser routers in browsers,
// file:// with tfjs-node), so elsewhere the URL finds no handler. recurrent always routes the known
// schemes; a handler used where its medium is missing throws an error saying what is needed.
const saveRouters: IORouter[] = [localStorageRouter, indexedDBRouter, browserDownloadsRouter, httpRouter, fileSystemRouter];
const loadRouters: IORouter[] = [localStorageRouter, indexedDBRouter, httpRouter, fileSystemRouter];

/** Adds a router consulted by `getSaveHandlers`. */
export function registerSaveRouter(router: IORouter): void {
  if (typeof router !== 'function') throw new ValueError('registerSaveRouter: expected a function (url) => IOHandler | null.');
  if (!saveRouters.includes(router)) saveRouters.push(router);
}

/** Adds a router consulted by `getLoadHandlers`. */
export function registerLoadRouter(router: IORouter): void {
  if (typeof router !== 'function') throw new ValueError('registerLoadRouter: expected a function (url) => IOHandler | null.');
  if (!loadRouters.includes(router)) loadRouters.push(router);
}

function handlersFor(routers: IORouter[], url: string | string[], loadOptions?: LoadOptions): IOHandler[] {
  const out: IOHandler[] = [];
  for (const router of routers) {
    const handler = router(url, loadOptions);
    if (handler !== null && handler !== undefined) out.push(handler);
  }
  return out;
}

/** The save handlers whose routers accept `url` (usually exactly one). */
export function getSaveHandlers(url: string | string[]): IOHandler[] {
  return handlersFor(saveRouters, url);
}

/** The load handlers whose routers accept `url` (usually exactly one). */
export function getLoadHandlers(url: string | string[], loadOptions?: LoadOptions): IOHandler[] {
  return handlersFor(loadRouters, url, loadOptions);
}

/** Exactly one handler for `url`, or a clear error (what `model.save(url)` / `loadLayersModel(url)` need). */
export function resolveHandler(kind: 'save' | 'load', url: string | string[], loadOptions?: LoadOptions): IOHandler {
  const handlers = kind === 'save' ? getSaveHandlers(url) : getLoadHandlers(url, loadOptions);
  const shown = Array.isArray(url) ? url.join(', ') : url;
  if (handlers.length === 0) {
    // A Keras port writes model.save('model.keras') / a plain path: say which URL that is here.
    const onDisk =
      typeof url === 'string' && !url.includes('://') ? ` A path on disk needs the file:// scheme (Node): 'file://${url}'.` : '';
    throw new ValueError(
      `Cannot find any ${kind} handlers for URL '${shown}'. Supported schemes: file:// (Node), http:// and https://` +
        `${kind === 'save' ? ' (POST)' : ''}, localstorage://, indexeddb://${kind === 'save' ? ', downloads://' : ''} (browser).${onDisk}`,
    );
  }
  if (handlers.length > 1) throw new ValueError(`Found more than one (${handlers.length}) ${kind} handlers for URL '${shown}'.`);
  return handlers[0];
}
