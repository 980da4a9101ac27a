/** tfjs's small `util` predicates and helpers: isNumber, isString, isBoolean, isFunction, isInt, clamp, fetch. */
import { NotImplementedError } from './errors';

/** True for a number primitive (NaN included, as tfjs). */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number';
}

/** True for a string primitive or a `String` object. */
export function isString(value: unknown): value is string {
  return typeof value === 'string' || value instanceof String;
}

/** True for `true` or `false`. */
export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** True for anything callable (functions, classes, bound functions). */
export function isFunction(value: unknown): value is (...args: never[]) => unknown {
  return typeof value === 'function';
}

/** True when `a` has no fractional part (`isInt(3.0)` is true). */
export function isInt(a: number): boolean {
  return a % 1 === 0;
}

/** `x` limited to [min, max] (tfjs's argument order: min, x, max). */
export function clamp(min: number, x: number, max: number): number {
  return Math.max(min, Math.min(x, max));
}

/**
 * The platform's `fetch` (browsers; Node 18 and later), as tfjs's `util.fetch(path, requestInits)`. Throws
 * NotImplementedError naming the missing global where there is none.
 *
 * tfjs note: tfjs's Node platform falls back to the node-fetch package; ours needs a global fetch.
 */
export function fetch(path: string, requestInits?: RequestInit): Promise<Response> {
  const f = (globalThis as { fetch?: typeof globalThis.fetch }).fetch;
  if (typeof f !== 'function')
    throw new NotImplementedError(`util.fetch: this environment has no global fetch (Node 18 or later has one); cannot fetch '${path}'.`);
  return f(path, requestInits);
}
