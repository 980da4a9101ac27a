/** Sampling and selection for decoding: topk, multinomial (categorical) draws, temperature sampling. */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { generatorFor } from '../random';
import { ValueError } from '../errors';

/**
 * The `k` largest entries of the last axis of `x` and their indices (tfjs `topk`):
 * `x` [..., n] → `{values [..., k], indices int32 [..., k]}`. With `sorted` (default) they come
 * largest first, equal values by increasing index (as tfjs); unsorted, in increasing index order.
 * The gradient flows to the picked positions of `x`.
 *
 * ```js
 * const {values, indices} = topk(tensor1d([1, 5, 3]), 2);   // values [5, 3], indices [1, 2]
 * ```
 */
export function topk(x: TensorLike, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  const t = convertToTensor(x, 'x', 'topk');
  if (t.rank === 0) throw new ValueError('topk: x must have rank >= 1, received a scalar.');
  if (t.dtype === 'bool') throw new ValueError('topk: x must be float32 or int32, received bool.');
  const n = t.shape[t.rank - 1];
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new ValueError(
      `topk: k must be an integer in [0, ${n}] (the last dimension of x with shape ${formatShape(t.shape)}), received ${String(k)}.`,
    );
  }
  const rows = n === 0 ? 0 : t.size / n;
  const xv = t.values;
  const vals = t.dtype === 'int32' ? new Int32Array(rows * k) : new Float32Array(rows * k);
  const idx = new Int32Array(rows * k);
  const order = new Array<number>(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    // NaN sorts first (it compares as the largest, as tfjs), then by value, ties by index.
    order.sort((a, b) => {
      const va = xv[base + a];
      const vb = xv[base + b];
      const na = Number.isNaN(va);
      const nb = Number.isNaN(vb);
      if (na || nb) return na && nb ? a - b : na ? -1 : 1;
      return vb !== va ? vb - va : a - b;
    });
    const picked = order.slice(0, k);
    if (!sorted) picked.sort((a, b) => a - b);
    for (let j = 0; j < k; j++) {
      vals[r * k + j] = xv[base + picked[j]];
      idx[r * k + j] = picked[j];
    }
  }
  const outShape = [...t.shape.slice(0, -1), k];
  const values = makeTensor(vals, outShape, t.dtype);
  const indices = makeTensor(idx, outShape.slice(), 'int32');
  record('topk', [t], [values], ([dy]) => {
    const g = new Float32Array(t.size);
    const dv = dy.values;
    for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) g[r * n + idx[r * k + j]] += dv[r * k + j];
    return [makeTensor(g, t.shape.slice(), 'float32')];
  });
  return { values, indices };
}

/** Rows of a rank-1 or rank-2 float tensor as [rows, n]; throws naming `op`. */
function logitRows(op: string, logits: TensorLike): { t: Tensor; rows: number; n: number } {
  const t = convertToTensor(logits, 'logits', op);
  if (t.rank !== 1 && t.rank !== 2) {
    throw new ValueError(`${op}: logits must have rank 1 [numOutcomes] or 2 [batch, numOutcomes], received shape ${formatShape(t.shape)}.`);
  }
  if (t.dtype !== 'float32') throw new ValueError(`${op}: logits must be float32, received ${t.dtype}.`);
  const n = t.shape[t.rank - 1];
  if (n < 1) throw new ValueError(`${op}: logits need at least one outcome, received shape ${formatShape(t.shape)}.`);
  // softmax([Infinity, 0]) is NaN (Infinity − Infinity): refused, as PyTorch's multinomial refuses inf probabilities.
  const inf = t.values.indexOf(Infinity);
  if (inf >= 0) {
    throw new ValueError(
      `${op}: logits contain +Infinity (flat index ${inf} of shape ${formatShape(t.shape)}); a draw needs finite logits or -Infinity.`,
    );
  }
  return { t, rows: t.rank === 1 ? 1 : t.shape[0], n };
}

/** Probabilities of one row (softmax of logits, or the given probabilities renormalized), in float64. */
function rowProbabilities(op: string, xv: ArrayLike<number>, base: number, n: number, normalized: boolean, out: Float64Array): void {
  if (normalized) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const p = xv[base + i];
      if (!(p >= 0) || !Number.isFinite(p))
        throw new ValueError(`${op}: with normalized = true the probabilities must be finite and ≥ 0, received ${p}.`);
      out[i] = p;
      s += p;
    }
    if (!(s > 0)) throw new ValueError(`${op}: with normalized = true each row of probabilities must have a positive sum, received ${s}.`);
    for (let i = 0; i < n; i++) out[i] /= s;
    return;
  }
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = xv[base + i];
    if (Number.isNaN(v)) throw new ValueError(`${op}: logits contain NaN.`);
    if (v > m) m = v;
  }
  if (m === -Infinity) throw new ValueError(`${op}: every logit of a row is -Infinity; nothing can be drawn.`);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(xv[base + i] - m);
    out[i] = e;
    s += e;
  }
  for (let i = 0; i < n; i++) out[i] /= s;
}

