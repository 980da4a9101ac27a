/**
 * `exportModel(model | nnModule, options)`: the ONNX `ModelProto` bytes of a Keras-style Sequential model or
 * a PyTorch-style `nn` module, using ONNX's standard LSTM / GRU / RNN operators, MatMul / Add / activations
 * for Dense / Linear, Gather for Embedding.
 */
import { checkArgKeys, checkBoolArg, checkNumberArg, Layer, nn } from '@recurrent/layers';
import type { SymbolicTensor } from '@recurrent/layers';
import type { Dim, ElemType, GraphValue } from './graph_builder';
import { GraphBuilder } from './graph_builder';
import { exportFunctionalGraph, feedsOnlyEmbeddings, FunctionalGraph, functionalGraph } from './functional_graph';
import { exportKerasLayer, KerasExportContext } from './keras_layers';
import { exportNnModule, nnInputKind } from './nn_modules';
import { ValueError } from '@recurrent/core';

/** Opsets of the default ONNX domain the exporter writes (13: axes as inputs; 21: ONNX 1.16). */
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;

/** Options of `exportModel`. */
export interface ExportOptions {
  /** Opset version of the default ONNX domain, 13..21 (default 17). */
  opset?: number;
  /** Name of the graph input (default 'input'). */
  inputName?: string;
  /** Names of the graph inputs of a functional model with several inputs (default: its input layers' names). */
  inputNames?: string[];
  /** Name of the graph output (default 'output'). */
  outputName?: string;
  /** The batch dimension is symbolic ('batch'), so any batch size runs (default true); false fixes it to the model's batch size. */
  dynamicBatch?: boolean;
  /** The time dimension of sequence inputs is symbolic ('time') (default true); false fixes it to the model's. */
  dynamicTime?: boolean;
  /**
   * The input shape without the batch dimension (`null` for the time dimension), when the model does not
   * know it. Defaults: the first layer's `batchInputShape` (or, once built, its kernel's input size); for nn
   * modules `[null, inputSize]` (recurrent; time-major when batchFirst is false), `[inFeatures]` (Linear),
   * `[null]` (Embedding ids).
   */
  inputShape?: (number | null)[];
  /** Element type of integer id inputs (models starting with an Embedding): 'int64' (default, as PyTorch's exports) or 'int32'. */
  indexType?: 'int32' | 'int64';
  /**
   * Export a masked Keras model (Masking, or Embedding with maskZero) with a second graph input, the int32
   * [batch] sequence lengths, given to every recurrent operator after the mask as ONNX's `sequence_lens`
   * (default false: masked models are refused). The ONNX model then equals `predict` for sequences padded at
   * the END whose mask is exactly their first `length` steps; the model must end in a non-sequence output
   * (a recurrent layer with returnSequences false, then Dense etc.), since padded steps of a sequence output
   * differ (Keras repeats the last output, ONNX writes zeros).
   */
  sequenceLengths?: boolean;
  /** Name of the lengths input (default 'sequence_lens'). */
  sequenceLengthsName?: string;
  /** Graph name (default the model's name, or 'recurrent'). */
  graphName?: string;
  /** `doc_string` of the model. */
  docString?: string;
}

const OPTION_KEYS = [
  'opset',
  'inputName',
  'inputNames',
  'outputName',
  'dynamicBatch',
  'dynamicTime',
  'inputShape',
  'indexType',
  'sequenceLengths',
  'sequenceLengthsName',
  'graphName',
  'docString',
];

/**
 * What `exportModel` takes: a Sequential model (or any layer with `layers`, as a Sequential), a functional
 * model (`model({inputs, outputs})`), a single layer, or an nn module.
 */
export type ExportableModel = Layer | nn.Module;

const WHO = 'onnx.exportModel';

