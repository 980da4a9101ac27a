/**
 * `model.summary()` lines as tfjs-layers' `printSummary`: the sequential table (layer, input shape, output shape,
 * params) for models whose graph is a chain, and the graph table with tfjs's 'Receives inputs' column
 * (`layer[nodeIndex][tensorIndex]` per inbound tensor, numbered as in files: a nested model's calls from 1) otherwise.
 */
import type { Layer, LayerVariable, Node } from '@recurrent/layers';
import { selfNodeOffset } from './functional_config';
import type { GraphTopology } from './graph';
import { formatSummaryRow, summaryLines, SummaryRow } from './summary';
import { ValueError } from '@recurrent/core';

/** What the summary reads of a model. */
export interface SummarySource {
  readonly layers: Layer[];
  readonly graph: GraphTopology;
  readonly trainableWeights: LayerVariable[];
  readonly nonTrainableWeights: LayerVariable[];
}

function isSequentialLike(graph: GraphTopology): boolean {
  const byDepth = new Map<number, Node[]>();
  for (const node of graph.nodes) {
    const d = graph.nodeDepths.get(node.id)!;
    const list = byDepth.get(d);
    if (list) list.push(node);
    else byDepth.set(d, [node]);
  }
  for (const nodes of byDepth.values()) {
    if (nodes.length > 1 || (nodes.length === 1 && nodes[0].inputTensors.length > 1)) return false;
  }
  for (const layer of graph.layers) {
    if (layer.inboundNodes.filter((n) => graph.nodeIds.has(n.id)).length > 1) return false;
  }
  return true;
}

/** The inputs a summary lists for `node`: the call's inputs, then initialState and constants (tfjs's RNN inputs). */
function listedInputs(node: Node): Node['inputTensors'] {
  const listed = node.inputTensors.slice(0, node.callArgs.numInputs);
  let offset = node.callArgs.numInputs;
  for (const { key, count } of node.callArgs.tensorKwargs) {
    if (key !== 'mask') listed.push(...node.inputTensors.slice(offset, offset + count));
    offset += count;
  }
  return listed;
}

function shapesOf(layer: Layer, what: 'in' | 'out'): string {
  try {
    if (what === 'out') return JSON.stringify(layer.outputShape);
    return layer.inboundNodes
      .map((n) => JSON.stringify(n.inputTensors.length === 0 ? [n.outputTensors[0].shape] : listedInputs(n).map((t) => t.shape)))
      .join(',');
  } catch {
    return 'multiple';
  }
}

const count = (ws: LayerVariable[]) => ws.reduce((n, w) => n + w.size, 0);

/** The summary lines of `model` (see the file comment). */
export function graphSummaryLines(model: SummarySource, lineLength?: number, positions?: number[]): string[] {
  const graph = model.graph;
  const trainable = count(model.trainableWeights);
  const nonTrainable = count(model.nonTrainableWeights);
  if (isSequentialLike(graph)) {
    const rows: SummaryRow[] = model.layers.map((l) => ({
      name: `${l.name} (${l.getClassName()})`,
      inputShape: shapesOf(l, 'in'),
      outputShape: shapesOf(l, 'out'),
      params: l.countParams(),
    }));
    return summaryLines(rows, trainable, nonTrainable, lineLength, positions);
  }
  const length = lineLength || 115;
  let pos = positions || [0.24, 0.48, 0.7, 0.8, 1];
  if (pos.length !== 5) {
    throw new ValueError(
      `summary: positions must have 5 entries for a graph model (layer, input shape, output shape, params, receives inputs), received ${pos.length}.`,
    );
  }
  if (pos[pos.length - 1] <= 1) pos = pos.map((p) => Math.floor(length * p));
  const lines = [
    '_'.repeat(length),
    formatSummaryRow(['Layer (type)', 'Input Shape', 'Output shape', 'Param #', 'Receives inputs'], pos),
    '='.repeat(length),
  ];
  const layers = model.layers;
  layers.forEach((layer, i) => {
    const connections: string[] = [];
    for (const node of layer.inboundNodes) {
      if (!graph.nodeIds.has(node.id)) continue;
      for (const t of node.inputTensors)
        connections.push(`${t.sourceLayer.name}[${t.nodeIndex + selfNodeOffset(t.sourceLayer)}][${t.tensorIndex}]`);
    }
    lines.push(
      formatSummaryRow(
        [
          `${layer.name} (${layer.getClassName()})`,
          shapesOf(layer, 'in'),
          shapesOf(layer, 'out'),
          String(layer.countParams()),
          connections[0] ?? '',
        ],
        pos,
      ),
    );
    for (const c of connections.slice(1)) lines.push(formatSummaryRow(['', '', '', '', c], pos));
    lines.push((i === layers.length - 1 ? '=' : '_').repeat(length));
  });
  lines.push(
    `Total params: ${trainable + nonTrainable}`,
    `Trainable params: ${trainable}`,
    `Non-trainable params: ${nonTrainable}`,
    '_'.repeat(length),
  );
  return lines;
}
