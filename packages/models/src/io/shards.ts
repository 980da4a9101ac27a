/** Assembling the shard files of a weights manifest into weight specs plus one weight buffer. */
import { checkWeightSpecs, concatenateArrayBuffers } from './weights';
import type { WeightsManifestConfig, WeightsManifestEntry } from './types';
import { ValueError } from '@recurrent/core';

/** Expected byte length of each manifest group (after validating its specs). */
export function groupByteLengths(fn: string, manifest: WeightsManifestConfig): number[] {
  return manifest.map((group, g) => checkWeightSpecs(`${fn}: weightsManifest[${g}]`, group.weights).totalBytes);
}

/**
 * Checks that each group's shards hold exactly the bytes its specs describe, then concatenates all
 * shards in manifest order. `shards[g][p]` is the content of `manifest[g].paths[p]`; `where(g, p)`
 * names a shard in errors (a file path or URL).
 */
export function assembleShards(
  fn: string,
  manifest: WeightsManifestConfig,
  shards: ArrayBuffer[][],
  where: (group: number, path: number) => string,
): [WeightsManifestEntry[], ArrayBuffer] {
  const expected = groupByteLengths(fn, manifest);
  const specs: WeightsManifestEntry[] = [];
  const flat: ArrayBuffer[] = [];
  manifest.forEach((group, g) => {
    const got = shards[g].reduce((n, b) => n + b.byteLength, 0);
    if (got !== expected[g]) {
      const files = group.paths.map((_p, p) => `${where(g, p)} (${shards[g][p].byteLength} bytes)`).join(', ');
      throw new ValueError(
        `${fn}: weight group ${g} (${group.weights
          .map((w) => `'${w.name}'`)
          .slice(0, 6)
          .join(', ')}${group.weights.length > 6 ? ', ...' : ''}) ` +
          `needs ${expected[g]} bytes but its shard files hold ${got}: ${files}.`,
      );
    }
    specs.push(...group.weights);
    flat.push(...shards[g]);
  });
  checkWeightSpecs(fn, specs); // names unique across groups
  return [specs, concatenateArrayBuffers(flat)];
}
