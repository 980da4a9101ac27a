/** Flatten: collapses all non-batch dimensions into one. */
import { checkArgsOf } from '../serialization/registry';
import { reshape, Tensor, transpose, ValueError } from '@recurrent/core';
import { InputSpec } from '../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import type { ConfigDict } from '../serialization/registry';

/** Args of `Flatten`. */
export interface FlattenArgs extends LayerArgs {
  /** 'channelsLast' (default) or 'channelsFirst' (channels are moved last before flattening, as Keras). */
  dataFormat?: 'channelsLast' | 'channelsFirst';
}

/**
 * [batch, d1, d2, ...] → [batch, d1·d2·...].
 * tfjs note: tfjs requires rank ≥ 3; like Keras 3 we also accept rank 2 (a no-op).
 */
export class Flatten extends Layer {
  static override className = 'Flatten';
  readonly dataFormat: 'channelsLast' | 'channelsFirst';

  constructor(args: FlattenArgs = {}) {
    super(args);
    this.dataFormat = args?.dataFormat ?? 'channelsLast';
    if (this.dataFormat !== 'channelsLast' && this.dataFormat !== 'channelsFirst') {
      throw new ValueError(
        `Layer ${this.name}: dataFormat must be 'channelsLast' or 'channelsFirst', received '${String(this.dataFormat)}'.`,
      );
    }
    this.inputSpec = [new InputSpec({ minNdim: 2 })];
    // Validate the option bag once the object is complete (direct `new Flatten(...)`; factories and files check too).
    if (new.target === Flatten) checkArgsOf(this, args);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = getExactlyOneShape(this.name, inputShape);
    const rest = shape.slice(1);
    if (rest.some((d) => d === null)) {
      throw new ValueError(
        `Layer ${this.name}: the shape of the input ([${shape.map(String).join(',')}]) is not fully defined beyond the batch dimension; ` +
          'give the model a complete inputShape.',
      );
    }
    return [shape[0], (rest as number[]).reduce((a, b) => a * b, 1)];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (this.dataFormat === 'channelsFirst' && x.rank > 2) {
      const perm = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1];
      x = transpose(x, perm);
    }
    const size = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return reshape(x, [x.shape[0], size]);
  }

  override getConfig(): ConfigDict {
    return { dataFormat: this.dataFormat, ...super.getConfig() };
  }
}
