/**
 * 1-D convolution over the steps axis of [batch, steps, channels] inputs, as a product through the
 * gemm kernel (wasm SIMD on the 'wasm' backend), with its backward (input and filter gradients)
 * beside it.
 *
 * No im2col copy is made: after padding, the window of output step t is the rows
 * `t·stride + j·dilation` (j < kernel) of the sample's [steps, channels] matrix, so each kernel tap j
 * is one strided gemm `out += x[t·stride + j·dilation, :] · filter[j]` (row stride stride·channels).
 * With dilation 1 and one group the k windows are adjacent, and the whole window of step t is the
 * k·channels contiguous floats at `t·stride·channels`: one gemm with K = k·channels and overlapping
 * rows (lda = stride·channels). With one input channel per group (depthwise) plain loops run instead.
 */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { gemmStrided } from './gemm';
import { toFloat32 } from './op_utils';
import { ValueError } from '../errors';

/** Padding of a 1-D convolution or pooling: 'valid' (none), 'same' (TF's rule), 'causal' (all on the left), or explicit [left, right]. */
export type Conv1DPadding = 'valid' | 'same' | 'causal' | [number, number];

/** The resolved geometry of one 1-D convolution or pooling window sweep. */
export interface Conv1DGeometry {
  /** Input steps. */
  inLength: number;
  /** Zeros added before and after the steps. */
  padLeft: number;
  padRight: number;
  /** Output steps. */
  outLength: number;
  /** Span of one window: (kernel − 1)·dilation + 1. */
  span: number;
}

/**
 * Output length and padding of a window of `kernel` taps (spaced by `dilation`) moved by `stride`
 * over `length` steps. 'same' pads `max((ceil(L/s) − 1)·s + span − L, 0)` with the smaller half on
 * the left (TensorFlow's rule); 'causal' pads `span − 1` on the left. Throws, naming `op`, when the
 * window is longer than the padded sequence.
 */
export function conv1dGeometry(
  op: string,
  length: number,
  kernel: number,
  stride: number,
  padding: Conv1DPadding,
  dilation: number,
): Conv1DGeometry {
  const span = (kernel - 1) * dilation + 1;
  let padLeft = 0;
  let padRight = 0;
  if (padding === 'same') {
    const total = Math.max((Math.ceil(length / stride) - 1) * stride + span - length, 0);
    padLeft = Math.floor(total / 2);
    padRight = total - padLeft;
  } else if (padding === 'causal') {
    padLeft = span - 1;
  } else if (Array.isArray(padding)) {
    [padLeft, padRight] = padding;
  }
  const padded = padLeft + length + padRight;
  if (span > padded) {
    throw new ValueError(
      `${op}: the window (kernel size ${kernel}, dilation ${dilation}: span ${span}) is longer than the ` +
        `${padding === 'valid' ? 'unpadded' : 'padded'} sequence of ${padded} steps (input steps ${length}, padding ${JSON.stringify(padding)}).`,
    );
  }
  return { inLength: length, padLeft, padRight, outLength: Math.floor((padded - span) / stride) + 1, span };
}

function checkPositiveInt(op: string, name: string, v: unknown): void {
  if (!Number.isInteger(v) || (v as number) < 1) throw new ValueError(`${op}: ${name} must be a positive integer, received ${String(v)}.`);
}

/** Checks the padding argument of a 1-D window op. */
export function checkConv1dPadding(op: string, padding: unknown): void {
  if (padding === 'valid' || padding === 'same' || padding === 'causal') return;
  if (Array.isArray(padding) && padding.length === 2 && padding.every((p) => Number.isInteger(p) && p >= 0)) return;
  throw new ValueError(
    `${op}: padding must be 'valid', 'same', 'causal' or a pair [left, right] of non-negative integers, received ${JSON.stringify(padding)}.`,
  );
}

/** `x` [batch, steps, channels] with `left` and `right` zero steps added (a copy; the input itself when both are 0). */
function padSteps(x: Float32Array, batch: number, steps: number, ch: number, left: number, right: number): Float32Array {
  if (left === 0 && right === 0) return x;
  const lp = left + steps + right;
  const out = new Float32Array(batch * lp * ch);
  for (let b = 0; b < batch; b++) out.set(x.subarray(b * steps * ch, (b + 1) * steps * ch), (b * lp + left) * ch);
  return out;
}

interface ConvPlan {
  batch: number;
  cin: number;
  cout: number;
  k: number;
  groups: number;
  stride: number;
  dilation: number;
  geo: Conv1DGeometry;
}

/**
 * One input channel per group (depthwise): direct loops instead of groups·k tiny products.
 * Output channel o reads input channel floor(o / coutG); filter [k, 1, cout].
 * `mode` 0: out = conv(xp, w); 1: dxp += dy ⊛ w; 2: dw += xp ⊛ dy.
 */
