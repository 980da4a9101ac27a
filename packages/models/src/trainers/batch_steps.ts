/**
 * The internal batch steps behind `model.trainOnBatch` and `model.evaluate` that also return each value's weighted
 * sums, so `fitDataset`/`evaluateDataset` build a weighted metric's epoch mean as Keras (Σ_b Σ w·v / Σ_b Σ w, also
 * over batches whose weights sum to 0). A model offers them under the `batchSteps` symbol, which the package does not
 * export: the public methods keep tfjs's signatures, and a model without them has every value weigh its batch size.
 */
import type { Scalar } from '@recurrent/core';
import type { SampleWeightArg } from './checks';
import type { StepValues, WeightedSums } from './epoch_sums';
import type { ModelEvaluateArgs } from './evaluate';

/** The key of a model's internal batch steps (not exported from the package). */
export const batchSteps = Symbol('batchSteps');

/** `trainOnBatch` and `evaluate` with the values' weighted sums. */
export interface BatchSteps {
  trainOnBatch(x: unknown, y: unknown, sampleWeight: SampleWeightArg | null): StepValues;
  evaluate(x: unknown, y: unknown, args: ModelEvaluateArgs): { outs: Scalar[]; sums: WeightedSums[] };
}

/** A model that offers its internal batch steps. */
export interface WithBatchSteps {
  [batchSteps](): BatchSteps;
}

/** The model's internal batch steps, or null for a model with only the public methods. */
export function batchStepsOf(model: object): BatchSteps | null {
  const steps = (model as Partial<WithBatchSteps>)[batchSteps];
  return typeof steps === 'function' ? steps.call(model) : null;
}
