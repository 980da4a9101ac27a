/**
 * Max and average pooling over the rows and columns of [batch, rows, cols, channels] inputs, with backwards
 * beside them; the window loop is shared with the 1-D pooling ops (pool1d.ts: one row).
 */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { conv1dGeometry } from './conv1d';
import { toFloat32 } from './op_utils';
import { ValueError } from '../errors';

/** Padding of the pooling ops: 'valid' (windows inside the input) or 'same' (output size ⌈input / stride⌉). */
export type Pool2DPadding = 'valid' | 'same';

/** Where the windows of one pooling call lie: input [batch, inH, inW, ch], window kh×kw moved by sh, sw. */
export interface PoolWindows {
  batch: number;
  inH: number;
  inW: number;
  ch: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  outH: number;
  outW: number;
  padTop: number;
  padLeft: number;
}

/** The [start, end) input range of output position `o` along an axis (padding left out). */
function span(o: number, stride: number, pad: number, size: number, n: number): [number, number] {
  return [Math.max(o * stride - pad, 0), Math.min(o * stride - pad + size, n)];
}

/**
 * Pools the windows `w` of `t` (values laid out [batch, inH, inW, ch]) into a tensor of `outShape`
 * ([batch, outH, outW, ch] values), recording the backward under `op`: 'max' takes the largest value
 * (the gradient goes to the first largest element; NaN wins), 'avg' the mean over the window's
 * elements inside the input (TensorFlow's rule for 'same').
 */
export function poolWindows(op: string, t: Tensor, w: PoolWindows, mode: 'max' | 'avg', outShape: number[]): Tensor {
  const { batch, inH, inW, ch, kh, kw, sh, sw, outH, outW, padTop, padLeft } = w;
  const xv = toFloat32(t.values);
  const out = new Float32Array(batch * outH * outW * ch);
  const argmax = mode === 'max' ? new Int32Array(out.length) : null;
  const forEachWindow = (fn: (oRow: number, xb: number, y0: number, y1: number, x0: number, x1: number) => void): void => {
    for (let b = 0; b < batch; b++) {
      const xb = b * inH * inW;
      for (let oy = 0; oy < outH; oy++) {
        const [y0, y1] = span(oy, sh, padTop, kh, inH);
        for (let ox = 0; ox < outW; ox++) {
          const [x0, x1] = span(ox, sw, padLeft, kw, inW);
          fn(((b * outH + oy) * outW + ox) * ch, xb, y0, y1, x0, x1);
        }
      }
    }
  };
  if (argmax) {
    forEachWindow((oRow, xb, y0, y1, x0, x1) => {
      for (let c = 0; c < ch; c++) {
        let best = -Infinity;
        let at = (xb + y0 * inW + x0) * ch + c;
        search: for (let y = y0; y < y1; y++) {
          for (let x = x0; x < x1; x++) {
            const i = (xb + y * inW + x) * ch + c;
            const v = xv[i];
            if (v > best || Number.isNaN(v)) {
              best = v;
              at = i;
              if (Number.isNaN(v)) break search;
            }
          }
        }
        out[oRow + c] = best;
        argmax[oRow + c] = at;
      }
    });
  } else {
    forEachWindow((oRow, xb, y0, y1, x0, x1) => {
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const xRow = (xb + y * inW + x) * ch;
          for (let c = 0; c < ch; c++) out[oRow + c] += xv[xRow + c];
        }
      }
      const inv = 1 / ((y1 - y0) * (x1 - x0));
      for (let c = 0; c < ch; c++) out[oRow + c] *= inv;
    });
  }
  const result = makeTensor(out, outShape, 'float32');
  record(op, [t], [result], ([dy]) => {
    const g = toFloat32(dy.values);
    const dx = new Float32Array(xv.length);
    if (argmax) {
      for (let i = 0; i < g.length; i++) dx[argmax[i]] += g[i];
    } else {
      forEachWindow((oRow, xb, y0, y1, x0, x1) => {
        const inv = 1 / ((y1 - y0) * (x1 - x0));
        for (let y = y0; y < y1; y++) {
          for (let x = x0; x < x1; x++) {
            const xRow = (xb + y * inW + x) * ch;
            for (let c = 0; c < ch; c++) dx[xRow + c] += g[oRow + c] * inv;
          }
        }
      });
    }
    return [makeTensor(dx, t.shape.slice(), 'float32')];
  });
  return result;
}

