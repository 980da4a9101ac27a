/**
 * `Dataset`: a lazy, re-iterable stream of elements with tfjs's `tf.data.Dataset` API (map, filter,
 * batch, shuffle, take, skip, repeat, prefetch, concatenate, forEachAsync, toArray, iterator).
 * Nothing is read until iterated, and each iteration starts over from the source, so data that does
 * not fit in memory streams with flat memory (only a shuffle or prefetch buffer is held).
 *
 * ```js
 * const ds = data.array([1, 2, 3, 4, 5]).map((x) => x * 2).shuffle(5, 'seed').batch(2);
 * await ds.forEachAsync((b) => b.print());
 * ```
 */
import { Alea } from './alea';
import { batchElements, type Container } from './deep_batch';
import { ValueError } from '@recurrent/core';

/** An iterator over a dataset's elements, as tfjs's `LazyIterator` (`await it.next()`). */
export interface DatasetIterator<T> {
  /**
   * The next element. At the end `done` is true, and `value` is undefined, or (from `data.generator`, directly or
   * through `prefetch`) the element the user's iterator returned together with `done: true`, which
   * fitDataset/evaluateDataset use as tfjs does and every other consumer leaves out.
   */
  next(): Promise<IteratorResult<T, T | undefined>>;
  /** Stops early and releases the source (e.g. closes a csv file); later `next()` calls are done. */
  return?(): Promise<IteratorResult<T, undefined>>;
}

/** Makes a fresh iterator for one pass over a dataset. */
export type IteratorFn<T> = () => AsyncIterator<T, unknown> | Promise<AsyncIterator<T, unknown>>;

function checkCount(where: string, name: string, value: unknown, allowNegative = true): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || (!allowNegative && value < 0)) {
    throw new ValueError(
      `${where}: ${name} must be ${allowNegative ? 'an integer' : 'a non-negative integer'}, received ${String(value)}.`,
    );
  }
  return value;
}

/** Adapts an AsyncIterator so that it keeps answering `done` once it has ended (as tfjs iterators do). */
function settled<T>(it: AsyncIterator<T, unknown>): DatasetIterator<T> {
  let ended = false;
  return {
    async next(): Promise<IteratorResult<T, T | undefined>> {
      if (ended) return { value: undefined, done: true };
      const r = await it.next();
      if (r.done) {
        ended = true;
        return { value: r.value as T | undefined, done: true };
      }
      return { value: r.value, done: false };
    },
    async return(): Promise<IteratorResult<T, undefined>> {
      if (!ended) {
        ended = true;
        await it.return?.(undefined);
      }
      return { value: undefined, done: true };
    },
  };
}

/** The remaining elements of an iterator as an async generator. */
async function* pull<T>(it: DatasetIterator<T>): AsyncGenerator<T> {
  let finished = false;
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value as T;
    }
  } finally {
    // Stopped early by the consumer (take, a break in for await): release the source.
    if (!finished) await it.return?.();
  }
}

/**
 * A lazy stream of elements of type `T`. `size` is the number of elements when known, `Infinity`
 * for a repeated dataset, and `null` when unknown (generators, filters, csv), as in tfjs.
 */
export class Dataset<T = Container> {
  /** The number of elements, `Infinity`, or `null` when unknown. */
  readonly size: number | null;
  private readonly iteratorFn: IteratorFn<T>;

  constructor(iteratorFn: IteratorFn<T>, size: number | null = null) {
    this.iteratorFn = iteratorFn;
    this.size = size;
  }

  /** A fresh iterator over the elements (one pass); `await it.next()` gives `{value, done}`. */
  async iterator(): Promise<DatasetIterator<T>> {
    return settled(await this.iteratorFn());
  }

  /** `for await (const e of dataset)` support. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    let it: DatasetIterator<T> | null = null;
    return {
      next: async () => {
        it ??= await this.iterator();
        return (await it.next()) as IteratorResult<T>;
      },
      return: async () => {
        await it?.return?.();
        return { value: undefined, done: true } as IteratorResult<T>;
      },
    };
  }

  /**
   * A dataset of `size` elements whose passes are `pass(src)` over a pass `src` of this one. The upstream iterator
   * is created when the new one is (as tfjs), so seeded shuffles upstream advance alike.
   */
  private derived<O>(size: number | null, pass: (src: AsyncGenerator<T>) => AsyncGenerator<O>): Dataset<O> {
    return new Dataset<O>(async () => pass(pull(await this.iterator())), size);
  }

