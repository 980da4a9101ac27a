/**
 * Data handling for training and inference: shape matching, batch ranges, row slicing/gathering on the
 * typed arrays, class weights, and seeded shuffling.
 */
import { formatShape, generatorFor, RandomGenerator, Tensor, TypedArray, ValueError } from '@recurrent/core';

/** A shape with `null` for unknown dimensions. */
export type NullableShape = (number | null)[];

/** Whether a concrete shape fits a nullable one (nulls match anything). */
export function shapeMatches(shape: readonly number[], expected: NullableShape): boolean {
  return shape.length === expected.length && expected.every((d, i) => d === null || d === shape[i]);
}

/** `[start, end)` batch ranges covering `n` samples (the last batch may be smaller). */
export function makeBatches(n: number, batchSize: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += batchSize) out.push([start, Math.min(n, start + batchSize)]);
  return out;
}

function rowSize(t: Tensor): number {
  let r = 1;
  for (let i = 1; i < t.rank; i++) r *= t.shape[i];
  return r;
}

/** Rows `[start, end)` of `t` along its first axis, as a new tensor (a copy). */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  if (start === 0 && end === t.shape[0]) return t;
  const r = rowSize(t);
  const values = (t.values as TypedArray).slice(start * r, end * r) as TypedArray;
  return new Tensor(values, [end - start, ...t.shape.slice(1)], t.dtype);
}

/** Rows `indices[start..end)` of `t` along its first axis, gathered into a new tensor. */
export function gatherRows(t: Tensor, indices: Int32Array, start: number, end: number): Tensor {
  const r = rowSize(t);
  const src = t.values as TypedArray;
  const n = end - start;
  const Ctor = src.constructor as new (n: number) => TypedArray;
  const out = new Ctor(n * r);
  if (r === 1) {
    for (let i = 0; i < n; i++) out[i] = src[indices[start + i]];
  } else {
    for (let i = 0; i < n; i++) {
      const s = indices[start + i] * r;
      out.set(src.subarray(s, s + r), i * r);
    }
  }
  return new Tensor(out, [n, ...t.shape.slice(1)], t.dtype);
}

/** 0..n-1, shuffled (Fisher–Yates) with `rng` when given. */
export function indexArray(n: number, rng: RandomGenerator | null): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (rng) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const tmp = idx[i];
      idx[i] = idx[j];
      idx[j] = tmp;
    }
  }
  return idx;
}

/** The generator for shuffling: a private one for `seed`, else core's global one (seeded by `setSeed`). */
export function shuffleGenerator(seed: number | undefined | null): RandomGenerator {
  return generatorFor(seed ?? undefined);
}

/** Per-class weights keyed by class index (tfjs `ClassWeight`). */
export type ClassWeight = { [classIndex: number]: number };

/**
 * Per-sample weights from class weights, as tfjs's `standardizeWeights`: the class of a sample is
 * argMax over the last axis of a [n, C>1] target, or the (rounded) value of a [n] or [n, 1] target.
 */
export function classSampleWeights(y: Tensor, classWeight: ClassWeight, where: string): Float32Array {
  if (classWeight == null || typeof classWeight !== 'object' || (Array.isArray(classWeight) && classWeight.length === 0)) {
    throw new ValueError(`${where}: classWeight must be an object {classIndex: weight}, received ${String(classWeight)}.`);
  }
  const n = y.shape[0];
  const v = y.values;
  const out = new Float32Array(n);
  let depth: number;
  if (y.rank === 1) depth = 1;
  else if (y.rank === 2) depth = y.shape[1];
  else {
    throw new ValueError(
      `${where}: classWeight needs targets of rank 1 or 2 (class indices or one-hot rows), received y of shape ${formatShape(y.shape)}.`,
    );
  }
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (depth === 1) cls = Math.round(v[i]);
    else {
      cls = 0;
      let best = v[i * depth];
      for (let j = 1; j < depth; j++) {
        if (v[i * depth + j] > best) {
          best = v[i * depth + j];
          cls = j;
        }
      }
    }
    const w = (classWeight as { [k: number]: number })[cls];
    if (w == null) {
      throw new ValueError(
        `${where}: classWeight must contain all classes in the training data; class ${cls} (sample ${i}) is missing ` +
          `(classWeight has ${Object.keys(classWeight).join(', ') || 'no classes'}).`,
      );
    }
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      throw new ValueError(`${where}: classWeight[${cls}] must be a finite number, received ${String(w)}.`);
    }
    out[i] = w;
  }
  return out;
}
