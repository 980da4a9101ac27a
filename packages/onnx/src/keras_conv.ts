/**
 * The 1-D convolution and pooling layers → ONNX: Conv1D / DepthwiseConv1D / SeparableConv1D → Conv (group for
 * the depthwise part), MaxPooling1D / AveragePooling1D → MaxPool / AveragePool, GlobalAveragePooling1D /
 * GlobalMaxPooling1D → ReduceMean / ReduceMax. ONNX's Conv and pools take [batch, channels, steps]: the input is
 * transposed once, and the channels-first result rides along (`GraphValue.channelsFirst`) so that consecutive
 * convolutions and pools do not transpose back and forth (`GraphBuilder.encode` drops the unread transposes).
 */
import type { Layer } from '@recurrent/layers';
import type { Tensor } from '@recurrent/core';
import { ValueError } from '@recurrent/core';
import { emitActivation } from './activations';
import type { Dim, GraphBuilder, GraphValue } from './graph_builder';

/** Class names `exportConvLayer` converts. */
export const KERAS_CONV_CLASSES = [
  'Conv1D',
  'DepthwiseConv1D',
  'SeparableConv1D',
  'MaxPooling1D',
  'AveragePooling1D',
  'GlobalAveragePooling1D',
  'GlobalMaxPooling1D',
];

/** What the exporter reads from a 1-D window layer (BaseConv1D / Pooling1D fields). */
interface WindowLayer {
  kernelSize?: number;
  poolSize?: number;
  strides: number;
  padding: 'valid' | 'same' | 'causal';
  dilationRate?: number;
  groups?: number;
  depthMultiplier?: number;
  useBias?: boolean;
  dataFormat?: string;
}

/** Appends the nodes of a 1-D convolution / pooling layer (class in KERAS_CONV_CLASSES) applied to `x`. */
export function exportConvLayer(g: GraphBuilder, x: GraphValue, layer: Layer, where: string, lengths: string | null = null): GraphValue {
  const className = layer.getClassName();
  const w = layer as unknown as WindowLayer;
  if (x.type !== 'float32') throw new ValueError(`onnx.exportModel: ${where} expects a float32 input, received ${x.type}.`);
  if (x.shape.length !== 3) {
    throw new ValueError(
      `onnx.exportModel: ${where} expects an input of shape [batch, steps, channels], received [${x.shape.join(', ')}].`,
    );
  }
  if (className.startsWith('Global'))
    return globalPool(g, x, layer, className === 'GlobalMaxPooling1D' ? 'ReduceMax' : 'ReduceMean', lengths);
  const channels = x.shape[2];
  if (typeof channels !== 'number') throw new ValueError(`onnx.exportModel: ${where} needs known input channels, received ${channels}.`);
  const ncw = channelsFirst(g, x, layer.name);
  const steps = windowSteps(x.shape[1], w, layer.name);
  if (className === 'MaxPooling1D' || className === 'AveragePooling1D') {
    const attrs = {
      kernel_shape: { ints: [w.poolSize as number] },
      strides: { ints: [w.strides] },
      ...padAttrs(w.poolSize as number, w, x.shape[1], where),
    };
    const op = className === 'MaxPooling1D' ? 'MaxPool' : 'AveragePool';
    // Keras and ONNX (count_include_pad 0) both divide a 'same' window's average by its steps inside the sequence.
    const pooled = g.addNode(op, [ncw], op === 'AveragePool' ? { ...attrs, count_include_pad: { i: 0 } } : attrs, 1, layer.name)[0];
    return channelsLast(g, pooled, [x.shape[0], steps, channels], layer.name);
  }
  const weights = layer.getWeights();
  if (weights.length === 0) throw new ValueError(`onnx.exportModel: ${where} has no weights; build the model first.`);
  const k = w.kernelSize as number;
  const conv = {
    kernel_shape: { ints: [k] },
    strides: { ints: [w.strides] },
    dilations: { ints: [w.dilationRate ?? 1] },
    ...padAttrs(k, w, x.shape[1], where),
  };
  const bias = w.useBias ? weights[weights.length - 1] : null;
  let y: string;
  let out: number;
  if (className === 'Conv1D') {
    const groups = w.groups ?? 1;
    out = weights[0].shape[2];
    y = addConv(g, ncw, weights[0], bias, { ...conv, group: { i: groups } }, layer.name);
  } else {
    // Depthwise: output channel c·multiplier + m is input channel c convolved with kernel[:, c, m] (group = channels).
    out = channels * (w.depthMultiplier as number);
    const separable = className === 'SeparableConv1D';
    y = addConv(g, ncw, weights[0], separable ? null : bias, { ...conv, group: { i: channels } }, `${layer.name}_depthwise`, true);
    if (separable) y = addConv(g, y, weights[1], bias, {}, `${layer.name}_pointwise`);
    if (separable) out = weights[1].shape[2];
  }
  const activation = layer.getConfig().activation;
  // Softmax is over the last axis: after the transpose back. Other activations are elementwise.
  if (activation === 'softmax') {
    const last = channelsLast(g, y, [x.shape[0], steps, out], layer.name);
    return { ...last, name: emitActivation(g, last.name, activation, layer.name), channelsFirst: undefined };
  }
  return channelsLast(g, emitActivation(g, y, activation, layer.name), [x.shape[0], steps, out], layer.name);
}

