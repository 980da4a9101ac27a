/**
 * `model.compile(...)`: resolves the optimizer, one loss per output (a single loss for all, an array, or
 * `{outputName: loss}`), `lossWeights`, and metrics and weighted metrics per output, and names the logs as tfjs
 * does: 'loss', then `${output}_loss` per output when there are several, then the metrics (`acc` for 'accuracy',
 * prefixed with the output name when there are several outputs: `dense_1_acc`), then the weighted metrics (Keras's
 * naming rule, see `metricsNamesOf`).
 */
import type { Shape } from '@recurrent/layers';
import { warnOnce, checkArgKeys } from '@recurrent/layers';
import { getLoss } from '../losses/get_loss';
import type { LossOrMetricFn } from '../losses/losses';
import { getMetric } from '../metrics/get_metric';
import type { ResolvedMetric } from '../metrics/get_metric';
import { Optimizer } from '../optimizers/optimizer';
import { getOptimizer } from '../optimizers/train';
import { withErrorPrefix } from '../error_prefix';
import { ValueError } from '@recurrent/core';

/** A loss given to `compile`: a name or a function `(yTrue, yPred) => perSampleLoss`. */
export type LossIdentifier = string | LossOrMetricFn;

/** Args of `compile` (tfjs `ModelCompileArgs`, plus Keras's `lossWeights`). */
export interface ModelCompileArgs {
  /** An optimizer name ('sgd', 'adam', 'rmsprop', ...) or instance (`train.adam(0.01)`). */
  optimizer: string | Optimizer;
  /**
   * A loss for every output, one per output (array), or per output name (`{dense_1: 'mse'}`). May be left out when
   * the model's layers add their losses (`layer.addLoss`, Keras 3's `compile()` without a loss): training then
   * minimizes those alone (and fails at the first step if none was added).
   */
  loss?: LossIdentifier | LossIdentifier[] | { [outputName: string]: LossIdentifier } | null;
  /** Metrics: names ('accuracy', 'mse', ...) or functions for every output, or per output name. */
  metrics?: MetricsArg;
  /**
   * Metrics computed with the sample (and class) weights of `fit`/`evaluate` (Keras `weighted_metrics`): Σ w·v / Σ w
   * over the samples (over the whole epoch in `fit`). Same forms as `metrics`. Logged after all unweighted metrics,
   * under the metric's name, or `weighted_<name>` when the same output also has it unweighted
   * (`compile({metrics: ['mae'], weightedMetrics: ['mae']})` logs 'mae' and 'weighted_mae'). Without weights they
   * equal the unweighted metric.
   */
  weightedMetrics?: MetricsArg;
  /**
   * Weights of the outputs' losses in the total (array or `{outputName: weight}`; default 1 each).
   * tfjs note: tfjs has no lossWeights; Keras does.
   */
  lossWeights?: number[] | { [outputName: string]: number };
  /** Accepted for tfjs compatibility (tfjs ignores it too); per-class weights go to `fit`. */
  classWeight?: unknown;
}

/** Metrics of `compile`: one identifier or a list for every output, or per output name. */
export type MetricsArg = LossIdentifier | LossIdentifier[] | { [outputName: string]: LossIdentifier | LossIdentifier[] };

/** What `compile` resolved. */
export interface CompiledState {
  optimizer: Optimizer;
  /** The loss as given (for `model.loss` and the training config); null when compiled without one. */
  lossArg: ModelCompileArgs['loss'];
  /** The loss identifier of each output (none when compiled without a loss: the layers add theirs). */
  lossIds: LossIdentifier[];
  lossFns: LossOrMetricFn[];
  lossWeights: number[];
  /** The metric identifiers of each output, as given. */
  metricIds: LossIdentifier[][];
  /** The resolved metrics of each output. */
  metrics: ResolvedMetric[][];
  /** The weighted-metric identifiers of each output, as given. */
  weightedMetricIds: LossIdentifier[][];
  /** The resolved weighted metrics of each output (computed with the sample weights; logged after `metrics`). */
  weightedMetrics: ResolvedMetric[][];
  /** Log keys: 'loss', per-output losses (several outputs), metrics. */
  metricsNames: string[];
}

const COMPILE_KEYS = ['optimizer', 'loss', 'metrics', 'weightedMetrics', 'lossWeights', 'classWeight'];

