/**
 * The argument types of layers: `LayerArgs` (what every layer's constructor takes, with its type checks), the
 * keyword arguments of `apply` on concrete and symbolic tensors, and the one-input/one-shape helpers.
 */
import { DataType, Tensor, ValueError } from '@recurrent/core';
import { checkBoolArg, checkNumberArg } from './args';
import type { SymbolicTensor } from './symbolic_tensor';

/** Throws unless `value` is undefined/null or an array of positive integers / nulls (a shape). */
function checkShapeArg(where: string, name: string, value: unknown): void {
  if (value == null) return;
  if (Array.isArray(value) && value.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= 0 && d <= 2 ** 31)))
    return;
  const shown =
    typeof value === 'string'
      ? `the string '${value.slice(0, 40)}'`
      : Array.isArray(value)
        ? JSON.stringify(value).slice(0, 80)
        : String(value);
  throw new ValueError(`${where}: ${name} must be an array of non-negative integers or nulls (e.g. [null, 10, 4]), received ${shown}.`);
}

/** Type checks of the `LayerArgs` every layer takes (the keys themselves are checked by each class). */
export function checkLayerArgs(where: string, args: LayerArgs): void {
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new ValueError(`${where}: expected an args object {...}, received ${Array.isArray(args) ? 'an array' : typeof args}.`);
  }
  if (args.name != null && typeof args.name !== 'string')
    throw new ValueError(`${where}: name must be a string, received ${typeof args.name}.`);
  checkBoolArg(where, 'trainable', args.trainable);
  checkShapeArg(where, 'batchInputShape', args.batchInputShape);
  checkShapeArg(where, 'inputShape', args.inputShape);
  checkNumberArg(where, 'batchSize', args.batchSize, { integer: true, min: 1 });
}

/** A shape with `null` for unknown dimensions (usually the batch). */
export type Shape = (number | null)[];

/** Args every layer accepts (tfjs `LayerArgs`). */
export interface LayerArgs {
  /** Layer name; default is the snake_case class name made unique ('dense', 'dense_1', ...). */
  name?: string;
  /** Whether the weights are updated by training (default true). */
  trainable?: boolean;
  /** Input shape without the batch dimension (first layer of a model). */
  inputShape?: Shape;
  /** Input shape with the batch dimension; wins over `inputShape`. */
  batchInputShape?: Shape;
  /** Batch size used with `inputShape` to form `batchInputShape`. */
  batchSize?: number;
  /** Dtype of the weights and expected inputs (default float32). */
  dtype?: DataType;
  /** Initial weight values, set right after the layer is built (in `getWeights()` order). */
  weights?: Tensor[];
  /** Alias of `dtype` for the input (tfjs). */
  inputDType?: DataType;
}

/** Keyword arguments of `apply`/`call`. */
export interface CallKwargs {
  /** Training mode (dropout etc. are active only when true). */
  training?: boolean;
  /** Mask of the input (e.g. [batch, time] bool/0-1 for sequences). */
  mask?: Tensor | (Tensor | null)[] | null;
  /** Initial state(s) of a recurrent layer. */
  initialState?: Tensor | Tensor[];
  /** Constants passed to every step of a recurrent cell. */
  constants?: Tensor | Tensor[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/** Keyword arguments of `apply` on symbolic tensors (functional models): tensors given as kwargs are symbolic too. */
export interface SymbolicCallKwargs {
  /** Pins training mode for this call (otherwise the model's mode is used). */
  training?: boolean;
  /** An explicit mask (usually masks flow from layer to layer by themselves). */
  mask?: SymbolicTensor | (SymbolicTensor | null)[] | null;
  /** Initial state(s) of a recurrent layer, e.g. an encoder's `[h, c]`. */
  initialState?: SymbolicTensor | SymbolicTensor[];
  /** Constants passed to every step of a recurrent cell (e.g. encoder outputs for attention). */
  constants?: SymbolicTensor | SymbolicTensor[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/** The single tensor of `inputs`, or a clear error naming the layer when given several. */
export function getExactlyOneTensor(layerName: string, inputs: Tensor | Tensor[]): Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) throw new ValueError(`Layer ${layerName} expects exactly one input tensor, received ${inputs.length}.`);
  return inputs[0];
}

/** The single shape of `inputShape`, or a clear error naming the layer when given several. */
export function getExactlyOneShape(layerName: string, inputShape: Shape | Shape[]): Shape {
  if (inputShape.length > 0 && Array.isArray(inputShape[0])) {
    const shapes = inputShape as Shape[];
    if (shapes.length !== 1) throw new ValueError(`Layer ${layerName} expects exactly one input shape, received ${shapes.length}.`);
    return shapes[0];
  }
  return inputShape as Shape;
}

/** The shape of the first input: `inputShape` itself for one input, its first entry for several (`[x, ...states]`). */
export function firstInputShape(inputShape: Shape | Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}