/** `x` as [batch, channels, steps]: its channels-first copy when a previous conv/pool made one, else a Transpose. */
function channelsFirst(g: GraphBuilder, x: GraphValue, name: string): string {
  return x.channelsFirst ?? g.addNode('Transpose', [x.name], { perm: { ints: [0, 2, 1] } }, 1, `${name}_ncw`)[0];
}

/** [batch, channels, steps] `y` back to [batch, steps, channels], keeping `y` as its channels-first copy. */
export function channelsLast(g: GraphBuilder, y: string, shape: Dim[], name: string): GraphValue {
  const nwc = g.addNode('Transpose', [y], { perm: { ints: [0, 2, 1] } }, 1, `${name}_nwc`)[0];
  return { name: nwc, type: 'float32', shape, channelsFirst: y };
}

/**
 * ONNX padding of a window of `kernel` taps over `steps`: 'valid' none; 'causal' the whole span on the left;
 * 'same' split as TensorFlow (the extra step at the end): with stride 1 (span − 1 steps) or a known length
 * explicit pads, else ONNX's SAME_UPPER (the total from the sequence length), which ONNX Runtime refuses with
 * dilation.
 */
function padAttrs(kernel: number, w: WindowLayer, steps: Dim, where: string): { pads: { ints: number[] } } | { auto_pad: { s: string } } {
  const dilation = w.dilationRate ?? 1;
  const span = (kernel - 1) * dilation + 1;
  if (w.padding === 'valid') return { pads: { ints: [0, 0] } };
  if (w.padding === 'causal') return { pads: { ints: [span - 1, 0] } };
  const total =
    w.strides === 1
      ? span - 1
      : typeof steps === 'number'
        ? Math.max((Math.ceil(steps / w.strides) - 1) * w.strides + span - steps, 0)
        : -1;
  if (total >= 0) return { pads: { ints: [Math.floor(total / 2), total - Math.floor(total / 2)] } };
  if (dilation > 1) {
    throw new ValueError(
      `onnx.exportModel: ${where} cannot be exported: padding 'same' with strides ${w.strides} and dilationRate ${dilation} on a ` +
        'dynamic time axis pads by the sequence length, which ONNX Runtime does not do with dilation; export with dynamicTime false and a fixed inputShape.',
    );
  }
  return { auto_pad: { s: 'SAME_UPPER' } };
}

/** Output steps of a window layer (a symbolic name when the input's are unknown). */
function windowSteps(steps: Dim, w: WindowLayer, name: string): Dim {
  if (typeof steps !== 'number') return `${name}_steps`;
  const span = (((w.kernelSize ?? w.poolSize) as number) - 1) * (w.dilationRate ?? 1) + 1;
  if (w.padding === 'valid') return Math.floor((steps - span) / w.strides) + 1;
  return Math.ceil(steps / w.strides);
}

/**
 * Conv of [batch, channels, steps] `x` with a Keras kernel [k, inPerGroup, out] (ONNX W [out, inPerGroup, k]);
 * a depthwise kernel [k, channels, multiplier] is W [channels·multiplier, 1, k].
 */
function addConv(
  g: GraphBuilder,
  x: string,
  kernel: Tensor,
  bias: Tensor | null,
  attrs: Parameters<GraphBuilder['addNode']>[2],
  name: string,
  depthwise = false,
): string {
  const [k, a, b] = kernel.shape;
  const src = kernel.dataSync() as Float32Array;
  const out = a * b;
  const [outCh, inPer] = depthwise ? [out, 1] : [b, a];
  const onnxW = new Float32Array(outCh * inPer * k);
  for (let t = 0; t < k; t++) {
    for (let i = 0; i < a; i++) {
      for (let o = 0; o < b; o++) {
        const v = src[(t * a + i) * b + o];
        if (depthwise) onnxW[(i * b + o) * k + t] = v;
        else onnxW[(o * a + i) * k + t] = v;
      }
    }
  }
  const inputs = [x, g.addInitializer(`${name}_kernel`, onnxW, [outCh, inPer, k])];
  if (bias) inputs.push(g.addInitializer(`${name}_bias`, bias.dataSync() as Float32Array, [outCh]));
  return g.addNode('Conv', inputs, attrs, 1, name)[0];
}