function depthwiseLoops(xp: Float32Array, w: Float32Array, y: Float32Array, p: ConvPlan, mode: 0 | 1 | 2): void {
  const { batch, cin, cout, k, stride, dilation, geo } = p;
  const lp = geo.padLeft + geo.inLength + geo.padRight;
  const lo = geo.outLength;
  const coutG = cout / cin;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < lo; t++) {
      const yRow = (b * lo + t) * cout;
      for (let j = 0; j < k; j++) {
        const xRow = (b * lp + t * stride + j * dilation) * cin;
        const wRow = j * cout;
        for (let o = 0; o < cout; o++) {
          const xi = xRow + Math.floor(o / coutG);
          if (mode === 0) y[yRow + o] += xp[xi] * w[wRow + o];
          else if (mode === 1) xp[xi] += y[yRow + o] * w[wRow + o];
          else w[wRow + o] += xp[xi] * y[yRow + o];
        }
      }
    }
  }
}

/**
 * The grouped (or dilated) convolution as one small product per batch row b, group g and kernel tap j (in that
 * order): `product(xo, wo, yo)` with the offsets of its blocks in the padded input (rows of stride·cin), the
 * filter and the output.
 */
function forEachTap(p: ConvPlan, product: (xo: number, wo: number, yo: number) => void): void {
  const { batch, cin, cout, k, groups, dilation, geo } = p;
  const lp = geo.padLeft + geo.inLength + geo.padRight;
  const cinG = cin / groups;
  const coutG = cout / groups;
  for (let b = 0; b < batch; b++) {
    for (let g = 0; g < groups; g++) {
      for (let j = 0; j < k; j++) {
        product(b * lp * cin + j * dilation * cin + g * cinG, j * cinG * cout + g * coutG, b * geo.outLength * cout + g * coutG);
      }
    }
  }
}

/** out[b] (+)= conv(xp[b], w) for the padded input `xp` [batch, Lp, cin]; `out` holds the bias (or zeros) and is accumulated into. */
function convForward(xp: Float32Array, w: Float32Array, out: Float32Array, p: ConvPlan): void {
  const { batch, cin, cout, k, groups, stride, dilation, geo } = p;
  if (groups > 1 && groups === cin) return depthwiseLoops(xp, w, out, p, 0);
  const lp = geo.padLeft + geo.inLength + geo.padRight;
  const lo = geo.outLength;
  if (groups === 1 && dilation === 1) {
    // out[b] = windows · w [k·cin, cout], the windows being the overlapping rows of xp.
    for (let b = 0; b < batch; b++) {
      gemmStrided(xp, b * lp * cin, stride * cin, false, w, 0, cout, false, out, b * lo * cout, cout, lo, cout, k * cin, true);
    }
    return;
  }
  const cinG = cin / groups;
  const coutG = cout / groups;
  forEachTap(p, (xo, wo, yo) => gemmStrided(xp, xo, stride * cin, false, w, wo, cout, false, out, yo, cout, lo, coutG, cinG, true));
}

/** dx (padded, [batch, Lp, cin], accumulated) from dy [batch, Lo, cout]. */
function convBackpropInput(dy: Float32Array, w: Float32Array, dxp: Float32Array, p: ConvPlan): void {
  const { cin, cout, groups, stride } = p;
  if (groups > 1 && groups === cin) return depthwiseLoops(dxp, w, dy, p, 1);
  const cinG = cin / groups;
  const coutG = cout / groups;
  // dx[t·s + j·d, group cols] += dy[t, group cols] · w[j][:, group cols]ᵀ; rows of width cinG at stride s·cin never overlap.
  forEachTap(p, (xo, wo, yo) =>
    gemmStrided(dy, yo, cout, false, w, wo, cout, true, dxp, xo, stride * cin, p.geo.outLength, cinG, coutG, true),
  );
}

/** dw [k, cinG, cout] (accumulated) from the padded input and dy. */
function convBackpropFilter(xp: Float32Array, dy: Float32Array, dw: Float32Array, p: ConvPlan): void {
  const { batch, cin, cout, k, groups, stride, dilation, geo } = p;
  if (groups > 1 && groups === cin) return depthwiseLoops(xp, dw, dy, p, 2);
  const lp = geo.padLeft + geo.inLength + geo.padRight;
  const lo = geo.outLength;
  if (groups === 1 && dilation === 1) {
    // dw [k·cin, cout] += windowsᵀ · dy, the windows being the overlapping rows of xp.
    for (let b = 0; b < batch; b++) {
      gemmStrided(xp, b * lp * cin, stride * cin, true, dy, b * lo * cout, cout, false, dw, 0, cout, k * cin, cout, lo, true);
    }
    return;
  }
  const cinG = cin / groups;
  const coutG = cout / groups;
  forEachTap(p, (xo, wo, yo) => gemmStrided(xp, xo, stride * cin, true, dy, yo, cout, false, dw, wo, cout, cinG, coutG, lo, true));
}

