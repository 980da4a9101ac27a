/**
 * Keras's `zero_output_for_mask`: the outputs of masked time steps become zeros instead of repeating the
 * previous output (what Keras's Bidirectional sets on its copies when they return sequences).
 */
import { cast, notEqual, reshape, reverse, Tensor, where } from '@recurrent/core';

/** `mask` [batch, timeSteps] (or [batch, timeSteps, 1]; bool or 0/1) as float32 [batch, timeSteps], in processing order. */
function orderedMask(mask: Tensor, goBackwards: boolean): Tensor {
  const m2 = mask.rank === 3 ? reshape(mask, [mask.shape[0], mask.shape[1]]) : mask;
  const m = m2.dtype === 'float32' ? m2 : cast(m2, 'float32');
  return goBackwards ? reverse(m, 1) : m;
}

/**
 * Zeroes the masked steps of a recurrent layer's results, as Keras's rnn with `zero_output_for_mask`:
 * `outputs` [batch, timeSteps, ...] (in processing order, so reversed when `goBackwards`; null when the layer
 * does not return sequences) where the mask in that order is set, else 0, and `last` [batch, ...] where the last
 * processed step is unmasked, else 0 (as Keras's loop selects; a product with the mask would turn an Infinity
 * of a diverged step into NaN).
 *
 * ```js
 * const [last, outputs] = zeroMaskedOutput(last0, outputs0, mask, false);
 * ```
 */
export function zeroMaskedOutput(last: Tensor, outputs: Tensor | null, mask: Tensor, goBackwards: boolean): [Tensor, Tensor | null] {
  const m = orderedMask(mask, goBackwards);
  const [batch, time] = m.shape;
  const kept = notEqual(m, 0);
  const seq = outputs === null ? null : where(reshape(kept, [batch, time, ...new Array<number>(outputs.rank - 2).fill(1)]), outputs, 0);
  // The last processed step's mask per row, as a [batch, 1, ...] column (the mask takes no gradient).
  const values = m.dataSync();
  const col = new Float32Array(batch);
  for (let b = 0; b < batch; b++) col[b] = values[b * time + time - 1];
  const lastKept = notEqual(new Tensor(col, [batch, ...new Array<number>(last.rank - 1).fill(1)], 'float32'), 0);
  return [where(lastKept, last, 0), seq];
}