  /** Elements transformed by `fn` (synchronous, as tfjs; see `mapAsync`). */
  map<O>(fn: (value: T) => O): Dataset<O> {
    if (typeof fn !== 'function') throw new ValueError(`Dataset.map: expected a function, received ${typeof fn}.`);
    return this.derived(this.size, async function* (src) {
      for await (const v of src) yield fn(v);
    });
  }

  /** Elements transformed by the async `fn`, awaited in order. */
  mapAsync<O>(fn: (value: T) => Promise<O>): Dataset<O> {
    if (typeof fn !== 'function') throw new ValueError(`Dataset.mapAsync: expected a function, received ${typeof fn}.`);
    return this.derived(this.size, async function* (src) {
      for await (const v of src) yield await fn(v);
    });
  }

  /** The elements for which `predicate` is true. */
  filter(predicate: (value: T) => boolean): Dataset<T> {
    if (typeof predicate !== 'function') throw new ValueError(`Dataset.filter: expected a function, received ${typeof predicate}.`);
    return this.derived(this.size === Infinity ? Infinity : null, async function* (src) {
      for await (const v of src) if (predicate(v)) yield v;
    });
  }

  /**
   * Groups `batchSize` consecutive elements into one (tensors stacked on a new first axis, numbers
   * into 1D tensors, objects and arrays field by field). The last, smaller batch is kept unless
   * `smallLastBatch` is false.
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<Container> {
    if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ValueError(`Dataset.batch: batchSize must be a positive integer, received ${String(batchSize)}.`);
    }
    let size: number | null;
    if (this.size === Infinity || this.size == null) size = this.size;
    else size = smallLastBatch ? Math.ceil(this.size / batchSize) : Math.floor(this.size / batchSize);
    return this.derived(size, async function* (src) {
      let rows: T[] = [];
      let index = 0;
      const flush = (): Container => {
        try {
          return batchElements(rows as Container[]);
        } catch (e) {
          (e as Error).message = `${(e as Error).message} (in batch ${index})`;
          throw e;
        }
      };
      for await (const v of src) {
        rows.push(v);
        if (rows.length === batchSize) {
          const b = flush();
          rows = [];
          index++;
          yield b;
        }
      }
      if (rows.length > 0 && smallLastBatch) yield flush();
    });
  }

  /**
   * Elements in a pseudo-random order, drawn from a window of `bufferSize` elements (tfjs's
   * algorithm and generator: the same `seed` gives tfjs's order). Each iteration reshuffles unless
   * `reshuffleEachIteration` is false.
   */
  shuffle(bufferSize: number, seed?: string | number, reshuffleEachIteration = true): Dataset<T> {
    if (typeof bufferSize !== 'number' || !Number.isInteger(bufferSize) || bufferSize <= 0) {
      throw new ValueError(
        `Dataset.shuffle: bufferSize must be a positive integer, received ${String(bufferSize)}` +
          (this.size != null && Number.isFinite(this.size) ? ` (the dataset has ${this.size} elements)` : '') +
          '.',
      );
    }
    const base = this;
    // tfjs note: tfjs takes `seed || now`, so seed 0 (and '') silently shuffle by the clock; here any given seed is
    // used (as tf.data in Python), and only a missing one takes the clock.
    const random = new Alea(seed ?? String(Date.now()));
    // tfjs note: with reshuffleEachIteration false tfjs still draws a new seed per pass (so the order
    // changes anyway); we keep one order for every pass, as tf.data in Python does.
    const fixedSeed = reshuffleEachIteration ? 0 : random.int32();
    return new Dataset<T>(async () => {
      let seed2 = reshuffleEachIteration ? random.int32() : fixedSeed;
      if (reshuffleEachIteration) seed2 += random.int32();
      const draw = new Alea(seed2.toString());
      const upstream = await base.iterator();
      return (async function* () {
        // Slots hold upstream results, end markers included, exactly as tfjs's ring buffer does.
        const buffer: IteratorResult<T, T | undefined>[] = [];
        const refill = async (): Promise<void> => {
          while (buffer.length < bufferSize) buffer.push(await upstream.next());
        };
        // As tfjs: fill, then after each element handed out refill (with end markers once the
        // source is exhausted); an end marker drawn is dropped without a refill.
        await refill();
        while (buffer.length > 0) {
          const i = Math.floor(draw.next() * buffer.length);
          const r = buffer[i];
          const last = buffer.pop()!;
          if (i < buffer.length) buffer[i] = last;
          if (r.done) continue;
          await refill();
          yield r.value as T;
        }
      })();
    }, this.size);
  }

