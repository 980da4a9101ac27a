/**
 * Inference-mode loops: `evaluate` (loss — with the layers' regularization penalties, as Keras 3 — and metrics over
 * batches, each the batch-size-weighted mean of the batch means, as tfjs) and `predict` (outputs in batches, concatenated).
 */
import { checkArgKeys } from '@recurrent/layers';
import { concat, scalar, Tensor, NotImplementedError } from '@recurrent/core';
import type { Scalar } from '@recurrent/core';
import { makeBatches, sliceRows } from '../engine/data';
import type { CompiledState } from './compile';
import { checkPositiveInt, sampleWeightsPerOutput } from './checks';
import { checkSampleCount } from '../engine/fit_guards';
import { FitModel, StepModel, testStep } from './train_step';
import { EpochSums } from './epoch_sums';
import type { StepValues, WeightedSums } from './epoch_sums';
import type { SampleWeightArg } from './checks';

/** Args of `evaluate` (tfjs `ModelEvaluateArgs`). */
export interface ModelEvaluateArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Accepted for tfjs compatibility; evaluate prints nothing. */
  verbose?: number;
  /**
   * Weights of the loss and the weighted metrics, as `fit`'s: one tensor for every output, or one per output (an
   * array in output order or `{outputName: tensor}`; null/missing: unweighted); each [n], one per sample, or
   * [n, timeSteps], one per time step of a sequence output.
   */
  sampleWeight?: SampleWeightArg;
  /** Not supported (throws when set). */
  steps?: number;
}

/** Args of `predict` (tfjs `ModelPredictArgs`). */
export interface ModelPredictArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Accepted for tfjs compatibility; predict prints nothing. */
  verbose?: boolean;
}

/**
 * The log values over all of `xs`, `ys` in batches (metricsNames order); `sampleWeights` holds each output's weights
 * over all samples (null where none). Each value is the batch-size-weighted mean of its batch values; a weighted
 * metric's is Σ w·v / Σ w over all samples (as Keras), whose sums come with the values (for means over several calls).
 */
export function evaluateLoop(
  model: StepModel,
  state: CompiledState,
  xs: Tensor[],
  ys: Tensor[],
  batchSize: number,
  sampleWeights: (Tensor | null)[] | null,
  where = 'evaluate',
): StepValues {
  const sums = new EpochSums(state.metricsNames);
  for (const [start, end] of makeBatches(xs[0].shape[0], batchSize)) {
    const rows = (t: Tensor) => sliceRows(t, start, end);
    const yb = ys.map(rows);
    const step = testStep(
      model,
      state,
      xs.map(rows),
      yb,
      yb.map((_y, i) => (sampleWeights?.[i] ? rows(sampleWeights[i]!) : null)),
      where,
    );
    // tfjs note: every value (per-output losses too) weighs its batch by size, so loss = Σ lossWeight · output
    // loss holds; Keras 3 averages its per-output loss logs over batches unweighted (differs with a smaller last batch).
    sums.add({}, step.values, end - start, step.sums);
  }
  return { values: state.metricsNames.map((_l, i) => sums.mean(i)), sums: sums.weightedSums() };
}

/**
 * `model.evaluate(x, y, args)` as a list of scalars (metricsNames order), with the weighted metrics' sums (which
 * `evaluateDataset` reaches through the model's internal batch steps, see batch_steps.ts).
 */
export function evaluateWithSums(
  model: FitModel,
  x: unknown,
  y: unknown,
  args: ModelEvaluateArgs = {},
): { outs: Scalar[]; sums: WeightedSums[] } {
  const where = 'evaluate';
  const state = model.compiledFor(where);
  checkArgKeys(where, args ?? {}, ['batchSize', 'verbose', 'sampleWeight', 'steps']);
  if (args?.steps != null) throw new NotImplementedError(`evaluate: steps is not supported for tensor inputs; use batchSize.`);
  const { xs, ys } = model.prepareData(x, y, where);
  const n = xs[0].shape[0];
  checkSampleCount(where, n, xs[0].shape);
  const batchSize = checkPositiveInt(where, 'batchSize', args?.batchSize ?? 32);
  const sws = sampleWeightsPerOutput(args?.sampleWeight, ys, model.outputNames, where);
  const { values, sums } = evaluateLoop(model, state, xs, ys, batchSize, sws, where);
  return { outs: values.map((v) => scalar(v) as Scalar), sums };
}

/** `model.evaluate(x, y, args)`: a scalar, or `[loss, ...]` when there is more than the loss to report (tfjs). */
export function evaluateModel(model: FitModel, x: unknown, y: unknown, args: ModelEvaluateArgs = {}): Scalar | Scalar[] {
  const { outs } = evaluateWithSums(model, x, y, args);
  return outs.length === 1 ? outs[0] : outs;
}

/** `model.predict(xs)` in batches: one tensor per output. */
export function predictLoop(model: StepModel, xs: Tensor[], args: ModelPredictArgs = {}): Tensor[] {
  checkArgKeys('predict', args ?? {}, ['batchSize', 'verbose']);
  const batchSize = checkPositiveInt('predict', 'batchSize', args?.batchSize ?? 32);
  const n = xs[0].shape[0];
  if (n <= batchSize) return model.runOutputs(xs, false);
  const perBatch = makeBatches(n, batchSize).map(([s, e]) =>
    model.runOutputs(
      xs.map((t) => sliceRows(t, s, e)),
      false,
    ),
  );
  return perBatch[0].map((_o, i) =>
    concat(
      perBatch.map((outs) => outs[i]),
      0,
    ),
  );
}