function isPlainObject(x: unknown): x is { [k: string]: unknown } {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Spreads a per-output argument (one value for all, an array, or `{outputName: value}`) over the outputs. */
function perOutput<T>(value: T | T[] | { [name: string]: T }, outputNames: string[], what: string, missing: (name: string) => T): T[] {
  if (Array.isArray(value)) {
    if (value.length !== outputNames.length) {
      throw new ValueError(
        `compile: ${what} is an array of ${value.length}, but the model has ${outputNames.length} output(s) (${outputNames.join(', ')}); give one per output.`,
      );
    }
    return value;
  }
  if (isPlainObject(value) && typeof value !== 'function') {
    const dict = value as { [name: string]: T };
    for (const key of Object.keys(dict)) {
      if (!outputNames.includes(key)) {
        throw new ValueError(`compile: unknown output '${key}' in ${what}; the model's outputs are: ${outputNames.join(', ')}.`);
      }
    }
    return outputNames.map((n) => (Object.prototype.hasOwnProperty.call(dict, n) ? dict[n] : missing(n)));
  }
  return outputNames.map(() => value as T);
}

/**
 * The display name tfjs gives a metric in logs ('accuracy' → 'acc', 'crossentropy' → 'ce').
 * tfjs note: Keras 3 logs the metric 'accuracy' as 'accuracy' / 'val_accuracy'; we keep tfjs's 'acc' / 'val_acc'
 * (a Keras port reads `history.history.acc`; checked in test/keras_examples/).
 */
function tfjsMetricName(id: LossIdentifier, resolved: string): string {
  if (id === 'accuracy' || id === 'acc') return 'acc';
  if (id === 'crossentropy' || id === 'ce') return 'ce';
  return resolved;
}

/** Resolves the metrics of each output for its loss and shape (tfjs's 'accuracy' resolution). */
export function resolveMetrics(
  metricIds: LossIdentifier[][],
  lossIds: LossIdentifier[],
  outputShapes: (Shape | undefined)[],
): ResolvedMetric[][] {
  return metricIds.map((ids, i) =>
    ids.map((id) => {
      const m = withErrorPrefix('compile: ', () => getMetric(id, lossIds[i], outputShapes[i]));
      return { ...m, name: tfjsMetricName(id, m.name) };
    }),
  );
}

/**
 * Log keys for the resolved losses, metrics and weighted metrics: 'loss', `${output}_loss` (several outputs), the
 * metrics, then the weighted metrics (as Keras 3 orders them), each prefixed with its output name when there are
 * several outputs. A weighted metric is logged under its name, or `weighted_<name>` when the same output also has
 * that metric unweighted (Keras 3's rule).
 * tfjs note: tfjs has no weighted metrics; the names follow Keras's rule with the tfjs-style metric name
 * ('weighted_categoricalAccuracy', 'out2_weighted_acc'; Keras: 'weighted_categorical_accuracy').
 */
export function metricsNamesOf(
  outputNames: string[],
  metrics: ResolvedMetric[][],
  weightedMetrics: ResolvedMetric[][] = [],
  perOutputLosses = true,
): string[] {
  const multi = outputNames.length > 1;
  const names = ['loss'];
  // Without a compiled loss (the layers add theirs) there is only the total, as Keras 3.
  if (multi && perOutputLosses) names.push(...outputNames.map((n) => `${n}_loss`));
  const add = (i: number, name: string) => names.push(multi ? `${outputNames[i]}_${name}` : name);
  metrics.forEach((ms, i) => ms.forEach((m) => add(i, m.name)));
  weightedMetrics.forEach((ms, i) => ms.forEach((m) => add(i, metrics[i].some((u) => u.name === m.name) ? `weighted_${m.name}` : m.name)));
  return names;
}

/** A `metrics`-style argument as the metric identifiers of each output. */
function metricIdsOf(m: MetricsArg | undefined, outputNames: string[], what: string): LossIdentifier[][] {
  if (m == null) return outputNames.map(() => []);
  if (isPlainObject(m) && typeof m !== 'function') {
    return perOutput<LossIdentifier | LossIdentifier[]>(m as { [k: string]: LossIdentifier }, outputNames, what, () => []).map((v) =>
      Array.isArray(v) ? v : [v],
    );
  }
  const list = Array.isArray(m) ? m : [m];
  return outputNames.map(() => list as LossIdentifier[]);
}

/**
 * Resolves `compile`'s args for a model with `outputNames` and `outputShapes` (undefined while unknown). Every
 * name is resolved now, so an unknown optimizer, loss or metric throws here, before any training.
 */
export function resolveCompileArgs(args: ModelCompileArgs, outputNames: string[], outputShapes: (Shape | undefined)[]): CompiledState {
  if (args == null || typeof args !== 'object')
    throw new ValueError(`compile: expected {optimizer, loss, metrics?}, received ${String(args)}.`);
  checkArgKeys('compile', args, COMPILE_KEYS);
  if (args.classWeight !== undefined) warnOnce(`compile: classWeight has no effect in compile (as in tfjs); pass classWeight to fit().`);
  if (args.optimizer == null)
    throw new ValueError(`compile: an optimizer is required, e.g. compile({optimizer: 'adam', loss: 'meanSquaredError'}).`);
  // tfjs note: tfjs requires a loss; Keras 3 compiles without one for models whose layers add theirs (`add_loss`,
  // keras.io's OCR CTCLayer), and so do we: the added losses are then the whole objective.
  const optimizer = withErrorPrefix('compile: ', () => getOptimizer(args.optimizer));
  const lossIds =
    args.loss == null
      ? []
      : perOutput<LossIdentifier>(args.loss, outputNames, 'loss', (name) => {
          throw new ValueError(
            `compile: the loss dictionary has no entry for output '${name}'; give a loss for every output (${outputNames.join(', ')}).`,
          );
        });
  const lossFns = lossIds.map((id, i) =>
    withErrorPrefix(`compile: ${outputNames.length > 1 ? `output '${outputNames[i]}': ` : ''}`, () => getLoss(id)),
  );
  const lossWeights =
    args.lossWeights == null
      ? outputNames.map(() => 1)
      : perOutput<number>(args.lossWeights as number[], outputNames, 'lossWeights', () => 1);
  lossWeights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      throw new ValueError(`compile: lossWeights for output '${outputNames[i]}' must be a finite number, received ${String(w)}.`);
    }
  });
  const metricIds = metricIdsOf(args.metrics, outputNames, 'metrics');
  const weightedMetricIds = metricIdsOf(args.weightedMetrics, outputNames, 'weightedMetrics');
  const metrics = resolveMetrics(metricIds, lossIds, outputShapes);
  const weightedMetrics = resolveMetrics(weightedMetricIds, lossIds, outputShapes);
  return {
    optimizer,
    lossArg: args.loss ?? null,
    lossIds,
    lossFns,
    lossWeights,
    metricIds,
    metrics,
    weightedMetricIds,
    weightedMetrics,
    metricsNames: metricsNamesOf(outputNames, metrics, weightedMetrics, lossIds.length > 0),
  };
}
