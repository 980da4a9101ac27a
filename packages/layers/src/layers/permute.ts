/** Permute: reorders the non-batch axes. */
import { checkArgsOf } from '../serialization/registry';
import { describeArg } from '../engine/args';
import { Tensor, transpose, ValueError } from '@recurrent/core';
import { InputSpec } from '../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import type { ConfigDict } from '../serialization/registry';

/** Args of `Permute`. */
export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..n (1-based, the batch axis excluded), e.g. [2, 1] swaps time and features. */
  dims: number[];
}

/** Permutes the non-batch axes: output axis i+1 is input axis dims[i]. */
export class Permute extends Layer {
  static override className = 'Permute';
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args);
    const dims = args?.dims;
    if (!Array.isArray(dims) || dims.length === 0) {
      throw new ValueError(`Layer ${this.name}: dims must be a non-empty array, received ${describeArg(args, 'dims')}.`);
    }
    const sorted = dims.slice().sort((a, b) => a - b);
    if (sorted.some((d, i) => d !== i + 1)) {
      throw new ValueError(
        `Layer ${this.name}: dims [${dims.join(',')}] must be a permutation of 1..${dims.length} (1-based; the batch axis is not included).`,
      );
    }
    this.dims = dims.slice();
    this.inputSpec = [new InputSpec({ ndim: dims.length + 1 })];
    // Validate the option bag once the object is complete (direct `new Permute(...)`; factories and files check too).
    if (new.target === Permute) checkArgsOf(this, args);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = getExactlyOneShape(this.name, inputShape);
    return [shape[0], ...this.dims.map((d) => shape[d])];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    return transpose(getExactlyOneTensor(this.name, inputs), [0, ...this.dims]);
  }

  override getConfig(): ConfigDict {
    return { dims: this.dims.slice(), ...super.getConfig() };
  }
}
