/**
 * Rebuilds a graph model from its config (camelCase, after the loader's snake_case conversion): creates each layer,
 * then replays every inbound node as a symbolic `apply`, in dependency order (Kahn's algorithm over the nodes, so
 * time is linear in the number of node references and nothing recurses), then `new LayersModel({inputs, outputs})`.
 *
 * Inbound nodes are read in the three forms files hold:
 * - tfjs / Keras 2: `[[layerName, nodeIndex, tensorIndex, kwargs], ...]` (one entry per input; a recurrent layer's
 *   states follow its input; Keras 2 may also give `initial_state`/`constants`/`mask` refs in kwargs);
 * - Keras 3: `{args: [tensor or [tensors]], kwargs: {initialState: [...], mask: ..., training: ...}}` where each
 *   tensor is `{className: '__keras_tensor__', config: {shape, dtype, kerasHistory: [layerName, nodeIndex, tensorIndex]}}`.
 * A reference to a missing layer, node or output, a cycle, or a malformed entry is refused naming the layer.
 */
import type { CallKwargs, Layer, NodeCallArgs, SymbolicTensor, TensorKwarg } from '@recurrent/layers';
import type { JSONObject } from '../io/types';
import { selfNodeOffset, TENSOR_KWARGS_KEY, TensorRef } from './functional_config';
import { LayersModel } from './layers_model';
import { withErrorPrefix } from '../error_prefix';
import { ValueError, NotImplementedError } from '@recurrent/core';

/** A parsed inbound node: the flat input refs and how they map back to `apply`. */
interface ParsedNode {
  refs: TensorRef[];
  numInputs: number;
  inputsIsList: boolean;
  tensorKwargs: NodeCallArgs['tensorKwargs'];
  kwargs: { [key: string]: unknown };
}

const TENSOR_KWARG_KEYS: TensorKwarg[] = ['initialState', 'constants', 'mask'];
/** Bound on the inbound nodes of one layer in a file (a shared layer is rarely applied more than a few times). */
const MAX_NODES_PER_LAYER = 4096;

function isObject(x: unknown): x is JSONObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'string') return `'${x.slice(0, 40)}'`;
  return typeof x === 'object' ? 'an object' : `${typeof x} ${String(x)}`;
}

function isRef(x: unknown): x is [string, number, number, ...unknown[]] {
  return Array.isArray(x) && x.length >= 3 && typeof x[0] === 'string' && Number.isInteger(x[1]) && Number.isInteger(x[2]);
}

/** `[layerName, nodeIndex, tensorIndex]` of a reference in a file (what follows them dropped), or null for anything else. */
function fileRef(x: unknown): TensorRef | null {
  return isRef(x) ? [x[0], x[1], x[2]] : null;
}

function kerasTensorRef(x: unknown): TensorRef | null {
  if (!isObject(x) || x.className !== '__keras_tensor__') return null;
  const history = isObject(x.config) ? x.config.kerasHistory : undefined;
  const ref = fileRef(history);
  if (!ref)
    throw new ValueError(
      `a __keras_tensor__ has no valid keras_history [layerName, nodeIndex, tensorIndex], received ${describe(history)}`,
    );
  return ref;
}

/** Refs of a value that is one tensor or a (possibly nested-by-one) list of tensors; `asRef` reads one tensor. */
function refList(value: unknown, asRef: (x: unknown) => TensorRef | null): { refs: TensorRef[]; isList: boolean } | null {
  const one = asRef(value);
  if (one) return { refs: [one], isList: false };
  if (!Array.isArray(value)) return null;
  const refs: TensorRef[] = [];
  for (const v of value) {
    if (v === null) continue;
    const r = asRef(v);
    if (!r) return null;
    refs.push(r);
  }
  return refs.length === 0 ? null : { refs, isList: true };
}

