/**
 * The topology of a functional model, worked out once from its symbolic inputs and outputs: the nodes that lead
 * from the inputs to the outputs in an order that runs them (decreasing depth), the layers in tfjs's order (by
 * depth, then traversal order — which fixes the order of `getWeights()`), and checks with errors naming the
 * tensor and layer (cycles, graph disconnected, unused inputs, duplicate names). Every pass is linear in the
 * size of the graph, and iterative (no recursion depth limit).
 */
import { InputLayer, Layer, Node, SymbolicTensor } from '@recurrent/layers';
import { ValueError } from '@recurrent/core';

/** The worked-out graph of a functional model. */
export interface GraphTopology {
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  /** The InputLayers of `inputs`, in order. */
  inputLayers: InputLayer[];
  /** The layers producing `outputs`, in order. */
  outputLayers: Layer[];
  /** All layers, deepest first (input layers first), ties in traversal order (as tfjs). */
  layers: Layer[];
  /** The nodes to run, in an order where every node's inputs come before it. */
  nodes: Node[];
  /** Depth of each node (0 at the outputs), by node id. */
  nodeDepths: Map<number, number>;
  /** The ids of the nodes in `nodes`. */
  nodeIds: Set<number>;
}

/** Whether `node` is the node of a model input (an InputLayer's own, with no inputs). */
export function isInputNode(node: Node): boolean {
  return node.outboundLayer instanceof InputLayer && node.inputTensors.length === 0;
}

function nodeOf(t: SymbolicTensor): Node {
  const node = t.sourceLayer.inboundNodes[t.nodeIndex];
  if (!node) throw new ValueError(`tensor ${t.name}: layer ${t.sourceLayer.name} has no node ${t.nodeIndex}.`);
  return node;
}

