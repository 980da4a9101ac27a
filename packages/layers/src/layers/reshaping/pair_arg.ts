import { ValueError } from '@recurrent/core';
/** The [left, right] step counts of ZeroPadding1D and Cropping1D, and the side counts of ZeroPadding2D and Cropping2D. */

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

/**
 * The [[top, bottom], [left, right]] counts of ZeroPadding2D and Cropping2D from `n` (all four sides), [rows, cols]
 * (both sides of each axis) or [[top, bottom], [left, right]]; anything else throws naming the layer and arg.
 */
export function sidePairs2D(layer: string, name: string, v: unknown): [[number, number], [number, number]] {
  const isPair = (p: unknown): p is [unknown, unknown] => Array.isArray(p) && p.length === 2;
  let sides: unknown[] | null = null;
  if (typeof v === 'number') sides = [v, v, v, v];
  else if (isPair(v) && v.every((p) => typeof p === 'number')) sides = [v[0], v[0], v[1], v[1]];
  else if (isPair(v) && v.every(isPair)) sides = [...(v[0] as unknown[]), ...(v[1] as unknown[])];
  if (!sides || !sides.every((p) => Number.isInteger(p) && (p as number) >= 0)) {
    throw new ValueError(
      `Layer ${layer}: ${name} must be a non-negative integer, a pair [rows, cols] of them or [[top, bottom], [left, right]], ` +
        `received ${JSON.stringify(v)}.`,
    );
  }
  const [t, b, l, r] = sides as number[];
  return [
    [t, b],
    [l, r],
  ];
}
