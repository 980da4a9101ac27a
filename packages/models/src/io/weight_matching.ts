import { ValueError } from '@recurrent/core';
/**
 * Matching loaded weights to a model's variables by name, as tfjs's `Container.loadWeights`:
 *
 * 1. exact name (`lstm/kernel`);
 * 2. the file name with its cell segment dropped — TF >= 2.2 / Keras write `layer/cell/weight`,
 *    tfjs and recurrent name variables `layer/weight`: `lstm/lstm_cell/kernel` → `lstm/kernel`,
 *    `bidirectional/forward_lstm/lstm_cell_1/kernel` → `bidirectional/forward_lstm/kernel`
 *    (tfjs drops the second-to-last segment of any name that did not match exactly);
 *    2b. the file name without one leading scope segment (a model name: `sequential/lstm/kernel`, as a
 *    model built by calling it scopes its variables; `sequential/lstm/lstm_cell/kernel` from Keras 3 through
 *    the tfjs converter, also without its cell segment) onto an expected name still free;
 * 3. the expected name without a variable-uniquifying suffix on its LAST segment
 *    (`lstm/kernel_1` → `lstm/kernel`): tfjs matches by a variable's `originalName`, i.e. the name
 *    before such a suffix was added. Layer-name counters (`lstm_1/kernel` vs `lstm/kernel`) are
 *    never ignored: those are different layers, in tfjs as here;
 * 4. position, as a last resort (only with `allowPositional`; the loader asks for it only when the user
 *    does), only when the names left over on both sides are equally many
 *    (and, when `expectedShapes` is given, every pair's shapes agree) — Keras's by-order loading.
 */

/** Options of `matchWeights`. */
export interface MatchWeightsOptions {
  /** Throw unless every expected name is matched and every available weight is used (default true, as tfjs). */
  strict?: boolean;
  /** Shapes of the expected weights: positional pairing requires equal shapes, and matched shapes are checked. */
  expectedShapes?: { [name: string]: number[] };
  /** Allow the positional last resort (default true). */
  allowPositional?: boolean;
}

/** What `matchWeights` found. */
export interface MatchWeightsResult<T> {
  /** expected name → the available value assigned to it. */
  matched: Map<string, T>;
  /** expected name → the available name used (shows which fallback applied). */
  sources: Map<string, string>;
  /** Expected names with no value. */
  missing: string[];
  /** Available names not used. */
  extra: string[];
  /** Pairs [expected, available] that were matched by position only. */
  positional: Array<[string, string]>;
}

/** `a/b/c/w` → `a/b/w` (tfjs: drop the second-to-last segment); null for names of fewer than 3 segments. */
export function dropCellSegment(name: string): string | null {
  const tokens = name.split('/');
  if (tokens.length < 3) return null;
  return tokens
    .slice(0, -2)
    .concat([tokens[tokens.length - 1]])
    .join('/');
}

/** `lstm/kernel_1` → `lstm/kernel` (a uniquifying suffix on the last segment); null when there is none. */
export function stripVariableSuffix(name: string): string | null {
  const m = /^(.*\/)?([^/]*?)_(\d+)$/.exec(name);
  if (!m || m[2].length === 0) return null;
  return `${m[1] ?? ''}${m[2]}`;
}

function shapeOf(x: unknown): number[] | undefined {
  const s = x !== null && typeof x === 'object' ? (x as { shape?: unknown }).shape : undefined;
  return Array.isArray(s) ? s : undefined;
}

