/**
 * conv2d: 2-D convolution (cross-correlation, as tfjs/TensorFlow) of NHWC inputs, via im2col and
 * the gemm kernel, with its backward (input and filter gradients) beside it.
 */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { gemm } from './gemm';
import { toFloat32 } from './op_utils';
import { ValueError } from '../errors';

/** Padding of a convolution: 'valid' (no padding) or 'same' (TensorFlow's: output size ⌈input / stride⌉). */
export type ConvPadding = 'valid' | 'same';

/**
 * The output length of one spatial axis (as tfjs/Keras `convOutputLength`): 'valid' gives
 * ⌈(n − (k−1)·d) / s⌉, 'same' gives ⌈n / s⌉; null stays null (unknown size).
 */
export function convOutputLength(
  inputLength: number | null,
  filterSize: number,
  padding: ConvPadding,
  stride: number,
  dilation = 1,
): number | null {
  if (inputLength === null || inputLength === undefined) return null;
  const effective = (filterSize - 1) * dilation + 1;
  if (padding === 'same') return Math.ceil(inputLength / stride);
  return Math.ceil((inputLength - effective + 1) / stride);
}

/** A positive integer or a pair of them, as `[rows, cols]`; throws naming `op` and `name`. */
function pairOf(op: string, name: string, v: number | number[]): [number, number] {
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((p) => Number.isInteger(p) && p > 0)) {
    throw new ValueError(`${op}: ${name} must be a positive integer or a pair of them, received ${JSON.stringify(v) ?? String(v)}.`);
  }
  return [pair[0], pair[1]];
}

/** Geometry of one conv2d call. */
interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  kh: number;
  kw: number;
  outC: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  outH: number;
  outW: number;
  padTop: number;
  padLeft: number;
}

/**
 * im2col: row (b, oy, ox) of the result holds the receptive field of that output pixel in the
 * filter's [kh, kw, inC] order (zeros where it falls in the padding), so out = cols · filter.
 */
function im2col(x: Float32Array, g: ConvGeometry): Float32Array {
  const { batch, inH, inW, inC, kh, kw, sh, sw, dh, dw, outH, outW, padTop, padLeft } = g;
  const K = kh * kw * inC;
  const cols = new Float32Array(batch * outH * outW * K);
  let row = 0;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, row++) {
        let dst = row * K;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - padTop;
          for (let kx = 0; kx < kw; kx++, dst += inC) {
            const ix = ox * sw + kx * dw - padLeft;
            if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) continue; // padding: stays 0
            const src = xb + (iy * inW + ix) * inC;
            for (let c = 0; c < inC; c++) cols[dst + c] = x[src + c];
          }
        }
      }
    }
  }
  return cols;
}

/** col2im: the adjoint of im2col, summing each column entry back into its input position. */
function col2im(cols: Float32Array, g: ConvGeometry): Float32Array {
  const { batch, inH, inW, inC, kh, kw, sh, sw, dh, dw, outH, outW, padTop, padLeft } = g;
  const K = kh * kw * inC;
  const dx = new Float32Array(batch * inH * inW * inC);
  let row = 0;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, row++) {
        let src = row * K;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - padTop;
          for (let kx = 0; kx < kw; kx++, src += inC) {
            const ix = ox * sw + kx * dw - padLeft;
            if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) continue;
            const dst = xb + (iy * inW + ix) * inC;
            for (let c = 0; c < inC; c++) dx[dst + c] += cols[src + c];
          }
        }
      }
    }
  }
  return dx;
}

/**
 * 2-D convolution of `x` [batch, height, width, inChannels] (or [height, width, inChannels]) with
 * `filter` [filterHeight, filterWidth, inChannels, outChannels] → [batch, outHeight, outWidth, outChannels],
 * as tfjs's `tf.conv2d`: cross-correlation, `strides` and `dilations` per spatial axis (a number or
 * [rows, cols]), padding 'valid' or 'same' (TensorFlow's, the extra pixel at the bottom/right).
 * Differentiable w.r.t. both `x` and `filter`.
 *
 * ```js
 * const y = conv2d(x, filter, 1, 'same');            // x [2, 8, 8, 3], filter [3, 3, 3, 16] → [2, 8, 8, 16]
 * conv2d(x, filter, [2, 2], 'valid', 'NHWC', 1);     // strided
 * ```
 *
 * tfjs note: tfjs refuses strides > 1 together with dilations > 1, and has no gradient for dilations > 1;
 * both work here.
 */
