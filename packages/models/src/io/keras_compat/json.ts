/**
 * JSON values as the Keras compatibility passes read them, and small narrowing helpers, so the passes
 * check what they read instead of trusting `any`.
 *
 * ```ts
 * const v: JsonValue = JSON.parse(text);
 * if (isObject(v) && isObject(v.config)) asString(v.config.name); // string | undefined
 * ```
 */

/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;

/** Any JSON value (what JSON.parse can return). */
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;

/** A JSON object; a missing key reads as undefined. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/** True for a plain object (not null, not an array). */
export function isObject(x: unknown): x is JsonObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** The value when it is a string, else undefined. */
export function asString(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** The value when it is a plain object, else undefined. */
export function asObject(x: unknown): JsonObject | undefined {
  return isObject(x) ? x : undefined;
}

/** The value when it is an array, else undefined. */
export function asArray(x: unknown): JsonValue[] | undefined {
  return Array.isArray(x) ? x : undefined;
}

/** True for a positive integer. */
export function isPositiveInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}