function sameShape(a: number[] | undefined, b: number[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Assigns available weights (by file name) to expected variable names. Pure: it only reads its
 * arguments. In strict mode it throws an Error listing the missing and the extra names; in
 * non-strict mode it reports them.
 *
 * ```js
 * const {matched} = matchWeights(['lstm/kernel'], {'lstm/lstm_cell/kernel': t});
 * matched.get('lstm/kernel') === t;
 * ```
 */
export function matchWeights<T>(
  expectedNames: string[],
  available: { [name: string]: T },
  options: MatchWeightsOptions = {},
): MatchWeightsResult<T> {
  const fn = 'matchWeights';
  const strict = options.strict ?? true;
  const allowPositional = options.allowPositional ?? true;
  if (!Array.isArray(expectedNames) || expectedNames.some((n) => typeof n !== 'string')) {
    throw new ValueError(`${fn}: expectedNames must be an array of strings.`);
  }
  if (available === null || typeof available !== 'object') {
    throw new ValueError(`${fn}: available must be an object {name: tensor}, received ${String(available)}.`);
  }
  const expectedSet = new Set<string>();
  for (const n of expectedNames) {
    if (expectedSet.has(n)) throw new ValueError(`${fn}: duplicate expected weight name '${n}'.`);
    expectedSet.add(n);
  }
  const availableNames = Object.keys(available);
  const matched = new Map<string, T>();
  const sources = new Map<string, string>();
  const used = new Set<string>();
  const assign = (expected: string, source: string): void => {
    matched.set(expected, available[source]);
    sources.set(expected, source);
    used.add(source);
  };

  // 1. Exact names.
  for (const name of availableNames) if (expectedSet.has(name)) assign(name, name);

  // 2. File names with the cell segment dropped (only onto expected names still free).
  for (const name of availableNames) {
    if (used.has(name)) continue;
    const short = dropCellSegment(name);
    if (short !== null && expectedSet.has(short) && !matched.has(short)) assign(short, name);
  }

  // 2b. File names with one leading scope segment more (a model name: 'sequential/lstm/kernel' for 'lstm/kernel';
  // with a cell segment too, as the tfjs converter writes Keras 3 files: 'sequential/lstm/lstm_cell/kernel').
  for (const name of availableNames) {
    if (used.has(name)) continue;
    const slash = name.indexOf('/');
    if (slash <= 0) continue;
    const unscoped = name.slice(slash + 1);
    for (const short of [unscoped, dropCellSegment(unscoped)]) {
      if (short !== null && expectedSet.has(short) && !matched.has(short)) {
        assign(short, name);
        break;
      }
    }
  }

  // 3. Expected names carrying a variable-uniquifying suffix, matched by their original name.
  const unusedByName = new Map<string, string>();
  for (const name of availableNames) {
    if (used.has(name)) continue;
    unusedByName.set(name, name);
    const short = dropCellSegment(name);
    if (short !== null && !unusedByName.has(short)) unusedByName.set(short, name);
  }
  for (const expected of expectedNames) {
    if (matched.has(expected)) continue;
    const original = stripVariableSuffix(expected);
    if (original === null) continue;
    const source = unusedByName.get(original);
    if (source !== undefined && !used.has(source)) assign(expected, source);
  }

  // 4. Position, as a last resort.
  const positional: Array<[string, string]> = [];
  let missing = expectedNames.filter((n) => !matched.has(n));
  let extra = availableNames.filter((n) => !used.has(n));
  if (allowPositional && missing.length > 0 && missing.length === extra.length) {
    const shapes = options.expectedShapes;
    const ok = shapes === undefined || missing.every((n, i) => sameShape(shapes[n], shapeOf(available[extra[i]])));
    if (ok) {
      missing.forEach((n, i) => {
        assign(n, extra[i]);
        positional.push([n, extra[i]]);
      });
      missing = [];
      extra = [];
    }
  }

  if (options.expectedShapes !== undefined) {
    for (const [expected, value] of matched) {
      const want = options.expectedShapes[expected];
      const got = shapeOf(value);
      if (want !== undefined && got !== undefined && !sameShape(want, got)) {
        throw new ValueError(
          `${fn}: weight '${sources.get(expected)}' has shape [${got.join(',')}] but variable '${expected}' expects [${want.join(',')}].`,
        );
      }
    }
  }

  if (strict && (missing.length > 0 || extra.length > 0)) {
    const parts: string[] = [];
    if (missing.length > 0) {
      parts.push(`${missing.length} of ${expectedNames.length} weights are not set: ${missing.join(', ')}`);
    }
    if (extra.length > 0) parts.push(`provided weight data has no target variable for: ${extra.join(', ')}`);
    throw new ValueError(`${fn}: ${parts.join('; ')}.`);
  }
  return { matched, sources, missing, extra, positional };
}