  /** The first `count` elements (all of them when `count` is negative or larger than the dataset). */
  take(count: number): Dataset<T> {
    checkCount('Dataset.take', 'count', count);
    const base = this;
    let size: number | null;
    if (this.size != null && count >= 0) size = Math.min(this.size, count);
    else if (count === 0) size = 0;
    else if (count < 0) size = this.size;
    else size = null;
    return new Dataset<T>(async () => {
      const it = await base.iterator();
      return (async function* () {
        if (count === 0) return;
        let n = 0;
        for (;;) {
          if (count >= 0 && n >= count) {
            await it.return?.();
            return;
          }
          const r = await it.next();
          if (r.done) return;
          n++;
          yield r.value as T;
        }
      })();
    }, size);
  }

  /** All but the first `count` elements (none when `count` is negative, as tfjs). */
  skip(count: number): Dataset<T> {
    checkCount('Dataset.skip', 'count', count);
    const base = this;
    let size: number | null;
    if (this.size != null && count >= 0 && this.size >= count) size = this.size - count;
    else if (this.size != null) size = 0;
    else size = null;
    return new Dataset<T>(async () => {
      const it = await base.iterator();
      return (async function* () {
        let n = 0;
        for (;;) {
          const r = await it.next();
          if (r.done) return;
          if (count < 0 || n++ < count) continue;
          yield r.value as T;
        }
      })();
    }, size);
  }

  /** The dataset `count` times over (forever when `count` is omitted or negative); each pass re-iterates the source. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) checkCount('Dataset.repeat', 'count', count);
    const base = this;
    let size: number | null;
    if (this.size != null && count !== undefined && count > 0) size = this.size * count;
    else if (count === 0) size = 0;
    else if (this.size != null) size = Infinity;
    else size = null;
    return new Dataset<T>(async function* () {
      for (let pass = 0; count === undefined || count < 0 || pass < count; pass++) {
        let any = false;
        for await (const v of base) {
          any = true;
          yield v;
        }
        // An empty source repeated forever would spin: stop as tfjs's iterator does on an empty pass.
        if (!any) return;
      }
    }, size);
  }

  /** Reads up to `bufferSize` elements ahead of the consumer (overlaps producing and consuming). */
  prefetch(bufferSize: number): Dataset<T> {
    if (typeof bufferSize !== 'number' || !(bufferSize > 0)) {
      throw new ValueError(`Dataset.prefetch: bufferSize must be a positive number, received ${String(bufferSize)}.`);
    }
    const base = this;
    return new Dataset<T>(async () => {
      const upstream = await base.iterator();
      const queue: Promise<IteratorResult<T, T | undefined>>[] = [];
      return (async function* () {
        for (;;) {
          while (queue.length < bufferSize) {
            const p = upstream.next();
            p.catch(() => undefined); // rejected reads are re-thrown when reached, not reported as unhandled
            queue.push(p);
          }
          const r = await queue.shift()!;
          if (r.done) return r.value; // a value given with done: true passes through, as in tfjs (DatasetIterator.next)
          yield r.value;
        }
      })();
    }, this.size);
  }

  /** This dataset's elements followed by `dataset`'s. */
  concatenate(dataset: Dataset<T>): Dataset<T> {
    if (!(dataset instanceof Dataset)) throw new ValueError(`Dataset.concatenate: expected a Dataset, received ${typeof dataset}.`);
    const base = this;
    let size: number | null;
    if (this.size === Infinity || dataset.size === Infinity) size = Infinity;
    else if (this.size != null && dataset.size != null) size = this.size + dataset.size;
    else size = null;
    return new Dataset<T>(async () => {
      const first = pull(await base.iterator());
      const second = pull(await dataset.iterator());
      return (async function* () {
        yield* first;
        yield* second;
      })();
    }, size);
  }

  /** Calls `f` on every element in order (awaiting it when it returns a promise). */
  async forEachAsync(f: (value: T) => void | Promise<void>): Promise<void> {
    if (typeof f !== 'function') throw new ValueError(`Dataset.forEachAsync: expected a function, received ${typeof f}.`);
    for await (const v of this) await f(v);
  }

  /** All elements in an array (refuses an infinite dataset). */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new ValueError(`Dataset.toArray: the dataset is infinite (repeated without a count); take(n) first.`);
    const out: T[] = [];
    for await (const v of this) out.push(v);
    return out;
  }
}