/**
 * The ONNX bytes (a serialized `ModelProto`) of `model`: a Keras-style `Sequential` (LSTM, GRU, SimpleRNN,
 * Bidirectional, Dense, TimeDistributed(Dense), Embedding, Activation, Dropout, Flatten; Conv1D and its
 * depthwise / separable kinds, 1-D and global pooling, Layer/BatchNormalization, Reshape, Permute, RepeatVector,
 * Cropping1D, ZeroPadding1D, UpSampling1D, Conv2D and 2-D pooling, TimeDistributed of those) or an `nn` module
 * (nn.LSTM / nn.GRU / nn.RNN, nn.Linear, nn.Embedding, nn.Dropout, nn.Sequential). Input [batch, timeSteps,
 * features] (ids [batch, timeSteps] for Embedding models), one output. A functional model
 * (`model({inputs, outputs})`) of the same layers exports too, with one or more inputs (named by `inputNames`,
 * default its input layers' names, when several) joined by Concatenate / Add / Subtract / Multiply / Average /
 * Maximum / Minimum, and one output.
 *
 * ```ts
 * const bytes = onnx.exportModel(model, {opset: 17});
 * const session = await ort.InferenceSession.create(bytes);      // onnxruntime-node / onnxruntime-web
 * const {output} = await session.run({input: new ort.Tensor('float32', data, [batch, steps, features])});
 * ```
 */
export function exportModel(model: ExportableModel, options: ExportOptions = {}): Uint8Array {
  if (options === null || typeof options !== 'object')
    throw new ValueError(`${WHO}: options must be an object, received ${String(options)}.`);
  checkArgKeys(WHO, options, OPTION_KEYS);
  const opset = options.opset ?? 17;
  checkNumberArg(WHO, 'opset', opset, { min: MIN_OPSET, max: MAX_OPSET, integer: true });
  checkBoolArg(WHO, 'dynamicBatch', options.dynamicBatch);
  checkBoolArg(WHO, 'dynamicTime', options.dynamicTime);
  checkBoolArg(WHO, 'sequenceLengths', options.sequenceLengths);
  const indexType = options.indexType ?? 'int64';
  if (indexType !== 'int32' && indexType !== 'int64') {
    throw new ValueError(`${WHO}: indexType must be 'int32' or 'int64', received ${JSON.stringify(indexType)}.`);
  }
  if (options.inputNames !== undefined && !Array.isArray(options.inputNames)) {
    throw new ValueError(`${WHO}: inputNames must be an array of strings, received ${describe(options.inputNames)}.`);
  }
  const outputName = checkName('outputName', options.outputName ?? 'output');
  const lengthsName = options.sequenceLengths ? checkName('sequenceLengthsName', options.sequenceLengthsName ?? 'sequence_lens') : null;
  const graph = model instanceof Layer || isLayerLike(model) ? functionalGraph(model as Layer) : null;
  const inputNames = graphInputNames(graph, options);

  const g = new GraphBuilder(opset);
  inputNames.forEach((name, i) => g.reserveName(name, inputNames.length === 1 ? 'inputName' : `inputNames[${i}]`));
  if (inputNames.includes(outputName)) throw new ValueError(`${WHO}: inputName and outputName must differ, both are '${outputName}'.`);
  g.reserveName(outputName, 'outputName');
  if (lengthsName) g.reserveName(lengthsName, 'sequenceLengthsName');
  const inputName = inputNames[0];
  let inputs: GraphValue[];
  let output: GraphValue;
  let graphName: string;
  if (model instanceof nn.Module) {
    if (lengthsName)
      throw new ValueError(
        `${WHO}: sequenceLengths applies to Keras-style models with a mask (Masking, Embedding maskZero), not to nn.${model.kind()}.`,
      );
    inputs = [nnInput(model, options, inputName, indexType)];
    output = exportNnModule(g, inputs[0], model, '');
    graphName = model.kind();
  } else if (model instanceof Layer || isLayerLike(model)) {
    const ctx: KerasExportContext = { sequenceLens: lengthsName, maskSeen: false };
    if (graph) {
      inputs = graph.inputs.map((x, i) => functionalInput(graph, x, options, inputNames[i], indexType, inputNames.length > 1));
      output = exportFunctionalGraph(g, graph, (model as Layer).name, inputs, ctx);
    } else {
      const layers = kerasLayers(model as Layer);
      inputs = [kerasInput(layers, model as Layer, options, inputName, indexType)];
      output = inputs[0];
      for (const layer of layers) {
        // A functional model used as a layer of a Sequential: its graph on the running value.
        const inner = functionalGraph(layer);
        if (inner && inner.inputs.length !== 1)
          throw new ValueError(
            `${WHO}: layer '${layer.name}' (${layer.getClassName()}) has ${inner.inputs.length} inputs; a layer of a Sequential takes one.`,
          );
        output = inner ? exportFunctionalGraph(g, inner, layer.name, [output], ctx) : exportKerasLayer(g, output, layer, ctx);
      }
    }
    if (lengthsName && !ctx.maskSeen) {
      throw new ValueError(
        `${WHO}: sequenceLengths is true but model '${model.name}' has no mask (no Masking layer or Embedding with maskZero).`,
      );
    }
    if (output.masked) {
      throw new ValueError(
        `${WHO}: model '${model.name}' cannot be exported with sequence lengths: its output is a masked sequence, whose padded steps ` +
          'differ between Keras (the last output repeated) and ONNX (zeros); end the model with a recurrent layer with returnSequences false.',
      );
    }
    graphName = (model as Layer).name;
  } else {
    throw new ValueError(`${WHO}: expected a Sequential or functional model, a layer or an nn.Module, received ${describe(model)}.`);
  }
  for (const input of inputs) g.addInput(input.name, input.type, input.shape);
  if (lengthsName) g.addInput(lengthsName, 'int32', [inputs[0].shape[0]]);
  // The last value is renamed to the output name with an Identity (also when the model is the identity).
  g.addNode('Identity', [output.name], {}, [outputName], 'output');
  g.addOutput(outputName, output.type, output.shape);
  return g.encode({ graphName: options.graphName ?? graphName, docString: options.docString });
}

