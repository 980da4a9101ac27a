/** GlobalMaxPooling2D: the maximum over the rows and cols of each channel. */
import { max, Tensor } from '@recurrent/core';
import { GlobalPooling2D, GlobalPooling2DArgs } from './global_pooling2d';

/** Args of `GlobalMaxPooling2D`. */
export type GlobalMaxPooling2DArgs = GlobalPooling2DArgs;

/**
 * [batch, rows, cols, channels] → [batch, channels]: the maximum of each channel over the image.
 *
 * ```js
 * layers.globalMaxPooling2d().apply(randomNormal([2, 7, 7, 32]));   // shape [2, 32]
 * ```
 */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  static override className = 'GlobalMaxPooling2D';

  protected override reduce(x: Tensor, axes: number[], keepDims: boolean): Tensor {
    return max(x, axes, keepDims);
  }
}

/** Keras's alias of GlobalMaxPooling2D ('GlobalMaxPool2D' in files); it serializes as 'GlobalMaxPooling2D'. */
export class GlobalMaxPool2D extends GlobalMaxPooling2D {
  static override className = 'GlobalMaxPool2D';

  override getClassName(): string {
    return 'GlobalMaxPooling2D';
  }
}
