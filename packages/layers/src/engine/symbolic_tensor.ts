/**
 * `SymbolicTensor`: a placeholder for a tensor of a functional model — its shape (with `null` for unknown dims,
 * usually the batch), its dtype, and where it comes from (the layer, which of its calls, which output). Made by
 * `input()` and by `layer.apply(symbolic)`; `model({inputs, outputs})` builds a graph from them.
 *
 * ```js
 * const x = input({shape: [20, 8]});                 // SymbolicTensor [null, 20, 8]
 * const h = layers.lstm({units: 16}).apply(x);       // SymbolicTensor [null, 16]
 * ```
 */
import { DataType, formatShape } from '@recurrent/core';
import type { Layer, Shape } from './layer';

let nextSymbolicId = 0;

/** A symbolic (shape-only) tensor of a functional model graph (tfjs `SymbolicTensor`). */
export class SymbolicTensor {
  /** Unique id. */
  readonly id: number;
  /** Name: `${layer.name}/${nodeIndex}/${tensorIndex}`-like, unique per graph position. */
  readonly name: string;
  /** Shape with `null` for unknown dimensions. */
  readonly shape: Shape;
  /** Dtype of the values it stands for. */
  readonly dtype: DataType;
  /** The layer whose call produced it. */
  readonly sourceLayer: Layer;
  /** Which call (inbound node) of `sourceLayer` produced it. */
  readonly nodeIndex: number;
  /** Which output of that call it is. */
  readonly tensorIndex: number;

  constructor(dtype: DataType, shape: Shape, sourceLayer: Layer, nodeIndex: number, tensorIndex: number) {
    this.id = nextSymbolicId++;
    this.dtype = dtype;
    this.shape = shape.slice();
    this.sourceLayer = sourceLayer;
    this.nodeIndex = nodeIndex;
    this.tensorIndex = tensorIndex;
    this.name = `${sourceLayer.name}/${nodeIndex}/${tensorIndex}`;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor ${this.name} ${formatShape(this.shape)} ${this.dtype}`;
  }
}

/** Whether `x` is a SymbolicTensor, or an array holding one. */
export function hasSymbolic(x: unknown): boolean {
  if (x instanceof SymbolicTensor) return true;
  if (!Array.isArray(x)) return false;
  for (const v of x) if (v instanceof SymbolicTensor) return true;
  return false;
}
