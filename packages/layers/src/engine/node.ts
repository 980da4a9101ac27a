/**
 * `Node`: one call of a layer on symbolic tensors — what went in (flat list: the main inputs, then tensors given
 * as keyword arguments such as `initialState` and `constants`), what came out, and how to rebuild the call
 * (`NodeCallArgs`). A layer applied n times has n inbound nodes (shared weights).
 */
import type { Layer, Shape } from './layer';
import type { SymbolicTensor } from './symbolic_tensor';

/** The keyword arguments of `apply` that may hold tensors, in the order they follow the main inputs. */
export const TENSOR_KWARGS = ['initialState', 'constants', 'mask'] as const;
/** One of `TENSOR_KWARGS`. */
export type TensorKwarg = (typeof TENSOR_KWARGS)[number];

/** How a node's flat input list maps back to `apply(inputs, kwargs)`. */
export interface NodeCallArgs {
  /** Whether the main inputs were given as an array (`apply([a, b])`) rather than one tensor. */
  inputsIsList: boolean;
  /** How many of the flat inputs are main inputs. */
  numInputs: number;
  /** Tensor-valued kwargs, in flat order after the main inputs. */
  tensorKwargs: { key: TensorKwarg; count: number; isList: boolean }[];
  /** The other (non-tensor) kwargs, e.g. `{training: false}` to pin a mode. */
  kwargs: { [key: string]: unknown };
}

let nextNodeId = 0;

/** One call of `outboundLayer` in a graph (tfjs/Keras `Node`). */
export class Node {
  readonly id: number;
  /** The layer that was called. */
  readonly outboundLayer: Layer;
  /** All symbolic inputs, flat (main inputs, then tensor kwargs). */
  readonly inputTensors: SymbolicTensor[];
  /** The outputs of the call. */
  readonly outputTensors: SymbolicTensor[];
  /** How to rebuild the call from the flat inputs. */
  readonly callArgs: NodeCallArgs;

  constructor(outboundLayer: Layer, inputTensors: SymbolicTensor[], outputTensors: SymbolicTensor[], callArgs: NodeCallArgs) {
    this.id = nextNodeId++;
    this.outboundLayer = outboundLayer;
    this.inputTensors = inputTensors;
    this.outputTensors = outputTensors;
    this.callArgs = callArgs;
  }

  /** The layer each input comes from. */
  get inboundLayers(): Layer[] {
    return this.inputTensors.map((t) => t.sourceLayer);
  }

  /** For each input, the node index in its source layer. */
  get nodeIndices(): number[] {
    return this.inputTensors.map((t) => t.nodeIndex);
  }

  /** For each input, the output index in its source node. */
  get tensorIndices(): number[] {
    return this.inputTensors.map((t) => t.tensorIndex);
  }

  /** The main inputs' shapes (one shape, or a list for list inputs), as tfjs's `node.inputShapes`. */
  get inputShapes(): Shape | Shape[] {
    const shapes = this.inputTensors.slice(0, this.callArgs.numInputs).map((t) => t.shape.slice());
    return this.callArgs.inputsIsList ? shapes : shapes[0];
  }

  /** The outputs' shapes (one shape, or a list when the layer has several outputs). */
  get outputShapes(): Shape | Shape[] {
    const shapes = this.outputTensors.map((t) => t.shape.slice());
    return shapes.length === 1 ? shapes[0] : shapes;
  }
}
