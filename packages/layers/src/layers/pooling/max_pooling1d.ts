/** MaxPooling1D: the largest value of each window of steps. */
import { maxPool1d, Tensor } from '@recurrent/core';
import { Pooling1D, Pooling1DArgs } from './pooling1d';

/** Args of `MaxPooling1D`. */
export type MaxPooling1DArgs = Pooling1DArgs;

/**
 * Largest value per channel in each window of `poolSize` steps moved by `strides`: [batch, steps, channels]
 * → [batch, outSteps, channels]. No weights.
 *
 * ```js
 * layers.maxPooling1d({poolSize: 2}).apply(randomNormal([4, 10, 8]));   // shape [4, 5, 8]
 * ```
 */
export class MaxPooling1D extends Pooling1D {
  static override className = 'MaxPooling1D';

  protected override pool(x: Tensor): Tensor {
    return maxPool1d(x, this.poolSize, this.strides, this.padding);
  }
}

/** Keras's alias of MaxPooling1D, so files naming the class 'MaxPool1D' load; it serializes as 'MaxPooling1D'. */
export class MaxPool1D extends MaxPooling1D {
  static override className = 'MaxPool1D';

  override getClassName(): string {
    return 'MaxPooling1D';
  }
}
