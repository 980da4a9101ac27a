/** Shapes in layer configs: checks, Keras 3 `batch_shape` → `batch_input_shape`, an InputLayer's shape. */
import { at, describe, fail } from './util';
import { isPositiveInt, type JsonObject } from './json';

/** The shape as a fresh array, or an error at `path` when it is not positive integers / nulls. */
export function checkShape(value: unknown, path: string, withBatch: boolean): (number | null)[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((d) => d !== null && !(Number.isInteger(d) && d > 0))) {
    fail(
      path,
      `must be an array of positive integers or nulls${withBatch ? ' (batch dimension first)' : ''}, received ${describe(value)}.`,
    );
  }
  return value.slice();
}

/** True when both shapes have the same dims. */
export function sameShape(a: (number | null)[], b: (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `batch_shape` → `batch_input_shape` on one layer config (in place on the copy). */
export function renameBatchShape(config: JsonObject, path: string): void {
  if (config.batch_shape === undefined) return;
  const shape = config.batch_shape === null ? null : checkShape(config.batch_shape, at(path, 'batch_shape'), true);
  if (config.batch_input_shape != null && shape !== null) {
    const other = checkShape(config.batch_input_shape, at(path, 'batch_input_shape'), true);
    if (!sameShape(other, shape)) {
      fail(path, `batch_shape ${JSON.stringify(shape)} and batch_input_shape ${JSON.stringify(other)} disagree.`);
    }
  }
  delete config.batch_shape;
  if (shape !== null && config.batch_input_shape == null) config.batch_input_shape = shape;
}

/**
 * Keras 3.10+ InputLayer `optional` (the input may be given as None): false, the value Keras writes by default,
 * is dropped; true is refused, since every input here needs a tensor.
 * tfjs note: tfjs refuses the key whatever its value.
 */
export function dropInputOptional(config: JsonObject, path: string): void {
  if (config.optional === undefined) return;
  if (config.optional !== false && config.optional !== null) {
    fail(at(path, 'optional'), `optional inputs (Keras 3 Input(optional=True)) are not supported, received ${describe(config.optional)}.`);
  }
  delete config.optional;
}

/** The batch input shape an InputLayer config declares. */
export function inputLayerShape(config: JsonObject, path: string): (number | null)[] {
  dropInputOptional(config, path);
  if (config.sparse === true) fail(at(path, 'sparse'), 'sparse inputs are not supported.');
  if (config.ragged === true) fail(at(path, 'ragged'), 'ragged inputs are not supported.');
  if (config.batch_input_shape != null) return checkShape(config.batch_input_shape, at(path, 'batch_input_shape'), true);
  if (config.input_shape != null) {
    const s = checkShape(config.input_shape, at(path, 'input_shape'), false);
    const b = config.batch_size;
    if (b != null && !isPositiveInt(b)) fail(at(path, 'batch_size'), `must be a positive integer or null, received ${describe(b)}.`);
    return [b ?? null, ...s];
  }
  return fail(path, 'the InputLayer has no batch_shape, batch_input_shape or input_shape.');
}