function parseListForm(entries: unknown[], where: string): ParsedNode {
  const refs: TensorRef[] = [];
  let kwargs: { [key: string]: unknown } = {};
  let marker: unknown = undefined;
  entries.forEach((e, i) => {
    if (!isRef(e))
      throw new ValueError(`${where}: entry ${i} must be [layerName, nodeIndex, tensorIndex, kwargs], received ${describe(e)}`);
    refs.push([e[0], e[1], e[2]]);
    if (i === 0 && e.length > 3 && e[3] != null) {
      if (!isObject(e[3])) throw new ValueError(`${where}: entry 0's kwargs must be an object, received ${describe(e[3])}`);
      kwargs = { ...e[3] };
      marker = kwargs[TENSOR_KWARGS_KEY];
      delete kwargs[TENSOR_KWARGS_KEY];
    }
  });
  const numMain = refs.length;
  let tensorKwargs: NodeCallArgs['tensorKwargs'] = [];
  if (marker !== undefined) {
    if (!Array.isArray(marker)) throw new ValueError(`${where}: ${TENSOR_KWARGS_KEY} must be a list`);
    tensorKwargs = marker.map((m) => {
      if (!isObject(m) || !TENSOR_KWARG_KEYS.includes(m.key as TensorKwarg) || !Number.isInteger(m.count) || (m.count as number) < 0) {
        throw new ValueError(`${where}: malformed ${TENSOR_KWARGS_KEY} entry ${describe(m)}`);
      }
      return { key: m.key as TensorKwarg, count: m.count as number, isList: m.isList === true };
    });
    const extra = tensorKwargs.reduce((n, t) => n + t.count, 0);
    if (extra >= refs.length)
      throw new ValueError(`${where}: ${TENSOR_KWARGS_KEY} counts ${extra} tensors but the node has ${refs.length} inputs`);
    return { refs, numInputs: refs.length - extra, inputsIsList: refs.length - extra > 1, tensorKwargs, kwargs };
  }
  // Keras 2: tensor refs inside kwargs (initial_state, constants, mask).
  for (const key of TENSOR_KWARG_KEYS) {
    const v = kwargs[key];
    if (v === undefined || v === null) continue;
    const list = refList(v, fileRef);
    if (list === null) continue;
    refs.push(...list.refs);
    tensorKwargs.push({ key, count: list.refs.length, isList: list.isList });
    delete kwargs[key];
  }
  return { refs, numInputs: numMain, inputsIsList: numMain > 1, tensorKwargs, kwargs };
}

/** Keras 3 call arguments that are further inputs, in order: `MultiHeadAttention(query, value, key)`. */
const INPUT_KWARGS = ['value', 'key'];

function isKerasTensorLike(v: unknown): boolean {
  return (isObject(v) && v.className === '__keras_tensor__') || (Array.isArray(v) && v.some((x) => isKerasTensorLike(x)));
}

/**
 * Keras 3's `{args, kwargs}` node. Positional tensors after the first (`mha(query, value)`) and the `value` / `key`
 * kwargs extend the input into a list `[query, value, key]`, the form multi-input layers take here.
 */
function parseKeras3Form(node: JSONObject, where: string): ParsedNode {
  const args = node.args;
  if (!Array.isArray(args) || args.length === 0)
    throw new ValueError(`${where}: 'args' must be a non-empty list, received ${describe(args)}`);
  const main = refList(args[0], kerasTensorRef);
  if (main === null) throw new ValueError(`${where}: args[0] must be a __keras_tensor__ or a list of them, received ${describe(args[0])}`);
  const inputs = main.refs.slice();
  let gap = false;
  for (let i = 1; i < args.length; i++) {
    if (args[i] === null || args[i] === undefined) {
      gap = true;
      continue;
    }
    const r = main.isList || gap ? null : kerasTensorRef(args[i]);
    if (r === null) {
      throw new NotImplementedError(
        `${where}: positional argument ${i} (${describe(args[i])}) is not supported; only input tensors are positional (after a single first input)`,
      );
    }
    inputs.push(r);
  }
  const tensorKwargs: NodeCallArgs['tensorKwargs'] = [];
  const kwargs: { [key: string]: unknown } = {};
  const kw = node.kwargs;
  if (kw != null && !isObject(kw)) throw new ValueError(`${where}: 'kwargs' must be an object, received ${describe(kw)}`);
  const kwObj = (kw ?? {}) as JSONObject;
  // value / key given by name: they continue the positional inputs (query first).
  INPUT_KWARGS.forEach((name, k) => {
    const v = kwObj[name];
    if (v === null || v === undefined) return;
    const r = main.isList ? null : kerasTensorRef(v);
    if (r === null || inputs.length !== k + 1) {
      throw new ValueError(`${where}: kwargs.${name} (${describe(v)}) must be a __keras_tensor__ following the inputs before it`);
    }
    inputs.push(r);
  });
  const refs = inputs.slice();
  for (const key of Object.keys(kwObj)) {
    if (INPUT_KWARGS.includes(key)) continue;
    const v = kwObj[key];
    if ((TENSOR_KWARG_KEYS as string[]).includes(key)) {
      if (v === null || v === undefined) continue;
      const list = refList(v, kerasTensorRef);
      if (list === null) {
        if (Array.isArray(v) && v.every((m) => m === null)) continue;
        throw new ValueError(`${where}: kwargs.${key} must hold __keras_tensor__ values, received ${describe(v)}`);
      }
      refs.push(...list.refs);
      tensorKwargs.push({ key: key as TensorKwarg, count: list.refs.length, isList: list.isList });
    } else if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) {
      kwargs[key] = v;
    } else if (isKerasTensorLike(v)) {
      // A tensor argument this loader cannot pass on (e.g. attention_mask) would be dropped silently otherwise.
      throw new NotImplementedError(`${where}: the tensor argument kwargs.${key} is not supported`);
    }
  }
  const multi = main.isList || inputs.length > 1;
  return { refs, numInputs: inputs.length, inputsIsList: multi, tensorKwargs, kwargs };
}

