/**
 * Batching of dataset elements (what `Dataset.batch` does to a group of elements): tensors are
 * stacked on a new first axis, numbers and booleans become a 1D tensor, nested number arrays become
 * a tensor of one more rank, strings become a string array, and objects and arrays holding tensors
 * or objects are batched field by field (recursively).
 *
 * ```js
 * batchElements([{xs: tensor1d([1, 2]), ys: 0}, {xs: tensor1d([3, 4]), ys: 1}]);
 * // {xs: Tensor [[1, 2], [3, 4]], ys: Tensor [0, 1]}
 * ```
 */
import { Tensor, formatShape, tensor, ValueError } from '@recurrent/core';

/** A dataset element as `batch` sees it: tensors, numbers, strings, or objects/arrays of them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Container = any;

function isPlainObject(v: unknown): v is { [k: string]: unknown } {
  return v != null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor) && !ArrayBuffer.isView(v);
}

/** True for a (nested) array of numbers/booleans only: tensorified whole, as tfjs does. */
function isNumericArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const e of v) {
    if (Array.isArray(e)) {
      if (!isNumericArray(e)) return false;
    } else if (typeof e !== 'number' && typeof e !== 'boolean') {
      return false;
    }
  }
  return true;
}

/** Stacks same-shape, same-dtype tensors on a new axis 0 with one copy. */
function stackRows(rows: Tensor[], path: string): Tensor {
  const first = rows[0];
  const per = first.size;
  const Ctor = first.values.constructor as { new (n: number): Float32Array | Int32Array | Uint8Array };
  const out = new Ctor(per * rows.length);
  rows.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new ValueError(`batch: element ${i} of the batch has ${describe(t)} at ${path}, but element 0 has a Tensor there.`);
    }
    if (t.dtype !== first.dtype || t.rank !== first.rank || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new ValueError(
        `batch: element ${i} of the batch has a ${t.dtype} tensor of shape ${formatShape(t.shape)} at ${path}, ` +
          `but element 0 has a ${first.dtype} tensor of shape ${formatShape(first.shape)}; elements batched together need the same shape.`,
      );
    }
    out.set(t.values as ArrayLike<number>, i * per);
  });
  return new Tensor(out, [rows.length, ...first.shape], first.dtype);
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a tensor of shape ${formatShape(v.shape)}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  return `a ${typeof v}`;
}

/**
 * Batches `rows` (dataset elements of one structure) into one element of the same structure.
 * `path` names the position in error messages ('' for the element itself).
 *
 * tfjs note: tfjs tensorifies every array, so an element `[xTensor, yTensor]` cannot be batched there;
 * we batch arrays holding tensors or objects position by position (as tf.data in Python does with tuples).
 */
export function batchElements(rows: Container[], path = 'the element'): Container {
  if (rows.length === 0) throw new ValueError(`batch: cannot make a batch of zero elements.`);
  const first = rows[0];
  if (first instanceof Tensor) return stackRows(rows, path);
  if (typeof first === 'number' || typeof first === 'boolean') {
    rows.forEach((r, i) => {
      if (typeof r !== typeof first)
        throw new ValueError(`batch: element ${i} of the batch has ${describe(r)} at ${path}, but element 0 has a ${typeof first}.`);
    });
    return typeof first === 'boolean'
      ? tensor(rows as boolean[] as unknown as number[], [rows.length], 'bool')
      : tensor(rows as number[], [rows.length]);
  }
  if (typeof first === 'string') return rows.slice();
  if (ArrayBuffer.isView(first)) return tensor(rows.map((r) => Array.from(r as ArrayLike<number>)));
  if (isNumericArray(first)) {
    try {
      return tensor(rows);
    } catch (e) {
      throw new ValueError(
        `batch: the number arrays at ${path} cannot form one tensor (elements batched together need the same shape): ${(e as Error).message}`,
      );
    }
  }
  if (Array.isArray(first)) {
    return first.map((_, k) => {
      const col = rows.map((r, i) => {
        if (!Array.isArray(r) || r.length !== first.length) {
          throw new ValueError(
            `batch: element ${i} of the batch has ${describe(r)} at ${path}, but element 0 has an array of ${first.length}.`,
          );
        }
        return r[k];
      });
      return batchElements(col, `${path}[${k}]`);
    });
  }
  if (isPlainObject(first)) {
    const out: { [k: string]: Container } = {};
    for (const key of Object.keys(first)) {
      const col = rows.map((r, i) => {
        if (!isPlainObject(r) || !(key in r)) {
          throw new ValueError(`batch: element ${i} of the batch has no key '${key}' at ${path}, but element 0 has.`);
        }
        return r[key];
      });
      out[key] = batchElements(col, path === 'the element' ? `'${key}'` : `${path}.${key}`);
    }
    return out;
  }
  throw new ValueError(
    `batch: cannot batch ${describe(first)} at ${path}; elements must hold tensors, numbers, strings, or arrays/objects of them.`,
  );
}
