/** Max and average pooling over the steps axis of [batch, steps, channels] inputs, with backwards beside them. */
import { Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { conv1dGeometry, Conv1DGeometry } from './conv1d';
import { poolWindows, PoolWindows } from './pool2d';
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

/** The windows of a 1-D pooling call: one row of the 2-D window loop (pool2d.ts). */
function rowWindows(t: Tensor, geo: Conv1DGeometry, poolSize: number, stride: number): PoolWindows {
  const [batch, steps, ch] = t.shape;
  return {
    batch,
    inH: 1,
    inW: steps,
    ch,
    kh: 1,
    kw: poolSize,
    sh: 1,
    sw: stride,
    outH: 1,
    outW: geo.outLength,
    padTop: 0,
    padLeft: geo.padLeft,
  };
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
  return poolWindows('maxPool1d', t, rowWindows(t, geo, poolSize, stride), 'max', [t.shape[0], geo.outLength, t.shape[2]]);
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
  return poolWindows('avgPool1d', t, rowWindows(t, geo, poolSize, stride), 'avg', [t.shape[0], geo.outLength, t.shape[2]]);
}
