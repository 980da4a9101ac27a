/** Checks targets against an output's shape for its loss, before any training step, with hints. */
import { formatShape, Tensor, ValueError } from '@recurrent/core';
import type { Shape } from '@recurrent/layers';
import { shapeMatches } from '../engine/data';
import { lossName } from '../losses/get_loss';
import type { LossIdentifier } from './compile';

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
