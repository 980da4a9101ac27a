/**
 * Bounds on the work a model file can ask of the loader before its weights are known to fit (issue #13
 * item 5, docs/SECURITY.md): the file's declared weight total against the `maxParameters` limit, and the
 * weight-creation policy under which the layers are built:
 * - strict loading: every variable must get a file weight of its shape, so the layers may create about as
 *   many values as the file holds (twice that plus STRICT_SLACK_VALUES, enough to name every missing weight
 *   in the error) and their initializers are skipped (zeros, replaced right after — tfjs issue #690); a file
 *   without weights thus fails after at most STRICT_SLACK_VALUES zeros instead of initializing gigabytes;
 * - non-strict loading: at most `maxParameters` values, initializers run (unmatched weights keep them).
 */
import { withWeightCreationPolicy, type WeightCreationPolicy } from '@recurrent/layers';
import { getLoadLimits, raiseHint } from './limits';
import type { WeightsManifestEntry } from './types';
import { ValueError } from '@recurrent/core';

/** Total elements the (model, not optimizer) weight specs declare; throws past the maxParameters limit. */
export function checkDeclaredWeightTotal(fn: string, specs: unknown): number {
  if (!Array.isArray(specs)) return 0;
  let total = 0;
  for (const s of specs as WeightsManifestEntry[]) {
    if (s === null || typeof s !== 'object' || s.group === 'optimizer' || !Array.isArray(s.shape)) continue;
    let n = 1;
    for (const d of s.shape) n *= typeof d === 'number' ? d : NaN;
    if (Number.isFinite(n)) total += n;
  }
  const max = getLoadLimits().maxParameters;
  if (total > max) {
    throw new ValueError(`${fn}: the file declares ${total} weight values, more than ${max} ${raiseHint('maxParameters')}.`);
  }
  return total;
}

/**
 * Values a strict load may create beyond what the file holds: enough to build the model and report exactly
 * which weights are missing (a cheaper failure than refusing at the first weight), small enough that a tiny
 * file cannot make the loader allocate gigabytes.
 */
export const STRICT_SLACK_VALUES = 1 << 20;

/** The weight-creation policy for building a loaded topology (see the file header). */
export function loadWeightPolicy(strict: boolean, fileWeightValues: number | null): WeightCreationPolicy {
  const max = getLoadLimits().maxParameters;
  if (strict) {
    const file = fileWeightValues ?? 0;
    return {
      maxElements: Math.min(max, 2 * file + STRICT_SLACK_VALUES),
      skipInitializers: true,
      why:
        fileWeightValues === null
          ? 'the file has no weights (no weightsManifest / weightSpecs), so a strict load cannot set them; use {strict: false} to load the topology with initial weights'
          : `the file's weights hold ${file} values in all, and a strict load sets every weight from the file`,
    };
  }
  return {
    maxElements: max,
    skipInitializers: false,
    why: `the topology declares more weights than the maxParameters limit ${raiseHint('maxParameters')}`,
  };
}

/** Runs `build` (layer creation and model assembly) under the loading policy. */
export function buildUnderLoadPolicy<T>(strict: boolean, fileWeightValues: number | null, build: () => T): T {
  return withWeightCreationPolicy(loadWeightPolicy(strict, fileWeightValues), build);
}
