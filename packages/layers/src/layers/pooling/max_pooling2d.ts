/** MaxPooling2D: the largest value of each window of rows and cols. */
import { maxPool2d, Tensor } from '@recurrent/core';
import { Pooling2D, Pooling2DArgs } from './pooling2d';

/** Args of `MaxPooling2D`. */
export type MaxPooling2DArgs = Pooling2DArgs;

/**
 * Largest value per channel in each `poolSize` window moved by `strides`: [batch, rows, cols, channels]
 * → [batch, outRows, outCols, channels]. No weights.
 *
 * ```js
 * layers.maxPooling2d({poolSize: 2}).apply(randomNormal([4, 28, 28, 8]));   // shape [4, 14, 14, 8]
 * ```
 */
export class MaxPooling2D extends Pooling2D {
  static override className = 'MaxPooling2D';

  protected override pool(x: Tensor): Tensor {
    return maxPool2d(x, this.poolSize, this.strides, this.padding);
  }
}

/** Keras's alias of MaxPooling2D, so files naming the class 'MaxPool2D' load; it serializes as 'MaxPooling2D'. */
export class MaxPool2D extends MaxPooling2D {
  static override className = 'MaxPool2D';

  override getClassName(): string {
    return 'MaxPooling2D';
  }
}
