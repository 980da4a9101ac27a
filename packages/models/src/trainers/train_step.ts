/**
 * The objective of one batch and one optimizer step, for any number of outputs: total loss = Σ lossWeight_i ·
 * mean(loss_i(y_i, ŷ_i) · sampleWeight_i) + the layers' regularization penalties (as tfjs when all weights are 1;
 * a weight is [batch] or, for sequence outputs, [batch, timeSteps]),
 * and the metrics of each output computed on the same predictions (before the update, as tfjs), then the weighted
 * metrics (Σ w·v / Σ w with the same weights as the loss, Keras's `weighted_metrics`).
 */
import { add, formatShape, mean, mul, reshape, scalar, sum, Tensor, variableGrads, ValueError, NotImplementedError } from '@recurrent/core';
import type { LayerVariable } from '@recurrent/layers';
import type { History } from '../callbacks/callback';
import type { CompiledState } from './compile';
import { sampleWeightsPerOutput } from './checks';
import type { SampleWeightArg } from './checks';
import type { StepValues, WeightedSums } from './epoch_sums';

/** What a train/test step needs of a model. */
export interface StepModel {
  readonly name: string;
  /** Runs the model; one tensor per input in, one per output out. */
  runOutputs(xs: Tensor[], training: boolean): Tensor[];
  /** The layers' regularization (and activity) penalties and the losses they added (`addLoss`) in the last run. */
  readonly losses: Tensor[];
  /** The output names (used in errors). */
  readonly outputNames: string[];
}

/** What `fit` needs of a model beyond a step. */
export interface FitModel extends StepModel {
  stopTraining: boolean;
  isTraining: boolean;
  history: History | null;
  readonly trainableWeights: LayerVariable[];
  /** Checks (and, for a Sequential built on first use, builds from) the data, returning it as lists. */
  prepareData(x: unknown, y: unknown, where: string, what?: [string, string]): { xs: Tensor[]; ys: Tensor[] };
  /** The compiled state; throws naming `where` when not compiled. */
  compiledFor(where: string): CompiledState;
}

