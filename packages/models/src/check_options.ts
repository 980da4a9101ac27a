/**
 * Checks of option values shared by this package (fitDataset, the callbacks), naming the call, the option and
 * what was expected. (Unknown option names: `checkArgKeys` of @recurrent/layers, with its "did you mean".)
 *
 * ```ts
 * intOption('fitDataset', 'epochs', 0, 1); // fitDataset: epochs must be an integer >= 1, received 0.
 * ```
 */
import { ValueError } from '@recurrent/core';

/** `v` if it is an integer >= `min`, else an error naming the option. */
export function intOption(where: string, name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ValueError(`${where}: ${name} must be an integer >= ${min}, received ${String(v)}.`);
  }
  return v;
}