/** Works out the topology of the model `modelName` with `inputs` → `outputs`; throws naming what is wrong. */
export function buildGraph(modelName: string, inputs: SymbolicTensor[], outputs: SymbolicTensor[]): GraphTopology {
  const where = `model ${modelName}`;
  inputs.forEach((x, i) => {
    if (!(x instanceof SymbolicTensor)) {
      throw new ValueError(`${where}: inputs[${i}] must be a symbolic tensor from input(), received ${x === null ? 'null' : typeof x}.`);
    }
    if (!(x.sourceLayer instanceof InputLayer)) {
      throw new ValueError(
        `${where}: inputs[${i}] (${x.name}) comes from layer '${x.sourceLayer.name}' (${x.sourceLayer.getClassName()}); ` +
          `model inputs must be created with input({shape}).`,
      );
    }
  });
  outputs.forEach((y, i) => {
    if (!(y instanceof SymbolicTensor)) {
      throw new ValueError(
        `${where}: outputs[${i}] must be a symbolic tensor (the result of layer.apply on symbolic inputs), received ` +
          `${y === null ? 'null' : y && typeof y === 'object' && 'values' in y ? 'a concrete Tensor' : typeof y}.`,
      );
    }
  });
  const seenInputs = new Set<number>();
  inputs.forEach((x, i) => {
    if (seenInputs.has(x.id)) throw new ValueError(`${where}: inputs[${i}] (${x.name}) is listed twice.`);
    seenInputs.add(x.id);
  });

  // Post-order DFS from the outputs (iterative), as tfjs's buildMapOfGraph: nodes in decreasing depth.
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const postOrder: Node[] = [];
  const layerIndex = new Map<Layer, number>();
  for (const out of outputs) {
    const stack: { node: Node; next: number }[] = [{ node: nodeOf(out), next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const node = top.node;
      if (top.next === 0) {
        if (finished.has(node)) {
          stack.pop();
          continue;
        }
        if (inProgress.has(node)) throw new ValueError(`${where}: layer '${node.outboundLayer.name}' is part of a cycle.`);
        inProgress.add(node);
        if (!layerIndex.has(node.outboundLayer)) layerIndex.set(node.outboundLayer, layerIndex.size);
      }
      if (top.next < node.inputTensors.length) {
        const x = node.inputTensors[top.next++];
        const inbound = nodeOf(x);
        if (inProgress.has(inbound)) throw new ValueError(`${where}: layer '${inbound.outboundLayer.name}' is part of a cycle.`);
        if (!finished.has(inbound)) stack.push({ node: inbound, next: 0 });
        continue;
      }
      inProgress.delete(node);
      finished.add(node);
      postOrder.push(node);
      stack.pop();
    }
  }

  // Depths: 0 at the outputs, a node's inputs one deeper (a shared layer keeps its deepest depth).
  const nodeDepths = new Map<number, number>();
  const layerDepths = new Map<Layer, number>();
  const byId = new Map<number, Node>();
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const node = postOrder[i];
    byId.set(node.id, node);
    let depth = nodeDepths.get(node.id) ?? 0;
    depth = Math.max(depth, layerDepths.get(node.outboundLayer) ?? 0);
    layerDepths.set(node.outboundLayer, depth);
    nodeDepths.set(node.id, depth);
    for (const x of node.inputTensors) {
      const inbound = nodeOf(x);
      nodeDepths.set(inbound.id, Math.max(depth + 1, nodeDepths.get(inbound.id) ?? 0));
    }
  }

  // Layers: deepest first, then traversal order.
  const layers = Array.from(layerDepths.keys()).sort(
    (a, b) => layerDepths.get(b)! - layerDepths.get(a)! || layerIndex.get(a)! - layerIndex.get(b)!,
  );
  const names = new Map<string, Layer>();
  for (const layer of layers) {
    const other = names.get(layer.name);
    if (other && other !== layer) {
      throw new ValueError(
        `${where}: the layer name '${layer.name}' is used by two layers (${other.getClassName()} and ${layer.getClassName()}); ` +
          `all layer names in a model must be unique.`,
      );
    }
    names.set(layer.name, layer);
  }

  // Run order: decreasing depth, ties in post order. Every input of a node must be computable.
  const postIndex = new Map<Node, number>();
  postOrder.forEach((n, i) => postIndex.set(n, i));
  const nodes = postOrder.slice().sort((a, b) => nodeDepths.get(b.id)! - nodeDepths.get(a.id)! || postIndex.get(a)! - postIndex.get(b)!);
  const computable = new Set<number>(inputs.map((x) => x.id));
  const usedInputs = new Set<number>();
  const done: string[] = [];
  for (const node of nodes) {
    if (isInputNode(node)) {
      const t = node.outputTensors[0];
      if (!computable.has(t.id)) {
        throw new ValueError(
          `${where}: graph disconnected: cannot obtain a value for tensor ${t.name} (input layer '${node.outboundLayer.name}'), ` +
            `which the outputs need, because it is not among the model's inputs (${inputs.map((x) => x.sourceLayer.name).join(', ') || 'none'}).`,
        );
      }
      usedInputs.add(t.id);
      continue;
    }
    for (const x of node.inputTensors) {
      if (!computable.has(x.id)) {
        throw new ValueError(
          `${where}: graph disconnected: cannot obtain a value for tensor ${x.name} at layer '${node.outboundLayer.name}'. ` +
            `Layers reached without issue: ${done.join(', ') || 'none'}.`,
        );
      }
    }
    for (const y of node.outputTensors) computable.add(y.id);
    done.push(node.outboundLayer.name);
  }
  inputs.forEach((x, i) => {
    if (!usedInputs.has(x.id)) {
      throw new ValueError(
        `${where}: inputs[${i}] (input layer '${x.sourceLayer.name}') does not reach any output; remove it or connect it.`,
      );
    }
  });
  return {
    inputs: inputs.slice(),
    outputs: outputs.slice(),
    inputLayers: inputs.map((x) => x.sourceLayer as InputLayer),
    outputLayers: outputs.map((y) => y.sourceLayer),
    layers,
    nodes,
    nodeDepths,
    nodeIds: new Set(nodes.map((n) => n.id)),
  };
}
