/** Dot: the per-example dot product of two inputs along one axis of each. */
import { div, formatShape, matMul, maximum, reshape, sqrt, square, sum, Tensor, transpose, ValueError } from '@recurrent/core';
import { checkBoolArg } from '../../engine/args';
import { CallKwargs, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { asFloat, Merge } from './merge';

/** Args of `Dot` (tfjs `DotLayerArgs`). */
export interface DotArgs extends LayerArgs {
  /**
   * The axis to contract, the same for both inputs, or `[axisOfInput0, axisOfInput1]`. Negative
   * values count from the end; the batch axis 0 cannot be contracted.
   */
  axes: number | [number, number];
  /** L2-normalize both inputs along the contracted axes first, giving cosine similarities (default false). */
  normalize?: boolean;
}

/** The epsilon of the L2 normalization (tfjs's `epsilon()`): x / sqrt(max(Σx², 1e-7)). */
const NORMALIZE_EPSILON = 1e-7;

/**
 * The dot product of two inputs over `axes`, example by example (Keras `batch_dot`). The output has
 * the batch axis, then input 0's remaining axes, then input 1's remaining axes; an output with only
 * the batch axis gets a trailing 1. E.g. [batch, 5] · [batch, 5] → [batch, 1] (axes 1);
 * [batch, tq, d] · [batch, tv, d] → [batch, tq, tv] (axes 2: attention scores);
 * [batch, t, d] · [batch, d] → [batch, t] (axes [2, 1]).
 *
 * Masks are not propagated (`computeMask` returns null).
 *
 * ```js
 * layers.dot({axes: 1}).apply([tensor2d([[1, 2]]), tensor2d([[3, 4]])]);   // [[11]]
 * layers.dot({axes: -1, normalize: true}).apply([q, k]);                    // cosine similarities
 * ```
 *
 * tfjs note: tfjs refuses inputs of rank > 3 and ignores negative entries of an `axes` pair when
 * computing shapes; here any rank ≥ 2 works (as Keras) and negative axes count from the end everywhere.
 */
export class Dot extends Merge {
  static override className = 'Dot';
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    if (!args || typeof args !== 'object' || Array.isArray(args)) {
      throw new ValueError(`Dot: expected an args object like {axes: 1}, received ${Array.isArray(args) ? 'an array' : String(args)}.`);
    }
    super(args, 'Dot', ['axes', 'normalize']);
    const axes = args.axes;
    const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
    if (!(isInt(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(isInt)))) {
      throw new ValueError(
        `Layer ${this.name}: axes must be an integer or an array of two integers, received ${JSON.stringify(axes) ?? String(axes)}.`,
      );
    }
    checkBoolArg(`Layer ${this.name}`, 'normalize', args.normalize);
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = args.normalize ?? false;
  }

  protected override get inputCountRange(): [number, number] {
    return [2, 2];
  }

  /** The contracted axis of each input (non-negative), or an error naming the layer. */
  private resolveAxes(shapes: Shape[]): [number, number] {
    const pair = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return [0, 1].map((i) => {
      const rank = shapes[i].length;
      if (rank < 2) {
        throw new ValueError(
          `Layer ${this.name}: inputs must have rank ≥ 2 ([batch, ...]), but input ${i} has shape ${formatShape(shapes[i])}.`,
        );
      }
      const a = pair[i];
      if (a < -rank || a >= rank) {
        throw new ValueError(
          `Layer ${this.name}: axes ${JSON.stringify(this.axes)} is out of range for input ${i} of shape ${formatShape(shapes[i])} ` +
            `(expected an integer in [${-rank}, ${rank - 1}]).`,
        );
      }
      const r = a < 0 ? a + rank : a;
      if (r === 0) {
        throw new ValueError(
          `Layer ${this.name}: axes ${JSON.stringify(this.axes)} selects the batch axis 0 of input ${i} (shape ${formatShape(shapes[i])}); ` +
            'the dot product is taken per example, over a non-batch axis.',
        );
      }
      return r;
    }) as [number, number];
  }

  /**
   * [batch, ...input 0 without the batch and contracted axes, ...input 1 without them] (or [batch, 1]).
   * Throws naming the layer and both shapes when the contracted dimensions differ.
   */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    const [a0, a1] = this.resolveAxes(shapes);
    const batch = this.batchSizeOf(shapes);
    const d0 = shapes[0][a0] ?? null;
    const d1 = shapes[1][a1] ?? null;
    if (d0 !== null && d1 !== null && d0 !== d1) {
      throw new ValueError(
        `Layer ${this.name}: the contracted dimensions differ: ${d0} (axis ${a0} of input 0, shape ${formatShape(shapes[0])}) ` +
          `vs ${d1} (axis ${a1} of input 1, shape ${formatShape(shapes[1])}).`,
      );
    }
    const rest0 = shapes[0].filter((_, k) => k !== 0 && k !== a0);
    const rest1 = shapes[1].filter((_, k) => k !== 0 && k !== a1);
    const out: Shape = [batch, ...rest0, ...rest1].map((d) => (d === undefined ? null : d));
    return out.length === 1 ? [batch, 1] : out;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const list = this.tensorList(inputs);
    const outShape = this.computeOutputShape(list.map((x) => x.shape.slice())) as number[];
    const [a0, a1] = this.resolveAxes(list.map((x) => x.shape.slice()));
    let [x, y] = list;
    if (this.normalize) {
      x = l2Normalize(x, a0);
      y = l2Normalize(y, a1);
    }
    return batchDot(x, y, a0, a1, outShape);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    return this.call(inputs, {});
  }

  /** Always null: Dot does not propagate masks (as Keras). */
  override computeMask(_inputs: Tensor | Tensor[], _mask?: Tensor | (Tensor | null)[] | null): null {
    return null;
  }

  override getConfig(): ConfigDict {
    return { axes: Array.isArray(this.axes) ? this.axes.slice() : this.axes, normalize: this.normalize, ...super.getConfig() };
  }
}

/** x / sqrt(max(Σ x² over `axis`, ε)), as tfjs's l2Normalize. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  const f = asFloat(x);
  return div(f, sqrt(maximum(sum(square(f), axis, true), NORMALIZE_EPSILON)));
}

/**
 * Contracts axis `a0` of x with axis `a1` of y, per example: x → [b, M, K] (its other axes in order,
 * then a0), y → [b, K, N] (a1, then its other axes), one batched matMul, reshaped to `outShape`.
 */
function batchDot(x: Tensor, y: Tensor, a0: number, a1: number, outShape: number[]): Tensor {
  const b = x.shape[0];
  const k = x.shape[a0];
  const xPerm = [0, ...x.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a0), a0];
  const yPerm = [0, a1, ...y.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a1)];
  const isIdentity = (p: number[]) => p.every((v, i) => v === i);
  const xt = isIdentity(xPerm) ? x : transpose(x, xPerm);
  const yt = isIdentity(yPerm) ? y : transpose(y, yPerm);
  const prodOf = (t: Tensor, skip: number) => t.shape.reduce((acc, d, i) => (i === 0 || i === skip ? acc : acc * d), 1);
  const m = prodOf(x, a0);
  const n = prodOf(y, a1);
  const prod = matMul(reshape(xt, [b, m, k]), reshape(yt, [b, k, n]));
  return reshape(prod, outShape);
}
