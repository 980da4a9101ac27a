/** Constant initializers: Zeros, Ones, Constant. */
import { checkArgsOf } from '../serialization/registry';
import { DataType, fill, ones, Tensor, zeros, ValueError } from '@recurrent/core';
import type { ConfigDict } from '../serialization/registry';
import { Initializer } from './initializer';

/** All zeros. */
export class Zeros extends Initializer {
  static override className = 'Zeros';
  apply(shape: number[], dtype?: DataType): Tensor {
    return zeros(shape, dtype);
  }
}

/** All ones. */
export class Ones extends Initializer {
  static override className = 'Ones';
  apply(shape: number[], dtype?: DataType): Tensor {
    return ones(shape, dtype);
  }
}

/** Args of `Constant`. */
export interface ConstantArgs {
  /** The value of every element. */
  value: number;
}

/** Every element equal to `value`. */
export class Constant extends Initializer {
  static override className = 'Constant';
  readonly value: number;

  constructor(args: ConstantArgs) {
    super();
    if (args === null || typeof args !== 'object' || typeof args.value !== 'number') {
      throw new ValueError(`Constant initializer: expected args {value: number}, received ${JSON.stringify(args)}.`);
    }
    this.value = args.value;
    if (new.target === Constant) checkArgsOf(this, args); // unknown keys, 'false' strings (factories and files check too)
  }

  apply(shape: number[], dtype?: DataType): Tensor {
    return fill(shape, this.value, dtype);
  }

  override getConfig(): ConfigDict {
    return { value: this.value };
  }
}
