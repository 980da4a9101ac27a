/**
 * Shared pieces of the attention layers (Attention, AdditiveAttention, MultiHeadAttention): checking the
 * `[query, value, key?]` input list and the `[queryMask, valueMask, keyMask?]` mask list, masks as 0/1
 * floats, the causal mask, MultiHeadAttention's combined mask, and dropout on attention weights.
 */
import { cast, formatShape, generatorFor, mul, RandomGenerator, reshape, Tensor, tensor, ValueError } from '@recurrent/core';
import type { Shape } from '../engine/layer';

/** Keras's "large negative number" added to masked scores (float32). */
export const MASK_PENALTY = 1e9;

/** `[query, value, key]` shapes of an input-shape list (key defaults to value); throws naming the layer. */
export function attentionInputShapes(layerName: string, inputShape: Shape | Shape[]): [Shape, Shape, Shape, boolean] {
  const isList = Array.isArray(inputShape) && inputShape.length > 0 && Array.isArray(inputShape[0]);
  if (!isList) {
    throw new ValueError(
      `Layer ${layerName}: expects a list of inputs [query, value] or [query, value, key], received one input of shape ${formatShape(inputShape as Shape)}.`,
    );
  }
  const shapes = inputShape as Shape[];
  if (shapes.length < 2 || shapes.length > 3) {
    throw new ValueError(
      `Layer ${layerName}: expects a list of 2 or 3 inputs [query, value] or [query, value, key], received ${shapes.length} (shapes ${shapes.map(formatShape).join(', ')}).`,
    );
  }
  return [shapes[0], shapes[1], shapes[2] ?? shapes[1], shapes.length === 3];
}

/** `[query, value, key]` of an input list (key defaults to value); throws naming the layer. */
export function attentionInputs(layerName: string, inputs: Tensor | Tensor[]): [Tensor, Tensor, Tensor] {
  if (!Array.isArray(inputs)) {
    throw new ValueError(
      `Layer ${layerName}: expects a list of inputs [query, value] or [query, value, key], received one tensor of shape ${formatShape(inputs.shape)}.`,
    );
  }
  if (inputs.length < 2 || inputs.length > 3) {
    throw new ValueError(
      `Layer ${layerName}: expects a list of 2 or 3 inputs [query, value] or [query, value, key], received ${inputs.length}.`,
    );
  }
  return [inputs[0], inputs[1], inputs[2] ?? inputs[1]];
}

/** True when two (possibly null) dimensions may be equal. */
export function dimsCompatible(a: number | null | undefined, b: number | null | undefined): boolean {
  return a === null || a === undefined || b === null || b === undefined || a === b;
}

/** `[queryMask, valueMask, keyMask]` of a `mask` kwarg (a list of 2 or 3, entries may be null). */
export function attentionMasks(layerName: string, mask: unknown): [Tensor | null, Tensor | null, Tensor | null] {
  if (mask === undefined || mask === null) return [null, null, null];
  if (!Array.isArray(mask)) {
    throw new ValueError(
      `Layer ${layerName}: mask must be a list [queryMask, valueMask] (entries may be null), received a ${mask instanceof Tensor ? `tensor of shape ${formatShape(mask.shape)}` : typeof mask}.`,
    );
  }
  if (mask.length < 2 || mask.length > 3) {
    throw new ValueError(
      `Layer ${layerName}: mask must be a list of 2 or 3 entries [queryMask, valueMask, keyMask?], received ${mask.length}.`,
    );
  }
  mask.forEach((m, i) => {
    if (m !== null && m !== undefined && !(m instanceof Tensor)) {
      throw new ValueError(`Layer ${layerName}: mask[${i}] must be a Tensor or null, received ${typeof m}.`);
    }
  });
  return [mask[0] ?? null, mask[1] ?? null, mask[2] ?? null];
}

/** Checks a [batch, length] mask against its input, naming the layer and the mask. */
export function checkSequenceMask(layerName: string, what: string, m: Tensor, batch: number, length: number): void {
  if (m.rank !== 2 || m.shape[0] !== batch || m.shape[1] !== length) {
    throw new ValueError(
      `Layer ${layerName}: ${what} must have shape [${batch}, ${length}] ([batch, timeSteps]), received ${formatShape(m.shape)}.`,
    );
  }
}

