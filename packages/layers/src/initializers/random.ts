/** Random initializers with fixed parameters: RandomNormal, RandomUniform, TruncatedNormal. */
import { checkArgsOf } from '../serialization/registry';
import { DataType, randomNormal, randomUniform, Tensor, truncatedNormal } from '@recurrent/core';
import type { ConfigDict } from '../serialization/registry';
import { checkNumericDtype, Initializer } from './initializer';

/** Args of `RandomUniform`. */
export interface RandomUniformArgs {
  /** Lower bound (default -0.05). */
  minval?: number;
  /** Upper bound, exclusive (default 0.05). */
  maxval?: number;
  /** Seed: the same seed gives the same values on every call. */
  seed?: number;
}

/** Uniform draws in [minval, maxval). */
export class RandomUniform extends Initializer {
  static override className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed?: number;

  constructor(args: RandomUniformArgs = {}) {
    super();
    // tfjs note: tfjs uses `args.minval || -0.05`, turning an explicit 0 into the default; we keep 0.
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
    this.seed = args.seed ?? undefined;
    if (new.target === RandomUniform) checkArgsOf(this, args); // unknown keys, 'false' strings (factories and files check too)
  }

  apply(shape: number[], dtype?: DataType): Tensor {
    return randomUniform(shape, this.minval, this.maxval, checkNumericDtype('RandomUniform', dtype), this.seed);
  }

  override getConfig(): ConfigDict {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}

/** Args of `RandomNormal` and `TruncatedNormal`. */
export interface RandomNormalArgs {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation (default 0.05). */
  stddev?: number;
  /** Seed: the same seed gives the same values on every call. */
  seed?: number;
}

/** The `mean`/`stddev`/`seed` options, defaults and config shared by RandomNormal and TruncatedNormal. */
abstract class NormalInitializer extends Initializer {
  readonly mean: number;
  readonly stddev: number;
  readonly seed?: number;

  constructor(args: RandomNormalArgs = {}) {
    super();
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
    this.seed = args.seed ?? undefined;
    if (new.target === RandomNormal || new.target === TruncatedNormal) checkArgsOf(this, args); // unknown keys, 'false' strings (factories and files check too)
  }

  override getConfig(): ConfigDict {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/** Normal draws with `mean` and `stddev`. */
export class RandomNormal extends NormalInitializer {
  static override className = 'RandomNormal';

  apply(shape: number[], dtype?: DataType): Tensor {
    return randomNormal(shape, this.mean, this.stddev, checkNumericDtype('RandomNormal', dtype), this.seed);
  }
}

/** Normal draws with `mean` and `stddev`, redrawn when more than two standard deviations from the mean. */
export class TruncatedNormal extends NormalInitializer {
  static override className = 'TruncatedNormal';

  apply(shape: number[], dtype?: DataType): Tensor {
    return truncatedNormal(shape, this.mean, this.stddev, checkNumericDtype('TruncatedNormal', dtype), this.seed);
  }
}