/**
 * Global average / max over the steps axis (1 for channelsLast, 2 for channelsFirst; a channels-first copy
 * reduces its axis 2). A masked sequence (sequenceLengths) pools its first `length` steps, as the layer pools
 * the unmasked ones: the mean divides by max(length, 1), the max of no step is 0.
 */
function globalPool(g: GraphBuilder, x: GraphValue, layer: Layer, op: 'ReduceMean' | 'ReduceMax', lengths: string | null): GraphValue {
  const lastFormat = (layer as unknown as WindowLayer).dataFormat !== 'channelsFirst';
  const [input, axis] = lastFormat && x.channelsFirst ? [x.channelsFirst, 2] : [x.name, lastFormat ? 1 : 2];
  const shape = [x.shape[0], lastFormat ? x.shape[2] : x.shape[1]];
  const name = layer.name;
  if (!x.masked || !lengths) return { name: g.addReduce(op, input, [axis], false, name), type: 'float32', shape };
  const keep = stepMask(g, input, axis, lengths, name);
  const keepF = g.addNode('Cast', [keep], { to: { i: 1 } }, 1, `${name}_keep_float`)[0];
  const count = g.addReduce('ReduceSum', keepF, [axis], false, `${name}_count`);
  if (op === 'ReduceMean') {
    const total = g.addReduce('ReduceSum', g.addNode('Mul', [input, keepF], {}, 1, `${name}_kept`)[0], [axis], false, `${name}_total`);
    const one = g.addInitializer(`${name}_one`, new Float32Array([1]), []);
    const divisor = g.addNode('Max', [count, one], {}, 1, `${name}_divisor`)[0];
    return { name: g.addNode('Div', [total, divisor], {}, 1, name)[0], type: 'float32', shape };
  }
  const low = g.addInitializer(`${name}_minus_inf`, new Float32Array([-Infinity]), []);
  const pooled = g.addReduce('ReduceMax', g.addNode('Where', [keep, input, low], {}, 1, `${name}_kept`)[0], [axis], false, `${name}_max`);
  const zero = g.addInitializer(`${name}_zero`, new Float32Array([0]), []);
  const any = g.addNode('Greater', [count, zero], {}, 1, `${name}_any`)[0];
  return { name: g.addNode('Where', [any, pooled, zero], {}, 1, name)[0], type: 'float32', shape };
}

/** bool [batch, steps] → step < length, with a size-1 axis inserted so it broadcasts against rank-3 `x` (steps at `axis`). */
function stepMask(g: GraphBuilder, x: string, axis: number, lengths: string, name: string): string {
  const dims = g.addNode('Shape', [x], {}, 1, `${name}_dims`)[0];
  const bounds = [g.addInt64s(`${name}_steps_start`, [axis]), g.addInt64s(`${name}_steps_end`, [axis + 1])];
  const steps1 = g.addNode('Slice', [dims, ...bounds], {}, 1, `${name}_steps1`)[0];
  const steps = g.addNode('Squeeze', [steps1, g.addInt64s(`${name}_squeeze_axes`, [0])], {}, 1, `${name}_steps`)[0];
  const start = g.addInitializer(`${name}_range_start`, [0], [], 'int64');
  const delta = g.addInitializer(`${name}_range_delta`, [1], [], 'int64');
  const t = g.addNode('Range', [start, steps, delta], {}, 1, `${name}_step_index`)[0];
  const len = g.addNode('Cast', [lengths], { to: { i: 7 } }, 1, `${name}_lengths`)[0];
  const len2 = g.addNode('Unsqueeze', [len, g.addInt64s(`${name}_len_axes`, [1])], {}, 1, `${name}_lengths_column`)[0];
  const keep = g.addNode('Less', [t, len2], {}, 1, `${name}_keep2`)[0];
  // [batch, steps] → [batch, steps, 1] (channelsLast) or [batch, 1, steps] (channelsFirst).
  return g.addNode('Unsqueeze', [keep, g.addInt64s(`${name}_keep_axes`, [axis === 1 ? 2 : 1])], {}, 1, `${name}_keep`)[0];
}
