/**
 * The unknown-option check of every options object in this package (fit, compile, save, callbacks, schedules,
 * clip options, data and preprocessing helpers), with one error form naming the call, the key and the known keys.
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
