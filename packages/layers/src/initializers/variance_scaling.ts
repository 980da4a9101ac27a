/**
 * VarianceScaling and its named presets: GlorotUniform/Normal, HeUniform/Normal, LeCunUniform/Normal.
 */
import { checkArgsOf } from '../serialization/registry';
import { describeValue } from '../engine/args';
import { DataType, randomNormal, randomUniform, Tensor, truncatedNormal, ValueError } from '@recurrent/core';
import type { ConfigDict } from '../serialization/registry';
import { checkNumericDtype, computeFans, Initializer } from './initializer';

/** Which fan divides the scale. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/** The distribution drawn from; 'normal' is a truncated normal (as in tfjs and Keras). */
export type Distribution = 'normal' | 'uniform' | 'truncatedNormal' | 'untruncatedNormal';

/** Args of `VarianceScaling`. */
export interface VarianceScalingArgs {
  /** Scale factor, ≥ 0 (default 1). */
  scale?: number;
  /** 'fanIn' (default), 'fanOut' or 'fanAvg'; Keras's 'fan_in' etc. are accepted. */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  /** 'normal' (default, truncated), 'truncatedNormal', 'untruncatedNormal' or 'uniform'. */
  distribution?: Distribution | 'truncated_normal' | 'untruncated_normal';
  /** Seed: the same seed gives the same values on every call. */
  seed?: number;
}

/** Standard deviation of a standard normal truncated to ±2: the correction Keras applies. */
const TRUNCATED_STDDEV = 0.87962566103423978;

const MODES: { [k: string]: FanMode } = {
  fanIn: 'fanIn',
  fan_in: 'fanIn',
  fanOut: 'fanOut',
  fan_out: 'fanOut',
  fanAvg: 'fanAvg',
  fan_avg: 'fanAvg',
};
const DISTRIBUTIONS: { [k: string]: Distribution } = {
  normal: 'normal',
  uniform: 'uniform',
  truncatedNormal: 'truncatedNormal',
  truncated_normal: 'truncatedNormal',
  untruncatedNormal: 'untruncatedNormal',
  untruncated_normal: 'untruncatedNormal',
};

/**
 * Draws with variance `scale / n`, where n is fanIn, fanOut or their mean (see `computeFans`).
 * Uniform: limit sqrt(3·scale/n). Normal/truncatedNormal: truncated normal with
 * stddev sqrt(scale/n)/0.8796 so that the variance after truncation is scale/n (as Keras).
 * untruncatedNormal: plain normal with stddev sqrt(scale/n).
 */
export class VarianceScaling extends Initializer {
  static override className = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed?: number;

  constructor(args: VarianceScalingArgs = {}) {
    super();
    const scale = args.scale ?? 1;
    if (typeof scale !== 'number' || !(scale >= 0)) {
      throw new ValueError(`VarianceScaling: scale must be a non-negative number, received ${describeValue(scale)}.`);
    }
    const mode = MODES[args.mode ?? 'fanIn'];
    if (!mode) {
      throw new ValueError(`VarianceScaling: unknown mode '${String(args.mode)}'; expected 'fanIn', 'fanOut' or 'fanAvg'.`);
    }
    const distribution = DISTRIBUTIONS[args.distribution ?? 'normal'];
    if (!distribution) {
      throw new ValueError(
        `VarianceScaling: unknown distribution '${String(args.distribution)}'; expected 'normal', 'truncatedNormal', 'untruncatedNormal' or 'uniform'.`,
      );
    }
    this.scale = scale;
    this.mode = mode;
    this.distribution = distribution;
    this.seed = args.seed ?? undefined;
    if (new.target === VarianceScaling) checkArgsOf(this, args); // unknown keys, 'false' strings (factories and files check too)
  }

  apply(shape: number[], dtype?: DataType): Tensor {
    const d = checkNumericDtype(this.getClassName(), dtype);
    const [fanIn, fanOut] = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return randomUniform(shape, -limit, limit, d, this.seed);
    }
    if (this.distribution === 'untruncatedNormal') return randomNormal(shape, 0, Math.sqrt(variance), d, this.seed);
    // tfjs note: tfjs 4.x draws the truncated normal with stddev sqrt(scale/n), so its variance is
    // ~0.77·scale/n; we divide by the truncated normal's stddev as Keras does, giving exactly scale/n.
    return truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNCATED_STDDEV, d, this.seed);
  }

  override getConfig(): ConfigDict {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** Args of the seed-only presets. */
export interface SeedOnlyInitializerArgs {
  /** Seed: the same seed gives the same values on every call. */
  seed?: number;
}

/** The presets serialize as their own class with `{seed}` only, as Keras 3 does (tfjs writes 'VarianceScaling'). */
abstract class VarianceScalingPreset extends VarianceScaling {
  /** `preset`: the preset's scale, mode and distribution; `cls`: the preset class, whose own args are checked here. */
  protected constructor(args: SeedOnlyInitializerArgs, preset: Omit<VarianceScalingArgs, 'seed'>, cls: object) {
    super({ ...preset, seed: args?.seed });
    if (new.target === cls) checkArgsOf(this, args); // unknown keys, 'false' strings (factories and files check too)
  }

  override getConfig(): ConfigDict {
    return { seed: this.seed ?? null };
  }
}

/** Glorot/Xavier uniform: limit sqrt(6 / (fanIn + fanOut)). The default kernel initializer. */
export class GlorotUniform extends VarianceScalingPreset {
  static override className = 'GlorotUniform';
  constructor(args: SeedOnlyInitializerArgs = {}) {
    super(args, { scale: 1, mode: 'fanAvg', distribution: 'uniform' }, GlorotUniform);
  }
}

/** Glorot/Xavier normal: truncated normal, variance 2 / (fanIn + fanOut). */
export class GlorotNormal extends VarianceScalingPreset {
  static override className = 'GlorotNormal';
  constructor(args: SeedOnlyInitializerArgs = {}) {
    super(args, { scale: 1, mode: 'fanAvg', distribution: 'normal' }, GlorotNormal);
  }
}

/** He normal: truncated normal, variance 2 / fanIn. */
export class HeNormal extends VarianceScalingPreset {
  static override className = 'HeNormal';
  constructor(args: SeedOnlyInitializerArgs = {}) {
    super(args, { scale: 2, mode: 'fanIn', distribution: 'normal' }, HeNormal);
  }
}

/** He uniform: limit sqrt(6 / fanIn). */
export class HeUniform extends VarianceScalingPreset {
  static override className = 'HeUniform';
  constructor(args: SeedOnlyInitializerArgs = {}) {
    super(args, { scale: 2, mode: 'fanIn', distribution: 'uniform' }, HeUniform);
  }
}

/** LeCun normal: truncated normal, variance 1 / fanIn. */
export class LeCunNormal extends VarianceScalingPreset {
  static override className = 'LeCunNormal';
  constructor(args: SeedOnlyInitializerArgs = {}) {
    super(args, { scale: 1, mode: 'fanIn', distribution: 'normal' }, LeCunNormal);
  }
}

/** LeCun uniform: limit sqrt(3 / fanIn). */
export class LeCunUniform extends VarianceScalingPreset {
  static override className = 'LeCunUniform';
  constructor(args: SeedOnlyInitializerArgs = {}) {
    super(args, { scale: 1, mode: 'fanIn', distribution: 'uniform' }, LeCunUniform);
  }
}
