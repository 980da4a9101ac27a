/** Keras 3 LayerNormalization's `rms_scaling`. */
import { at, describe, fail } from './util';
import type { JsonObject } from './json';

/**
 * Drops Keras 3's LayerNormalization `rms_scaling` when false (the default, written in every Keras 3 file);
 * true (deprecated in Keras: it scales by the variance, without beta) is refused.
 * tfjs note: tfjs refuses the key whatever its value.
 */
export function normalizeLayerNormConfig(config: JsonObject, here: string): void {
  if (config.rms_scaling === undefined) return;
  if (config.rms_scaling !== false && config.rms_scaling !== null) {
    fail(
      at(here, 'rms_scaling'),
      `LayerNormalization rms_scaling (deprecated in Keras 3) is not supported, received ${describe(config.rms_scaling)}; ` +
        'save the model with rms_scaling=False.',
    );
  }
  delete config.rms_scaling;
}
