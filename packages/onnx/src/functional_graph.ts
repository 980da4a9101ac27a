/**
 * Functional (graph) Keras-style models → ONNX: walks `model.graph.nodes` in run order, maps each symbolic
 * tensor to a graph value, converts single-input layers with `exportKerasLayer` and merge layers
 * (Concatenate → Concat; Add, Subtract, Multiply, Average, Maximum, Minimum → Sum, Sub, Mul, Mean, Max, Min).
 * InputLayers are the graph inputs; a functional model used as a layer is its own graph on its inputs. Layers called with tensor keyword arguments (initialState, constants),
 * layers with several outputs, and every other multi-input layer refuse with an error naming the layer.
 */
import type { Layer, Node, SymbolicTensor } from '@recurrent/layers';
import type { Dim, GraphBuilder, GraphValue } from './graph_builder';
import { exportKerasLayer, KerasExportContext } from './keras_layers';
import { ValueError } from '@recurrent/core';

/** The topology `exportModel` reads from a functional model (`LayersModel.graph`). */
export interface FunctionalGraph {
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  /** Every call of a layer, in run order. */
  nodes: Node[];
}

/** Merge layers and their ONNX operators (variadic ones take every input; Sub takes two). */
const MERGE_OPS: { [className: string]: string } = {
  Add: 'Sum',
  Subtract: 'Sub',
  Multiply: 'Mul',
  Average: 'Mean',
  Maximum: 'Max',
  Minimum: 'Min',
};

/** Class names of the multi-input layers the functional export converts. */
export const SUPPORTED_MERGE_CLASSES = ['Concatenate', ...Object.keys(MERGE_OPS)];

/** The functional graph of `model` (a non-Sequential `LayersModel`), or null when it has none. */
export function functionalGraph(model: Layer): FunctionalGraph | null {
  if (model.getClassName() === 'Sequential') return null;
  const g = (model as unknown as { graph?: unknown }).graph as Partial<FunctionalGraph> | undefined;
  if (!g || !Array.isArray(g.inputs) || !Array.isArray(g.outputs) || !Array.isArray(g.nodes)) return null;
  return g as FunctionalGraph;
}

/** Whether `x` (a graph input) feeds only Embedding layers: it is then fed as integer ids, as a Sequential's. */
export function feedsOnlyEmbeddings(graph: FunctionalGraph, x: SymbolicTensor): boolean {
  const consumers = graph.nodes.filter((n) => n.inputTensors.some((t) => t.id === x.id));
  return consumers.length > 0 && consumers.every((n) => n.outboundLayer.getClassName() === 'Embedding');
}

/**
 * Appends the nodes of a functional model's graph, its inputs already given as `inputs` (same order as
 * `graph.inputs`); returns the value of its only output.
 */
export function exportFunctionalGraph(
  g: GraphBuilder,
  graph: FunctionalGraph,
  modelName: string,
  inputs: GraphValue[],
  ctx: KerasExportContext,
): GraphValue {
  if (graph.outputs.length !== 1) {
    throw new ValueError(
      `onnx.exportModel: model '${modelName}' cannot be exported: it has ${graph.outputs.length} outputs; only models with one output are supported.`,
    );
  }
  const values = new Map<number, GraphValue>();
  graph.inputs.forEach((x, i) => values.set(x.id, inputs[i]));
  for (const node of graph.nodes) {
    const layer = node.outboundLayer;
    const className = layer.getClassName();
    if (className === 'InputLayer') continue;
    const where = `layer '${layer.name}' (${className})`;
    const kwargs = node.callArgs.tensorKwargs.filter((k) => k.count > 0).map((k) => k.key);
    if (kwargs.length > 0) {
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: it is called with ${kwargs.join(', ')}; only calls on the layer's ` +
          'inputs alone are supported (an ONNX recurrent operator here starts from zero states).',
      );
    }
    if (node.callArgs.kwargs.training === true) {
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: it is called with training: true (its training behaviour, e.g. dropout, would run at inference); ONNX export is inference only.`,
      );
    }
    if (node.outputTensors.length !== 1) {
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: it has ${node.outputTensors.length} outputs (e.g. returnState); only one-output layers are supported.`,
      );
    }
    const xs = node.inputTensors.slice(0, node.callArgs.numInputs).map((t) => {
      const v = values.get(t.id);
      if (!v) throw new ValueError(`onnx.exportModel: ${where}: input tensor ${t.name} was not computed before it (graph order).`);
      return v;
    });
    const inner = functionalGraph(layer);
    let y: GraphValue;
    if (inner) {
      // A functional model used as a layer: its own graph, on these inputs.
      if (inner.inputs.length !== xs.length)
        throw new ValueError(`onnx.exportModel: ${where} takes ${inner.inputs.length} inputs, received ${xs.length}.`);
      y = exportFunctionalGraph(g, inner, layer.name, xs, ctx);
    } else {
      y = xs.length === 1 ? exportKerasLayer(g, xs[0], layer, ctx) : exportMerge(g, xs, layer, where);
    }
    values.set(node.outputTensors[0].id, y);
  }
  const out = values.get(graph.outputs[0].id);
  if (!out) throw new ValueError(`onnx.exportModel: model '${modelName}': its output ${graph.outputs[0].name} was never computed.`);
  return out;
}