/** Inverse-CDF draw from `p` (sums to 1) with u in [0, 1); never returns an outcome of probability 0. */
function drawIndex(p: Float64Array, n: number, u: number): number {
  let c = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (p[i] <= 0) continue;
    c += p[i];
    last = i;
    if (u < c) return i;
  }
  return last;
}

/**
 * Draws `numSamples` outcomes per row from categorical distributions (tfjs `multinomial`):
 * `logits` [numOutcomes] → int32 [numSamples], or [batch, numOutcomes] → int32 [batch, numSamples].
 * `normalized` = true means `logits` are already probabilities. Draws with replacement; a `seed`
 * makes them reproducible (without one the global generator, see `setSeed`, is used).
 *
 * tfjs note: the same seed gives the same draws every call here, but not the same draws as tfjs
 * (different generator); the distribution is the same. numSamples 0 is refused (tfjs returns an empty
 * tensor; PyTorch refuses it too).
 *
 * ```js
 * multinomial(tensor2d([[0, 0, 2]]), 5, 42);   // int32 [1, 5], mostly 2s
 * ```
 */
export function multinomial(logits: TensorLike, numSamples: number, seed?: number, normalized = false): Tensor {
  const { t, rows, n } = logitRows('multinomial', logits);
  if (!Number.isInteger(numSamples) || numSamples < 1) {
    throw new ValueError(`multinomial: numSamples must be a positive integer, received ${String(numSamples)}.`);
  }
  const g = generatorFor(seed);
  const out = new Int32Array(rows * numSamples);
  const p = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    rowProbabilities('multinomial', t.values, r * n, n, normalized, p);
    for (let s = 0; s < numSamples; s++) out[r * numSamples + s] = drawIndex(p, n, g.next());
  }
  return makeTensor(out, t.rank === 1 ? [numSamples] : [rows, numSamples], 'int32');
}

/** Options of {@link temperatureSample}. */
export interface TemperatureSampleOptions {
  /** Divides the logits before the softmax; 0 picks the argmax (greedy). Default 1. */
  temperature?: number;
  /** Keep only the `topK` most likely outcomes of each row before drawing (default: all). */
  topK?: number;
  /** Seed of the draw (default: the global generator). */
  seed?: number;
}

/**
 * One token per row drawn from softmax(logits / temperature), optionally restricted to the `topK`
 * largest logits: `logits` [batch, vocab] → int32 [batch] (or [vocab] → int32 [1]). Temperature 0 is
 * greedy (argmax, first index on ties); below 1 sharpens, above 1 flattens.
 *
 * ```js
 * const next = temperatureSample(model.predict(x), {temperature: 0.7, topK: 40, seed: 1});
 * ```
 */
export function temperatureSample(logits: TensorLike, options: TemperatureSampleOptions = {}): Tensor {
  const { t, rows, n } = logitRows('temperatureSample', logits);
  const temperature = options.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new ValueError(`temperatureSample: temperature must be a finite number ≥ 0, received ${String(temperature)}.`);
  }
  const topK = options.topK ?? n;
  if (!Number.isInteger(topK) || topK < 1) {
    throw new ValueError(`temperatureSample: topK must be a positive integer, received ${String(options.topK)}.`);
  }
  const keep = Math.min(topK, n);
  const g = generatorFor(options.seed);
  const out = new Int32Array(rows);
  const xv = t.values;
  const scaled = new Float64Array(n);
  const p = new Float64Array(n);
  const order = new Array<number>(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    if (temperature === 0) {
      let best = 0;
      for (let i = 1; i < n; i++) if (xv[base + i] > xv[base + best]) best = i;
      out[r] = best;
      continue;
    }
    // (x − max) / temperature: the same softmax as x / temperature, without overflow for a tiny temperature.
    let m = -Infinity;
    for (let i = 0; i < n; i++) m = Math.max(m, xv[base + i]);
    for (let i = 0; i < n; i++) scaled[i] = m === -Infinity ? -Infinity : (xv[base + i] - m) / temperature;
    if (keep < n) {
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => (scaled[b] !== scaled[a] ? scaled[b] - scaled[a] : a - b));
      for (let j = keep; j < n; j++) scaled[order[j]] = -Infinity;
    }
    rowProbabilities('temperatureSample', scaled, 0, n, false, p);
    out[r] = drawIndex(p, n, g.next());
  }
  return makeTensor(out, [rows], 'int32');
}
