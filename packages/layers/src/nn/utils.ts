/** `nn.utils`: gradient clipping, on gradient values (`variableGrads`) or in place on parameters' `.grad` (`loss.backward()`). */
import { describeValue } from '../engine/args';
import { clipByValue, mul, Tensor, tensor, ValueError } from '@recurrent/core';

/** Gradients as `variableGrads` returns them (name → Tensor) or as an array. */
export type GradientCollection = { [name: string]: Tensor } | Tensor[];

function entries(who: string, grads: GradientCollection): [string, Tensor][] {
  if (grads === null || typeof grads !== 'object') {
    throw new ValueError(
      `${who}: grads must be a name → Tensor map or an array of Tensors, received ${grads === null ? 'null' : typeof grads}.`,
    );
  }
  const list: [string, Tensor][] = Array.isArray(grads) ? grads.map((g, i) => [String(i), g]) : Object.entries(grads);
  for (const [k, g] of list) {
    if (!(g instanceof Tensor))
      throw new ValueError(`${who}: gradient '${k}' must be a Tensor, received ${g === null ? 'null' : typeof g}.`);
  }
  return list;
}

function rebuild<G extends GradientCollection>(grads: G, list: [string, Tensor][], f: (t: Tensor) => Tensor): G {
  if (Array.isArray(grads)) return list.map(([, t]) => f(t)) as G;
  const out: { [name: string]: Tensor } = {};
  for (const [k, t] of list) out[k] = f(t);
  return out as G;
}

/**
 * Rescales all gradients together so that their total `normType`-norm (over all elements of all gradients, as one
 * vector) is at most `maxNorm`, as PyTorch's `torch.nn.utils.clip_grad_norm_`: when total > maxNorm every gradient
 * is multiplied by maxNorm / (total + 1e-6). `normType` may be `Infinity` (max |g|).
 *
 * ```ts
 * const { grads } = variableGrads(() => loss, model.parameters());
 * const { grads: clipped, totalNorm } = nn.utils.clipGradNorm(grads, 1.0);
 * optimizer.applyGradients(clipped);
 * ```
 * PyTorch note: PyTorch clips the parameters' `.grad` in place and returns the total norm; here gradients are
 * values, so the clipped gradients are returned (same form as given: map or array) together with the total norm
 * (a number, computed before clipping, as PyTorch's).
 */
export function clipGradNorm<G extends GradientCollection>(grads: G, maxNorm: number, normType = 2): { grads: G; totalNorm: number } {
  const who = 'nn.utils.clipGradNorm';
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0))
    throw new ValueError(`${who}: maxNorm must be a number >= 0, received ${describeValue(maxNorm)}.`);
  if (typeof normType !== 'number' || !(normType > 0))
    throw new ValueError(`${who}: normType must be a positive number or Infinity, received ${describeValue(normType)}.`);
  const list = entries(who, grads);
  let total = 0;
  if (normType === Infinity) {
    for (const [, g] of list) for (const v of g.values) total = Math.max(total, Math.abs(v));
  } else {
    let acc = 0;
    for (const [, g] of list) for (const v of g.values) acc += Math.pow(Math.abs(v), normType);
    total = Math.pow(acc, 1 / normType);
  }
  const coef = maxNorm / (total + 1e-6);
  if (!(coef < 1)) return { grads: rebuild(grads, list, (t) => t), totalNorm: total };
  return { grads: rebuild(grads, list, (t) => mul(t, coef)), totalNorm: total };
}

/**
 * Clamps every gradient element to [−clipValue, clipValue], as PyTorch's `clip_grad_value_` (returned, not in place).
 */
export function clipGradValue<G extends GradientCollection>(grads: G, clipValue: number): G {
  const who = 'nn.utils.clipGradValue';
  if (typeof clipValue !== 'number' || !(clipValue >= 0))
    throw new ValueError(`${who}: clipValue must be a number >= 0, received ${describeValue(clipValue)}.`);
  const list = entries(who, grads);
  return rebuild(grads, list, (t) => clipByValue(t, -clipValue, clipValue));
}

/**
 * PyTorch's `torch.nn.utils.clip_grad_norm_`: rescales the `.grad` of `params` in place (replacing each `.grad`
 * tensor) so that their total `normType`-norm is at most `maxNorm` (multiplied by maxNorm / (total + 1e-6) when
 * larger); parameters without a grad are ignored. Returns the total norm before clipping.
 *
 * ```ts
 * loss.backward();
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 * ```
 */
export function clipGradNorm_(params: Tensor[] | Tensor, maxNorm: number, normType = 2): number {
  const who = 'nn.utils.clipGradNorm_';
  const list = Array.isArray(params) ? params : [params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor))
      throw new ValueError(`${who}: params[${i}] must be a Tensor (a parameter), received ${p === null ? 'null' : typeof p}.`);
  });
  const grads = list.filter((p) => p.grad).map((p) => p.grad as Tensor);
  const { totalNorm } = clipGradNorm(grads, maxNorm, normType);
  const coef = maxNorm / (totalNorm + 1e-6);
  if (coef < 1) {
    for (const p of list) {
      if (!p.grad) continue;
      const g = p.grad.values as Float32Array;
      const out = new Float32Array(g.length);
      for (let i = 0; i < g.length; i++) out[i] = g[i] * coef;
      p.grad = tensor(out, p.grad.shape.slice(), 'float32');
    }
  }
  return totalNorm;
}

/** PyTorch's `clip_grad_value_`: clamps every `.grad` element of `params` to [−clipValue, clipValue] in place. */
export function clipGradValue_(params: Tensor[] | Tensor, clipValue: number): void {
  const list = Array.isArray(params) ? params : [params];
  const grads = list.filter((p) => p instanceof Tensor && p.grad);
  const clipped = clipGradValue(
    grads.map((p) => p.grad as Tensor),
    clipValue,
  );
  grads.forEach((p, i) => (p.grad = clipped[i]));
}

export * as rnn from './packed_sequence';
