/**
 * Validation of option objects (`XxxArgs`): unknown keys are refused with a "did you mean"
 * suggestion (typos and snake_case spellings), keys tfjs/Keras accept without effect here are
 * accepted with one warning, and booleans/numbers are type-checked.
 */
import { ValueError } from '@recurrent/core';

/** A short description of a received value for error messages ("the string 'x'", "the array [1,2]", "an object {...}"). */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'nothing';
  if (typeof x === 'string') return `the string '${x.length > 40 ? `${x.slice(0, 40)}...` : x}'`;
  if (typeof x === 'function') return 'a function';
  if (Array.isArray(x)) return `the array ${shortJson(x, '[...]')}`;
  if (typeof x === 'object') {
    const name = (x as object).constructor?.name;
    if (name && name !== 'Object') return `a ${name}`;
    return `an object ${shortJson(x, '{...}')}`;
  }
  return String(x);
}

/** `x` as JSON cut at 80 characters, or `unprintable` when it cannot be stringified (cycles, BigInt). */
function shortJson(x: unknown, unprintable: string): string {
  let j = '';
  try {
    j = JSON.stringify(x) ?? '';
  } catch {
    j = unprintable;
  }
  return j.length > 80 ? `${j.slice(0, 80)}...` : j;
}

/** Levenshtein distance, bounded work: both strings are short option names. */
function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  const row = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** `return_sequences` → `returnSequences`. */
export function snakeToCamel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** The known name closest to `key` (its camelCase form, a case-insensitive match, or within a small edit distance), or null. */
export function suggestName(key: string, known: readonly string[]): string | null {
  const camel = snakeToCamel(key);
  if (camel !== key && known.includes(camel)) return camel;
  const lower = key.toLowerCase();
  const ci = known.find((k) => k.toLowerCase() === lower || k.toLowerCase() === camel.toLowerCase());
  if (ci) return ci;
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(key.length / 4)) ? best : null;
}

/**
 * `describeValue(args[name])`, and when the option is missing while `args` has a key that looks like a misspelling
 * of it, that key: `received nothing (did you mean 'units' instead of 'unit'?)`. For required options, whose
 * check runs before the unknown-key check.
 */
export function describeArg(args: unknown, name: string): string {
  const value = args !== null && typeof args === 'object' ? (args as { [k: string]: unknown })[name] : undefined;
  if (value !== undefined || args === null || typeof args !== 'object') return describeValue(value);
  const typo = Object.keys(args).find((k) => suggestName(k, [name]) === name);
  return typo === undefined ? 'nothing' : `nothing (did you mean '${name}' instead of '${typo}'?)`;
}

const warned = new Set<string>();

/** Warns once per message (keys accepted for tfjs compatibility that have no effect). */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/**
 * Throws unless every own key of `args` is in `known`; keys in `ignored` (accepted by tfjs or Keras
 * but without effect here) pass with one warning. `where` names the layer or call in the message.
 *
 * ```ts
 * checkArgKeys('LSTM', args, ['units', 'returnSequences']);   // {returnSequence: true} → "did you mean 'returnSequences'?"
 * ```
 */
export function checkArgKeys(where: string, args: object, known: readonly string[], ignored: readonly string[] = []): void {
  for (const key of Object.keys(args)) {
    if (known.includes(key)) continue;
    if (ignored.includes(key)) {
      warnOnce(`${where}: option '${key}' is accepted for tfjs/Keras compatibility but has no effect here.`);
      continue;
    }
    const s = suggestName(key, known);
    throw new ValueError(
      `${where}: unknown option '${key}'${s ? `; did you mean '${s}'?` : '.'} Known options: ${[...known].sort().join(', ')}.`,
    );
  }
}

/** Throws unless `value` is undefined/null or a boolean (a string such as 'false' is refused). */
export function checkBoolArg(where: string, name: string, value: unknown): void {
  if (value == null || typeof value === 'boolean') return;
  throw new ValueError(`${where}: ${name} must be true or false, received ${describeValue(value)}.`);
}

/** Throws unless `value` is undefined/null or a finite number in [min, max] (integer when `integer`). */
export function checkNumberArg(
  where: string,
  name: string,
  value: unknown,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): void {
  if (value == null) return;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!opts.integer || Number.isInteger(value)) &&
    (opts.min === undefined || value >= opts.min) &&
    (opts.max === undefined || value <= opts.max);
  if (ok) return;
  const range = `${opts.integer ? 'an integer' : 'a finite number'}${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` and ≤ ${opts.max}` : ''}`;
  throw new ValueError(`${where}: ${name} must be ${range}, received ${describeValue(value)}.`);
}

/** The arg names every layer takes (`LayerArgs`), for `checkArgKeys` lists. */
export const LAYER_ARG_KEYS: readonly string[] = [
  'name',
  'trainable',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'dtype',
  'weights',
  'inputDType',
];

/** Marks args a class builds for an inner object (an RNN layer's cell): the outer class validates the user's bag. */
export const INTERNAL_ARGS: unique symbol = Symbol('recurrent.internalArgs');

/** `args`, marked as built internally (not validated again by the inner object's constructor). */
export function internalArgs<T extends object>(args: T): T {
  Object.defineProperty(args, INTERNAL_ARGS, { value: true, enumerable: false });
  return args;
}

/** Keys every Keras/tfjs file may carry on any built-in class without effect here (accepted with one warning). */
export const FILE_IGNORED_KEYS: readonly string[] = [
  'seed',
  'loraRank',
  'loraAlpha',
  'quantizationConfig',
  'ragged',
  'sparse',
  'autocast',
  'inputDim',
  'inputLength',
];

/**
 * After a built-in class was constructed from `args`: every key of `args` must be one its `getConfig()`
 * returns (its options, with their defaults) or in `extraKnown`; keys in `ignored` pass with one
 * warning; a key whose default is a boolean must be a boolean (a file's 'false' string is refused) and
 * one whose default is a number a finite number. One place validates every built-in layer, cell, wrapper,
 * initializer, regularizer and constraint, in code (factories) and from files (deserialize).
 */
export function checkConstructedArgs(
  where: string,
  args: unknown,
  config: { [key: string]: unknown },
  extraKnown: readonly string[] = [],
  ignored: readonly string[] = [],
): void {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return;
  const known = [...new Set([...Object.keys(config), ...extraKnown])];
  const ign = ignored.filter((k) => !known.includes(k));
  checkArgKeys(where, args, known, ign);
  const a = args as { [key: string]: unknown };
  for (const k of Object.keys(a)) {
    if (!Object.prototype.hasOwnProperty.call(config, k)) continue;
    const def = config[k];
    // No option takes the strings 'true'/'false': they are booleans spelled as strings (a file's "false" read as true).
    if (a[k] === 'true' || a[k] === 'false') checkBoolArg(where, k, a[k]);
    if (typeof def === 'boolean') checkBoolArg(where, k, a[k]);
    else if (typeof def === 'number' && typeof a[k] !== 'object') checkNumberArg(where, k, a[k]);
  }
}
