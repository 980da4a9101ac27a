/** Cropping1D: removes steps at the start and end of sequences. */
import { formatShape, slice, Tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { rank3Shape, dropMask } from '../convolutional/base_conv1d';
import { stepPair } from './pair_arg';

/** Args of `Cropping1D` (Keras `Cropping1D`). */
export interface Cropping1DArgs extends LayerArgs {
  /** Steps removed on both sides (a number) or [start, end] (default [1, 1]). */
  cropping?: number | [number, number];
}

/**
 * [batch, steps, channels] → [batch, steps − start − end, channels].
 *
 * ```js
 * layers.cropping1d({cropping: [1, 2]}).apply(randomNormal([1, 6, 3]));   // shape [1, 3, 3]
 * ```
 *
 * tfjs note: tfjs has Cropping2D only; this is Keras's Cropping1D.
 */
export class Cropping1D extends Layer {
  static override className = 'Cropping1D';
  readonly cropping: [number, number];

  constructor(args: Cropping1DArgs = {}) {
    args = args ?? {};
    checkArgKeys('Cropping1D', args, ['cropping', ...LAYER_ARG_KEYS]);
    super(args);
    this.cropping = stepPair(this.name, 'cropping', args.cropping ?? [1, 1]);
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  private outSteps(shape: Shape): number | null {
    const steps = shape[1];
    if (steps === null) return null;
    const out = steps - this.cropping[0] - this.cropping[1];
    // As Keras 3 (tfjs returns an empty tensor when nothing is left).
    if (out <= 0) {
      throw new ValueError(
        `Layer ${this.name}: cropping ${JSON.stringify(this.cropping)} removes ${out < 0 ? 'more steps than the' : 'all of the'} ${steps} ` +
          `steps of input shape ${formatShape(shape)}; it must leave at least one.`,
      );
    }
    return out;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    const steps = this.outSteps(x.shape) as number;
    return slice(x, [0, this.cropping[0], 0], [x.shape[0], steps, x.shape[2]]);
  }

  /** No output mask; an input mask is dropped with a warning, as Keras 3 (tfjs throws). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank3Shape(this.name, inputShape);
    return [shape[0], this.outSteps(shape), shape[2]];
  }

  override getConfig(): ConfigDict {
    return { cropping: [...this.cropping], ...super.getConfig() };
  }
}
