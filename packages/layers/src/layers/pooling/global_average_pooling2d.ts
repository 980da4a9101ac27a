/** GlobalAveragePooling2D: the mean over the rows and cols of each channel. */
import { mean, Tensor } from '@recurrent/core';
import { GlobalPooling2D, GlobalPooling2DArgs } from './global_pooling2d';

/** Args of `GlobalAveragePooling2D`. */
export type GlobalAveragePooling2DArgs = GlobalPooling2DArgs;

/**
 * [batch, rows, cols, channels] → [batch, channels]: the mean of each channel over the image.
 *
 * ```js
 * layers.globalAveragePooling2d().apply(randomNormal([2, 7, 7, 32]));   // shape [2, 32]
 * ```
 */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  static override className = 'GlobalAveragePooling2D';

  protected override reduce(x: Tensor, axes: number[], keepDims: boolean): Tensor {
    return mean(x, axes, keepDims);
  }
}

/** Keras's alias of GlobalAveragePooling2D ('GlobalAvgPool2D' in files); it serializes as 'GlobalAveragePooling2D'. */
export class GlobalAvgPool2D extends GlobalAveragePooling2D {
  static override className = 'GlobalAvgPool2D';

  override getClassName(): string {
    return 'GlobalAveragePooling2D';
  }
}
