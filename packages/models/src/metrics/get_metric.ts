/**
 * Metric lookup for `compile({metrics})`: names, aliases, loss functions as metrics, and Keras's
 * resolution of 'accuracy'/'acc' (and 'crossentropy'/'ce') from the loss.
 */
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  cosineProximity,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  sparseCategoricalCrossentropy,
  LossOrMetricFn,
} from '../losses/losses';
import { nameTable, ownEntry } from '@recurrent/layers';
import { LOSSES, getLoss, lossName } from '../losses/get_loss';
import { binaryAccuracy, categoricalAccuracy, precision, r2Score, recall, sparseCategoricalAccuracy } from './metrics';
import { auc, perplexity, sparseTopKCategoricalAccuracy, topKCategoricalAccuracy } from './ranking_metrics';
import { ValueError } from '@recurrent/core';

/** A metric resolved for training: its display name (Keras's key in logs/history) and function. */
export interface ResolvedMetric {
  name: string;
  fn: LossOrMetricFn;
}

/** The metric-only functions (not losses), by their tfjs names. */
const METRIC_FUNCTIONS = {
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  precision,
  recall,
  r2Score,
  topKCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  auc,
  perplexity,
};

/** The metric functions by name, as tfjs's `tf.metrics` namespace. */
export const metrics = {
  ...METRIC_FUNCTIONS,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  cosineProximity,
  meanSquaredError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  mse: meanSquaredError,
  MSE: meanSquaredError,
  mae: meanAbsoluteError,
  MAE: meanAbsoluteError,
  mape: meanAbsolutePercentageError,
  MAPE: meanAbsolutePercentageError,
};

/** Metric-only names (camelCase and Keras snake_case); any loss name is a metric too. */
const METRICS: Readonly<{ [name: string]: LossOrMetricFn }> = nameTable({
  ...METRIC_FUNCTIONS,
  binary_accuracy: binaryAccuracy,
  categorical_accuracy: categoricalAccuracy,
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
  r2_score: r2Score,
  top_k_categorical_accuracy: topKCategoricalAccuracy,
  sparse_top_k_categorical_accuracy: sparseTopKCategoricalAccuracy,
});

const ACCURACY = ['accuracy', 'acc'];
const CROSSENTROPY = ['crossentropy', 'ce'];

/**
 * Resolves one entry of `compile({metrics})`.
 *
 * - 'accuracy' / 'acc' become binaryAccuracy when the loss is binaryCrossentropy (or the model's
 *   output has a last dimension of 1, as tfjs-layers), sparseCategoricalAccuracy when the loss is
 *   sparseCategoricalCrossentropy, and categoricalAccuracy otherwise (Keras's rule);
 *   'crossentropy' / 'ce' resolve the same way to the matching cross-entropy.
 * - Other strings are metric names ('binaryAccuracy', 'precision', 'mse', 'binary_accuracy', ...)
 *   or any loss name; functions are used as is.
 *
 * The display name is the string as given ('acc' stays 'acc', 'accuracy' stays 'accuracy', 'mse'
 * stays 'mse'); functions are named by their registered name, else their JS name.
 *
 * tfjs note: tfjs-layers always displays 'accuracy' as 'acc'; we keep the user's spelling as Keras.
 */
export function getMetric(
  identifier: string | LossOrMetricFn,
  lossIdentifier?: string | LossOrMetricFn,
  outputShape?: readonly (number | null)[],
): ResolvedMetric {
  if (typeof identifier === 'function') {
    return { name: metricName(identifier), fn: identifier };
  }
  if (typeof identifier === 'string') {
    const isAcc = ACCURACY.includes(identifier);
    if (isAcc || CROSSENTROPY.includes(identifier)) {
      const loss = lossIdentifier == null ? undefined : getLoss(lossIdentifier);
      const binaryOutput = outputShape != null && outputShape.length > 0 && outputShape[outputShape.length - 1] === 1;
      let fn: LossOrMetricFn;
      if (loss === binaryCrossentropy || binaryOutput) fn = isAcc ? binaryAccuracy : binaryCrossentropy;
      else if (loss === sparseCategoricalCrossentropy) fn = isAcc ? sparseCategoricalAccuracy : sparseCategoricalCrossentropy;
      else fn = isAcc ? categoricalAccuracy : categoricalCrossentropy;
      return { name: identifier, fn };
    }
    const fn = ownEntry(METRICS, identifier);
    if (fn !== undefined) return { name: identifier, fn };
    if (lossName(identifier) !== undefined) return { name: identifier, fn: getLoss(identifier) };
  }
  const shown = typeof identifier === 'string' ? `'${identifier}'` : String(identifier);
  throw new ValueError(
    `getMetric: unknown metric ${shown}; known metrics: ${[...ACCURACY, ...CROSSENTROPY, ...Object.keys(METRICS)].join(', ')}, ` +
      `or any loss name (${Object.keys(LOSSES).join(', ')}, mse, mae, ...), or a function.`,
  );
}

/** The metrics whose value rises as the model improves: every metric-only function but perplexity (losses fall). */
const RISING: ReadonlySet<LossOrMetricFn> = new Set<LossOrMetricFn>(Object.values(METRIC_FUNCTIONS).filter((f) => f !== perplexity));

/**
 * Which way a log key improves, from the built-in metric or loss it names: 'max' for 'val_acc', 'precision',
 * 'out1_binary_accuracy' (an output's prefix), 'min' for 'loss', 'val_mse', 'perplexity'; undefined for a name
 * no built-in metric or loss has (a custom metric). What the callbacks' mode 'auto' uses.
 */
export function monitorDirection(logKey: string): 'min' | 'max' | undefined {
  const name = logKey.startsWith('val_') ? logKey.slice(4) : logKey;
  // The name itself, then each suffix after an '_' (multi-output keys are '<output>_<metric>').
  for (let start = 0; ;) {
    const candidate = name.slice(start);
    if (candidate === 'loss' || CROSSENTROPY.includes(candidate) || lossName(candidate) !== undefined) return 'min';
    if (ACCURACY.includes(candidate)) return 'max';
    const fn = ownEntry(METRICS, candidate);
    if (fn !== undefined) return RISING.has(fn) ? 'max' : 'min';
    const next = name.indexOf('_', start);
    if (next === -1) return undefined;
    start = next + 1;
  }
}

/** The display name of a metric function: its registered metric or loss name, else its JS name. */
export function metricName(fn: LossOrMetricFn): string {
  const m = Object.keys(METRICS).find((k) => METRICS[k] === fn);
  if (m !== undefined) return m;
  const l = lossName(fn);
  if (l !== undefined) return l;
  return fn.name || 'metric';
}