/** A positive integer or a pair of them, as `[rows, cols]`; throws naming `op` and `name`. */
function pairArg(op: string, name: string, v: number | [number, number]): [number, number] {
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((p) => Number.isInteger(p) && p > 0)) {
    throw new ValueError(
      `${op}: ${name} must be a positive integer or a pair [rows, cols] of them, received ${JSON.stringify(v) ?? String(v)}.`,
    );
  }
  return [pair[0], pair[1]];
}

function pool2d(
  op: string,
  mode: 'max' | 'avg',
  x: TensorLike,
  poolSize: number | [number, number],
  strides: number | [number, number] | undefined,
  pad: Pool2DPadding,
): Tensor {
  const t = convertToTensor(x, 'x', op, 'float32');
  if (t.rank !== 4) {
    throw new ValueError(`${op}: x must have rank 4 [batch, rows, cols, channels], received shape ${formatShape(t.shape)}.`);
  }
  const [kh, kw] = pairArg(op, 'poolSize', poolSize);
  const [sh, sw] = pairArg(op, 'strides', strides ?? poolSize);
  if (pad !== 'valid' && pad !== 'same') throw new ValueError(`${op}: padding must be 'valid' or 'same', received ${JSON.stringify(pad)}.`);
  const [batch, inH, inW, ch] = t.shape;
  const where = `${op} (x shape ${formatShape(t.shape)}, rows)`;
  const rows = conv1dGeometry(where, inH, kh, sh, pad, 1);
  const cols = conv1dGeometry(`${op} (x shape ${formatShape(t.shape)}, cols)`, inW, kw, sw, pad, 1);
  const w: PoolWindows = {
    batch,
    inH,
    inW,
    ch,
    kh,
    kw,
    sh,
    sw,
    outH: rows.outLength,
    outW: cols.outLength,
    padTop: rows.padLeft,
    padLeft: cols.padLeft,
  };
  return poolWindows(op, t, w, mode, [batch, w.outH, w.outW, ch]);
}

/**
 * Largest value of each `poolSize` window (a number or [rows, cols]) moved by `strides` (default poolSize):
 * [batch, rows, cols, channels] → [batch, outRows, outCols, channels], as tfjs's `maxPool`. 'same' windows
 * ignore the padding. The gradient goes to the first largest element of each window.
 *
 * ```js
 * maxPool2d(tensor4d([[[[1], [3]], [[2], [0]]]]), 2);   // [[[[3]]]]
 * ```
 */
export function maxPool2d(
  x: TensorLike,
  poolSize: number | [number, number],
  strides?: number | [number, number],
  pad: Pool2DPadding = 'valid',
): Tensor {
  return pool2d('maxPool2d', 'max', x, poolSize, strides, pad);
}

/**
 * Mean of each `poolSize` window (a number or [rows, cols]) moved by `strides` (default poolSize):
 * [batch, rows, cols, channels] → [batch, outRows, outCols, channels]. With 'same', a window's padded
 * positions are not counted (as TensorFlow and tfjs's forward).
 *
 * ```js
 * avgPool2d(tensor4d([[[[1], [3]], [[2], [0]]]]), 2);   // [[[[1.5]]]]
 * ```
 *
 * tfjs note: tfjs's avgPool gradient divides 'same' windows by the full window size, unlike its forward;
 * the gradient here is the derivative of the forward (finite differences agree), as TensorFlow's.
 */
export function avgPool2d(
  x: TensorLike,
  poolSize: number | [number, number],
  strides?: number | [number, number],
  pad: Pool2DPadding = 'valid',
): Tensor {
  return pool2d('avgPool2d', 'avg', x, poolSize, strides, pad);
}
