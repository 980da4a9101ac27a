/**
 * Gradient clipping as Keras does it: per-tensor norm (`clipnorm`), global norm (`globalClipnorm`)
 * and elementwise value (`clipvalue`). tfjs note: tfjs optimizers have no clipping options.
 */
import { checkArgKeys } from '@recurrent/layers';
import { Tensor, TensorLike, convertToTensor, ValueError } from '@recurrent/core';

/** Keras's clipping options, accepted as a trailing argument by every optimizer. */
export interface ClipOptions {
  /** Each gradient `g` is rescaled to `g * clipnorm / max(‖g‖₂, clipnorm)` (Keras `clipnorm`). */
  clipnorm?: number;
  /** Each gradient element is clipped to `[-clipvalue, clipvalue]` (Keras `clipvalue`). */
  clipvalue?: number;
  /** All gradients are rescaled together by `clipNorm / max(globalNorm, clipNorm)` (Keras `global_clipnorm`). */
  globalClipnorm?: number;
}

/** The clip option names, in the order configs write them. */
export const CLIP_KEYS: readonly (keyof ClipOptions)[] = ['clipnorm', 'clipvalue', 'globalClipnorm'];

/** Validates clip options (Keras 3: at most one of them, each positive); returns a normalized copy. */
export function checkClipOptions(owner: string, options: ClipOptions | undefined): ClipOptions {
  const out: ClipOptions = {};
  if (options == null) return out;
  if (typeof options !== 'object') {
    throw new ValueError(`${owner}: the options argument must be an object such as {clipnorm: 1}, received ${String(options)}.`);
  }
  checkArgKeys(owner, options, CLIP_KEYS);
  let count = 0;
  for (const key of CLIP_KEYS) {
    const v = options[key];
    if (v == null) continue;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      throw new ValueError(
        `${owner}: ${key} must be a positive finite number, received ${(v as unknown) instanceof Tensor ? `a Tensor of shape [${(v as unknown as Tensor).shape.join(',')}]` : Array.isArray(v) ? `an array of length ${(v as unknown[]).length}` : String(v)}.`,
      );
    }
    out[key] = v;
    count++;
  }
  if (count > 1) {
    throw new ValueError(`${owner}: only one of clipnorm, clipvalue and globalClipnorm can be set, received ${JSON.stringify(out)}.`);
  }
  return out;
}

/** Euclidean norm of the values (accumulated in float64). */
export function l2NormOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}

/**
 * Applies the clip options to raw gradient arrays in place, the way Keras does before the update.
 * @internal used by Optimizer.applyGradients; the arrays must be private copies.
 */
export function clipGradientArrays(grads: Float32Array[], options: ClipOptions): void {
  if (options.clipnorm != null) {
    const c = options.clipnorm;
    for (const g of grads) {
      const norm = l2NormOf(g);
      if (norm > c) {
        const scale = c / norm;
        for (let i = 0; i < g.length; i++) g[i] *= scale;
      }
    }
  } else if (options.globalClipnorm != null) {
    const c = options.globalClipnorm;
    let s = 0;
    for (const g of grads) for (let i = 0; i < g.length; i++) s += g[i] * g[i];
    const norm = Math.sqrt(s);
    if (norm > c) {
      const scale = c / norm;
      for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= scale;
    }
  } else if (options.clipvalue != null) {
    const c = options.clipvalue;
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i] > c ? c : g[i] < -c ? -c : g[i];
  }
}

/**
 * Rescales `tensors` so that their joint Euclidean norm is at most `clipNorm`, as
 * `tf.clip_by_global_norm`: each t becomes `t * clipNorm / max(globalNorm, clipNorm)`.
 * Returns `[clipped, globalNorm]`; non-finite norms give NaN tensors, as in TensorFlow.
 *
 * ```js
 * const [clipped, norm] = clipByGlobalNorm([gradA, gradB], 5);
 * ```
 *
 * tfjs note: tfjs has no clipByGlobalNorm; this follows TensorFlow's `tf.clip_by_global_norm`.
 * Not differentiable (it is meant for gradients).
 */
export function clipByGlobalNorm(tensors: TensorLike[], clipNorm: number): [Tensor[], number] {
  if (!Array.isArray(tensors)) {
    throw new ValueError(`clipByGlobalNorm: tensors must be an array of tensors, received ${typeof tensors}.`);
  }
  if (typeof clipNorm !== 'number' || !(clipNorm > 0)) {
    throw new ValueError(`clipByGlobalNorm: clipNorm must be a positive number, received ${String(clipNorm)}.`);
  }
  const ts = tensors.map((t, i) => convertToTensor(t, `tensors[${i}]`, 'clipByGlobalNorm'));
  let s = 0;
  for (const t of ts) {
    const v = t.values;
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  }
  const globalNorm = Math.sqrt(s);
  const scale = Number.isFinite(globalNorm) ? clipNorm / Math.max(globalNorm, clipNorm) : NaN;
  const clipped = ts.map((t) => {
    const v = t.values;
    const out = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v[i] * scale;
    return new Tensor(out, t.shape.slice(), 'float32');
  });
  return [clipped, globalNorm];
}
