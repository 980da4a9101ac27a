/**
 * `model.step` after the end of the sequence (a recurrent layer with returnSequences: false): the later layers run on
 * each step's output as predict runs them on that layer's output.
 *
 * ```js
 * const m = sequential({layers: [layers.lstm({units: 8, inputShape: [null, 4]}), layers.reshape({targetShape: [2, 4]}), layers.flatten(), layers.dense({units: 1})]});
 * const [y] = m.step(xt, m.initState(1));   // y: predict on the steps so far
 * ```
 */
import { applyStep, BaseRNN, Layer } from '@recurrent/layers';
import type { LayerStepFunction } from '@recurrent/layers';

/**
 * A recurrent layer, or a wrapper around one (Bidirectional, TimeDistributed(LSTM)): wrappers are recognised by the
 * layer they hold (`Wrapper.layer`), not by `instanceof`, which would bundle every wrapper and its inner layers.
 */
function isRecurrentLayer(layer: Layer): boolean {
  if (layer instanceof BaseRNN) return true;
  const inner = (layer as { layer?: unknown }).layer;
  return inner instanceof Layer && isRecurrentLayer(inner);
}

/**
 * A layer after a recurrent layer with returnSequences: false (the end of the sequence): each step's output there
 * has the shape predict gives that recurrent layer's output, so the layer runs on it as in predict (inference
 * mode), whatever it does (Flatten, Reshape, Dense, BatchNormalization on any axis, RepeatVector, Conv1D, ...):
 * step t's output is predict's on the first t + 1 steps. A recurrent layer there stays refused, and so does a
 * mask (step() passes none, predict would).
 */
export function afterEndStep(layer: Layer, refuse: (layer: Layer, why: string) => never): LayerStepFunction {
  if (isRecurrentLayer(layer)) refuse(layer, 'it follows a recurrent layer with returnSequences: false');
  if (layer.getClassName() === 'Masking' || (layer as { maskZero?: unknown }).maskZero === true)
    refuse(layer, 'it produces a mask, and step() does not handle masked steps');
  return applyStep(layer);
}
