/**
 * `env()`, as tfjs's `tf.env()`: the environment flags a program reads to adapt to where it runs, e.g.
 * `env().get('IS_BROWSER')` (tfjs-examples lstm-text-generation picks its sampling path so). The flags are
 * IS_BROWSER, IS_NODE and IS_TEST; each is evaluated when first read, and `set` overrides it (tests do, to take a
 * browser path in Node).
 *
 * ```js
 * if (env().get('IS_BROWSER')) drawChart(history);
 * ```
 *
 * tfjs note: tfjs's backend flags (DEBUG, PROD, WEBGL_*, WASM_*) have no meaning here and are refused as unknown
 * flags (the backend is chosen with `setBackend`, the thread count with `setThreadsCount`), and so are its
 * browser-detection flags IS_CHROME and IS_SAFARI.
 */
import { ValueError } from './errors';

type FlagValue = boolean | number | string;

const g = globalThis as {
  window?: unknown;
  document?: unknown;
  WorkerGlobalScope?: unknown;
  process?: { versions?: { node?: string } };
};

/** How each flag is evaluated (as tfjs's registered flags). */
const FLAGS: { [name: string]: () => FlagValue } = {
  // As tfjs: a page, or a web worker.
  IS_BROWSER: () => (typeof g.window !== 'undefined' && g.document != null) || typeof g.WorkerGlobalScope !== 'undefined',
  IS_NODE: () => typeof g.process?.versions?.node === 'string',
  IS_TEST: () => false,
};

/** The environment: flag values by name. */
export class Environment {
  private readonly values: { [name: string]: FlagValue } = Object.create(null) as { [name: string]: FlagValue };

  /** The value of `flag` (evaluated on first read). Throws on a flag that does not exist. */
  get(flag: string): FlagValue {
    if (!(flag in this.values)) this.values[flag] = evaluatorOf('get', flag)();
    return this.values[flag];
  }

  /** The value of a boolean flag. */
  getBool(flag: string): boolean {
    const v = this.get(flag);
    if (typeof v !== 'boolean') throw new ValueError(`env().getBool: flag '${flag}' is not a boolean, it is ${String(v)}.`);
    return v;
  }

  /** Overrides `flag` (e.g. `set('IS_BROWSER', true)` in a test). */
  set(flag: string, value: FlagValue): void {
    const type = typeof evaluatorOf('set', flag)();
    if (typeof value !== type)
      throw new ValueError(`env().set: flag '${flag}' takes a ${type}, received ${typeof value} ${String(value)}.`);
    this.values[flag] = value;
  }

  /** The flags read or set so far, by name. */
  getFlags(): { [name: string]: FlagValue } {
    return { ...this.values };
  }

  /** Forgets read and set values: each flag is evaluated again on its next read. */
  reset(): void {
    for (const k of Object.keys(this.values)) delete this.values[k];
  }
}

function evaluatorOf(where: string, flag: string): () => FlagValue {
  const f = Object.prototype.hasOwnProperty.call(FLAGS, flag) ? FLAGS[flag] : undefined;
  if (f === undefined) {
    throw new ValueError(`env().${where}: unknown flag '${String(flag)}'; the flags are ${Object.keys(FLAGS).join(', ')}.`);
  }
  return f;
}

/** The one environment (tfjs's `ENV`; prefer `env()`). */
export const ENV: Environment = new Environment();

/** The environment, as tfjs's `tf.env()`: `env().get('IS_BROWSER')`. */
export function env(): Environment {
  return ENV;
}