/** A bool or numeric mask as float32 0/1 (any non-zero counts as kept). */
export function floatMask(m: Tensor): Tensor {
  if (m.dtype === 'float32') {
    const v = m.dataSync();
    let binary = true;
    for (let i = 0; i < v.length && binary; i++) binary = v[i] === 0 || v[i] === 1;
    if (binary) return m;
  }
  const v = m.dataSync();
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] ? 1 : 0;
  return tensor(out, m.shape.slice(), 'float32');
}

/** The lower-triangular causal mask [1, tq, tv] as 0/1 floats: query i may attend to keys j ≤ i (Keras's cumsum form). */
export function causalMask(tq: number, tv: number): Tensor {
  const out = new Float32Array(tq * tv);
  for (let i = 0; i < tq; i++) for (let j = 0; j < tv && j <= i; j++) out[i * tv + j] = 1;
  return tensor(out, [1, tq, tv], 'float32');
}

/** Inverted dropout of `x` (training only): each element kept with probability 1 − rate and scaled by 1/(1 − rate). */
export function attentionDropout(x: Tensor, rate: number, rng: RandomGenerator | null): Tensor {
  if (rate <= 0) return x;
  const g = rng ?? generatorFor();
  const keep = new Float32Array(x.size);
  if (rate < 1) {
    const scale = 1 / (1 - rate);
    for (let i = 0; i < keep.length; i++) keep[i] = g.next() >= rate ? scale : 0;
  }
  return mul(x, tensor(keep, x.shape.slice(), 'float32'));
}

/** `x` as float32 (inputs of another dtype are cast). */
export function asFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' ? x : cast(x, 'float32');
}

/**
 * MultiHeadAttention's keep-mask (0/1) broadcastable to [batch, T, S]: the query mask [batch, T, 1], value and
 * key masks [batch, 1, S], the causal and sliding-window bands [1, T, S] (rank-3 inputs) and `attentionMask`,
 * combined with AND (Keras's `_compute_attention_mask`); null when there is none.
 */
export function combinedAttentionMask(
  layerName: string,
  q: Tensor,
  v: Tensor,
  kwargs: { mask?: unknown; useCausalMask?: boolean; attentionMask?: unknown } | undefined,
  slidingWindow: number | null,
): Tensor | null {
  const [qMask, vMask, kMask] = attentionMasks(layerName, kwargs?.mask);
  const auto = qMask || vMask || kMask || kwargs?.useCausalMask || slidingWindow !== null;
  if (auto && q.rank !== 3) {
    throw new ValueError(
      `Layer ${layerName}: query/value/key masks, useCausalMask and slidingWindow need rank-3 inputs [batch, timeSteps, features], received query shape ${formatShape(q.shape)}; pass attentionMask instead.`,
    );
  }
  const [batch, T] = q.shape;
  const S = v.shape[1];
  let m: Tensor | null = null;
  const and = (a: Tensor | null, b: Tensor) => (a ? mul(a, b) : b);
  if (qMask) {
    checkSequenceMask(layerName, 'the query mask (mask[0])', qMask, batch, T);
    m = and(m, reshape(floatMask(qMask), [batch, T, 1]));
  }
  if (vMask) {
    checkSequenceMask(layerName, 'the value mask (mask[1])', vMask, batch, S);
    m = and(m, reshape(floatMask(vMask), [batch, 1, S]));
  }
  if (kMask) {
    checkSequenceMask(layerName, 'the key mask (mask[2])', kMask, batch, S);
    m = and(m, reshape(floatMask(kMask), [batch, 1, S]));
  }
  if (kwargs?.useCausalMask) m = and(m, causalMask(T, S));
  if (slidingWindow !== null) {
    const band = new Float32Array(T * S);
    for (let i = 0; i < T; i++) for (let j = 0; j < S; j++) band[i * S + j] = Math.abs(i - j) < slidingWindow ? 1 : 0;
    m = and(m, tensor(band, [1, T, S], 'float32'));
  }
  const am = kwargs?.attentionMask;
  if (am !== undefined && am !== null) {
    if (!(am instanceof Tensor)) throw new ValueError(`Layer ${layerName}: attentionMask must be a Tensor, received ${typeof am}.`);
    m = m ? mul(floatMask(am), m) : floatMask(am);
  }
  return m;
}
