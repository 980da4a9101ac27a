/**
 * The 2-D convolution and pooling layers on [batch, rows, cols, channels] → ONNX Conv / MaxPool / AveragePool
 * (NCHW, transposed around) and ReduceMean / ReduceMax; and TimeDistributed of a layer that needs the batch
 * axis (CNN-LSTM's TimeDistributed(Conv2D / MaxPooling2D / Flatten)): [batch, time, ...] folded to
 * [batch·time, ...] with Reshape, the layer converted, and unfolded with the input's own batch and time.
 */
import type { Layer } from '@recurrent/layers';
import { ValueError } from '@recurrent/core';
import { emitActivation } from './activations';
import type { Dim, GraphBuilder, GraphValue } from './graph_builder';

/** Class names `exportConv2DLayer` converts. */
export const KERAS_CONV2D_CLASSES = ['Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D'];

/** What the exporter reads from Conv2D / Pooling2D. */
interface Window2DLayer {
  kernelSize?: [number, number];
  poolSize?: [number, number];
  strides: [number, number];
  padding: 'valid' | 'same';
  dilationRate?: [number, number];
  useBias?: boolean;
  dataFormat?: string;
  keepdims?: boolean;
}

/** Appends the nodes of a 2-D layer (class in KERAS_CONV2D_CLASSES) applied to [batch, rows, cols, channels] `x`. */
export function exportConv2DLayer(g: GraphBuilder, x: GraphValue, layer: Layer, where: string): GraphValue {
  const className = layer.getClassName();
  const w = layer as unknown as Window2DLayer;
  const name = layer.name;
  if (x.type !== 'float32') throw new ValueError(`onnx.exportModel: ${where} expects a float32 input, received ${x.type}.`);
  const [batch, rows, cols, channels] = x.shape;
  if (x.shape.length !== 4) {
    throw new ValueError(
      `onnx.exportModel: ${where} expects an input of shape [batch, rows, cols, channels], received [${x.shape.join(', ')}].`,
    );
  }
  if (className.startsWith('Global')) {
    const axes = w.dataFormat === 'channelsFirst' ? [2, 3] : [1, 2];
    const op = className === 'GlobalMaxPooling2D' ? 'ReduceMax' : 'ReduceMean';
    const keep = !!w.keepdims;
    const shape = keep ? x.shape.map((d, k) => (axes.includes(k) ? 1 : d)) : x.shape.filter((_, k) => !axes.includes(k));
    return { name: g.addReduce(op, x.name, axes, keep, name), type: 'float32', shape };
  }
  if (typeof rows !== 'number' || typeof cols !== 'number' || typeof channels !== 'number') {
    throw new ValueError(`onnx.exportModel: ${where} needs known rows, cols and channels, received [${x.shape.join(', ')}].`);
  }
  const kernel = (w.kernelSize ?? w.poolSize) as [number, number];
  const dilation = w.dilationRate ?? [1, 1];
  const geo = [rows, cols].map((size, a) => window(size, kernel[a], w.strides[a], dilation[a], w.padding));
  const attrs = {
    kernel_shape: { ints: kernel },
    strides: { ints: w.strides },
    pads: { ints: [geo[0].before, geo[1].before, geo[0].after, geo[1].after] },
  };
  const nchw = g.addNode('Transpose', [x.name], { perm: { ints: [0, 3, 1, 2] } }, 1, `${name}_nchw`)[0];
  let y: string;
  let out = channels;
  if (className === 'Conv2D') {
    const [k, bias] = layer.getWeights();
    if (!k) throw new ValueError(`onnx.exportModel: ${where} has no weights; build the model first.`);
    // Keras kernel [kh, kw, in, out] → ONNX W [out, in, kh, kw].
    const [kh, kw, cin, cout] = k.shape;
    const src = k.dataSync();
    const onnxW = new Float32Array(src.length);
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let c = 0; c < cin; c++)
          for (let o = 0; o < cout; o++) onnxW[((o * cin + c) * kh + i) * kw + j] = src[((i * kw + j) * cin + c) * cout + o];
    const inputs = [nchw, g.addInitializer(`${name}_kernel`, onnxW, [cout, cin, kh, kw])];
    if (w.useBias && bias) inputs.push(g.addInitializer(`${name}_bias`, bias.dataSync() as Float32Array, [cout]));
    y = g.addNode('Conv', inputs, { ...attrs, dilations: { ints: dilation } }, 1, name)[0];
    out = cout;
  } else {
    const op = className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool';
    // count_include_pad 0: a 'same' window's average is over its positions inside the input, as the layer.
    y = g.addNode(op, [nchw], op === 'AveragePool' ? { ...attrs, count_include_pad: { i: 0 } } : attrs, 1, name)[0];
  }
  // Conv2D's activation: elementwise ones channels-first, softmax (over the channels) after the transpose.
  const activation = className === 'Conv2D' ? layer.getConfig().activation : 'linear';
  if (activation !== 'softmax') y = emitActivation(g, y, activation, name);
  let nhwc = g.addNode('Transpose', [y], { perm: { ints: [0, 2, 3, 1] } }, 1, `${name}_nhwc`)[0];
  if (activation === 'softmax') nhwc = emitActivation(g, nhwc, activation, name);
  return { name: nhwc, type: 'float32', shape: [batch, geo[0].size, geo[1].size, out] };
}

/** Output size and padding of one spatial axis (TensorFlow's 'same': the extra position at the end). */
function window(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: 'valid' | 'same',
): { size: number; before: number; after: number } {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return { size: Math.floor((size - span) / stride) + 1, before: 0, after: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + span - size, 0);
  return { size: out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

/**
 * TimeDistributed(inner) by folding: [batch, time, ...rest] → [batch·time, ...rest] → `inner` → [batch, time, ...out]
 * (batch and time read from the input at run time; `rest` and `out` must be known).
 */
export function exportFolded(
  g: GraphBuilder,
  x: GraphValue,
  name: string,
  where: string,
  inner: (folded: GraphValue) => GraphValue,
): GraphValue {
  const rest = x.shape.slice(2);
  if (rest.some((d) => typeof d !== 'number')) {
    throw new ValueError(`onnx.exportModel: ${where} needs the dims after time known, received [${x.shape.join(', ')}].`);
  }
  const folded = g.addNode('Reshape', [x.name, g.addInt64s(`${name}_fold`, [-1, ...(rest as number[])])], {}, 1, `${name}_folded`)[0];
  const y = inner({ name: folded, type: x.type, shape: [`${name}_batch_time`, ...rest] });
  const out = y.shape.slice(1);
  if (out.some((d) => typeof d !== 'number')) {
    throw new ValueError(`onnx.exportModel: ${where}: the wrapped layer's output dims must be known, received [${y.shape.join(', ')}].`);
  }
  const dims = g.addNode('Shape', [x.name], {}, 1, `${name}_dims`)[0];
  const slice = [g.addInt64s(`${name}_start`, [0]), g.addInt64s(`${name}_end`, [2]), g.addInt64s(`${name}_axis`, [0])];
  const batchTime = g.addNode('Slice', [dims, ...slice], {}, 1, `${name}_batch_time`)[0];
  const shape = g.addNode(
    'Concat',
    [batchTime, g.addInt64s(`${name}_out_dims`, out as number[])],
    { axis: { i: 0 } },
    1,
    `${name}_shape`,
  )[0];
  return { name: g.addNode('Reshape', [y.name, shape], {}, 1, name)[0], type: y.type, shape: [x.shape[0], x.shape[1], ...(out as Dim[])] };
}
