/**
 * `GraphBuilder`: collects the nodes, weights (initializers), inputs and outputs of one ONNX graph and
 * encodes the `ModelProto` with onnx-proto's protobufjs messages. Every tensor name is unique in the graph.
 */
import { onnx } from './onnx_proto';
import type { OnnxTypes } from './onnx_proto';
import { ValueError } from '@recurrent/core';

/** A dimension of a graph input/output: a size, or a symbolic name ('batch', 'time'). */
export type Dim = number | string;

/** Element types the exporter writes. */
export type ElemType = 'float32' | 'int32' | 'int64';

/** A tensor of the graph being built: its name, element type and shape (symbolic dims as names). */
export interface GraphValue {
  name: string;
  type: ElemType;
  shape: Dim[];
  /** A Keras mask rides along (after Masking / Embedding maskZero, through layers that pass masks on). */
  masked?: boolean;
  /**
   * The same values as [batch, channels, steps] (ONNX Conv's layout), when a convolution or pooling made them:
   * the next one reads it instead of transposing back (the unused Transpose is dropped by `encode`).
   */
  channelsFirst?: string;
}

/** An attribute value, tagged with its ONNX kind. */
export type Attr = { i: number } | { f: number } | { s: string } | { ints: number[] } | { floats: number[] } | { strings: string[] };

const ELEM_TYPES: { [k in ElemType]: number } = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

/** Metadata of the encoded model. */
export interface ModelMeta {
  /** Graph name. */
  graphName: string;
  /** `producer_name` (default 'recurrent'). */
  producerName?: string;
  /** `producer_version`. */
  producerVersion?: string;
  /** `doc_string` of the model. */
  docString?: string;
}

