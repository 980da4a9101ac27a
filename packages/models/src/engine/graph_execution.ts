/**
 * Running a functional model's graph on concrete tensors: each node's layer is applied, in run order, to the values
 * of its inputs, with `training` and the masks that flow from layer to layer (Keras/tfjs: a layer's output mask is
 * `computeMask(inputs, inputMask)`; a mask is passed only when some input has one, and only to layers that support
 * masking — others drop it, as tfjs's executor does).
 */
import { formatShape, Tensor, ValueError } from '@recurrent/core';
import { callArgsFor, CallKwargs, Layer, Shape } from '@recurrent/layers';
import { isInputNode } from './graph';
import type { GraphTopology } from './graph';

/** Result of `runGraph`: the outputs and their masks, in the model's output order. */
export interface GraphRun {
  outputs: Tensor[];
  masks: (Tensor | null)[];
}

function asList<T>(x: T | T[] | null | undefined): (T | null)[] {
  if (x === null || x === undefined) return [];
  return Array.isArray(x) ? x : [x];
}

/**
 * Runs `graph` on `inputs` (one tensor per model input, in order). `masks` (optional) are the inputs' masks.
 * Throws naming the layer when a layer fails, so the user sees where in the graph it happened.
 */
export function runGraph(graph: GraphTopology, inputs: Tensor[], training: boolean | undefined, masks: (Tensor | null)[] = []): GraphRun {
  const values = new Map<number, Tensor>();
  const maskOf = new Map<number, Tensor | null>();
  for (let i = 0; i < graph.inputs.length; i++) {
    const x = graph.inputs[i];
    const v = inputs[i];
    const expected = x.shape;
    let ok = v.rank === expected.length;
    for (let k = 0; ok && k < expected.length; k++) if (expected[k] !== null && expected[k] !== v.shape[k]) ok = false;
    if (!ok) {
      throw new ValueError(
        `Input ${i} (input layer '${x.sourceLayer.name}') expects shape ${formatShape(expected)}, received ${formatShape(v.shape)}.`,
      );
    }
    values.set(x.id, v);
    maskOf.set(x.id, masks[i] ?? null);
  }
  // Plain loops, and mask bookkeeping only when some input has a mask: this runs on every predict, also on
  // one-step streaming calls where the layers' own work is a few microseconds.
  for (const node of graph.nodes) {
    const layer = node.outboundLayer;
    const inputTensors = node.inputTensors;
    if (isInputNode(node)) continue;
    const flat: Tensor[] = [];
    for (const t of inputTensors) flat.push(values.get(t.id)!);
    const extra: CallKwargs = {};
    if (training !== undefined) extra.training = training;
    const callArgs = node.callArgs;
    let anyMask = false;
    for (let k = 0; k < callArgs.numInputs; k++) if ((maskOf.get(inputTensors[k].id) ?? null) !== null) anyMask = true;
    // As tfjs's executor: a layer that does not support masking gets no mask and passes none on.
    if (anyMask && layer.supportsMasking) {
      const hasExplicitMask = callArgs.tensorKwargs.some((k) => k.key === 'mask') || 'mask' in callArgs.kwargs;
      if (!hasExplicitMask) {
        const inputMasks = inputTensors.slice(0, callArgs.numInputs).map((t) => maskOf.get(t.id) ?? null);
        extra.mask = (callArgs.inputsIsList ? inputMasks : inputMasks[0]) as Tensor | Tensor[];
      }
    }
    const [callInputs, kwargs] = callArgsFor(node, flat, extra);
    const out = layer.apply(callInputs, kwargs) as Tensor | Tensor[];
    const outs = Array.isArray(out) ? out : [out];
    const outputTensors = node.outputTensors;
    if (outs.length !== outputTensors.length) {
      throw new ValueError(`Layer ${layer.name} returned ${outs.length} output(s) but its node in the graph has ${outputTensors.length}.`);
    }
    const outMasks = layer.supportsMasking ? asList(layer.computeMask(callInputs, (kwargs.mask ?? null) as Tensor | Tensor[] | null)) : [];
    for (let i = 0; i < outputTensors.length; i++) {
      const id = outputTensors[i].id;
      values.set(id, outs[i]);
      maskOf.set(id, outMasks.length === outs.length ? outMasks[i] : outMasks.length === 1 && outs.length === 1 ? outMasks[0] : null);
    }
  }
  return {
    outputs: graph.outputs.map((y) => values.get(y.id)!),
    masks: graph.outputs.map((y) => maskOf.get(y.id) ?? null),
  };
}

/** The output shapes of `graph` for `inputShapes` (nulls allowed), through each layer's `computeOutputShape`. */
export function graphOutputShapes(graph: GraphTopology, inputShapes: Shape[]): Shape[] {
  const shapes = new Map<number, Shape>();
  graph.inputs.forEach((x, i) => shapes.set(x.id, inputShapes[i]));
  for (const node of graph.nodes) {
    const layer: Layer = node.outboundLayer;
    if (isInputNode(node)) continue;
    const main = node.inputTensors.slice(0, node.callArgs.numInputs).map((t) => shapes.get(t.id)!);
    const out = layer.computeOutputShape(node.callArgs.inputsIsList ? main : main[0]);
    const list = (out.length > 0 && Array.isArray(out[0]) ? out : [out]) as Shape[];
    node.outputTensors.forEach((t, i) => shapes.set(t.id, list[i]));
  }
  return graph.outputs.map((y) => shapes.get(y.id)!);
}
