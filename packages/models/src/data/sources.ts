/**
 * Dataset sources with tfjs's names: `data.array(items)`, `data.generator(fn)` (sync or async
 * generators, re-run for each pass) and `data.zip(datasets)`.
 *
 * ```js
 * const xs = data.array([1, 2, 3]);
 * const ys = data.generator(function* () { yield 10; yield 20; yield 30; });
 * const pairs = data.zip({xs, ys});   // {xs: 1, ys: 10}, {xs: 2, ys: 20}, ...
 * ```
 */
import { Dataset } from './dataset';
import type { Container } from './deep_batch';
import { ValueError } from '@recurrent/core';

/** A dataset of the items of an array, in order (tfjs `tf.data.array`). */
export function array<T>(items: T[]): Dataset<T> {
  if (!Array.isArray(items))
    throw new ValueError(`data.array: expected an array of elements, received ${items === null ? 'null' : typeof items}.`);
  return new Dataset<T>(async function* () {
    for (let i = 0; i < items.length; i++) yield items[i];
  }, items.length);
}

/** What `data.generator` accepts: a function returning a (sync or async) iterator, e.g. a generator function. */
export type GeneratorFn<T> = () => Iterator<T> | AsyncIterator<T> | Promise<Iterator<T> | AsyncIterator<T>>;

/**
 * A dataset whose elements a generator function yields (tfjs `tf.data.generator`). The function is
 * called again for each pass (each epoch), so the elements are never all held in memory. An error
 * thrown by the generator is re-thrown naming the element index where it happened.
 *
 * ```js
 * const ds = data.generator(function* () { for (let i = 0; i < 1e5; i++) yield {xs: randomNormal([10, 4]), ys: scalar(i % 2)}; });
 * ```
 */
export function generator<T>(fn: GeneratorFn<T>): Dataset<T> {
  if (typeof fn !== 'function') {
    throw new ValueError(
      `data.generator: expected a generator function (function* () {...} or async function* () {...}), received ${fn === null ? 'null' : typeof fn}; ` +
        `tfjs takes the function itself, not the iterator it returns.`,
    );
  }
  return new Dataset<T>(async function* () {
    const it = await fn();
    if (it == null || typeof (it as Iterator<T>).next !== 'function') {
      throw new ValueError(
        `data.generator: the function must return an iterator (an object with next()), received ${it === null ? 'null' : typeof it}.`,
      );
    }
    let finished = false;
    try {
      for (let index = 0; ; index++) {
        let r: IteratorResult<T>;
        try {
          r = await (it as Iterator<T>).next();
        } catch (e) {
          finished = true;
          const err = new Error(
            `data.generator: the generator threw while producing element ${index}: ${(e as Error)?.message ?? String(e)}`,
          );
          (err as Error & { cause?: unknown }).cause = e;
          throw err;
        }
        if (r == null || typeof r !== 'object') {
          throw new ValueError(
            `data.generator: the iterator's next() must return {value, done}, received ${String(r)} at element ${index}.`,
          );
        }
        if (r.done) {
          finished = true;
          // tfjs note: a value returned together with done: true (a generator function's `return x` too) ends the
          // dataset but is kept as the iterator's final value, which fitDataset/evaluateDataset use as a last batch,
          // as tfjs does (tfjs-examples jena-weather's getNextBatchFunction returns its last partial batch so);
          // forEachAsync, toArray and the transforms leave it out, as in tfjs.
          return r.value as T | undefined;
        }
        yield r.value;
      }
    } finally {
      // Stopped early (take, break): let the user's generator run its finally blocks (close files, ...).
      if (!finished) await (it as Iterator<T>).return?.();
    }
  }, null);
}

/** A nested structure (array or object) of datasets, for `data.zip`. */
export type DatasetContainer = Dataset | DatasetContainer[] | { [key: string]: DatasetContainer };

function collectSize(c: DatasetContainer, acc: { size: number | null | undefined }): void {
  if (c instanceof Dataset) {
    acc.size = acc.size === undefined ? c.size : acc.size === null || c.size === null ? null : Math.min(acc.size, c.size);
  } else if (Array.isArray(c)) {
    c.forEach((d) => collectSize(d, acc));
  } else {
    Object.values(c).forEach((d) => collectSize(d, acc));
  }
}

function checkContainer(c: unknown, path: string): void {
  if (c instanceof Dataset) return;
  if (c == null || typeof c !== 'object') {
    throw new ValueError(`data.zip: the leaves of the structure must be Datasets, but ${path} is ${c === null ? 'null' : typeof c}.`);
  }
  if (Array.isArray(c)) c.forEach((d, i) => checkContainer(d, `${path}[${i}]`));
  else for (const k of Object.keys(c)) checkContainer((c as { [k: string]: unknown })[k], `${path}.${k}`);
}

/**
 * A dataset of structures of elements, one from each dataset of the (nested) array or object
 * `datasets`; it ends when the shortest one ends (tfjs `tf.data.zip`).
 */
export function zip(datasets: DatasetContainer): Dataset<Container> {
  if (datasets == null || typeof datasets !== 'object' || datasets instanceof Dataset) {
    throw new ValueError(
      `data.zip: expected an array or object of Datasets, received ${datasets instanceof Dataset ? 'a single Dataset' : typeof datasets}.`,
    );
  }
  checkContainer(datasets, 'datasets');
  const acc: { size: number | null | undefined } = { size: undefined };
  collectSize(datasets, acc);
  return new Dataset<Container>(async function* () {
    type Node = { it?: { next(): Promise<IteratorResult<unknown, undefined>> }; arr?: Node[]; obj?: { [k: string]: Node } };
    const open = async (c: DatasetContainer): Promise<Node> => {
      if (c instanceof Dataset) return { it: await c.iterator() };
      if (Array.isArray(c)) return { arr: await Promise.all(c.map(open)) };
      const obj: { [k: string]: Node } = {};
      for (const k of Object.keys(c)) obj[k] = await open(c[k]);
      return { obj };
    };
    const root = await open(datasets);
    let ended = false;
    const read = async (n: Node): Promise<unknown> => {
      if (n.it) {
        const r = await n.it.next();
        if (r.done) ended = true;
        return r.value;
      }
      if (n.arr) {
        const out: unknown[] = [];
        for (const c of n.arr) out.push(await read(c));
        return out;
      }
      const out: { [k: string]: unknown } = {};
      for (const k of Object.keys(n.obj!)) out[k] = await read(n.obj![k]);
      return out;
    };
    for (;;) {
      const v = await read(root);
      if (ended) return;
      yield v;
    }
  }, acc.size ?? null);
}
