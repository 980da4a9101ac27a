/** Reshape: gives the non-batch dimensions a new shape. */
import { checkArgsOf } from '../serialization/registry';
import { describeArg } from '../engine/args';
import { formatShape, reshape, Tensor, ValueError } from '@recurrent/core';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import type { ConfigDict } from '../serialization/registry';

/** Args of `Reshape`. */
export interface ReshapeArgs extends LayerArgs {
  /** Target shape without the batch dimension; at most one entry may be -1 (inferred). */
  targetShape: number[];
}

/** [batch, ...] → [batch, ...targetShape]; the number of elements per example must match. */
export class Reshape extends Layer {
  static override className = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args);
    if (!args || !Array.isArray(args.targetShape)) {
      throw new ValueError(`Layer ${this.name}: targetShape must be an array of integers, received ${describeArg(args, 'targetShape')}.`);
    }
    const t = args.targetShape.map((d) => (d === null ? -1 : d));
    if (t.some((d) => !Number.isInteger(d) || (d < 0 && d !== -1)) || t.filter((d) => d === -1).length > 1) {
      throw new ValueError(
        `Layer ${this.name}: targetShape ${formatShape(args.targetShape)} must hold positive integers and at most one -1.`,
      );
    }
    this.targetShape = t;
    this.supportsMasking = false;
    // Validate the option bag once the object is complete (direct `new Reshape(...)`; factories and files check too).
    if (new.target === Reshape) checkArgsOf(this, args);
  }

  /**
   * The target shape with its -1 resolved for `inputShape` (non-batch part), checking the sizes match.
   * tfjs note: tfjs leaves the -1 unknown (null) whenever the batch is null; as Keras 3, it is resolved here
   * from the non-batch dims when they are all known.
   */
  private resolve(inputShape: Shape): (number | null)[] {
    const rest = inputShape.slice(1);
    const unknownIdx = this.targetShape.indexOf(-1);
    if (rest.some((d) => d === null)) return this.targetShape.map((d) => (d === -1 ? null : d));
    const size = (rest as number[]).reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const fail = () => {
      throw new ValueError(
        `Layer ${this.name}: cannot reshape an input of shape ${formatShape(inputShape)} (${size} values per example) ` +
          `to the target shape ${formatShape(this.targetShape)}.`,
      );
    };
    if (unknownIdx === -1) {
      if (known !== size) fail();
      return this.targetShape.slice();
    }
    if (known === 0 || size % known !== 0) fail();
    const out = this.targetShape.slice();
    out[unknownIdx] = size / known;
    return out;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = getExactlyOneShape(this.name, inputShape);
    return [shape[0], ...this.resolve(shape)];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    return reshape(x, [x.shape[0], ...(this.resolve(x.shape) as number[])]);
  }

  override getConfig(): ConfigDict {
    return { targetShape: this.targetShape.slice(), ...super.getConfig() };
  }
}
