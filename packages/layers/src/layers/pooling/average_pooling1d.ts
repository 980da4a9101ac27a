/** AveragePooling1D: the mean of each window of steps. */
import { avgPool1d, Tensor } from '@recurrent/core';
import { Pooling1D, Pooling1DArgs } from './pooling1d';

/** Args of `AveragePooling1D`. */
export type AveragePooling1DArgs = Pooling1DArgs;

/**
 * Mean per channel of each window of `poolSize` steps moved by `strides`: [batch, steps, channels]
 * → [batch, outSteps, channels]. No weights.
 *
 * ```js
 * layers.averagePooling1d({poolSize: 3, strides: 1, padding: 'same'}).apply(randomNormal([4, 10, 8]));   // [4, 10, 8]
 * ```
 *
 * tfjs note: with 'same', a window's padded steps are not counted in the mean (as TensorFlow/Keras);
 * tfjs's AveragePooling1D counts them, so edge steps differ from tfjs there.
 */
export class AveragePooling1D extends Pooling1D {
  static override className = 'AveragePooling1D';

  protected override pool(x: Tensor): Tensor {
    return avgPool1d(x, this.poolSize, this.strides, this.padding);
  }
}

/** Keras's alias of AveragePooling1D ('AvgPool1D' in files); it serializes as 'AveragePooling1D'. */
export class AvgPool1D extends AveragePooling1D {
  static override className = 'AvgPool1D';

  override getClassName(): string {
    return 'AveragePooling1D';
  }
}
