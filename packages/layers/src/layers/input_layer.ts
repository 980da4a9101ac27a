/** InputLayer: declares a model's input shape and dtype; passes tensors through. */
import { checkArgsOf } from '../serialization/registry';
import { checkBoolArg, describeArg } from '../engine/args';
import { formatShape, NotImplementedError, Tensor, ValueError } from '@recurrent/core';
import type { DataType } from '@recurrent/core';
import { checkArgKeys } from '../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import { identityStep } from '../engine/step_function';
import type { LayerStepFunction } from '../engine/step_function';
import { Node } from '../engine/node';
import { SymbolicTensor } from '../engine/symbolic_tensor';
import type { ConfigDict } from '../serialization/registry';

/** Args of `InputLayer` (tfjs `InputLayerArgs`). */
export interface InputLayerArgs extends LayerArgs {
  /** Kept for tfjs config compatibility; sparse inputs are not supported. */
  sparse?: boolean;
}

/**
 * The input of a model: holds `batchInputShape` (from `inputShape` + `batchSize`, or `batchInputShape`) and
 * `dtype`, and its symbolic output (`layer.output`, what `input()` returns). `apply` on a concrete tensor checks
 * the known dimensions and returns it.
 */
export class InputLayer extends Layer {
  static override className = 'InputLayer';
  readonly sparse: boolean;

  constructor(args: InputLayerArgs) {
    super(args);
    if (!this.batchInputShape) {
      throw new ValueError(
        `Layer ${this.name}: an InputLayer needs inputShape or batchInputShape, e.g. {inputShape: [10, 8]}; received ${describeArg(args, 'inputShape')}.`,
      );
    }
    checkBoolArg('InputLayer', 'sparse', args.sparse);
    if (args.sparse) throw new NotImplementedError(`Layer ${this.name}: sparse inputs are not supported.`);
    this.sparse = false;
    this.built = true;
    this.supportsMasking = true;
    const output = new SymbolicTensor(this.dtype, this.batchInputShape, this, 0, 0);
    this.inboundNodes.push(new Node(this, [], [output], { inputsIsList: false, numInputs: 0, tensorKwargs: [], kwargs: {} }));
    // Validate the option bag once the object is complete (direct `new InputLayer(...)`; factories and files check too).
    if (new.target === InputLayer) checkArgsOf(this, args);
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    const expected = this.batchInputShape!;
    if (x.rank !== expected.length || expected.some((d, i) => d !== null && d !== x.shape[i])) {
      throw new ValueError(
        `Input 0 of layer ${this.name} is incompatible with the layer: expected shape=${formatShape(expected)}, ` +
          `found shape=${formatShape(x.shape)}.`,
      );
    }
    return x;
  }

  /** Streaming (`step()`): the identity. */
  override stepFunction(): LayerStepFunction {
    return identityStep;
  }

  override getConfig(): ConfigDict {
    return { batchInputShape: this.batchInputShape!.slice(), dtype: this.dtype, sparse: this.sparse, name: this.name };
  }
}

/** Args of `input()` (tfjs `InputConfig`). */
export interface InputArgs {
  /** Shape without the batch dimension, e.g. `[timeSteps, features]` (`null` for unknown dims). */
  shape?: Shape;
  /** Shape with the batch dimension; wins over `shape`. */
  batchShape?: Shape;
  /** Batch size used with `shape`. */
  batchSize?: number;
  /** Name of the input layer (default 'input_layer', 'input_layer_1', ... as Keras 3). */
  name?: string;
  /** Dtype of the values fed to it (default float32; int32 for token ids). */
  dtype?: DataType;
  /** Kept for tfjs compatibility; must be false. */
  sparse?: boolean;
}

/**
 * A symbolic input of a functional model (tfjs `tf.input`): `[batch, ...shape]` with a null batch.
 *
 * ```js
 * const tokens = input({shape: [null], dtype: 'int32', name: 'tokens'});   // [null, null]
 * const y = layers.dense({units: 2}).apply(layers.lstm({units: 8}).apply(layers.embedding({inputDim: 100, outputDim: 16}).apply(tokens)));
 * const m = model({inputs: tokens, outputs: y});
 * ```
 */
export function input(args: InputArgs): SymbolicTensor {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new ValueError(
      `input: expected an args object like {shape: [10, 8]}, received ${Array.isArray(args) ? 'an array' : String(args)}.`,
    );
  }
  checkArgKeys('input', args, ['shape', 'batchShape', 'batchSize', 'name', 'dtype', 'sparse']);
  if (args.shape == null && args.batchShape == null) {
    throw new ValueError(`input: give shape (without the batch dimension, e.g. {shape: [10, 8]}) or batchShape.`);
  }
  for (const [key, value] of [
    ['shape', args.shape],
    ['batchShape', args.batchShape],
  ] as const) {
    if (value != null && (!Array.isArray(value) || value.some((d) => d !== null && !(Number.isInteger(d) && d >= 0)))) {
      throw new ValueError(
        `input: ${key} must be an array of non-negative integers or null, received ${JSON.stringify(value)?.slice(0, 80)}.`,
      );
    }
  }
  const layerArgs: InputLayerArgs = { name: args.name, dtype: args.dtype, sparse: args.sparse };
  if (args.batchShape != null) layerArgs.batchInputShape = args.batchShape;
  else layerArgs.inputShape = args.shape;
  if (args.batchSize != null) layerArgs.batchSize = args.batchSize;
  const layer = new InputLayer(layerArgs);
  return layer.inboundNodes[0].outputTensors[0];
}
