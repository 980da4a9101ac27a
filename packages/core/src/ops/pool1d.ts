/** Max and average pooling over the steps axis of [batch, steps, channels] inputs, with backwards beside them. */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { conv1dGeometry, Conv1DGeometry } from './conv1d';
import { toFloat32 } from './op_utils';
import { ValueError } from '../errors';

/** Padding of the 1-D pooling ops (tfjs's pooling layers take 'valid' and 'same'). */
export type Pool1DPadding = 'valid' | 'same';

function poolInputs(op: string, x: TensorLike, poolSize: number, stride: number, pad: Pool1DPadding): { t: Tensor; geo: Conv1DGeometry } {
  const t = convertToTensor(x, 'x', op, 'float32');
  if (t.rank !== 3) throw new ValueError(`${op}: x must have rank 3 [batch, steps, channels], received shape ${formatShape(t.shape)}.`);
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new ValueError(`${op}: poolSize must be a positive integer, received ${String(poolSize)}.`);
  if (!Number.isInteger(stride) || stride < 1)
    throw new ValueError(`${op}: stride must be a positive integer, received ${String(stride)}.`);
  if (pad !== 'valid' && pad !== 'same') throw new ValueError(`${op}: padding must be 'valid' or 'same', received ${JSON.stringify(pad)}.`);
  return { t, geo: conv1dGeometry(op, t.shape[1], poolSize, stride, pad, 1) };
}

/**
 * Largest value of each window of `poolSize` steps, moved by `stride`: [batch, steps, channels] →
 * [batch, outSteps, channels]. 'same' windows ignore the padded steps. The gradient goes to the first
 * largest element of each window.
 *
 * ```js
 * maxPool1d(tensor3d([[[1], [3], [2], [0]]]), 2, 2);   // [[[3], [2]]]
 * ```
 */
export function maxPool1d(x: TensorLike, poolSize: number, stride = poolSize, pad: Pool1DPadding = 'valid'): Tensor {
  const { t, geo } = poolInputs('maxPool1d', x, poolSize, stride, pad);
  const [batch, steps, ch] = t.shape;
  const lo = geo.outLength;
  const xv = toFloat32(t.values);
  const out = new Float32Array(batch * lo * ch);
  const argmax = new Int32Array(out.length);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < lo; o++) {
      const s0 = Math.max(o * stride - geo.padLeft, 0);
      const s1 = Math.min(o * stride - geo.padLeft + poolSize, steps);
      const oRow = (b * lo + o) * ch;
      for (let c = 0; c < ch; c++) {
        let best = -Infinity;
        let at = (b * steps + s0) * ch + c;
        for (let s = s0; s < s1; s++) {
          const i = (b * steps + s) * ch + c;
          const v = xv[i];
          if (v > best || Number.isNaN(v)) {
            best = v;
            at = i;
            if (Number.isNaN(v)) break;
          }
        }
        out[oRow + c] = best;
        argmax[oRow + c] = at;
      }
    }
  }
  const result = makeTensor(out, [batch, lo, ch], 'float32');
  record('maxPool1d', [t], [result], ([dy]) => {
    const g = toFloat32(dy.values);
    const dx = new Float32Array(xv.length);
    for (let i = 0; i < g.length; i++) dx[argmax[i]] += g[i];
    return [makeTensor(dx, t.shape.slice(), 'float32')];
  });
  return result;
}

/**
 * Mean of each window of `poolSize` steps, moved by `stride`: [batch, steps, channels] →
 * [batch, outSteps, channels]. With 'same', a window's padded steps are not counted (as TensorFlow).
 *
 * ```js
 * avgPool1d(tensor3d([[[1], [3], [2], [0]]]), 2, 2);   // [[[2], [1]]]
 * ```
 *
 * tfjs note: tfjs's avgPool divides 'same' windows by the full pool size (the padded zeros count);
 * TensorFlow/Keras, and this op, divide by the steps inside the sequence, so Keras-trained models
 * predict as in Keras.
 */
export function avgPool1d(x: TensorLike, poolSize: number, stride = poolSize, pad: Pool1DPadding = 'valid'): Tensor {
  const { t, geo } = poolInputs('avgPool1d', x, poolSize, stride, pad);
  const [batch, steps, ch] = t.shape;
  const lo = geo.outLength;
  const xv = toFloat32(t.values);
  const out = new Float32Array(batch * lo * ch);
  const window = (o: number): [number, number] => [
    Math.max(o * stride - geo.padLeft, 0),
    Math.min(o * stride - geo.padLeft + poolSize, steps),
  ];
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < lo; o++) {
      const [s0, s1] = window(o);
      const oRow = (b * lo + o) * ch;
      for (let s = s0; s < s1; s++) {
        const xRow = (b * steps + s) * ch;
        for (let c = 0; c < ch; c++) out[oRow + c] += xv[xRow + c];
      }
      const inv = 1 / (s1 - s0);
      for (let c = 0; c < ch; c++) out[oRow + c] *= inv;
    }
  }
  const result = makeTensor(out, [batch, lo, ch], 'float32');
  record('avgPool1d', [t], [result], ([dy]) => {
    const g = toFloat32(dy.values);
    const dx = new Float32Array(xv.length);
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < lo; o++) {
        const [s0, s1] = window(o);
        const inv = 1 / (s1 - s0);
        const oRow = (b * lo + o) * ch;
        for (let s = s0; s < s1; s++) {
          const xRow = (b * steps + s) * ch;
          for (let c = 0; c < ch; c++) dx[xRow + c] += g[oRow + c] * inv;
        }
      }
    }
    return [makeTensor(dx, t.shape.slice(), 'float32')];
  });
  return result;
}