/**
 * 1-D convolution (cross-correlation, as tfjs/Keras): x [batch, steps, inChannels], filter
 * [kernelSize, inChannels / groups, outChannels] → [batch, outSteps, outChannels]. Output step t reads
 * input steps `t·stride + j·dilation − padLeft` (j < kernelSize); with `groups` > 1, output channels
 * of group g read only input channels of group g.
 *
 * ```js
 * conv1d(randomNormal([2, 10, 3]), randomNormal([4, 3, 8]), 1, 'causal');   // shape [2, 10, 8]
 * ```
 *
 * `bias` [outChannels], when given, is added in the same pass (the output starts from it; its gradient
 * is dy summed over batch and steps).
 *
 * tfjs note: tfjs's `conv1d(x, filter, stride, pad, dataFormat, dilation)` takes a data format in the
 * fifth place; here inputs are always channels-last, and 'causal', explicit [left, right] padding,
 * `groups` and the fused `bias` are added (tfjs's Conv1D layer pads for 'causal' itself and has no groups).
 */
export function conv1d(
  x: TensorLike,
  filter: TensorLike,
  stride = 1,
  pad: Conv1DPadding = 'valid',
  dilation = 1,
  groups = 1,
  bias: TensorLike | null = null,
): Tensor {
  const op = 'conv1d';
  const xt = convertToTensor(x, 'x', op, 'float32');
  const wt = convertToTensor(filter, 'filter', op, 'float32');
  const bt = bias === null || bias === undefined ? null : convertToTensor(bias, 'bias', op, 'float32');
  if (xt.rank !== 3) {
    throw new ValueError(`${op}: x must have rank 3 [batch, steps, channels], received shape ${formatShape(xt.shape)}.`);
  }
  if (wt.rank !== 3) {
    throw new ValueError(
      `${op}: filter must have rank 3 [kernelSize, inChannels / groups, outChannels], received shape ${formatShape(wt.shape)}.`,
    );
  }
  checkPositiveInt(op, 'stride', stride);
  checkPositiveInt(op, 'dilation', dilation);
  checkPositiveInt(op, 'groups', groups);
  checkConv1dPadding(op, pad);
  const [batch, steps, cin] = xt.shape;
  const [k, cinG, cout] = wt.shape;
  if (cin % groups !== 0 || cout % groups !== 0) {
    throw new ValueError(
      `${op}: input channels (${cin}) and output channels (${cout}) must both be divisible by groups (${groups}); x ${formatShape(xt.shape)}, filter ${formatShape(wt.shape)}.`,
    );
  }
  if (cinG !== cin / groups) {
    throw new ValueError(
      `${op}: filter ${formatShape(wt.shape)} must have inChannels / groups = ${cin / groups} in its second dimension for x ${formatShape(xt.shape)} (groups ${groups}).`,
    );
  }
  if (k < 1) throw new ValueError(`${op}: the kernel size (first dimension of filter ${formatShape(wt.shape)}) must be positive.`);
  if (bt && (bt.rank !== 1 || bt.shape[0] !== cout)) {
    throw new ValueError(
      `${op}: bias must have shape [outChannels] = [${cout}] for filter ${formatShape(wt.shape)}, received ${formatShape(bt.shape)}.`,
    );
  }
  const geo = conv1dGeometry(op, steps, k, stride, pad, dilation);
  const plan: ConvPlan = { batch, cin, cout, k, groups, stride, dilation, geo };
  const xv = toFloat32(xt.values);
  const wv = toFloat32(wt.values);
  const xp = padSteps(xv, batch, steps, cin, geo.padLeft, geo.padRight);
  const out = new Float32Array(batch * geo.outLength * cout);
  if (bt) {
    const bv = toFloat32(bt.values);
    for (let r = 0; r < out.length; r += cout) out.set(bv, r);
  }
  if (out.length > 0 && cin > 0) convForward(xp, wv, out, plan);
  const result = makeTensor(out, [batch, geo.outLength, cout], 'float32');
  record(op, bt ? [xt, wt, bt] : [xt, wt], [result], ([dy]) => {
    const dyv = toFloat32(dy.values);
    const lp = geo.padLeft + steps + geo.padRight;
    const dxp = new Float32Array(batch * lp * cin);
    const dw = new Float32Array(wv.length);
    if (dyv.length > 0 && cin > 0) {
      convBackpropInput(dyv, wv, dxp, plan);
      convBackpropFilter(xp, dyv, dw, plan);
    }
    let dx = dxp;
    if (lp !== steps) {
      dx = new Float32Array(batch * steps * cin);
      for (let b = 0; b < batch; b++) {
        const from = (b * lp + geo.padLeft) * cin;
        dx.set(dxp.subarray(from, from + steps * cin), b * steps * cin);
      }
    }
    const grads = [makeTensor(dx, xt.shape.slice(), 'float32'), makeTensor(dw, wt.shape.slice(), 'float32')];
    if (bt) {
      const db = new Float32Array(cout);
      for (let r = 0; r < dyv.length; r += cout) for (let o = 0; o < cout; o++) db[o] += dyv[r + o];
      grads.push(makeTensor(db, [cout], 'float32'));
    }
    return grads;
  });
  return result;
}