/** A merge layer on two or more inputs: Concat, or an elementwise operator. */
function exportMerge(g: GraphBuilder, xs: GraphValue[], layer: Layer, where: string): GraphValue {
  const className = layer.getClassName();
  if (className !== 'Concatenate' && !(className in MERGE_OPS)) {
    throw new ValueError(
      `onnx.exportModel: ${where} cannot be exported: it takes ${xs.length} inputs; the multi-input layers ONNX export supports are ` +
        `${SUPPORTED_MERGE_CLASSES.join(', ')}.`,
    );
  }
  const masked = xs.findIndex((x) => x.masked);
  if (masked >= 0) {
    throw new ValueError(
      `onnx.exportModel: ${where} cannot be exported: its input ${masked} is a masked sequence (merging masks is not expressible with sequence lengths).`,
    );
  }
  const nonFloat = xs.findIndex((x) => x.type !== 'float32');
  if (nonFloat >= 0)
    throw new ValueError(`onnx.exportModel: ${where} expects float32 inputs, received ${xs[nonFloat].type} for input ${nonFloat}.`);
  const rank = xs[0].shape.length;
  const other = xs.findIndex((x) => x.shape.length !== rank);
  if (other >= 0) {
    // tfjs note: Keras's merge layers insert size-1 axes after the batch axis for lower-rank inputs; ONNX broadcasts from the front.
    throw new ValueError(
      `onnx.exportModel: ${where} cannot be exported: its inputs have different ranks (input 0 [${xs[0].shape.join(', ')}], ` +
        `input ${other} [${xs[other].shape.join(', ')}]); give them equal ranks (e.g. with a Reshape before it).`,
    );
  }
  if (className === 'Concatenate') {
    const axisArg = (layer as unknown as { axis: number }).axis;
    const axis = axisArg < 0 ? axisArg + rank : axisArg;
    if (axis <= 0 || axis >= rank) {
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: axis ${axisArg} is out of range for inputs of rank ${rank} (batch axis excluded).`,
      );
    }
    const sizes = xs.map((x) => x.shape[axis]);
    const size: Dim = sizes.every((d) => typeof d === 'number') ? (sizes as number[]).reduce((a, b) => a + b, 0) : `${layer.name}_${axis}`;
    const shape = mergedShape(xs).map((d, k) => (k === axis ? size : d));
    return {
      name: g.addNode(
        'Concat',
        xs.map((x) => x.name),
        { axis: { i: axis } },
        1,
        layer.name,
      )[0],
      type: 'float32',
      shape,
    };
  }
  const op = MERGE_OPS[className];
  if (op === 'Sub' && xs.length !== 2) throw new ValueError(`onnx.exportModel: ${where} takes exactly 2 inputs, received ${xs.length}.`);
  return {
    name: g.addNode(
      op,
      xs.map((x) => x.name),
      {},
      1,
      layer.name,
    )[0],
    type: 'float32',
    shape: mergedShape(xs),
  };
}

/** Each axis: a known size where an input has one other than 1 (broadcast), else the first input's dim. */
function mergedShape(xs: GraphValue[]): Dim[] {
  return xs[0].shape.map((d, k) => {
    const known = xs.map((x) => x.shape[k]).find((s) => typeof s === 'number' && s !== 1);
    return known ?? d;
  });
}