/** Parses one inbound node of `layerName` in any of the file forms. */
export function parseInboundNode(data: unknown, where: string): ParsedNode {
  try {
    return parseNodeForms(data, where);
  } catch (e) {
    const err = e as Error;
    if (!err.message.startsWith(where)) err.message = `${where}: ${err.message}`;
    throw err;
  }
}

function parseNodeForms(data: unknown, where: string): ParsedNode {
  if (Array.isArray(data)) {
    if (data.length === 0) throw new ValueError(`${where}: an inbound node is an empty list`);
    return parseListForm(data, where);
  }
  if (isObject(data)) return parseKeras3Form(data, where);
  throw new ValueError(
    `${where}: an inbound node must be a list of [layerName, nodeIndex, tensorIndex, kwargs] or {args, kwargs}, received ${describe(data)}`,
  );
}

/** Reads `inputLayers`/`outputLayers`: a list of refs, or one ref (Keras 3 writes a single input that way). */
export function parseRefs(value: unknown, what: string): TensorRef[] {
  const one = fileRef(value);
  if (one) return [one];
  if (!Array.isArray(value) || value.length === 0)
    throw new ValueError(`${what} must be a non-empty list of [layerName, nodeIndex, tensorIndex], received ${describe(value)}`);
  return value.map((r, i) => {
    const ref = fileRef(r);
    if (!ref) throw new ValueError(`${what}[${i}] must be [layerName, nodeIndex, tensorIndex], received ${describe(r)}`);
    return ref;
  });
}

/** One layer entry of a functional config, created by the caller. */
export interface FunctionalLayerEntry {
  name: string;
  layer: Layer;
  inboundNodes: unknown;
}

/**
 * Connects already-created layers as the config's inbound nodes say and returns the model. `entries` are in the
 * config's order; `fail(message)` makes the caller's error.
 */
