/** Concatenate: joins a list of inputs along one axis. */
import { all, broadcastTo, concat, expandDims, formatShape, ones, Tensor, ValueError } from '@recurrent/core';
import { checkNumberArg } from '../../engine/args';
import { CallKwargs, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { Merge, toBoolMask } from './merge';

/** Args of `Concatenate` (tfjs `ConcatenateLayerArgs`). */
export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1, the last; negative counts from the end; 0 is the batch axis). */
  axis?: number;
}

/**
 * Joins a list of inputs of equal rank along `axis`; every other dimension must match. E.g.
 * [batch, timeSteps, 3] and [batch, timeSteps, 5] → [batch, timeSteps, 8] (axis -1), or
 * [batch, 4, features] and [batch, 6, features] → [batch, 10, features] (axis 1).
 *
 * The output mask (when some input has one) is the concatenation of the masks, each expanded to its
 * input's shape (all-true for inputs without a mask), reduced with `all` over the last axis.
 *
 * ```js
 * layers.concatenate([tensor2d([[1, 2]]), tensor2d([[3]])]);   // [[1, 2, 3]]
 * layers.concatenate({axis: 1}).apply([a, b]);
 * ```
 *
 * tfjs note: tfjs's Concatenate layer treats every negative axis as -1; here (as Keras) -2 is the
 * second-to-last axis.
 */
export class Concatenate extends Merge {
  static override className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, 'Concatenate', ['axis']);
    const axis = args?.axis ?? -1;
    checkNumberArg(`Layer ${this.name}`, 'axis', axis, { integer: true });
    this.axis = axis;
  }

  /** `axis` as a non-negative axis of inputs of `rank`, or an error naming the layer. */
  private resolveAxis(rank: number): number {
    if (this.axis < -rank || this.axis >= rank) {
      throw new ValueError(
        `Layer ${this.name}: axis ${this.axis} is out of range for inputs of rank ${rank} (expected an integer in [${-rank}, ${rank - 1}]).`,
      );
    }
    return this.axis < 0 ? this.axis + rank : this.axis;
  }

  /**
   * The shape of the concatenation: the concat axis sums the inputs' sizes (null if any is unknown);
   * the other dimensions must match where known. Throws naming the layer and the two mismatching shapes.
   */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    const rank = shapes[0].length;
    shapes.forEach((s, i) => {
      if (s.length !== rank) {
        throw new ValueError(
          `Layer ${this.name}: all inputs must have the same rank, but input 0 has shape ${formatShape(shapes[0])} ` +
            `and input ${i} has shape ${formatShape(s)}.`,
        );
      }
    });
    if (rank === 0) throw new ValueError(`Layer ${this.name}: cannot concatenate scalars (input shapes [] ).`);
    const axis = this.resolveAxis(rank);
    const out: Shape = shapes[0].map((d) => (d === undefined ? null : d));
    for (let i = 1; i < shapes.length; i++) {
      const s = shapes[i];
      for (let k = 0; k < rank; k++) {
        if (k === axis) continue;
        const d = s[k] ?? null;
        if (d === null) continue;
        if (out[k] === null) {
          out[k] = d;
        } else if (out[k] !== d) {
          // out[k] came from the first input that knows dimension k.
          const j = shapes.findIndex((t) => (t[k] ?? null) !== null);
          throw new ValueError(
            `Layer ${this.name}: inputs must have matching shapes except for the concatenation axis ${this.axis}, ` +
              `but input ${j} has shape ${formatShape(shapes[j])} and input ${i} has shape ${formatShape(s)}.`,
          );
        }
      }
    }
    let total: number | null = 0;
    for (const s of shapes) {
      const d = s[axis] ?? null;
      total = total === null || d === null ? null : total + d;
    }
    out[axis] = total;
    return out;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const list = this.tensorList(inputs);
    this.computeOutputShape(list.map((x) => x.shape.slice()));
    return concat(list, this.axis);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    return concat(inputs, this.axis);
  }

  /**
   * Null when no input has a mask. Otherwise each mask is expanded (trailing size-1 axes) and broadcast
   * to its input's shape, inputs without a mask get all-true, the results are concatenated along
   * `axis` and reduced with `all` over the last axis: for [batch, timeSteps, features] inputs with
   * [batch, timeSteps] masks the output mask is [batch, timeSteps] (or [batch, t1 + t2] along axis 1).
   *
   * tfjs note: tfjs and tf.keras 2 reduce with `all` (followed here); Keras 3 uses `any`.
   */
  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | (Tensor | null)[] | null): Tensor | null {
    const masks = this.maskList(inputs, mask);
    if (masks === null) return null;
    const xs = inputs as Tensor[];
    const full = masks.map((m, i) => {
      const x = xs[i];
      if (m === null) return ones(x.shape.slice(), 'bool');
      let b = toBoolMask(m);
      if (b.rank > x.rank) {
        throw new ValueError(
          `Layer ${this.name}: mask ${i} of shape ${formatShape(b.shape)} has a higher rank than its input of shape ${formatShape(x.shape)}.`,
        );
      }
      while (b.rank < x.rank) b = expandDims(b, -1);
      try {
        return broadcastTo(b, x.shape.slice());
      } catch {
        throw new ValueError(
          `Layer ${this.name}: mask ${i} of shape ${formatShape(m.shape)} does not fit its input of shape ${formatShape(x.shape)}.`,
        );
      }
    });
    return all(concat(full, this.axis), -1);
  }

  override getConfig(): ConfigDict {
    return { axis: this.axis, ...super.getConfig() };
  }
}
