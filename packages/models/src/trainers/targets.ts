/** Checks targets against an output's shape for its loss, before any training step, with hints. */
import { formatShape, Tensor, ValueError } from '@recurrent/core';
import type { Shape } from '@recurrent/layers';
import { shapeMatches } from '../engine/data';
import { lossName } from '../losses/get_loss';
import type { CompiledState, LossIdentifier } from './compile';

/**
 * Throws unless `y` fits `outputShape` for the loss `lossId` (sparse categorical losses take integer labels of the
 * output's shape without its class axis, or with a class axis of 1; 'ctc' takes padded label ids [batch, maxLabelLength]
 * for an output [batch, timeSteps, numClasses]). Custom losses are not checked.
 */
export function checkTargetShape(y: Tensor, outputShape: Shape, lossId: LossIdentifier, where: string, name: string): void {
  const canonical = lossName(lossId);
  if (canonical === undefined) return;
  const yt = y.shape.slice(1);
  const ot = outputShape.slice(1);
  if (canonical === 'sparseCategoricalCrossentropy') {
    const base = ot.slice(0, -1);
    if (shapeMatches(yt, base) || shapeMatches(yt, [...base, 1])) return;
    throw new ValueError(
      `${where}: ${name} has shape ${formatShape(y.shape)}, but the model's output has shape ${formatShape(outputShape)}; ` +
        `loss sparseCategoricalCrossentropy needs integer class labels of shape ${formatShape([null, ...base])} or ${formatShape([null, ...base, 1])}.`,
    );
  }
  if (canonical === 'ctc') {
    // Padded label ids [batch, maxLabelLength] against per-step logits [batch, timeSteps, numClasses].
    if (yt.length === 1 && ot.length === 2) return;
    throw new ValueError(
      `${where}: ${name} has shape ${formatShape(y.shape)}, but loss ctc needs padded label ids of shape ` +
        `[batch, maxLabelLength] and a model output of shape [batch, timeSteps, numClasses] (the output has shape ${formatShape(outputShape)}).`,
    );
  }
  if (shapeMatches(yt, ot)) return;
  let hint = '';
  const classes = ot[ot.length - 1];
  if (canonical === 'categoricalCrossentropy' && (shapeMatches(yt, ot.slice(0, -1)) || shapeMatches(yt, [...ot.slice(0, -1), 1]))) {
    hint = ` For integer class labels use loss 'sparseCategoricalCrossentropy', or one-hot encode them (oneHot(labels, ${classes})).`;
  }
  throw new ValueError(
    `${where}: ${name} has shape ${formatShape(y.shape)}, but the model's output has shape ${formatShape(outputShape)}; ` +
      `loss ${canonical} needs targets of the output's shape ${formatShape([null, ...ot])}.${hint}`,
  );
}

/**
 * The targets of a call without `y` (none): allowed when the model is compiled without a loss (its layers add theirs,
 * the labels coming in as an input, as Keras 3) and without metrics, which need targets. `what` names y in errors.
 */
export function noTargets(state: CompiledState | null, outputNames: string[], where: string, what: string): Tensor[] {
  if (state && state.lossFns.length === 0 && ![...state.metricIds, ...state.weightedMetricIds].some((m) => m.length > 0)) return [];
  const why = !state
    ? 'the model is not compiled'
    : state.lossFns.length > 0
      ? `the compiled loss needs targets for output(s) ${outputNames.join(', ')}`
      : 'the compiled metrics need targets';
  throw new ValueError(
    `${where}: ${what} is missing, but ${why}; ${what} may be left out only when the model is compiled without a loss and ` +
      `metrics (its layers add their losses with addLoss).`,
  );
}