export function connectFunctional(
  modelName: string | undefined,
  entries: FunctionalLayerEntry[],
  inputLayers: unknown,
  outputLayers: unknown,
): LayersModel {
  const byName = new Map<string, FunctionalLayerEntry>();
  for (const e of entries) {
    if (byName.has(e.name)) throw new ValueError(`two layers are named '${e.name}'; layer names in a model must be unique`);
    if (e.layer.name !== e.name) throw new ValueError(`layer entry '${e.name}' created a layer named '${e.layer.name}'`);
    byName.set(e.name, e);
  }
  // File node indices of nested models count the model's own node 0 (tfjs/Keras); ours do not.
  const shift = (refs: TensorRef[], where: string): TensorRef[] =>
    refs.map(([n, i, t]) => {
      const e = byName.get(n);
      const off = e ? selfNodeOffset(e.layer) : 0;
      if (off > 0 && i < off)
        throw new ValueError(`${where}: refers to node ${i} of the nested model '${n}', which is its own internal node, not a call`);
      return [n, i - off, t];
    });
  // Parse every node, and count how many nodes each layer will have (its existing ones, e.g. an InputLayer's, first).
  interface Pending {
    entry: FunctionalLayerEntry;
    index: number;
    parsed: ParsedNode;
    unmet: number;
  }
  const pending: Pending[] = [];
  const nodeCount = new Map<string, number>();
  for (const e of entries) {
    const base = e.layer.inboundNodes.length;
    const list = e.inboundNodes ?? [];
    if (!Array.isArray(list)) throw new ValueError(`layer '${e.name}': inbound_nodes must be a list, received ${describe(list)}`);
    if (list.length > MAX_NODES_PER_LAYER)
      throw new ValueError(`layer '${e.name}': ${list.length} inbound nodes, more than the limit of ${MAX_NODES_PER_LAYER}`);
    if (base > 0 && list.length > 0)
      throw new ValueError(`layer '${e.name}' (${e.layer.getClassName()}) takes no inbound nodes, but the file gives it ${list.length}`);
    list.forEach((data, k) => {
      const where = `layer '${e.name}', inbound node ${k}`;
      const parsed = parseInboundNode(data, where);
      parsed.refs = shift(parsed.refs, where);
      pending.push({ entry: e, index: base + k, parsed, unmet: 0 });
    });
    nodeCount.set(e.name, base + list.length);
  }
  // Dependencies: a node needs every node it references, and its layer's previous node.
  const key = (name: string, index: number) => `${name}\u0000${index}`;
  const dependents = new Map<string, Pending[]>();
  const exists = (name: string, index: number) => {
    const e = byName.get(name);
    return e !== undefined && index < e.layer.inboundNodes.length;
  };
  const ready: Pending[] = [];
  for (const p of pending) {
    const needs: [string, number][] = p.parsed.refs.map(([n, i]) => [n, i]);
    if (p.index > 0) needs.push([p.entry.name, p.index - 1]);
    for (const [n, i] of needs) {
      if (!byName.has(n))
        throw new ValueError(
          `layer '${p.entry.name}', inbound node ${p.index}: refers to layer '${n.slice(0, 80)}', which is not in the model`,
        );
      if (i < 0 || i >= (nodeCount.get(n) ?? 0)) {
        throw new ValueError(
          `layer '${p.entry.name}', inbound node ${p.index}: refers to node ${i} of layer '${n}', which has ${nodeCount.get(n) ?? 0} node(s)`,
        );
      }
      if (exists(n, i)) continue;
      p.unmet++;
      const k = key(n, i);
      const list = dependents.get(k);
      if (list) list.push(p);
      else dependents.set(k, [p]);
    }
    if (p.unmet === 0) ready.push(p);
  }
  let processed = 0;
  while (ready.length > 0) {
    const p = ready.shift()!;
    applyNode(p.entry, p.index, p.parsed, byName);
    processed++;
    for (const d of dependents.get(key(p.entry.name, p.index)) ?? []) {
      if (--d.unmet === 0) ready.push(d);
    }
  }
  if (processed < pending.length) {
    const stuck = pending.find((p) => p.unmet > 0)!;
    throw new ValueError(`layer '${stuck.entry.name}', inbound node ${stuck.index}: its inputs depend on each other in a cycle`);
  }
  const tensorAt = ([n, i, t]: TensorRef, what: string): SymbolicTensor => {
    const e = byName.get(n);
    if (!e) throw new ValueError(`${what} refers to layer '${n.slice(0, 80)}', which is not in the model`);
    const node = e.layer.inboundNodes[i];
    if (!node) throw new ValueError(`${what} refers to node ${i} of layer '${n}', which has ${e.layer.inboundNodes.length} node(s)`);
    const out = node.outputTensors[t];
    if (!out) throw new ValueError(`${what} refers to output ${t} of layer '${n}', which has ${node.outputTensors.length} output(s)`);
    return out;
  };
  const inputs = parseRefs(inputLayers, 'input_layers').map((r, i) => tensorAt(r, `input_layers[${i}]`));
  const outputs = parseRefs(outputLayers, 'output_layers').map((r, i) => tensorAt(r, `output_layers[${i}]`));
  return new LayersModel({ inputs, outputs, name: modelName });
}

function applyNode(entry: FunctionalLayerEntry, index: number, parsed: ParsedNode, byName: Map<string, FunctionalLayerEntry>): void {
  const where = `layer '${entry.name}', inbound node ${index}`;
  const tensors = parsed.refs.map(([n, i, t]) => {
    const node = byName.get(n)!.layer.inboundNodes[i];
    const out = node.outputTensors[t];
    if (!out)
      throw new ValueError(`${where}: refers to output ${t} of layer '${n}' node ${i}, which has ${node.outputTensors.length} output(s)`);
    return out;
  });
  const main = tensors.slice(0, parsed.numInputs);
  const kwargs: CallKwargs = { ...parsed.kwargs };
  let offset = parsed.numInputs;
  for (const { key, count, isList } of parsed.tensorKwargs) {
    const list = tensors.slice(offset, offset + count);
    (kwargs as { [k: string]: unknown })[key] = isList ? list : list[0];
    offset += count;
  }
  withErrorPrefix(`${where}: `, () => entry.layer.apply(parsed.inputsIsList ? main : main[0], kwargs as CallKwargs));
  if (entry.layer.inboundNodes.length !== index + 1) {
    throw new ValueError(`${where}: applying the layer made node ${entry.layer.inboundNodes.length - 1} instead of node ${index}`);
  }
}
