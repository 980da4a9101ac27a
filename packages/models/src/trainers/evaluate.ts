/**
 * Inference-mode loops: `evaluate` (loss — with the layers' regularization penalties, as Keras 3 — and metrics over
 * batches, each the batch-size-weighted mean of the batch means, as tfjs) and `predict` (outputs in batches, concatenated).
 */
import { checkArgKeys } from '@recurrent/layers';
import { concat, scalar, Tensor, NotImplementedError } from '@recurrent/core';
import type { Scalar } from '@recurrent/core';
import { makeBatches, sliceRows } from '../engine/data';
import type { CompiledState } from './compile';
import { checkPositiveInt, checkSampleWeight, checkTemporalWeightAgainstTarget } from './checks';
import { checkSampleCount } from '../engine/fit_guards';
import { FitModel, StepModel, testStep } from './train_step';
import { entryLabel } from './data_adapter';

/** Args of `evaluate` (tfjs `ModelEvaluateArgs`). */
export interface ModelEvaluateArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Accepted for tfjs compatibility; evaluate prints nothing. */
  verbose?: number;
  /** Weights of the loss: [n], one per sample, or [n, timeSteps], one per time step of sequence outputs (as fit). */
  sampleWeight?: Tensor;
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

/** The log values over all of `xs`, `ys` in batches (metricsNames order). */
export function evaluateLoop(
  model: StepModel,
  state: CompiledState,
  xs: Tensor[],
  ys: Tensor[],
  batchSize: number,
  sampleWeight: Tensor | null,
  where = 'evaluate',
): number[] {
  const n = xs[0].shape[0];
  const sums = new Float64Array(state.metricsNames.length);
  for (const [start, end] of makeBatches(n, batchSize)) {
    const xb = xs.map((t) => sliceRows(t, start, end));
    const yb = ys.map((t) => sliceRows(t, start, end));
    const w = sampleWeight ? sliceRows(sampleWeight, start, end) : null;
    const outs = testStep(
      model,
      state,
      xb,
      yb,
      yb.map(() => w),
      where,
    );
    // tfjs note: every value (per-output losses too) weighs its batch by size, so loss = Σ lossWeight · output
    // loss holds; Keras 3 averages its per-output loss logs over batches unweighted (differs with a smaller last batch).
    outs.forEach((v, i) => (sums[i] += v * (end - start)));
  }
  return Array.from(sums, (s) => s / n);
}

/** `model.evaluate(x, y, args)`: a scalar, or `[loss, ...]` when there is more than the loss to report (tfjs). */
export function evaluateModel(model: FitModel, x: unknown, y: unknown, args: ModelEvaluateArgs = {}): Scalar | Scalar[] {
  const where = 'evaluate';
  const state = model.compiledFor(where);
  checkArgKeys(where, args ?? {}, ['batchSize', 'verbose', 'sampleWeight', 'steps']);
  if (args?.steps != null) throw new NotImplementedError(`evaluate: steps is not supported for tensor inputs; use batchSize.`);
  const { xs, ys } = model.prepareData(x, y, where);
  const n = xs[0].shape[0];
  checkSampleCount(where, n, xs[0].shape);
  const batchSize = checkPositiveInt(where, 'batchSize', args?.batchSize ?? 32);
  const sw = args?.sampleWeight != null ? checkSampleWeight(args.sampleWeight, n, where) : null;
  if (sw) ys.forEach((yt, i) => checkTemporalWeightAgainstTarget(sw, yt, where, entryLabel('y', model.outputNames, i)));
  const outs = evaluateLoop(model, state, xs, ys, batchSize, sw).map((v) => scalar(v) as Scalar);
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
