/**
 * `indexeddb://` IO in browsers, in tfjs's database layout so models saved by tfjs load here and
 * vice versa: database 'tensorflowjs' (version 1) with object stores 'models_store'
 * (`{modelPath, modelArtifacts, modelArtifactsInfo}`) and 'model_info_store'
 * (`{modelPath, modelArtifactsInfo}`), both keyed by `modelPath`.
 */
import { checkArtifactsForSave, getModelArtifactsInfoForJSON } from './model_json';
import { checkWeightSpecs, concatenateArrayBuffers } from './weights';
import type { IOHandler, IORouter, ModelArtifacts, ModelArtifactsInfo, ModelStoreManager, SaveResult } from './types';
import { ValueError } from '@recurrent/core';

export const INDEXED_DB_URL_SCHEME = 'indexeddb://';
export const DATABASE_NAME = 'tensorflowjs';
export const DATABASE_VERSION = 1;
export const MODEL_STORE_NAME = 'models_store';
export const INFO_STORE_NAME = 'model_info_store';

/** Options of the indexeddb:// handler and manager. */
export interface IndexedDBOptions {
  /** The IDBFactory to use instead of `globalThis.indexedDB` (a fake can be passed for tests). */
  indexedDB?: IDBFactory;
}

/** The environment's IndexedDB factory (also under its vendor-prefixed names), else null. */
export function globalIndexedDB(): IDBFactory | null {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const g = globalThis as any;
  try {
    return g.indexedDB || g.mozIndexedDB || g.webkitIndexedDB || g.msIndexedDB || g.shimIndexedDB || null;
  } catch {
    return null;
  }
}

function getFactory(fn: string, options: IndexedDBOptions): IDBFactory {
  if (options.indexedDB) return options.indexedDB;
  const factory = globalIndexedDB();
  if (factory === null) throw new Error(`${fn}: this environment has no IndexedDB (a browser is needed); in Node use file://.`);
  return factory;
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(DATABASE_NAME, DATABASE_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(MODEL_STORE_NAME)) db.createObjectStore(MODEL_STORE_NAME, { keyPath: 'modelPath' });
      if (!db.objectStoreNames.contains(INFO_STORE_NAME)) db.createObjectStore(INFO_STORE_NAME, { keyPath: 'modelPath' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`Failed to open IndexedDB database '${DATABASE_NAME}'.`));
  });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed.'));
  });
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed.'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted.'));
  });
}

/** One request on `store` in a transaction of its own: its result, once the transaction has completed. */
async function oneRequest<T>(
  db: IDBDatabase,
  store: string,
  mode: IDBTransactionMode,
  makeRequest: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const tx = db.transaction(store, mode);
  const done = transactionDone(tx);
  const result = await request(makeRequest(tx.objectStore(store)));
  await done;
  return result;
}

function stripScheme(path: string): string {
  return path.startsWith(INDEXED_DB_URL_SCHEME) ? path.slice(INDEXED_DB_URL_SCHEME.length) : path;
}

/** An IOHandler saving to / loading from IndexedDB under `modelPath`. */
export function browserIndexedDB(modelPath: string, options: IndexedDBOptions = {}): IOHandler {
  if (typeof modelPath !== 'string' || modelPath.length === 0) {
    throw new ValueError('browserIndexedDB: modelPath must not be null, undefined or empty.');
  }
  modelPath = stripScheme(modelPath);

  const save = async (modelArtifacts: ModelArtifacts): Promise<SaveResult> => {
    const fn = `indexeddb://${modelPath} save`;
    const checked = checkArtifactsForSave(fn, modelArtifacts);
    const factory = getFactory(fn, options);
    // One ArrayBuffer, as tfjs stores it (tfjs mutates the caller's artifacts; this copies them).
    const artifacts: ModelArtifacts = { ...checked };
    if (artifacts.weightData != null) artifacts.weightData = concatenateArrayBuffers(artifacts.weightData);
    const modelArtifactsInfo = getModelArtifactsInfoForJSON(artifacts);
    const db = await openDatabase(factory);
    try {
      await oneRequest(db, INFO_STORE_NAME, 'readwrite', (s) => s.put({ modelPath, modelArtifactsInfo }));
      try {
        await oneRequest(db, MODEL_STORE_NAME, 'readwrite', (s) => s.put({ modelPath, modelArtifacts: artifacts, modelArtifactsInfo }));
      } catch (e) {
        // Roll back the info entry, as tfjs does.
        const rollback = db.transaction(INFO_STORE_NAME, 'readwrite');
        const rollbackDone = transactionDone(rollback);
        await request(rollback.objectStore(INFO_STORE_NAME).delete(modelPath)).catch(() => undefined);
        await rollbackDone.catch(() => undefined);
        throw e;
      }
      return { modelArtifactsInfo };
    } finally {
      db.close();
    }
  };

  const load = async (): Promise<ModelArtifacts> => {
    const fn = `indexeddb://${modelPath} load`;
    const factory = getFactory(fn, options);
    const db = await openDatabase(factory);
    try {
      const record = await oneRequest(db, MODEL_STORE_NAME, 'readonly', (s) => s.get(modelPath));
      if (record == null) throw new Error(`Cannot find model with path '${modelPath}' in IndexedDB.`);
      const artifacts = (record as { modelArtifacts?: ModelArtifacts }).modelArtifacts;
      if (artifacts == null || typeof artifacts !== 'object') {
        throw new Error(`${fn}: the stored record has no modelArtifacts object.`);
      }
      if (artifacts.weightSpecs != null) checkWeightSpecs(fn, artifacts.weightSpecs);
      return artifacts;
    } finally {
      db.close();
    }
  };

  return { save, load };
}

/** Lists and removes models in IndexedDB (tfjs's BrowserIndexedDBManager). */
export function indexedDBManager(options: IndexedDBOptions = {}): ModelStoreManager {
  return {
    async listModels() {
      const db = await openDatabase(getFactory('listModels', options));
      try {
        const items = await oneRequest(db, INFO_STORE_NAME, 'readonly', (s) => s.getAll());
        const out: { [path: string]: ModelArtifactsInfo } = {};
        for (const item of items as Array<{ modelPath: string; modelArtifactsInfo: ModelArtifactsInfo }>) {
          out[item.modelPath] = item.modelArtifactsInfo;
        }
        return out;
      } finally {
        db.close();
      }
    },
    async removeModel(path: string) {
      path = stripScheme(path);
      const db = await openDatabase(getFactory('removeModel', options));
      try {
        const infoTx = db.transaction(INFO_STORE_NAME, 'readwrite');
        const infoDone = transactionDone(infoTx);
        const infoStore = infoTx.objectStore(INFO_STORE_NAME);
        const info = (await request(infoStore.get(path))) as { modelArtifactsInfo: ModelArtifactsInfo } | undefined;
        if (info == null) {
          await infoDone;
          throw new Error(`Cannot find model with path '${path}' in IndexedDB.`);
        }
        await request(infoStore.delete(path));
        await infoDone;
        await oneRequest(db, MODEL_STORE_NAME, 'readwrite', (s) => s.delete(path));
        return info.modelArtifactsInfo;
      } finally {
        db.close();
      }
    },
  };
}

/** Router for indexeddb:// URLs. */
export const indexedDBRouter: IORouter = (url) => {
  if (typeof url === 'string' && url.startsWith(INDEXED_DB_URL_SCHEME)) {
    return browserIndexedDB(url.slice(INDEXED_DB_URL_SCHEME.length));
  }
  return null;
};
