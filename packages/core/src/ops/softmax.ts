/** softmax and logSoftmax along one axis, numerically stable (the maximum is subtracted first). */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { parseAxis } from '../shape';
import { reductionLoops } from './op_utils';
import { ValueError } from '../errors';

/** Shared loop: for each slice along `axis`, calls `body(base, stride, n)` where element r is at base + r·stride. */
function forEachLine(shape: number[], axis: number, body: (base: number, stride: number, n: number) => void): void {
  const { outer, reduce, inner } = reductionLoops(shape, [axis]);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) body(o * reduce * inner + k, inner, reduce);
  }
}

function floatLogits(op: string, logits: TensorLike, dim: number): [Tensor, number] {
  const t = convertToTensor(logits, 'logits', op);
  if (t.dtype !== 'float32') throw new ValueError(`${op}: logits must be float32, received ${t.dtype}.`);
  if (t.rank === 0) throw new ValueError(`${op}: logits must have rank >= 1, received a scalar.`);
  return [t, parseAxis(op, dim, t.rank)];
}

/**
 * exp(x) / Σ exp(x) along `dim` (default: the last axis).
 * tfjs note: tfjs only supports the last axis; any axis works here.
 *
 * ```js
 * softmax(tensor1d([0, Math.log(3)]));   // [0.25, 0.75]
 * ```
 */
export function softmax(logits: TensorLike, dim = -1): Tensor {
  const [t, ax] = floatLogits('softmax', logits, dim);
  const xv = t.values;
  const out = new Float32Array(t.size);
  forEachLine(t.shape, ax, (base, stride, n) => {
    let m = -Infinity;
    for (let r = 0; r < n; r++) m = Math.max(m, xv[base + r * stride]);
    let s = 0;
    for (let r = 0; r < n; r++) {
      const e = Math.exp(xv[base + r * stride] - m);
      out[base + r * stride] = e;
      s += e;
    }
    for (let r = 0; r < n; r++) out[base + r * stride] /= s;
  });
  const y = makeTensor(out, t.shape.slice(), 'float32');
  // dx = y · (dy − Σ dy·y) along the axis.
  record('softmax', [t], [y], ([dy]) => {
    const dv = dy.values;
    const g = new Float32Array(t.size);
    forEachLine(t.shape, ax, (base, stride, n) => {
      let dot = 0;
      for (let r = 0; r < n; r++) dot += dv[base + r * stride] * out[base + r * stride];
      for (let r = 0; r < n; r++) {
        const i = base + r * stride;
        g[i] = out[i] * (dv[i] - dot);
      }
    });
    return [makeTensor(g, t.shape.slice(), 'float32')];
  });
  return y;
}

/**
 * x − log Σ exp(x) along `axis` (default: the last axis).
 *
 * ```js
 * logSoftmax(tensor1d([0, 0]));   // [-log 2, -log 2]
 * ```
 */
export function logSoftmax(logits: TensorLike, axis = -1): Tensor {
  const [t, ax] = floatLogits('logSoftmax', logits, axis);
  const xv = t.values;
  const out = new Float32Array(t.size);
  forEachLine(t.shape, ax, (base, stride, n) => {
    let m = -Infinity;
    for (let r = 0; r < n; r++) m = Math.max(m, xv[base + r * stride]);
    let s = 0;
    for (let r = 0; r < n; r++) s += Math.exp(xv[base + r * stride] - m);
    const lse = m + Math.log(s);
    for (let r = 0; r < n; r++) out[base + r * stride] = xv[base + r * stride] - lse;
  });
  const y = makeTensor(out, t.shape.slice(), 'float32');
  // dx = dy − softmax · Σ dy along the axis.
  record('logSoftmax', [t], [y], ([dy]) => {
    const dv = dy.values;
    const g = new Float32Array(t.size);
    forEachLine(t.shape, ax, (base, stride, n) => {
      let s = 0;
      for (let r = 0; r < n; r++) s += dv[base + r * stride];
      for (let r = 0; r < n; r++) {
        const i = base + r * stride;
        g[i] = dv[i] - Math.exp(out[i]) * s;
      }
    });
    return [makeTensor(g, t.shape.slice(), 'float32')];
  });
  return y;
}
