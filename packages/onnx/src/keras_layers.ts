/**
 * The non-recurrent Keras-style layers → ONNX nodes: Dense (MatMul + Add + activation), Embedding (Gather),
 * Activation, Dropout / SpatialDropout1D (identity at inference), Flatten, TimeDistributed(Dense / Activation /
 * Dropout; per-frame layers with the time folded into the batch), and nested Sequential models; convolution,
 * pooling, normalization and reshaping layers are dispatched to keras_conv / keras_conv2d / keras_norm /
 * keras_reshaping. Masking and masks refuse with a clear error.
 */
import type { Layer } from '@recurrent/layers';
import { emitActivation } from './activations';
import type { Dim, GraphBuilder, GraphValue } from './graph_builder';
import { channelsLast, exportConvLayer, KERAS_CONV_CLASSES } from './keras_conv';
import { exportConv2DLayer, exportFolded, KERAS_CONV2D_CLASSES } from './keras_conv2d';
import { exportNormLayer, KERAS_NORM_CLASSES } from './keras_norm';
import { exportKerasRecurrent, KERAS_RECURRENT_CLASSES } from './keras_recurrent';
import { exportReshapingLayer, KERAS_RESHAPING_CLASSES } from './keras_reshaping';
import { ValueError } from '@recurrent/core';

/** Layers TimeDistributed runs with the time axis folded into the batch (CNN-LSTM's per-frame layers). */
const TIME_FOLDED_CLASSES = [
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Conv1D',
  'MaxPooling1D',
  'AveragePooling1D',
  'GlobalAveragePooling1D',
  'GlobalMaxPooling1D',
  'BatchNormalization',
  'LayerNormalization',
];

/** Layers that are the identity at inference. */
const IDENTITY_CLASSES = ['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout'];

/** Every class name `exportKerasLayer` takes (listed in the "unsupported layer" error). */
export const SUPPORTED_KERAS_CLASSES = [
  ...KERAS_RECURRENT_CLASSES,
  ...KERAS_CONV_CLASSES,
  ...KERAS_CONV2D_CLASSES,
  ...KERAS_NORM_CLASSES,
  ...KERAS_RESHAPING_CLASSES,
  'Dense',
  'Embedding',
  'Activation',
  'Flatten',
  'TimeDistributed',
  'InputLayer',
  'Sequential',
  ...IDENTITY_CLASSES,
];

const MASK_ERROR =
  "ONNX's recurrent operators take per-sequence lengths (sequence_lens), not per-step masks. For sequences padded " +
  'at the end, export with sequenceLengths: true (the graph then takes a second input, the int32 [batch] lengths)';

/** State shared by the layers of one export. */
export interface KerasExportContext {
  /** Name of the graph's sequence-lengths input (sequenceLengths option), or null. */
  sequenceLens: string | null;
  /** Set once a layer has made a mask (then the lengths input is used). */
  maskSeen: boolean;
}

/** Layers a mask passes through unchanged at inference (as Keras: they support masking and keep the mask). */
const MASK_PASSING = ['Dense', 'Activation', 'TimeDistributed', 'InputLayer', 'BatchNormalization', ...IDENTITY_CLASSES];

/** Whether a LayerNormalization normalizes each step on its own (its axes leave out the time axis 1): then it passes a mask. */
function normalizesPerStep(layer: Layer, rank: number): boolean {
  const axis = layer.getConfig().axis as number | number[];
  return (Array.isArray(axis) ? axis : [axis]).every((a) => (a < 0 ? a + rank : a) !== 1);
}

/** A model-like layer with sub-layers (a nested Sequential). */
interface HasLayers {
  layers: Layer[];
}

/** Appends the nodes of one Keras-style layer applied to `x`; returns its output. */
export function exportKerasLayer(g: GraphBuilder, x: GraphValue, layer: Layer, ctx: KerasExportContext): GraphValue {
  const y = exportOne(g, x, layer, ctx);
  // A channels-first copy describes only the tensor a conv/pool made (identity layers pass it on): not a
  // new tensor that copied `x`'s fields.
  return y.channelsFirst && y.name !== x.name && y.channelsFirst === x.channelsFirst ? { ...y, channelsFirst: undefined } : y;
}

