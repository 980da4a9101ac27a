/**
 * The normalization layers → ONNX. LayerNormalization: ONNX's LayerNormalization operator (opset ≥ 17, trailing
 * axes), else ReduceMean / Sub / Mul / Sqrt / Div (lower opsets, or axes that are not the trailing ones).
 * BatchNormalization (inference, moving statistics): Sub mean, Mul by gamma / sqrt(variance + epsilon) folded
 * into one constant, Add beta; on a convolution's channels-first copy when the feature axis is the channels.
 */
import type { Layer } from '@recurrent/layers';
import type { Tensor } from '@recurrent/core';
import { ValueError } from '@recurrent/core';
import type { Dim, GraphBuilder, GraphValue } from './graph_builder';
import { channelsLast } from './keras_conv';

/** Class names `exportNormLayer` converts. */
export const KERAS_NORM_CLASSES = ['LayerNormalization', 'BatchNormalization'];

/** The layer's weights by name (gamma / beta / moving_mean / moving_variance); throws when it was never built. */
function namedWeights(layer: Layer, where: string): { [name: string]: Tensor } {
  if (!layer.built) throw new ValueError(`onnx.exportModel: ${where} has no weights; build the model first.`);
  const out: { [name: string]: Tensor } = {};
  for (const v of layer.weights) out[v.originalName.slice(v.originalName.lastIndexOf('/') + 1)] = v.read();
  return out;
}

/** Appends the nodes of a LayerNormalization or BatchNormalization (inference) applied to `x`. */
export function exportNormLayer(g: GraphBuilder, x: GraphValue, layer: Layer, where: string): GraphValue {
  if (x.type !== 'float32') throw new ValueError(`onnx.exportModel: ${where} expects a float32 input, received ${x.type}.`);
  const rank = x.shape.length;
  const config = layer.getConfig();
  const axes = (Array.isArray(config.axis) ? (config.axis as number[]) : [config.axis as number]).map((a) => (a < 0 ? a + rank : a));
  const weights = namedWeights(layer, where);
  const epsilon = config.epsilon as number;
  // Parameters broadcast against x: their sizes on `axes`, 1 elsewhere (leading 1s dropped). As the layers (and
  // Keras), the weight's values are reshaped to that shape, also when `axes` is given out of order.
  const first = Math.min(...axes);
  const dims = x.shape.slice(first).map((d, k) => (axes.includes(first + k) ? (d as number) : 1));
  const param = (w: Tensor | Float32Array, name: string, shape = dims): string =>
    g.addInitializer(`${layer.name}_${name}`, w instanceof Float32Array ? w : (w.dataSync() as Float32Array), shape);
  if (layer.getClassName() === 'BatchNormalization') {
    const variance = weights.moving_variance.dataSync();
    const gamma = weights.gamma?.dataSync();
    // The same factor as the layer: rsqrt(variance + epsilon) · gamma, rounded to float32.
    const factor = Float32Array.from(variance, (v, c) => Math.fround(1 / Math.sqrt(Math.fround(v + epsilon))) * (gamma ? gamma[c] : 1));
    const channels = x.channelsFirst !== undefined && axes[0] === rank - 1 && rank === 3;
    const c = dims[dims.length - 1];
    const shape = channels ? [c, 1] : dims;
    let y = g.addNode(
      'Sub',
      [channels ? x.channelsFirst! : x.name, param(weights.moving_mean, 'mean', shape)],
      {},
      1,
      `${layer.name}_centered`,
    )[0];
    y = g.addNode('Mul', [y, param(factor, 'factor', shape)], {}, 1, `${layer.name}_scaled`)[0];
    if (weights.beta) y = g.addNode('Add', [y, param(weights.beta, 'beta', shape)], {}, 1, layer.name)[0];
    return channels ? channelsLast(g, y, x.shape, layer.name) : { ...x, name: y };
  }
  const trailing = axes
    .slice()
    .sort((a, b) => a - b)
    .every((a, k) => a === rank - axes.length + k);
  if (g.opset >= 17 && trailing) {
    const scale = weights.gamma ? param(weights.gamma, 'gamma') : param(new Float32Array(size(dims)).fill(1), 'ones');
    const inputs = [x.name, scale, ...(weights.beta ? [param(weights.beta, 'beta')] : [])];
    return { ...x, name: g.addNode('LayerNormalization', inputs, { axis: { i: first }, epsilon: { f: epsilon } }, 1, layer.name)[0] };
  }
  // (x − mean) · rsqrt(mean((x − mean)²) + epsilon) · gamma + beta, the biased variance (as Keras).
  const mean = g.addReduce('ReduceMean', x.name, axes, true, `${layer.name}_mean`);
  const centered = g.addNode('Sub', [x.name, mean], {}, 1, `${layer.name}_centered`)[0];
  const square = g.addNode('Mul', [centered, centered], {}, 1, `${layer.name}_square`)[0];
  const variance = g.addReduce('ReduceMean', square, axes, true, `${layer.name}_variance`);
  const eps = g.addInitializer(`${layer.name}_epsilon`, new Float32Array([epsilon]), []);
  const std = g.addNode('Sqrt', [g.addNode('Add', [variance, eps], {}, 1, `${layer.name}_var_eps`)[0]], {}, 1, `${layer.name}_std`)[0];
  let y = g.addNode('Div', [centered, std], {}, 1, `${layer.name}_normalized`)[0];
  if (weights.gamma) y = g.addNode('Mul', [y, param(weights.gamma, 'gamma')], {}, 1, `${layer.name}_scaled`)[0];
  if (weights.beta) y = g.addNode('Add', [y, param(weights.beta, 'beta')], {}, 1, layer.name)[0];
  return { ...x, name: y };
}

function size(dims: Dim[]): number {
  return (dims as number[]).reduce((a, b) => a * b, 1);
}
