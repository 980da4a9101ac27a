/**
 * The config of a graph model in tfjs's layers-model form (camelCase here; snake_case in files):
 * `{name, layers: [{name, className, config, inboundNodes}], inputLayers, outputLayers}`, where each inbound node
 * is a list of `[layerName, nodeIndex, tensorIndex, kwargs]` — one entry per input tensor (a recurrent layer's
 * initial states follow its input, as tfjs and Keras 2 write them). Node indices count only the nodes that
 * belong to this model, so a layer shared with other models is numbered from 0 here (Keras's node conversion).
 */
import type { ConfigDict, Layer, Node } from '@recurrent/layers';
import type { GraphTopology } from './graph';
import { ValueError } from '@recurrent/core';

/** `[layerName, nodeIndex, tensorIndex]` of a model input or output. */
export type TensorRef = [string, number, number];
/** An inbound-node entry: `[layerName, nodeIndex, tensorIndex, kwargs]`. */
export type InboundEntry = [string, number, number, { [key: string]: unknown }];

/** Key of the first entry's kwargs recording non-state tensor kwargs (constants, explicit masks). */
export const TENSOR_KWARGS_KEY = 'recurrentTensorKwargs';

/** The functional config of a graph (see the file comment). */
export function functionalConfigOf(name: string, graph: GraphTopology): ConfigDict {
  // Renumber each layer's nodes to those in this model.
  const newIndex = new Map<Node, number>();
  for (const layer of graph.layers) {
    let k = selfNodeOffset(layer);
    for (const node of layer.inboundNodes) if (graph.nodeIds.has(node.id)) newIndex.set(node, k++);
  }
  const ref = (layer: Layer, nodeIndex: number, tensorIndex: number): [string, number, number] => {
    const node = layer.inboundNodes[nodeIndex];
    const k = newIndex.get(node);
    if (k === undefined) throw new ValueError(`getConfig: node ${nodeIndex} of layer '${layer.name}' is not part of model ${name}.`);
    return [layer.name, k, tensorIndex];
  };
  const layers = graph.layers.map((layer) => {
    const inboundNodes: InboundEntry[][] = [];
    for (const node of layer.inboundNodes) {
      if (!graph.nodeIds.has(node.id) || node.inputTensors.length === 0) continue;
      inboundNodes.push(nodeEntries(node, ref));
    }
    return { name: layer.name, className: layer.getClassName(), config: layer.getConfig(), inboundNodes };
  });
  const refOf = (t: { sourceLayer: Layer; nodeIndex: number; tensorIndex: number }): TensorRef =>
    ref(t.sourceLayer, t.nodeIndex, t.tensorIndex);
  return {
    name,
    layers,
    inputLayers: graph.inputs.map(refOf),
    outputLayers: graph.outputs.map(refOf),
  } as unknown as ConfigDict;
}

function nodeEntries(node: Node, ref: (layer: Layer, nodeIndex: number, tensorIndex: number) => [string, number, number]): InboundEntry[] {
  const { kwargs, tensorKwargs } = node.callArgs;
  const plain: { [key: string]: unknown } = {};
  for (const k of Object.keys(kwargs)) {
    const v = kwargs[k];
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) plain[k] = v;
  }
  const special = tensorKwargs.filter((t) => t.key !== 'initialState');
  return node.inputTensors.map((t, i) => {
    const kw: { [key: string]: unknown } = { ...plain };
    if (i === 0 && special.length > 0) kw[TENSOR_KWARGS_KEY] = tensorKwargs.map((t) => ({ ...t }));
    return [...ref(t.sourceLayer, t.nodeIndex, t.tensorIndex), kw] as InboundEntry;
  });
}

/** How file node indices of `layer` are offset: 1 for a nested model with a graph (tfjs/Keras count its own node 0). */
export function selfNodeOffset(layer: Layer): number {
  const m = layer as unknown as { selfNodeOffset?: () => number };
  return typeof m.selfNodeOffset === 'function' ? m.selfNodeOffset() : 0;
}
