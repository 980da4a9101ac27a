/** Keras BatchNormalization keys recurrent does not implement. */
import type { Context } from './types';
import type { JsonObject } from './json';

/** Keras BatchNormalization keys recurrent does not implement (multi-device sync, batch renormalization, ghost batches). */
const BATCH_NORM_IGNORED = ['synchronized', 'renorm', 'renorm_clipping', 'renorm_momentum', 'fused', 'virtual_batch_size', 'adjustment'];

/** Drops the BatchNormalization keys recurrent ignores (in place on the copy), warning when one would change training. */
export function normalizeBatchNormConfig(ctx: Context, config: JsonObject, here: string): void {
  const active = BATCH_NORM_IGNORED.filter((k) =>
    k === 'synchronized' || k === 'renorm'
      ? config[k] === true
      : k === 'virtual_batch_size' || k === 'adjustment'
        ? config[k] != null
        : false,
  );
  if (active.length > 0) {
    ctx.warnings.push(
      `${here}: ${active.join(', ')} ignored: training uses plain batch statistics on one device (inference, with the moving statistics, is unaffected).`,
    );
  }
  for (const k of BATCH_NORM_IGNORED) delete config[k];
}
