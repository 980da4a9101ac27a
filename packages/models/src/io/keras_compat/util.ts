/** Small helpers shared by the Keras compatibility passes: error messages, paths, layer labels. */
import { asString, isObject, type JsonObject } from './json';
import { ValueError } from '@recurrent/core';

/** The public entry point errors are attributed to. */
export const FN = 'normalizeKerasTopology';

/** A short description of a received value for error messages. */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(x)) return `the array ${JSON.stringify(x).slice(0, 80)}`;
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'string') return `the string '${x.length > 40 ? `${x.slice(0, 40)}...` : x}'`;
  return `${typeof x} ${String(x)}`;
}

/** Throws an Error attributed to normalizeKerasTopology, naming the field at `path`. */
export function fail(path: string, message: string): never {
  throw new ValueError(`${FN}: ${path ? `${path}: ` : ''}${message}`);
}

/** The path of `key` inside `path` (`a.b`, `a[0]`). */
export function at(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** The layer's `config.name`, or '' (also for a layer entry that is not an object). */
export function layerName(entry: unknown): string {
  return isObject(entry) && isObject(entry.config) ? (asString(entry.config.name) ?? '') : '';
}

/** `path (Class 'name')`, how errors and warnings name a layer. */
export function label(entry: JsonObject, path: string): string {
  const n = layerName(entry);
  return `${path} (${entry.class_name}${n ? ` '${n}'` : ''})`;
}
