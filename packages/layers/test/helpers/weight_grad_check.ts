/**
 * Finite-difference check of a layer's gradients w.r.t. its trainable weights, for the layer tests:
 * `checkWeightGradients(layer, () => sum(mul(layer.apply(x), w)))`. The analytic gradients come from
 * `variableGrads`; the numeric ones from central differences of `loss` with one weight element
 * perturbed through `setWeights` (so the layer itself is evaluated, weights restored afterwards).
 */
import { Tensor, tensor, variableGrads } from '@recurrent/core';
import type { Layer } from '@recurrent/layers';

export interface WeightGradCheckOptions {
  /** Half-width of the central difference (default 1e-2). */
  eps?: number;
  /** Relative tolerance (default 1e-2). */
  rtol?: number;
  /** Absolute tolerance (default 1e-3). */
  atol?: number;
}

/** Throws listing the mismatching elements (weight name, flat index, analytic vs numeric). Returns the max abs error. */
export function checkWeightGradients(layer: Layer, loss: () => Tensor, options: WeightGradCheckOptions = {}): number {
  const { eps = 1e-2, rtol = 1e-2, atol = 1e-3 } = options;
  const params = layer.trainableWeights;
  const all = layer.weights;
  const { grads } = variableGrads(loss, params);
  const failures: string[] = [];
  let worst = 0;
  for (const v of params) {
    const wi = all.indexOf(v);
    const base = Float32Array.from(v.dataSync());
    const g = grads[v.name].dataSync();
    const at = (i: number, delta: number): number => {
      const p = Float32Array.from(base);
      p[i] += delta;
      const ws = layer.getWeights();
      ws[wi] = tensor(p, v.shape.slice(), 'float32');
      layer.setWeights(ws);
      return Number(loss().dataSync()[0]);
    };
    for (let i = 0; i < base.length; i++) {
      const plus = Math.fround(base[i] + eps);
      const minus = Math.fround(base[i] - eps);
      const numeric = (at(i, eps) - at(i, -eps)) / (plus - minus);
      const err = Math.abs(numeric - g[i]);
      worst = Math.max(worst, err);
      if (!(err <= atol + rtol * Math.max(Math.abs(numeric), Math.abs(g[i])))) {
        failures.push(`${v.originalName}[${i}]: analytic ${g[i]} vs numeric ${numeric}`);
      }
    }
    const ws = layer.getWeights();
    ws[wi] = tensor(base, v.shape.slice(), 'float32');
    layer.setWeights(ws);
  }
  if (failures.length > 0) {
    throw new Error(`checkWeightGradients: ${failures.length} element(s) differ:\n  ${failures.slice(0, 8).join('\n  ')}`);
  }
  return worst;
}
