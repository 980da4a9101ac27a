/**
 * The objective of one batch and one optimizer step, for any number of outputs: total loss = Σ lossWeight_i ·
 * mean(loss_i(y_i, ŷ_i) · sampleWeight_i) + the layers' regularization penalties (as tfjs when all weights are 1),
 * and the metrics of each output computed on the same predictions (before the update, as tfjs).
 */
import { add, mean, mul, reshape, scalar, Tensor, variableGrads } from '@recurrent/core';
import type { LayerVariable } from '@recurrent/layers';
import type { CompiledState } from './compile';

/** What a train/test step needs of a model. */
export interface StepModel {
  readonly name: string;
  /** Runs the model; one tensor per input in, one per output out. */
  runOutputs(xs: Tensor[], training: boolean): Tensor[];
  /** The layers' regularization (and activity) penalties of the last run. */
  readonly losses: Tensor[];
}

/** Mean of a tensor's values as a JS number (accumulated in float64). */
export function meanOf(t: Tensor): number {
  const v = t.values;
  if (v.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

function weighted(perSample: Tensor, sampleWeight: Tensor | null): Tensor {
  if (!sampleWeight) return perSample;
  if (perSample.rank === 0) {
    throw new Error(`fit: the loss returned a scalar, so sample or class weights cannot be applied; a loss must return one value per sample.`);
  }
  const shape = [sampleWeight.shape[0], ...new Array(perSample.rank - 1).fill(1)];
  return mul(perSample, reshape(sampleWeight, shape));
}

/** The per-batch objective, the unweighted loss of each output, and the predictions. */
export function forwardLoss(
  model: StepModel, state: CompiledState, xs: Tensor[], ys: Tensor[], sampleWeights: (Tensor | null)[], training: boolean,
  withRegularization = true,
): { loss: Tensor; outputLosses: Tensor[]; yPreds: Tensor[] } {
  const yPreds = model.runOutputs(xs, training);
  const outputLosses: Tensor[] = [];
  let total: Tensor | null = null;
  yPreds.forEach((yPred, i) => {
    const l = mean(weighted(state.lossFns[i](ys[i], yPred), sampleWeights[i] ?? null));
    outputLosses.push(l);
    const term = state.lossWeights[i] === 1 ? l : mul(l, scalar(state.lossWeights[i]));
    total = total === null ? term : add(total, term);
  });
  let loss = total ?? scalar(0);
  if (withRegularization) for (const penalty of model.losses) loss = add(loss, penalty);
  return { loss, outputLosses, yPreds };
}

/** The log values of a step: [loss, per-output losses (several outputs), metrics...] (metricsNames order). */
function logValues(state: CompiledState, lossValue: number, outputLosses: Tensor[], ys: Tensor[], yPreds: Tensor[]): number[] {
  const out = [lossValue];
  if (outputLosses.length > 1) for (const l of outputLosses) out.push(l.values[0]);
  state.metrics.forEach((ms, i) => {
    for (const m of ms) out.push(meanOf(m.fn(ys[i], yPreds[i])));
  });
  return out;
}

/** One optimizer step on a batch; returns the log values computed before the update (as tfjs). */
export function trainStep(
  model: StepModel, state: CompiledState, xs: Tensor[], ys: Tensor[], sampleWeights: (Tensor | null)[], vars: LayerVariable[],
): number[] {
  let outputLosses: Tensor[] = [];
  let yPreds: Tensor[] = [];
  const { value, grads } = variableGrads(() => {
    const r = forwardLoss(model, state, xs, ys, sampleWeights, true);
    outputLosses = r.outputLosses;
    yPreds = r.yPreds;
    return r.loss;
  }, vars);
  if (vars.length > 0) state.optimizer.applyGradients(grads, vars);
  // Keras applies constraints after each update (tfjs skips them in fit).
  for (const v of vars) if (v.constraint) v.assign(v.constraint.apply(v));
  return logValues(state, value.values[0], outputLosses, ys, yPreds);
}

/** The log values of a batch in inference mode (no update); the loss leaves out regularization, as tfjs's evaluate. */
export function testStep(model: StepModel, state: CompiledState, xs: Tensor[], ys: Tensor[], sampleWeights: (Tensor | null)[]): number[] {
  const r = forwardLoss(model, state, xs, ys, sampleWeights, false, false);
  return logValues(state, r.loss.values[0], r.outputLosses, ys, r.yPreds);
}
