/**
 * tfjs's data-dependent-shape ops, which tfjs makes async (they read values back from the device): `whereAsync`,
 * `booleanMaskAsync`, `setdiff1dAsync`, `inTopKAsync`. Ours compute synchronously and resolve at once (a bad
 * argument rejects the promise, as tfjs's async functions); none is differentiable (as tfjs).
 */
import { allocate } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { computeStrides, formatShape, parseAxis, sizeFromShape } from '../shape';
import { ValueError } from '../errors';

/** Runs `f` now; its result resolves the promise, its error rejects it. */
function settle<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

function boolInput(op: string, x: TensorLike, argName: string): Tensor {
  const t = convertToTensor(x, argName, op, 'bool');
  if (t.dtype !== 'bool') throw new ValueError(`${op}: argument '${argName}' must be a bool tensor, received ${t.dtype}.`);
  return t;
}

/**
 * The coordinates of the true elements of a bool tensor, row-major: int32 `[numTrue, rank]`.
 * `await whereAsync(tensor2d([[true, false], [false, true]], [2, 2], 'bool'))` → [[0, 0], [1, 1]].
 */
export function whereAsync(condition: TensorLike): Promise<Tensor> {
  return settle(() => whereNow(condition));
}

function whereNow(condition: TensorLike): Tensor {
  const c = boolInput('whereAsync', condition, 'condition');
  const strides = computeStrides(c.shape);
  const coords: number[] = [];
  let count = 0;
  c.values.forEach((v, i) => {
    if (!v) return;
    count++;
    let rest = i;
    for (const s of strides) {
      coords.push(Math.floor(rest / s));
      rest %= s;
    }
  });
  return makeTensor(Int32Array.from(coords), [count, c.rank], 'int32');
}

/**
 * The slices of `tensor` where `mask` is true: `mask` (bool) covers dimensions `axis .. axis + mask.rank` of
 * `tensor`, which collapse into one dimension of the kept slices. Picking the real steps of a padded batch:
 * `await booleanMaskAsync(x, mask)` with x `[batch, timeSteps, features]`, mask `[batch, timeSteps]` → `[kept, features]`.
 */
export function booleanMaskAsync(tensor: TensorLike, mask: TensorLike, axis = 0): Promise<Tensor> {
  return settle(() => booleanMaskNow(tensor, mask, axis));
}

function booleanMaskNow(tensor: TensorLike, mask: TensorLike, axis: number): Tensor {
  const op = 'booleanMaskAsync';
  const t = convertToTensor(tensor, 'tensor', op);
  const m = boolInput(op, mask, 'mask');
  if (m.rank === 0) throw new ValueError(`${op}: argument 'mask' must have rank >= 1, received a scalar.`);
  const ax = parseAxis(op, axis, Math.max(t.rank, 1));
  const covered = t.shape.slice(ax, ax + m.rank);
  if (covered.length !== m.rank || covered.some((d, i) => d !== m.shape[i])) {
    throw new ValueError(
      `${op}: 'mask' shape ${formatShape(m.shape)} must equal dimensions ${ax}..${ax + m.rank - 1} of 'tensor' ` +
        `(shape ${formatShape(t.shape)}), received ${formatShape(covered)}.`,
    );
  }
  const outer = sizeFromShape(t.shape.slice(0, ax));
  const n = m.size;
  const inner = sizeFromShape(t.shape.slice(ax + m.rank));
  const kept: number[] = [];
  m.values.forEach((v, i) => v && kept.push(i));
  const out = allocate(t.dtype, outer * kept.length * inner);
  const tv = t.values;
  for (let o = 0; o < outer; o++) {
    kept.forEach((j, p) => {
      for (let k = 0; k < inner; k++) out[(o * kept.length + p) * inner + k] = tv[(o * n + j) * inner + k];
    });
  }
  return makeTensor(out, [...t.shape.slice(0, ax), kept.length, ...t.shape.slice(ax + m.rank)], t.dtype);
}

/**
 * The elements of 1-D `x` not in 1-D `y` (same dtype), in x's order with repeats kept, and their positions in x:
 * `[values, indices (int32)]`. `await setdiff1dAsync([1, 2, 3, 2, 4], [2, 5])` → [[1, 3, 4], [0, 2, 4]].
 */
export function setdiff1dAsync(x: TensorLike, y: TensorLike): Promise<[Tensor, Tensor]> {
  return settle(() => setdiff1dNow(x, y));
}

function setdiff1dNow(x: TensorLike, y: TensorLike): [Tensor, Tensor] {
  const op = 'setdiff1dAsync';
  const a = convertToTensor(x, 'x', op);
  const b = convertToTensor(y, 'y', op, a.dtype);
  if (a.dtype !== b.dtype) throw new ValueError(`${op}: 'x' and 'y' must have the same dtype, received ${a.dtype} and ${b.dtype}.`);
  if (a.rank !== 1 || b.rank !== 1) {
    throw new ValueError(`${op}: 'x' and 'y' must be 1-D, received shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}.`);
  }
  const drop = new Set(b.values);
  const idx: number[] = [];
  a.values.forEach((v, i) => !drop.has(v) && idx.push(i));
  const out = allocate(a.dtype, idx.length);
  idx.forEach((i, p) => (out[p] = a.values[i]));
  return [makeTensor(out, [idx.length], a.dtype), makeTensor(Int32Array.from(idx), [idx.length], 'int32')];
}

/**
 * Whether each target class is among the `k` largest predictions of its row: `predictions` `[batch, classes]`,
 * `targets` int32 `[batch]` → bool `[batch]`. Ties rank by index (the earlier class first), as tfjs.
 * `await inTopKAsync(tensor2d([[0.1, 0.9, 0.5]]), tensor1d([2], 'int32'), 2)` → [true].
 */
export function inTopKAsync(predictions: TensorLike, targets: TensorLike, k = 1): Promise<Tensor> {
  return settle(() => inTopKNow(predictions, targets, k));
}

function inTopKNow(predictions: TensorLike, targets: TensorLike, k: number): Tensor {
  const op = 'inTopKAsync';
  const p = convertToTensor(predictions, 'predictions', op);
  const t = convertToTensor(targets, 'targets', op, 'int32');
  if (p.rank < 1 || t.rank !== p.rank - 1 || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new ValueError(
      `${op}: 'targets' must have the shape of 'predictions' without its last dimension, received predictions ` +
        `${formatShape(p.shape)} and targets ${formatShape(t.shape)}.`,
    );
  }
  const n = p.shape[p.rank - 1];
  if (!Number.isInteger(k) || k < 1 || k > n) throw new ValueError(`${op}: argument 'k' must be an integer in [1, ${n}], received ${k}.`);
  const pv = p.values;
  const out = new Uint8Array(t.size);
  t.values.forEach((c, r) => {
    if (!Number.isInteger(c) || c < 0 || c >= n) {
      throw new ValueError(`${op}: targets[${r}] = ${c} is out of range, expected a class in [0, ${n}).`);
    }
    const target = pv[r * n + c];
    // The target's rank: the classes that sort before it (larger, or equal with a smaller index).
    let before = 0;
    for (let j = 0; j < n; j++) {
      const v = pv[r * n + j];
      if (v > target || (v === target && j < c)) before++;
    }
    out[r] = before < k ? 1 : 0;
  });
  return makeTensor(out, t.shape.slice(), 'bool');
}
