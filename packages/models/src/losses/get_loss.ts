/** Loss lookup by tfjs (camelCase) and Keras (snake_case) names, as tfjs-layers' `losses.get`. */
import { nameTable, ownEntry } from '@recurrent/layers';
import * as L from './losses';
import { LossOrMetricFn } from './losses';
import { ctc } from './ctc';
import { ValueError } from '@recurrent/core';

/** Canonical (tfjs-layers) loss names to functions. */
export const LOSSES: Readonly<{ [name: string]: LossOrMetricFn }> = nameTable({
  meanSquaredError: L.meanSquaredError,
  meanAbsoluteError: L.meanAbsoluteError,
  meanAbsolutePercentageError: L.meanAbsolutePercentageError,
  meanSquaredLogarithmicError: L.meanSquaredLogarithmicError,
  huberLoss: L.huberLoss,
  logCosh: L.logCosh,
  binaryCrossentropy: L.binaryCrossentropy,
  categoricalCrossentropy: L.categoricalCrossentropy,
  sparseCategoricalCrossentropy: L.sparseCategoricalCrossentropy,
  kullbackLeiblerDivergence: L.kullbackLeiblerDivergence,
  hinge: L.hinge,
  squaredHinge: L.squaredHinge,
  categoricalHinge: L.categoricalHinge,
  poisson: L.poisson,
  ctc,
  cosineProximity: L.cosineProximity,
});

/** Short tfjs names and Keras snake_case names, each pointing at a canonical name. */
export const LOSS_ALIASES: Readonly<{ [alias: string]: string }> = nameTable({
  mse: 'meanSquaredError',
  MSE: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  MAE: 'meanAbsoluteError',
  mean_absolute_error: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  MAPE: 'meanAbsolutePercentageError',
  mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  MSLE: 'meanSquaredLogarithmicError',
  mean_squared_logarithmic_error: 'meanSquaredLogarithmicError',
  huber: 'huberLoss',
  huber_loss: 'huberLoss',
  logcosh: 'logCosh',
  log_cosh: 'logCosh',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  kld: 'kullbackLeiblerDivergence',
  KLD: 'kullbackLeiblerDivergence',
  kl_divergence: 'kullbackLeiblerDivergence',
  kullback_leibler_divergence: 'kullbackLeiblerDivergence',
  squared_hinge: 'squaredHinge',
  categorical_hinge: 'categoricalHinge',
  cosine: 'cosineProximity',
  cosine_proximity: 'cosineProximity',
  cosine_similarity: 'cosineProximity',
  CTC: 'ctc',
});

/** The canonical name of a loss given by name or function (undefined when unknown). */
export function lossName(identifier: string | LossOrMetricFn): string | undefined {
  if (typeof identifier === 'string') {
    // Own properties of null-prototype tables only: 'constructor', 'toString', ... are unknown losses.
    if (ownEntry(LOSSES, identifier) !== undefined) return identifier;
    return ownEntry(LOSS_ALIASES, identifier);
  }
  return Object.keys(LOSSES).find((k) => LOSSES[k] === identifier);
}

/**
 * Resolves `compile()`'s loss: a function is returned as is; a tfjs or Keras name gives the loss.
 *
 * ```js
 * getLoss('categoricalCrossentropy') === getLoss('categorical_crossentropy');   // true
 * ```
 */
export function getLoss(identifier: string | LossOrMetricFn): LossOrMetricFn {
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string') {
    const name = lossName(identifier);
    if (name !== undefined) return LOSSES[name];
  }
  const shown = typeof identifier === 'string' ? `'${identifier}'` : String(identifier);
  const hint =
    typeof identifier === 'string' && identifier.toLowerCase().includes('softmaxcrossentropy')
      ? " (use 'categoricalCrossentropy' with fromLogits for tf.losses.softmaxCrossEntropy)"
      : '';
  throw new ValueError(
    `getLoss: unknown loss ${shown}${hint}; known losses: ${Object.keys(LOSSES).join(', ')}; ` +
      `aliases: ${Object.keys(LOSS_ALIASES).join(', ')}.`,
  );
}
