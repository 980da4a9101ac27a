/** AveragePooling2D: the mean of each window of rows and cols. */
import { avgPool2d, Tensor } from '@recurrent/core';
import { Pooling2D, Pooling2DArgs } from './pooling2d';

/** Args of `AveragePooling2D`. */
export type AveragePooling2DArgs = Pooling2DArgs;

/**
 * Mean per channel of each `poolSize` window moved by `strides`: [batch, rows, cols, channels] →
 * [batch, outRows, outCols, channels]. With 'same', a window's padded positions are not counted (as
 * TensorFlow/Keras and tfjs's forward). No weights.
 *
 * ```js
 * layers.averagePooling2d({poolSize: 3, strides: 1, padding: 'same'}).apply(randomNormal([4, 8, 8, 3]));   // [4, 8, 8, 3]
 * ```
 *
 * tfjs note: tfjs's gradient of 'same' average pooling divides by the full window size; here it is the
 * derivative of the forward (as TensorFlow), so training differs from tfjs only at 'same' edges.
 */
export class AveragePooling2D extends Pooling2D {
  static override className = 'AveragePooling2D';

  protected override pool(x: Tensor): Tensor {
    return avgPool2d(x, this.poolSize, this.strides, this.padding);
  }
}

/** Keras's alias of AveragePooling2D ('AvgPool2D' in files); it serializes as 'AveragePooling2D'. */
export class AvgPool2D extends AveragePooling2D {
  static override className = 'AvgPool2D';

  override getClassName(): string {
    return 'AveragePooling2D';
  }
}
