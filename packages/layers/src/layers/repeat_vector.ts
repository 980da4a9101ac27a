/** RepeatVector: repeats a vector n times along a new time axis. */
import { checkArgsOf } from '../serialization/registry';
import { describeArg } from '../engine/args';
import { expandDims, Tensor, tile, ValueError } from '@recurrent/core';
import { InputSpec } from '../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import type { ConfigDict } from '../serialization/registry';

/** Args of `RepeatVector`. */
export interface RepeatVectorArgs extends LayerArgs {
  /** Number of repetitions (positive integer). */
  n: number;
}

/** [batch, features] → [batch, n, features] (e.g. to feed an encoder's vector to a decoder RNN). */
export class RepeatVector extends Layer {
  static override className = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    super(args);
    if (!args || !Number.isInteger(args.n) || args.n <= 0) {
      throw new ValueError(`Layer ${this.name}: n must be a positive integer, received ${describeArg(args, 'n')}.`);
    }
    this.n = args.n;
    this.inputSpec = [new InputSpec({ ndim: 2 })];
    // Validate the option bag once the object is complete (direct `new RepeatVector(...)`; factories and files check too).
    if (new.target === RepeatVector) checkArgsOf(this, args);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = getExactlyOneShape(this.name, inputShape);
    return [shape[0], this.n, shape[1]];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    return tile(expandDims(getExactlyOneTensor(this.name, inputs), 1), [1, this.n, 1]);
  }

  override getConfig(): ConfigDict {
    return { n: this.n, ...super.getConfig() };
  }
}
