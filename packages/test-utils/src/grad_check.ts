/**
 * A finite-difference gradient checker shared by the op, layer and model tests.
 *
 * ```ts
 * import { checkGradients } from '@recurrent/test-utils';
 * checkGradients((a, b) => matMul(a, b), [randomNormal([2, 3]), randomNormal([3, 4])]);
 * ```
 */
import { grads, RandomGenerator, Tensor, tensor } from '@recurrent/core';

/** Options of {@link checkGradients}. */
export interface GradCheckOptions {
  /** Half-width of the central difference (default 1e-2; f is evaluated in float32, so keep it ≥ 1e-3). */
  eps?: number;
  /** Relative tolerance, applied to max(|analytic|, |numeric|) (default 1e-2). */
  rtol?: number;
  /** Absolute tolerance (default 1e-3). */
  atol?: number;
  /** Seed of the random output weighting (default 0). */
  seed?: number;
}

/** What {@link checkGradients} measured, per input: gradients of the weighted scalar L = Σ w ⊙ f(inputs). */
export interface GradCheckReport {
  analytic: Float64Array[];
  numeric: Float64Array[];
  /** Largest |analytic − numeric| over all elements of all inputs. */
  maxAbsError: number;
}

/**
 * Checks the analytic gradients of `f` (taken with `grads`) against central finite differences.
 *
 * `f`'s output is reduced to the scalar L = Σ w ⊙ f(inputs) with fixed random weights w ∈ [0.5, 1.5)
 * (seeded), so every output element matters and errors cannot cancel by symmetry; the analytic side
 * backpropagates `dy = w`. Each input element is perturbed by ±eps in float32; the perturbation actually
 * applied (after float32 rounding) and the weighted sums are computed in float64.
 *
 * `inputs` must be float32 tensors (close over int32 indices, bool masks etc. inside `f`). Choose
 * inputs away from kinks (relu at 0, max ties, clip boundaries).
 *
 * Throws an error naming the input, the element index and both values for the worst mismatches;
 * returns the measurements otherwise.
 */
export function checkGradients(f: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradCheckOptions = {}): GradCheckReport {
  const { eps = 1e-2, rtol = 1e-2, atol = 1e-3, seed = 0 } = options;
  const y0 = f(...inputs);
  if (!(y0 instanceof Tensor)) throw new Error(`checkGradients: f must return a Tensor, received ${typeof y0}.`);
  const rng = new RandomGenerator(seed);
  const w = new Float32Array(y0.size);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform(0.5, 1.5);
  const dy = tensor(w, y0.shape.slice(), 'float32');

  // Clones give each argument its own tape identity, so passing one tensor twice checks each use separately.
  const analyticTensors = grads(f)(
    inputs.map((t) => t.clone()),
    dy,
  );
  const weighted = (xs: Tensor[]): number => {
    const y = f(...xs);
    const v = y.dataSync();
    let s = 0;
    for (let i = 0; i < v.length; i++) s += w[i] * v[i];
    return s;
  };

  const report: GradCheckReport = { analytic: [], numeric: [], maxAbsError: 0 };
  const failures: string[] = [];
  inputs.forEach((x, k) => {
    const g = analyticTensors[k];
    if (g.shape.join(',') !== x.shape.join(',')) {
      failures.push(`input ${k}: gradient shape [${g.shape}] differs from input shape [${x.shape}]`);
      return;
    }
    const analytic = Float64Array.from(g.dataSync());
    const numeric = new Float64Array(x.size);
    const base = x.dataSync();
    for (let j = 0; j < x.size; j++) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[j] = base[j] + eps;
      minus[j] = base[j] - eps;
      const delta = plus[j] - minus[j];
      const lp = weighted(inputs.map((t, i) => (i === k ? tensor(plus, x.shape.slice(), 'float32') : t)));
      const lm = weighted(inputs.map((t, i) => (i === k ? tensor(minus, x.shape.slice(), 'float32') : t)));
      numeric[j] = (lp - lm) / delta;
      const err = Math.abs(analytic[j] - numeric[j]);
      report.maxAbsError = Math.max(report.maxAbsError, err);
      if (!(err <= atol + rtol * Math.max(Math.abs(analytic[j]), Math.abs(numeric[j])))) {
        failures.push(`input ${k} [${unravel(j, x.shape)}]: analytic ${analytic[j]} vs numeric ${numeric[j]}`);
      }
    }
    report.analytic.push(analytic);
    report.numeric.push(numeric);
  });
  if (failures.length > 0) {
    const shown = failures.slice(0, 8).join('\n  ');
    const more = failures.length > 8 ? `\n  ... and ${failures.length - 8} more` : '';
    throw new Error(`checkGradients: ${failures.length} gradient element(s) differ from finite differences:\n  ${shown}${more}`);
  }
  return report;
}

function unravel(flat: number, shape: readonly number[]): string {
  const coord: number[] = new Array(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    coord[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return coord.join(',');
}

/** A float32 tensor of `shape` with seeded values uniform in [lo, hi) (inputs for gradient checks). */
export function randomInput(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const rng = new RandomGenerator(seed);
  const n = shape.reduce((a, d) => a * d, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.uniform(lo, hi);
  return tensor(v, shape, 'float32');
}