export function conv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | [number, number] = 1,
  pad: ConvPadding = 'valid',
  dataFormat: 'NHWC' = 'NHWC',
  dilations: number | [number, number] = 1,
): Tensor {
  const xIn = convertToTensor(x, 'x', 'conv2d');
  const w = convertToTensor(filter, 'filter', 'conv2d');
  if (dataFormat !== 'NHWC') {
    throw new ValueError(`conv2d: dataFormat must be 'NHWC' (channels last), received ${JSON.stringify(dataFormat)}.`);
  }
  if (pad !== 'valid' && pad !== 'same') {
    throw new ValueError(`conv2d: pad must be 'valid' or 'same', received ${JSON.stringify(pad)}.`);
  }
  if (xIn.rank !== 4 && xIn.rank !== 3) {
    throw new ValueError(
      `conv2d: x must have rank 4 [batch, height, width, inChannels] (or 3 without the batch), received shape ${formatShape(xIn.shape)}.`,
    );
  }
  if (w.rank !== 4) {
    throw new ValueError(
      `conv2d: filter must have rank 4 [filterHeight, filterWidth, inChannels, outChannels], received shape ${formatShape(w.shape)}.`,
    );
  }
  if (xIn.dtype === 'bool' || w.dtype === 'bool') throw new ValueError('conv2d: x and filter must be numeric tensors, received bool.');
  const x4 = xIn.rank === 3 ? makeTensor(xIn.values, [1, ...xIn.shape], xIn.dtype) : xIn;
  const [batch, inH, inW, inC] = x4.shape;
  const [kh, kw, fIn, outC] = w.shape;
  if (fIn !== inC) {
    throw new ValueError(
      `conv2d: the input channels of x (shape ${formatShape(xIn.shape)}, ${inC} channels) must equal the filter's ` +
        `inChannels (shape ${formatShape(w.shape)}, ${fIn}).`,
    );
  }
  const [sh, sw] = pairOf('conv2d', 'strides', strides);
  const [dh, dw] = pairOf('conv2d', 'dilations', dilations);
  const outH = convOutputLength(inH, kh, pad, sh, dh)!;
  const outW = convOutputLength(inW, kw, pad, sw, dw)!;
  if (outH <= 0 || outW <= 0) {
    throw new ValueError(
      `conv2d: with 'valid' padding the (dilated) filter ${(kh - 1) * dh + 1}x${(kw - 1) * dw + 1} is larger than the input ` +
        `${inH}x${inW} (x shape ${formatShape(xIn.shape)}, filter shape ${formatShape(w.shape)}).`,
    );
  }
  // TensorFlow's 'same': total padding (out−1)·s + k_eff − n, the odd pixel at the end.
  const padTop = pad === 'same' ? Math.floor(Math.max((outH - 1) * sh + (kh - 1) * dh + 1 - inH, 0) / 2) : 0;
  const padLeft = pad === 'same' ? Math.floor(Math.max((outW - 1) * sw + (kw - 1) * dw + 1 - inW, 0) / 2) : 0;
  const g: ConvGeometry = { batch, inH, inW, inC, kh, kw, outC, sh, sw, dh, dw, outH, outW, padTop, padLeft };

  const xv = toFloat32(x4.values);
  const wv = toFloat32(w.values);
  const M = batch * outH * outW;
  const K = kh * kw * inC;
  const cols = im2col(xv, g);
  const out = new Float32Array(M * outC);
  if (M > 0 && outC > 0) gemm(cols, 0, false, wv, 0, false, out, 0, M, outC, K);
  const outShape = xIn.rank === 3 ? [outH, outW, outC] : [batch, outH, outW, outC];
  const result = makeTensor(out, outShape, 'float32');

  record('conv2d', [xIn, w], [result], ([dy]) => {
    const dyv = toFloat32(dy.values);
    // d filter = colsᵀ · dy  ([K, M] · [M, outC]);  d cols = dy · filterᵀ  ([M, outC] · [outC, K]).
    const dw = new Float32Array(K * outC);
    const dcols = new Float32Array(M * K);
    if (M > 0 && K > 0 && outC > 0) {
      gemm(cols, 0, true, dyv, 0, false, dw, 0, K, outC, M);
      gemm(dyv, 0, false, wv, 0, true, dcols, 0, M, K, outC);
    }
    const dx = col2im(dcols, g);
    return [
      xIn.dtype === 'float32' ? makeTensor(dx, xIn.shape.slice(), 'float32') : null,
      w.dtype === 'float32' ? makeTensor(dw, w.shape.slice(), 'float32') : null,
    ];
  });
  return result;
}
