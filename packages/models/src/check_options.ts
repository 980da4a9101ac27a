/**
 * Checks of options objects shared by this package (fit, compile, save, callbacks, schedules, clip options, data
 * and preprocessing helpers), with one error form each, naming the call, the option and what was expected.
 *
 * ```ts
 * checkKeys('fit', args, ['epochs', 'batchSize']); // fit: unknown option 'epoch'; known options: epochs, batchSize.
 * ```
 */

/** Throws naming the first key of `args` not in `known`. */
export function checkKeys(where: string, args: object, known: readonly string[]): void {
  for (const k of Object.keys(args)) {
    if (!known.includes(k)) throw new Error(`${where}: unknown option '${k}'; known options: ${known.join(', ')}.`);
  }
}

/** `v` if it is an integer >= `min`, else an error naming the option. */
export function intOption(where: string, name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${where}: ${name} must be an integer >= ${min}, received ${String(v)}.`);
  }
  return v;
}
