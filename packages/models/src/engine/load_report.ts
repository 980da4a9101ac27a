/**
 * What `loadLayersModel` did with the weights of a file: which variables got which file weight and how, which
 * variables got none, which file weights were left over. Every loaded model carries one as `model.loadReport`;
 * with `{strict: false}` it is the way to see mismatches (a dry run: nothing throws for them).
 *
 * ```js
 * const model = await loadLayersModel('file://./old/model.json', {strict: false});
 * console.log(model.loadReport.missing, model.loadReport.extra);
 * ```
 */

/** One variable that received a file weight. */
export interface LoadedWeight {
  /** The variable's name in the model (tfjs-style, e.g. 'lstm/kernel'). */
  name: string;
  /** The weight's name in the file (differs when matched by a fallback, e.g. 'lstm/lstm_cell/kernel'). */
  source: string;
  shape: number[];
  /** 'exact' (same name), 'renamed' (cell segment dropped / variable suffix ignored) or 'position' (last resort). */
  match: 'exact' | 'renamed' | 'position';
}

/** A variable or file weight, by name and shape. */
export interface NamedShape {
  name: string;
  shape: number[];
}

/** The weight-matching outcome of a load. */
export interface WeightLoadReport {
  /** Whether the load was strict (then missing, extra and mismatched are empty, or the load threw). */
  strict: boolean;
  /** Variables set from the file, in the model's weight order. */
  matched: LoadedWeight[];
  /** Variables with no weight in the file (they keep their initial values). */
  missing: NamedShape[];
  /** File weights that no variable took. */
  extra: NamedShape[];
  /** Name matches whose shapes or dtypes differ (not assigned). */
  mismatched: Array<{
    name: string;
    source: string;
    expectedShape: number[];
    fileShape: number[];
    expectedDtype: string;
    fileDtype: string;
  }>;
  /**
   * Optimizer-state weights in the file (group 'optimizer') not loaded: the file has no training config (so the model
   * is not compiled), or (non-strict) they did not fit the optimizer (see `warnings`). Empty when they were restored.
   */
  skippedOptimizerWeights: string[];
  /** Whether the model was compiled from the file's training config. */
  compiled: boolean;
  /** Anything else worth knowing (e.g. a training config that could not be applied in non-strict mode). */
  warnings: string[];
}