/** Mean of a tensor's values as a JS number (accumulated in float64). */
export function meanOf(t: Tensor): number {
  const v = t.values;
  if (v.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/**
 * The per-sample loss times its weights: a [batch] weight scales every value of a sample; a [batch, timeSteps] weight
 * (Keras's temporal mode) multiplies a [batch, timeSteps] per-sample loss elementwise; a [batch, 1] weight is one weight
 * per sample (as Keras, which squeezes or broadcasts it). The caller takes the mean over
 * all elements, as Keras's 'sum_over_batch_size' reduction: Σ w·l / count (not Σ w·l / Σ w).
 * tfjs note: Keras 3.15 refuses a [batch] weight on a sequence output whose loss is [batch, timeSteps] (it does not
 * broadcast the weight); here it weighs every step of the sample.
 */
function weighted(perSample: Tensor, sampleWeight: Tensor | null, where: string, outputName: string): Tensor {
  if (!sampleWeight) return perSample;
  if (perSample.rank === 0) {
    throw new ValueError(
      `${where}: the loss returned a scalar, so sample or class weights cannot be applied; a loss must return one value per sample.`,
    );
  }
  // A [batch, 1] weight is one weight per sample, as Keras (it squeezes it for a [batch] loss, broadcasts it over
  // the steps of a [batch, timeSteps] loss).
  const perSampleColumn = sampleWeight.rank === 2 && sampleWeight.shape[1] === 1;
  if (sampleWeight.rank === 2 && !perSampleColumn) {
    if (perSample.rank !== 2 || perSample.shape[0] !== sampleWeight.shape[0] || perSample.shape[1] !== sampleWeight.shape[1]) {
      throw new ValueError(
        `${where}: sampleWeight has shape ${formatShape(sampleWeight.shape)} (one weight per time step), but the per-sample loss of output ` +
          `'${outputName}' has shape ${formatShape(perSample.shape)}; per-time-step weights need a sequence output whose loss is [batch, timeSteps].`,
      );
    }
    return mul(perSample, sampleWeight);
  }
  const shape = [sampleWeight.shape[0], ...new Array(perSample.rank - 1).fill(1)];
  return mul(perSample, reshape(sampleWeight, shape));
}

/** The per-batch objective, the unweighted loss of each output, and the predictions. */
export function forwardLoss(
  model: StepModel,
  state: CompiledState,
  xs: Tensor[],
  ys: Tensor[],
  sampleWeights: (Tensor | null)[],
  training: boolean,
  withRegularization = true,
  where = 'fit',
): { loss: Tensor; outputLosses: Tensor[]; yPreds: Tensor[] } {
  const yPreds = model.runOutputs(xs, training);
  const outputLosses: Tensor[] = [];
  let total: Tensor | null = null;
  state.lossFns.forEach((lossFn, i) => {
    const yPred = yPreds[i];
    const l = mean(weighted(lossFn(ys[i], yPred), sampleWeights[i] ?? null, where, model.outputNames[i] ?? `${i}`));
    outputLosses.push(l);
    const term = state.lossWeights[i] === 1 ? l : mul(l, scalar(state.lossWeights[i]));
    total = total === null ? term : add(total, term);
  });
  let loss: Tensor | null = total;
  // Added losses count with all their elements summed, as Keras 3 (a [batch, 1] CTC column is the batch's sum).
  if (withRegularization) for (const penalty of model.losses) loss = add(loss ?? scalar(0), penalty.rank > 0 ? sum(penalty) : penalty);
  if (loss === null) {
    if (state.lossFns.length > 0 || !withRegularization) loss = scalar(0);
    else {
      throw new ValueError(
        `${where}: no loss to compute: the model was compiled without a loss and no layer added one (layer.addLoss in call); ` +
          `give compile a loss, e.g. compile({optimizer, loss: 'meanSquaredError'}).`,
      );
    }
  }
  return { loss, outputLosses, yPreds };
}

/**
 * A weighted metric's Σ w·v and Σ w on a batch (Keras's weighted `Mean`): `v` holds the metric's values ([batch, ...]),
 * `w` the weights ([batch] or [batch, timeSteps]); where `v` has more values than `w`, each weight takes the mean of
 * its values (the trailing axes). Metrics that return one value for the whole batch (precision, recall, ...) cannot
 * be weighted.
 */
function weightedSums(v: Tensor, w: Tensor, where: string, what: string): [number, number] {
  const k = v.size / w.size;
  if (v.rank === 0 || v.shape[0] !== w.shape[0] || !Number.isInteger(k)) {
    throw new NotImplementedError(
      `${where}: weighted metric ${what} returned shape ${formatShape(v.shape)}, not one value per sample (or per time step) ` +
        `for the weights of shape ${formatShape(w.shape)}; only per-sample metrics can be weighted (put it in metrics instead).`,
    );
  }
  const vals = v.values;
  const ws = w.values;
  let num = 0;
  let den = 0;
  for (let e = 0; e < ws.length; e++) {
    let s = 0;
    for (let r = 0; r < k; r++) s += vals[e * k + r];
    num += ws[e] * (s / k);
    den += ws[e];
  }
  return [num, den];
}

/**
 * The log values of a step: [loss, per-output losses (several outputs), metrics..., weighted metrics...]
 * (metricsNames order), with a weighted metric's Σ w·v and Σ w for epoch means (Σ_b Σ w·v / Σ_b Σ w over all
 * samples, as Keras; the other values weigh their batch size).
 */
function logValues(
  state: CompiledState,
  lossValue: number,
  outputLosses: Tensor[],
  ys: Tensor[],
  yPreds: Tensor[],
  sampleWeights: (Tensor | null)[],
  where: string,
  outputNames: string[],
): StepValues {
  const out = [lossValue];
  if (outputLosses.length > 1) for (const l of outputLosses) out.push(l.values[0]);
  state.metrics.forEach((ms, i) => {
    for (const m of ms) out.push(meanOf(m.fn(ys[i], yPreds[i])));
  });
  const sums: WeightedSums[] = out.map(() => null);
  state.weightedMetrics.forEach((ms, i) => {
    const w = sampleWeights[i] ?? null;
    for (const m of ms) {
      const v = m.fn(ys[i], yPreds[i]);
      if (!w) {
        out.push(meanOf(v));
        sums.push(null);
        continue;
      }
      const [num, den] = weightedSums(v, w, where, `'${m.name}' of output '${outputNames[i] ?? i}'`);
      // Keras's weighted Mean divides with divide_no_nan: 0 when all weights are 0.
      out.push(den === 0 ? 0 : num / den);
      sums.push([num, den]);
    }
  });
  return { values: out, sums };
}

/** One optimizer step on a batch; returns the log values computed before the update (as tfjs), with their sums. */
export function trainStep(
  model: StepModel,
  state: CompiledState,
  xs: Tensor[],
  ys: Tensor[],
  sampleWeights: (Tensor | null)[],
  vars: LayerVariable[],
  where = 'fit',
): StepValues {
  let outputLosses: Tensor[] = [];
  let yPreds: Tensor[] = [];
  const { value, grads } = variableGrads(() => {
    const r = forwardLoss(model, state, xs, ys, sampleWeights, true, true, where);
    outputLosses = r.outputLosses;
    yPreds = r.yPreds;
    return r.loss;
  }, vars);
  if (vars.length > 0) state.optimizer.applyGradients(grads, vars);
  // tfjs note: Keras applies constraints after each update; tfjs never does in fit/trainOnBatch (tfjs issue 3345).
  for (const v of vars) if (v.constraint) v.assign(v.constraint.apply(v));
  return logValues(state, value.values[0], outputLosses, ys, yPreds, sampleWeights, where, model.outputNames);
}

/**
 * The log values of a batch in inference mode (no update). The loss includes the layers' regularization penalties,
 * as fit's and Keras 3's evaluate. tfjs note: tfjs's evaluate leaves the penalties out of the reported loss.
 */
export function testStep(
  model: StepModel,
  state: CompiledState,
  xs: Tensor[],
  ys: Tensor[],
  sampleWeights: (Tensor | null)[],
  where = 'evaluate',
): StepValues {
  const r = forwardLoss(model, state, xs, ys, sampleWeights, false, true, where);
  return logValues(state, r.loss.values[0], r.outputLosses, ys, r.yPreds, sampleWeights, where, model.outputNames);
}

/**
 * `model.trainOnBatch(x, y, sampleWeight)`: one step on the batch, with the values' weighted sums (which `fitDataset`
 * reaches through the model's internal batch steps, see batch_steps.ts).
 */
export function trainOnBatchStep(model: FitModel, x: unknown, y: unknown, sampleWeight: SampleWeightArg | null): StepValues {
  const where = 'trainOnBatch';
  const state = model.compiledFor(where);
  const { xs, ys } = model.prepareData(x, y, where);
  const weights = sampleWeightsPerOutput(sampleWeight, ys, model.outputNames, where);
  return trainStep(model, state, xs, ys, weights, model.trainableWeights, where);
}
