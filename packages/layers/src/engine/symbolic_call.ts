/**
 * `layer.apply` on symbolic tensors: builds the layer from the input shapes, infers the output shapes with
 * `computeOutputShape`, and records the call as a `Node` of the layer, returning symbolic outputs.
 */
import { DataType, formatShape, Tensor, ValueError } from '@recurrent/core';
import { assertInputCompatibility } from './input_spec';
import type { CallKwargs, Layer, Shape } from './layer';
import { Node, NodeCallArgs, TENSOR_KWARGS, TensorKwarg } from './node';
import { hasSymbolic, SymbolicTensor } from './symbolic_tensor';

/** Whether `apply(inputs, kwargs)` is a symbolic call (any input or tensor kwarg is a SymbolicTensor). */
export function isSymbolicCall(inputs: unknown, kwargs: CallKwargs | undefined): boolean {
  if (hasSymbolic(inputs)) return true;
  if (!kwargs) return false;
  for (const k of TENSOR_KWARGS) if (kwargs[k] !== undefined && kwargs[k] !== null && hasSymbolic(kwargs[k])) return true;
  return false;
}

function describeValue(x: unknown): string {
  if (x instanceof Tensor) return `a concrete Tensor ${formatShape(x.shape)}`;
  if (x === null) return 'null';
  return Array.isArray(x) ? 'an array' : typeof x;
}

function asSymbolicList(layer: Layer, what: string, value: unknown): SymbolicTensor[] {
  const list = Array.isArray(value) ? value : [value];
  list.forEach((x, i) => {
    if (!(x instanceof SymbolicTensor)) {
      throw new ValueError(
        `Layer ${layer.name}: ${what}${list.length > 1 ? ` ${i}` : ''} is ${describeValue(x)}, but the call is symbolic (other ` +
          `arguments are symbolic tensors); in a functional model every tensor must come from input() or another layer's output.`,
      );
    }
  });
  return list as SymbolicTensor[];
}

/** The dtype of a layer's symbolic outputs: an InputLayer's own, else float32 (int inputs only enter Embedding-like layers). */
function outputDType(layer: Layer, inputs: SymbolicTensor[]): DataType {
  if (layer.getClassName() === 'InputLayer') return inputs[0]?.dtype ?? layer.dtype;
  return 'float32';
}

/** `layer.apply` on symbolic inputs (see `Layer.apply`). */
export function applySymbolic(layer: Layer, inputs: unknown, kwargs: CallKwargs): SymbolicTensor | SymbolicTensor[] {
  const main = asSymbolicList(layer, 'input', inputs);
  if (main.length === 0) throw new ValueError(`Layer ${layer.name}: apply() received an empty input list.`);
  const flat = main.slice();
  const tensorKwargs: NodeCallArgs['tensorKwargs'] = [];
  const rest: { [key: string]: unknown } = {};
  for (const key of Object.keys(kwargs)) {
    const v = kwargs[key];
    if (v === undefined || v === null) continue;
    if ((TENSOR_KWARGS as readonly string[]).includes(key)) {
      const list = asSymbolicList(layer, key, v);
      tensorKwargs.push({ key: key as TensorKwarg, count: list.length, isList: Array.isArray(v) });
      flat.push(...list);
    } else {
      rest[key] = v;
    }
  }
  const shapes = main.map((t) => t.shape.slice() as Shape);
  const shapeArg: Shape | Shape[] = Array.isArray(inputs) ? shapes : shapes[0];
  assertInputCompatibility(layer.name, layer.inputSpec, main);
  if (!layer.built) {
    layer.maybeBuild(shapeArg);
    assertInputCompatibility(layer.name, layer.inputSpec, main);
  }
  const out = layer.computeOutputShape(shapeArg, rest as CallKwargs);
  const multi = out.length > 0 && Array.isArray(out[0]);
  const outShapes = (multi ? out : [out]) as Shape[];
  const nodeIndex = layer.inboundNodes.length;
  const dtype = outputDType(layer, main);
  const outputs = outShapes.map((s, i) => new SymbolicTensor(dtype, s, layer, nodeIndex, i));
  const node = new Node(layer, flat, outputs, { inputsIsList: Array.isArray(inputs), numInputs: main.length, tensorKwargs, kwargs: rest });
  layer.inboundNodes.push(node);
  for (const t of flat) t.sourceLayer.outboundNodes.push(node);
  return multi ? outputs : outputs[0];
}

/**
 * The concrete `apply(inputs, kwargs)` arguments of `node` given the values of its flat inputs (same order as
 * `node.inputTensors`) and extra kwargs (e.g. `training`).
 */
export function callArgsFor(node: Node, values: Tensor[], extra: CallKwargs): [Tensor | Tensor[], CallKwargs] {
  const { inputsIsList, numInputs, tensorKwargs, kwargs } = node.callArgs;
  const main = values.slice(0, numInputs);
  const kw: CallKwargs = { ...extra, ...kwargs };
  let offset = numInputs;
  for (const { key, count, isList } of tensorKwargs) {
    const list = values.slice(offset, offset + count);
    kw[key] = isList ? list : list[0];
    offset += count;
  }
  return [inputsIsList ? main : main[0], kw];
}