function exportOne(g: GraphBuilder, x: GraphValue, layer: Layer, ctx: KerasExportContext): GraphValue {
  const className = layer.getClassName();
  const where = `layer '${layer.name}' (${className})`;
  if (KERAS_RECURRENT_CLASSES.includes(className)) return exportKerasRecurrent(g, x, layer, where, ctx.sequenceLens);
  const poolsMask = className === 'GlobalAveragePooling1D' || className === 'GlobalMaxPooling1D';
  const perStep = className === 'LayerNormalization' && normalizesPerStep(layer, x.shape.length);
  if (x.masked && !MASK_PASSING.includes(className) && className !== 'Sequential' && !poolsMask && !perStep) {
    throw new ValueError(
      `onnx.exportModel: ${where} cannot be exported: it receives a masked sequence, whose padded steps differ between ` +
        'Keras (the previous output repeated) and ONNX (zeros); only recurrent layers, Dense, Activation, TimeDistributed, Dropout, Batch/LayerNormalization per step and the global 1-D pools may follow a mask.',
    );
  }
  if (IDENTITY_CLASSES.includes(className) || className === 'InputLayer') return x;
  if (KERAS_CONV_CLASSES.includes(className)) return exportConvLayer(g, x, layer, where, ctx.sequenceLens);
  if (KERAS_CONV2D_CLASSES.includes(className)) return exportConv2DLayer(g, x, layer, where);
  if (KERAS_NORM_CLASSES.includes(className)) return exportNormLayer(g, x, layer, where);
  if (KERAS_RESHAPING_CLASSES.includes(className)) return exportReshapingLayer(g, x, layer, where);
  const config = layer.getConfig();
  switch (className) {
    case 'Dense':
      return { ...exportDense(g, x, layer, where), masked: x.masked };
    case 'Activation':
      // Elementwise after a convolution: on its channels-first copy, so the next one need not transpose.
      if (x.channelsFirst && config.activation !== 'softmax')
        return channelsLast(g, emitActivation(g, x.channelsFirst, config.activation, layer.name), x.shape, layer.name);
      return { ...x, name: emitActivation(g, x.name, config.activation, layer.name) };
    case 'Embedding':
      return exportEmbedding(g, x, layer, where, ctx);
    case 'Flatten': {
      const rest = x.shape.slice(1);
      const size = rest.every((d) => typeof d === 'number') ? (rest as number[]).reduce((a, b) => a * b, 1) : `${layer.name}_size`;
      // 'channelsFirst': the channels (axis 1) moved last before flattening, as the layer does.
      const rank = x.shape.length;
      const perm = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
      const input =
        config.dataFormat === 'channelsFirst' && rank > 2
          ? g.addNode('Transpose', [x.name], { perm: { ints: perm } }, 1, `${layer.name}_channels_last`)[0]
          : x.name;
      return { ...x, name: g.addNode('Flatten', [input], { axis: { i: 1 } }, 1, layer.name)[0], shape: [x.shape[0], size] };
    }
    case 'TimeDistributed': {
      const inner = (layer as unknown as { layer: Layer }).layer;
      const innerClass = inner.getClassName();
      // Dense / Activation / Dropout act on the last axis: the same nodes serve every step.
      if (['Dense', 'Activation', ...IDENTITY_CLASSES].includes(innerClass)) return exportKerasLayer(g, x, inner, ctx);
      if (!TIME_FOLDED_CLASSES.includes(innerClass)) {
        throw new ValueError(
          `onnx.exportModel: ${where} cannot be exported: only TimeDistributed(Dense / Activation / Dropout / ${TIME_FOLDED_CLASSES.join(' / ')}) ` +
            `is supported, received TimeDistributed(${innerClass}).`,
        );
      }
      if (x.masked)
        throw new ValueError(`onnx.exportModel: ${where} cannot be exported: TimeDistributed(${innerClass}) on a masked sequence.`);
      return exportFolded(g, x, layer.name, where, (folded) => exportKerasLayer(g, folded, inner, ctx));
    }
    case 'Masking':
      if (!ctx.sequenceLens) throw new ValueError(`onnx.exportModel: ${where} cannot be exported: ${MASK_ERROR}.`);
      ctx.maskSeen = true;
      return { ...x, masked: true };
    case 'Sequential': {
      let y = x;
      for (const sub of (layer as unknown as HasLayers).layers) y = exportKerasLayer(g, y, sub, ctx);
      return y;
    }
    default:
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: no ONNX conversion for ${className} ` +
          `(supported: ${SUPPORTED_KERAS_CLASSES.filter((c) => c !== 'InputLayer').join(', ')}).`,
      );
  }
}

function exportDense(g: GraphBuilder, x: GraphValue, layer: Layer, where: string): GraphValue {
  const config = layer.getConfig();
  const [kernel, bias] = layer.getWeights();
  if (!kernel) throw new ValueError(`onnx.exportModel: ${where} has no weights; build the model first.`);
  if (x.type !== 'float32') throw new ValueError(`onnx.exportModel: ${where} expects a float32 input, received ${x.type}.`);
  const [inDim, units] = kernel.shape;
  const w = g.addInitializer(`${layer.name}_kernel`, kernel.dataSync() as Float32Array, [inDim, units]);
  let y = g.addNode('MatMul', [x.name, w], {}, 1, `${layer.name}_matmul`)[0];
  if (bias) {
    const b = g.addInitializer(`${layer.name}_bias`, bias.dataSync() as Float32Array, [units]);
    y = g.addNode('Add', [y, b], {}, 1, `${layer.name}_add`)[0];
  }
  y = emitActivation(g, y, config.activation, layer.name);
  return { name: y, type: 'float32', shape: [...x.shape.slice(0, -1), units] };
}

function exportEmbedding(g: GraphBuilder, x: GraphValue, layer: Layer, where: string, ctx: KerasExportContext): GraphValue {
  const config = layer.getConfig();
  if (config.maskZero) {
    if (!ctx.sequenceLens) {
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: maskZero is true (it masks the following layers; ${MASK_ERROR}), or use maskZero false.`,
      );
    }
    ctx.maskSeen = true;
  }
  const [table] = layer.getWeights();
  if (!table) throw new ValueError(`onnx.exportModel: ${where} has no weights; build the model first.`);
  const [vocab, dim] = table.shape;
  const emb = g.addInitializer(`${layer.name}_embeddings`, table.dataSync() as Float32Array, [vocab, dim]);
  const ids = x.type === 'float32' ? g.addNode('Cast', [x.name], { to: { i: 7 } }, 1, `${layer.name}_ids`)[0] : x.name;
  const y = g.addNode('Gather', [emb, ids], { axis: { i: 0 } }, 1, layer.name)[0];
  return { name: y, type: 'float32', shape: [...x.shape, dim] as Dim[], masked: !!config.maskZero };
}
