import { ValueError } from '@recurrent/core';
/** The [left, right] step counts of ZeroPadding1D and Cropping1D. */

/** `n` → [n, n]; [l, r] stays; anything else (negative, non-integer, wrong length) throws naming the layer and arg. */
export function stepPair(layer: string, name: string, v: unknown): [number, number] {
  const pair = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : null;
  if (!pair || pair.length !== 2 || !pair.every((p) => Number.isInteger(p) && p >= 0)) {
    throw new ValueError(
      `Layer ${layer}: ${name} must be a non-negative integer or a pair [left, right] of them, received ${JSON.stringify(v)}.`,
    );
  }
  return [pair[0], pair[1]];
}
