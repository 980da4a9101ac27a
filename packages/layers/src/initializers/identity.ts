/** Identity initializer. */
import { checkArgsOf } from '../serialization/registry';
import { DataType, eye, fill, Tensor, mul, ValueError } from '@recurrent/core';
import type { ConfigDict } from '../serialization/registry';
import { checkNumericDtype, Initializer } from './initializer';

/** Args of `Identity`. */
export interface IdentityArgs {
  /** Multiplier of the identity (default 1). */
  gain?: number;
}

/**
 * gain · I for a 2D shape; a non-square [rows, cols] gets ones on its main diagonal (Keras 3's `Identity`).
 * tfjs note: tfjs refuses non-square shapes, so a Keras 3 file with `identity` on a non-square kernel would not load.
 */
export class Identity extends Initializer {
  static override className = 'Identity';
  readonly gain: number;

  constructor(args: IdentityArgs = {}) {
    super();
    this.gain = args.gain ?? 1;
    if (new.target === Identity) checkArgsOf(this, args); // unknown keys, 'false' strings (factories and files check too)
  }

  apply(shape: number[], dtype?: DataType): Tensor {
    const d = checkNumericDtype('Identity', dtype);
    if (!Array.isArray(shape) || shape.length !== 2) {
      throw new ValueError(
        `Identity: the initializer only supports 2D shapes [rows, cols], received [${Array.isArray(shape) ? shape.join(',') : String(shape)}].`,
      );
    }
    return mul(eye(shape[0], shape[1], [], d), fill([], this.gain, d));
  }

  override getConfig(): ConfigDict {
    return { gain: this.gain };
  }
}