/** The ONNX IR version to write for an opset of the default domain (ONNX's release table). */
export function irVersionFor(opset: number): number {
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

/**
 * ```ts
 * const g = new GraphBuilder(17);
 * g.addInput('input', 'float32', ['batch', 3]);
 * const w = g.addInitializer('w', new Float32Array(6), [3, 2]);
 * const [y] = g.addNode('MatMul', ['input', w]);
 * g.addOutput(g.addNode('Identity', [y], {}, 1, 'output')[0], 'float32', ['batch', 2]);
 * const bytes = g.encode({graphName: 'demo'});
 * ```
 */
export class GraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly used = new Set<string>();

  /** @param opset the opset version of the default ONNX domain. */
  constructor(readonly opset: number) {}

  /** A fresh tensor name: `base`, or `base_1`, `base_2`, ... when taken. Reserves it. */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'tensor';
    let name = clean;
    for (let k = 1; this.used.has(name); k++) name = `${clean}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Reserves `name` exactly (graph input/output names); throws when taken. */
  reserveName(name: string, what: string): string {
    if (this.used.has(name)) throw new ValueError(`onnx.exportModel: ${what} '${name}' is already used by another tensor of the graph.`);
    this.used.add(name);
    return name;
  }

  /** Declares a graph input (its name must have been reserved). */
  addInput(name: string, type: ElemType, dims: Dim[]): void {
    this.inputs.push(valueInfo(name, type, dims));
  }

  /** Declares a graph output. */
  addOutput(name: string, type: ElemType, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** Adds a weight (float32) or constant (int64 / int32) tensor; returns its unique name. */
  addInitializer(base: string, values: Float32Array | number[], dims: number[], type: ElemType = 'float32'): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) {
      throw new ValueError(
        `onnx.exportModel: initializer '${base}' has ${values.length} values but shape [${dims.join(',')}] holds ${size}.`,
      );
    }
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims, dataType: ELEM_TYPES[type], rawData: littleEndianBytes(values, type) });
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, slice bounds). */
  addInt64s(base: string, values: number[]): string {
    return this.addInitializer(base, values, [values.length], 'int64');
  }

  /**
   * Adds a node `op(inputs) → outputs` and returns the output names. `outputs` is a count (names made from
   * `base`, default the op's name in lower case) or explicit names (already reserved). '' in `inputs` is
   * ONNX's "optional input left out".
   */
  addNode(op: string, inputs: string[], attrs: { [name: string]: Attr } = {}, outputs: number | string[] = 1, base?: string): string[] {
    const stem = base ?? op.toLowerCase();
    const outNames =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, (_, k) => this.uniqueName(outputs === 1 ? stem : `${stem}_${k}`))
        : outputs;
    const attribute = Object.entries(attrs).map(([name, value]) => attributeProto(name, value));
    this.nodes.push({ opType: op, input: inputs, output: outNames, name: this.uniqueName(`${stem}_node`), attribute });
    return outNames;
  }

  /**
   * `op` over `axes` of `x` (ReduceMean, ReduceMax, ...), the axes as an input or an attribute as the opset wants
   * (ReduceSum takes them as an input from opset 13, the others from 18).
   */
  addReduce(op: string, x: string, axes: number[], keepdims: boolean, base: string): string {
    const axesAsInput = op === 'ReduceSum' ? this.opset >= 13 : this.opset >= 18;
    const keep = { keepdims: { i: keepdims ? 1 : 0 } };
    if (axesAsInput) return this.addNode(op, [x, this.addInt64s(`${base}_axes`, axes)], keep, 1, base)[0];
    return this.addNode(op, [x], { axes: { ints: axes }, ...keep }, 1, base)[0];
  }

  /**
   * The nodes some output of which is used by a later node or a graph output (others, e.g. a layout copy nobody
   * read, are dropped, and so are the initializers no kept node reads).
   */
  private usedNodes(): OnnxTypes.INodeProto[] {
    const needed = new Set(this.outputs.map((o) => o.name as string));
    const kept: OnnxTypes.INodeProto[] = [];
    for (let k = this.nodes.length - 1; k >= 0; k--) {
      const node = this.nodes[k];
      if (!node.output!.some((o) => needed.has(o))) continue;
      kept.push(node);
      for (const i of node.input!) needed.add(i);
    }
    return kept.reverse();
  }

  /** The serialized `ModelProto`. */
  encode(meta: ModelMeta): Uint8Array {
    const node = this.usedNodes();
    const read = new Set(node.flatMap((n) => n.input!));
    const graph: OnnxTypes.IGraphProto = {
      name: meta.graphName,
      node,
      initializer: this.initializers.filter((t) => read.has(t.name!)),
      input: this.inputs,
      output: this.outputs,
    };
    const model = onnx.ModelProto.create({
      irVersion: irVersionFor(this.opset),
      opsetImport: [{ domain: '', version: this.opset }],
      producerName: meta.producerName ?? 'recurrent',
      producerVersion: meta.producerVersion ?? '',
      docString: meta.docString ?? '',
      graph,
    });
    // protobufjs gives a Node Buffer in Node (possibly a view of a shared pool): copy into a plain Uint8Array.
    return new Uint8Array(onnx.ModelProto.encode(model).finish());
  }
}

function valueInfo(name: string, type: ElemType, dims: Dim[]): OnnxTypes.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ELEM_TYPES[type], shape: { dim } } } };
}

function attributeProto(name: string, value: Attr): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('i' in value) return { name, type: T.INT, i: value.i };
  if ('f' in value) return { name, type: T.FLOAT, f: value.f };
  if ('s' in value) return { name, type: T.STRING, s: new TextEncoder().encode(value.s) };
  if ('ints' in value) return { name, type: T.INTS, ints: value.ints };
  if ('floats' in value) return { name, type: T.FLOATS, floats: value.floats };
  return { name, type: T.STRINGS, strings: value.strings.map((s) => new TextEncoder().encode(s)) };
}

/** ONNX raw_data: little-endian, whatever the host's byte order. */
function littleEndianBytes(values: Float32Array | number[], type: ElemType): Uint8Array {
  const width = type === 'int64' ? 8 : 4;
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (type === 'float32') view.setFloat32(k * 4, v, true);
    else if (type === 'int32') view.setInt32(k * 4, v, true);
    else view.setBigInt64(k * 8, BigInt(v), true);
  }
  return bytes;
}
