/** Small in-memory fakes of localStorage and indexedDB for Node tests (the real browser test comes later). */

export class FakeStorage {
  private readonly map = new Map<string, string>();
  /** When set, setItem throws once the stored text exceeds this many characters (a quota). */
  quota = Infinity;
  get length(): number {
    return this.map.size;
  }
  key(i: number): string | null {
    return Array.from(this.map.keys())[i] ?? null;
  }
  getItem(k: string): string | null {
    return this.map.has(k) ? this.map.get(k)! : null;
  }
  setItem(k: string, v: string): void {
    let used = String(v).length;
    for (const [key, value] of this.map) if (key !== k) used += value.length;
    if (used > this.quota) throw new Error('QuotaExceededError');
    this.map.set(k, String(v));
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
  clear(): void {
    this.map.clear();
  }
  keys(): string[] {
    return Array.from(this.map.keys());
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Handler = ((ev?: any) => void) | null;

class FakeRequest {
  result: any = undefined;
  error: any = null;
  onsuccess: Handler = null;
  onerror: Handler = null;
  onupgradeneeded: Handler = null;
}

/**
 * A copy as IndexedDB's structured clone makes (plain objects, arrays, ArrayBuffers, typed arrays,
 * Dates). Built in this realm: Node's global structuredClone would return arrays of another realm
 * inside jest's sandbox, which `instanceof Array` (used by tfjs) does not recognize.
 */
function clone(x: any): any {
  if (x === null || typeof x !== 'object') return x;
  if (x instanceof Date || Object.prototype.toString.call(x) === '[object Date]') return new Date(x.getTime());
  if (Object.prototype.toString.call(x) === '[object ArrayBuffer]') return (x as ArrayBuffer).slice(0);
  if (ArrayBuffer.isView(x)) return (x as any).slice();
  if (Array.isArray(x)) return x.map(clone);
  if (typeof x === 'function') throw new Error('DataCloneError');
  const out: any = {};
  for (const k of Object.keys(x)) out[k] = clone(x[k]);
  return out;
}

class FakeStore {
  constructor(
    readonly keyPath: string,
    readonly data: Map<string, any>,
    private readonly tx: FakeTransaction,
  ) {}
  private req(fn: () => any): FakeRequest {
    const r = new FakeRequest();
    this.tx.pending++;
    setTimeout(() => {
      try {
        r.result = fn();
        r.onsuccess?.({ target: r });
      } catch (e) {
        r.error = e;
        r.onerror?.({ target: r });
      }
      this.tx.pending--;
      this.tx.maybeComplete();
    }, 0);
    return r;
  }
  get(key: string) {
    return this.req(() => clone(this.data.get(key)));
  }
  getAll() {
    return this.req(() => Array.from(this.data.values()).map(clone));
  }
  put(value: any) {
    if (this.tx.mode !== 'readwrite') throw new Error('ReadOnlyError');
    const v = clone(value);
    return this.req(() => {
      this.data.set(v[this.keyPath], v);
      return v[this.keyPath];
    });
  }
  delete(key: string) {
    if (this.tx.mode !== 'readwrite') throw new Error('ReadOnlyError');
    return this.req(() => {
      this.data.delete(key);
      return undefined;
    });
  }
}

class FakeTransaction {
  pending = 0;
  done = false;
  oncomplete: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;
  error: any = null;
  constructor(
    private readonly db: FakeDB,
    private readonly names: string[],
    readonly mode: string,
  ) {
    this.maybeComplete();
  }
  objectStore(name: string) {
    if (!this.names.includes(name)) throw new Error(`NotFoundError: store '${name}' is not in this transaction`);
    const s = this.db.stores.get(name)!;
    return new FakeStore(s.keyPath, s.data, this);
  }
  maybeComplete() {
    // Auto-commit one task after the last request settles, unless new requests were made meanwhile.
    setTimeout(() => {
      if (!this.done && this.pending === 0) {
        this.done = true;
        this.oncomplete?.({});
      }
    }, 0);
  }
}

class FakeDB {
  stores = new Map<string, { keyPath: string; data: Map<string, any> }>();
  version = 0;
  closed = 0;
  get objectStoreNames() {
    const names = Array.from(this.stores.keys());
    return { contains: (n: string) => names.includes(n), length: names.length };
  }
  createObjectStore(name: string, opts: { keyPath: string }) {
    if (this.stores.has(name)) throw new Error(`ConstraintError: store '${name}' exists`);
    this.stores.set(name, { keyPath: opts.keyPath, data: new Map() });
  }
  transaction(names: string | string[], mode = 'readonly') {
    const list = Array.isArray(names) ? names : [names];
    for (const n of list) if (!this.stores.has(n)) throw new Error(`NotFoundError: no store '${n}'`);
    return new FakeTransaction(this, list, mode);
  }
  close() {
    this.closed++;
  }
}

export class FakeIndexedDB {
  readonly databases = new Map<string, FakeDB>();
  open(name: string, version = 1) {
    const r = new FakeRequest();
    setTimeout(() => {
      let db = this.databases.get(name);
      const upgrade = !db || db.version < version;
      if (!db) {
        db = new FakeDB();
        this.databases.set(name, db);
      }
      r.result = db;
      if (upgrade) {
        db.version = version;
        r.onupgradeneeded?.({ target: r });
      }
      r.onsuccess?.({ target: r });
    }, 0);
    return r;
  }
  deleteDatabase(name: string) {
    const r = new FakeRequest();
    setTimeout(() => {
      this.databases.delete(name);
      r.onsuccess?.({ target: r });
    }, 0);
    return r;
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
