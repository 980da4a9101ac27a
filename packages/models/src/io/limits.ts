import { ValueError } from '@recurrent/core';
/**
 * The limits that keep loading a model bounded in time and memory per byte of input (docs/SECURITY.md).
 * Every check that refuses input for its size reads them here, and names the limit in its error, so a
 * user with a legitimately larger model raises exactly the one that was hit:
 *
 * ```js
 * const old = rc.io.setLoadLimits({maxParameters: 2e9});
 * const model = await rc.loadLayersModel('file://big/model.json');
 * rc.io.setLoadLimits(old);
 * ```
 */

/** The limits; see `DEFAULT_LOAD_LIMITS` for what each bounds. */
export interface LoadLimits {
  /** Deepest nesting of objects/arrays in model.json and hand-built artifacts. */
  maxJsonDepth: number;
  /**
   * Most values (objects, arrays, strings, numbers...) visited in a topology or training config. A
   * hand-built object that shares sub-objects counts each one once per reference, so a DAG whose
   * unfolded tree is exponential is refused instead of walked.
   */
  maxJsonValues: number;
  /** Longest string value or object key in a topology (characters). */
  maxStringLength: number;
  /** Longest version string (`keras_version`, `generatedBy`, `kerasVersion`), in characters. */
  maxVersionLength: number;
  /** Deepest nesting of wrapper layers (TimeDistributed, Bidirectional, nested Sequential, RNN cells). */
  maxWrapperDepth: number;
  /** Most trainable + non-trainable parameters a loaded topology may declare (checked before any weight is created). */
  maxParameters: number;
}

/** The defaults: far above real recurrent models, far below what exhausts a browser tab. */
export const DEFAULT_LOAD_LIMITS: Readonly<LoadLimits> = Object.freeze({
  maxJsonDepth: 256,
  maxJsonValues: 1_000_000,
  maxStringLength: 65_536,
  maxVersionLength: 256,
  maxWrapperDepth: 16,
  maxParameters: 200_000_000,
});

let current: LoadLimits = { ...DEFAULT_LOAD_LIMITS };

/** The limits in force (a copy). */
export function getLoadLimits(): LoadLimits {
  return { ...current };
}

/**
 * Changes some limits (each a positive integer, or Infinity to lift it); returns the previous limits,
 * so `setLoadLimits(old)` restores them.
 */
export function setLoadLimits(limits: Partial<LoadLimits>): LoadLimits {
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
    throw new ValueError(
      `setLoadLimits: expected an object of limits {${Object.keys(DEFAULT_LOAD_LIMITS).join(', ')}}, received ${limits === null ? 'null' : typeof limits}.`,
    );
  }
  const next = { ...current };
  for (const key of Object.keys(limits)) {
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_LOAD_LIMITS, key)) {
      throw new ValueError(`setLoadLimits: unknown limit '${key}'; known: ${Object.keys(DEFAULT_LOAD_LIMITS).join(', ')}.`);
    }
    const v = (limits as Record<string, unknown>)[key];
    if (typeof v !== 'number' || !(v === Infinity || (Number.isInteger(v) && v > 0))) {
      throw new ValueError(
        `setLoadLimits: '${key}' must be a positive integer or Infinity, received ${typeof v === 'number' ? v : typeof v}.`,
      );
    }
    (next as unknown as Record<string, number>)[key] = v;
  }
  const old = current;
  current = next;
  return { ...old };
}

/** The message tail that tells how to raise limit `key`. */
export function raiseHint(key: keyof LoadLimits): string {
  return `(limit ${key} = ${current[key]}; raise it with io.setLoadLimits({${key}: ...}) if the file is trusted)`;
}