/** A Keras-style model or layer by its public API (`getClassName`, `getConfig`), also when it is not a `Layer` subclass. */
function isLayerLike(value: unknown): boolean {
  const v = value as { getClassName?: unknown; getConfig?: unknown } | null;
  return !!v && typeof v === 'object' && typeof v.getClassName === 'function' && typeof v.getConfig === 'function';
}

function checkName(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new ValueError(`${WHO}: ${option} must be a non-empty string, received ${JSON.stringify(value)}.`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'an object';
}

/** The layers to export, in order: a model's `layers` (skipping an InputLayer), or the layer itself. */
function kerasLayers(model: Layer): Layer[] {
  const layers = (model as unknown as { layers?: unknown }).layers;
  if (!Array.isArray(layers)) return [model];
  const cls = model.getClassName();
  if (cls !== 'Sequential') {
    throw new ValueError(
      `${WHO}: model '${model.name}' (${cls}) cannot be exported: only Sequential and functional models and nn modules are supported.`,
    );
  }
  if (layers.length === 0) throw new ValueError(`${WHO}: model '${model.name}' has no layers; nothing to export.`);
  // A Sequential used as a layer of a Sequential is its layers, in order.
  return (layers as Layer[]).flatMap((l) =>
    l.getClassName() === 'Sequential' && Array.isArray((l as unknown as { layers?: unknown }).layers) ? kerasLayers(l) : [l],
  );
}

/** The graph input names: `inputName` for one input, `inputNames` (or the input layers' names) for several. */
function graphInputNames(graph: FunctionalGraph | null, options: ExportOptions): string[] {
  const count = graph ? graph.inputs.length : 1;
  if (count === 1) {
    if (options.inputNames !== undefined && options.inputNames.length !== 1) {
      throw new ValueError(`${WHO}: inputNames has ${options.inputNames.length} names but the model has 1 input.`);
    }
    return [checkName('inputName', options.inputName ?? options.inputNames?.[0] ?? 'input')];
  }
  if (options.inputName !== undefined) {
    throw new ValueError(`${WHO}: the model has ${count} inputs; name them with inputNames (an array of ${count} names), not inputName.`);
  }
  const names = options.inputNames ?? graph!.inputs.map((x) => x.sourceLayer.name);
  if (names.length !== count) throw new ValueError(`${WHO}: inputNames has ${names.length} names but the model has ${count} inputs.`);
  names.forEach((n, i) => checkName(`inputNames[${i}]`, n));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new ValueError(`${WHO}: inputNames must differ, '${dup}' is given twice.`);
  return names;
}

/** A functional model's graph input from its symbolic input's shape (ids when it feeds only Embeddings or is int32). */
function functionalInput(
  graph: FunctionalGraph,
  x: SymbolicTensor,
  options: ExportOptions,
  name: string,
  indexType: ElemType,
  several: boolean,
): GraphValue {
  const isIds = x.dtype === 'int32' || feedsOnlyEmbeddings(graph, x);
  if (options.inputShape && several)
    throw new ValueError(`${WHO}: inputShape applies to models with one input; this one has ${graph.inputs.length}.`);
  const shape = options.inputShape ?? x.shape.slice(1);
  // Sequences [time, features] and ids [time]; TimeDistributed's input [time, ...frame] (e.g. video frames) too.
  const timeDistributed = graph.nodes.some(
    (n) => n.outboundLayer.getClassName() === 'TimeDistributed' && n.inputTensors.some((t) => t.id === x.id),
  );
  const timeAxis = (isIds && shape.length === 1) || shape.length === 2 || timeDistributed ? 1 : -1;
  // With several inputs each has its own time dimension (an encoder's and a decoder's may differ).
  const dims = inputDims(shape, x.shape[0] ?? null, timeAxis, options);
  return { name, type: isIds ? indexType : 'float32', shape: several ? dims.map((d) => (d === 'time' ? `${name}_time` : d)) : dims };
}

function firstConfigShape(layers: Layer[]): (number | null)[] | null {
  for (const layer of layers) {
    const config = layer.getConfig();
    // A wrapper (Bidirectional, TimeDistributed) may carry the shape on the wrapped layer's config.
    const inner = (config.layer as { config?: { batchInputShape?: unknown } } | undefined)?.config;
    const shape = (config.batchInputShape ?? inner?.batchInputShape) as (number | null)[] | undefined;
    if (shape) return shape;
    if (layer.getClassName() !== 'InputLayer') break;
  }
  return null;
}

function kerasInput(layers: Layer[], model: Layer, options: ExportOptions, name: string, indexType: ElemType): GraphValue {
  const first = layers.find((l) => l.getClassName() !== 'InputLayer') ?? layers[0];
  const firstClass = first.getClassName();
  const isIds = firstClass === 'Embedding';
  const batchShape = firstConfigShape(layers);
  let shape = options.inputShape ?? batchShape?.slice(1) ?? null;
  if (!shape) {
    const kernel = first.getWeights()[0];
    if (isIds) shape = [null];
    else if (kernel && firstClass === 'Dense') shape = [kernel.shape[0]];
    else if (kernel && ['LSTM', 'GRU', 'SimpleRNN', 'RNN', 'Bidirectional'].includes(firstClass)) shape = [null, kernel.shape[0]];
    else {
      throw new ValueError(
        `${WHO}: the input shape of model '${model.name}' is unknown: give its first layer inputShape, build it, or pass options.inputShape.`,
      );
    }
  }
  // Sequences [time, features] and ids [time]; TimeDistributed's input [time, ...frame] (e.g. video frames) too.
  const timeAxis = (isIds && shape.length === 1) || shape.length === 2 || firstClass === 'TimeDistributed' ? 1 : -1;
  return { name, type: isIds ? indexType : 'float32', shape: inputDims(shape, batchShape?.[0] ?? null, timeAxis, options) };
}

function nnInput(module: nn.Module, options: ExportOptions, name: string, indexType: ElemType): GraphValue {
  const k = nnInputKind(module);
  if (k.kind === 'ids') return { name, type: indexType, shape: inputDims(options.inputShape ?? [null], null, 1, options) };
  if (k.kind === 'features') return { name, type: 'float32', shape: inputDims(options.inputShape ?? [k.features], null, -1, options) };
  if (!k.batchFirst) {
    // Time-major [time, batch, features]: the exporter's dims are written in that order.
    const dims = inputDims(options.inputShape ?? [null, k.features], null, 1, options);
    return { name, type: 'float32', shape: [dims[1], dims[0], dims[2]] };
  }
  return { name, type: 'float32', shape: inputDims(options.inputShape ?? [null, k.features], null, 1, options) };
}

/** [batch, ...shape] with symbolic 'batch' / 'time' where dynamic; throws for an unknown fixed dim. */
function inputDims(shape: (number | null)[], batch: number | null, timeAxis: number, options: ExportOptions): Dim[] {
  const dims: (number | null)[] = [batch, ...shape];
  return dims.map((d, axis) => {
    if (axis === 0 && options.dynamicBatch !== false) return 'batch';
    if (axis === timeAxis && options.dynamicTime !== false) return 'time';
    if (d === null || d === undefined) {
      const what = axis === 0 ? 'batch size' : axis === timeAxis ? 'number of time steps' : `dimension ${axis}`;
      const how =
        axis === 0
          ? 'dynamicBatch true or a batchInputShape'
          : axis === timeAxis
            ? 'dynamicTime true or options.inputShape'
            : 'options.inputShape';
      throw new ValueError(`${WHO}: the input's ${what} is unknown; use ${how}.`);
    }
    return d;
  });
}
