/**
 * The data arguments of `fit`/`evaluate`/`predict`/`trainOnBatch` for models with any number of inputs and
 * outputs: one Tensor, an array in the model's input (output) order, or `{inputName: Tensor}` — turned into one
 * list, checked against the model's shapes with errors naming the input/output.
 */
import { formatShape, Tensor, ValueError } from '@recurrent/core';
import type { Shape } from '@recurrent/layers';

/** Data for a model's inputs or targets: one tensor, one per input/output in order, or by name. */
export type ModelData = Tensor | Tensor[] | { [name: string]: Tensor };

/**
 * Data for a model's inputs: `ModelData`, or, for a model whose input goes into a `TextVectorization` layer, the
 * texts: `string[]` (one per sample) or `string[][]` with one string per row (Keras's `[n, 1]` string input).
 */
export type ModelInput = ModelData | string[] | string[][];

/**
 * The texts of a `string[]` or `string[][]` (one string per row) data argument, or null when `data` holds no strings.
 * A nested row with more or fewer than one string is an error naming `what`.
 */
export function stringRows(data: unknown, what: string, where: string): string[] | null {
  if (!Array.isArray(data) || data.length === 0) return null;
  if (data.every((v) => typeof v === 'string')) return data as string[];
  if (!data.every((v) => Array.isArray(v) && v.some((e) => typeof e === 'string'))) return null;
  return (data as unknown[][]).map((row, i) => {
    if (row.length !== 1 || typeof row[0] !== 'string') {
      throw new ValueError(
        `${where}: ${what} is a nested array of strings, so each row must hold one string (shape [n, 1]), but row ${i} holds ` +
          `${row.length} value(s)${row.length === 1 ? ` of type ${typeof row[0]}` : ''}.`,
      );
    }
    return row[0] as string;
  });
}

/** How errors name entry `i` of a data argument `what` ('x', 'y', 'sampleWeight'): `what` alone for one name, else `what['name']`. */
export function entryLabel(what: string, names: readonly string[], i: number): string {
  return names.length > 1 ? `${what}['${names[i]}']` : what;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Tensor) return `a Tensor ${formatShape(v.shape)}`;
  return typeof v;
}

/** Whether `x` is a Dataset-like object (fit / evaluate / predict hand it to their dataset forms, which check it). */
export function isDatasetLike(x: unknown): boolean {
  return x !== null && typeof x === 'object' && !(x instanceof Tensor) && typeof (x as { iterator?: unknown }).iterator === 'function';
}

/**
 * The error for a Dataset given where tensors go (a tensor fit's validationData, trainOnBatch, predictOnBatch; `fit`,
 * `evaluate` and `predict` take a dataset as x, as Keras 3, see engine/dataset_calls.ts).
 */
function datasetGiven(where: string, what: string): string {
  const method = where.split(/[:\s]/)[0];
  const use = { fit: 'model.fitDataset(dataset, {epochs, ...})', evaluate: 'model.evaluateDataset(dataset)' }[method];
  return `${where}: ${what} is a Dataset, but ${method} takes tensors${use ? `; use ${use}` : ' (those of one batch)'}.`;
}

/**
 * `data` as one tensor per name of `names` (the model's inputs or outputs), in order. `what` is 'x' or 'y' (or
 * 'validationData x' ...), used in errors with `where` (the calling method).
 */
export function standardizeData(data: unknown, names: string[], what: string, where: string): Tensor[] {
  let list: unknown[];
  if (data instanceof Tensor) {
    list = [data];
  } else if (Array.isArray(data)) {
    list = data;
  } else if (data !== null && typeof data === 'object') {
    if (isDatasetLike(data)) throw new ValueError(datasetGiven(where, what));
    const dict = data as { [k: string]: unknown };
    for (const key of Object.keys(dict)) {
      if (!names.includes(key))
        throw new ValueError(`${where}: unknown name '${key}' in ${what}; the model's names are: ${names.join(', ')}.`);
    }
    list = names.map((n) => {
      if (!Object.prototype.hasOwnProperty.call(dict, n))
        throw new ValueError(`${where}: ${what} has no entry for '${n}'; give one tensor per name (${names.join(', ')}).`);
      return dict[n];
    });
  } else {
    throw new ValueError(
      `${where}: ${what} must be a Tensor, received ${describe(data)} (a model with several inputs or outputs takes an array of Tensors ` +
        `or {name: Tensor}). Wrap plain arrays with tensor(...).`,
    );
  }
  if (list.length !== names.length && names.length === 1) {
    throw new ValueError(
      `${where}: ${what} must be one Tensor (the model has one ${what === 'x' || what.endsWith(' x') ? 'input' : 'output'}), received an array of ${list.length}.`,
    );
  }
  if (list.length !== names.length) {
    throw new ValueError(
      `${where}: the model has ${names.length} ${what === 'x' || what.endsWith(' x') ? 'input' : 'output'}(s) (${names.join(', ')}), ` +
        `but ${what} has ${list.length} tensor(s).`,
    );
  }
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (v instanceof Tensor && !v.isDisposed && v.rank > 0) continue;
    const label = entryLabel(what, names, i);
    if (!(v instanceof Tensor))
      throw new ValueError(`${where}: ${label} must be a Tensor, received ${describe(v)}. Wrap plain arrays with tensor(...).`);
    if (v.isDisposed) throw new ValueError(`${where}: ${label} is a disposed Tensor.`);
    throw new ValueError(`${where}: ${label} must have a batch (first) dimension, received a scalar.`);
  }
  return list as Tensor[];
}

/** Throws unless every tensor of every list has the same number of samples. */
export function checkSameSampleCount(groups: { tensors: Tensor[]; names: string[]; what: string }[], where: string): number {
  let n: number | null = null;
  let first = '';
  let firstLabel = '';
  for (const g of groups) {
    g.tensors.forEach((t, i) => {
      const label = entryLabel(g.what, g.names, i);
      if (n === null) {
        n = t.shape[0];
        firstLabel = label;
        first = `${label} has ${n} (shape ${formatShape(t.shape)})`;
      } else if (t.shape[0] !== n) {
        throw new ValueError(
          `${where}: ${firstLabel} and ${label} must have the same number of samples, but ${first} and ${label} has ${t.shape[0]} ` +
            `(shape ${formatShape(t.shape)}).`,
        );
      }
    });
  }
  return n ?? 0;
}

/** Throws unless each input's non-batch dims match the model input's shape (nulls match anything). */
export function checkInputShapes(
  xs: Tensor[],
  shapes: readonly Shape[],
  names: string[],
  where: string,
  what = 'x',
  layerLabel: string | null | (() => string | null) = null,
): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const expected = shapes[i];
    if (!shapeMatchesFrom1(x.shape, expected)) {
      const label = entryLabel(what, names, i);
      const layer = typeof layerLabel === 'function' ? layerLabel() : layerLabel;
      throw new ValueError(
        `${where}: ${label} has shape ${formatShape(x.shape)}, but the model expects inputs of shape ${formatShape(expected)} ` +
          `(${layer ?? `input layer '${names[i]}'`}).`,
      );
    }
  }
}

/** `shapeMatches` on the shapes without their first (batch) dimension, without copying them (runs on every predict). */
function shapeMatchesFrom1(shape: readonly number[], expected: readonly (number | null)[]): boolean {
  if (shape.length !== expected.length) return false;
  for (let k = 1; k < shape.length; k++) if (expected[k] !== null && expected[k] !== shape[k]) return false;
  return true;
}
