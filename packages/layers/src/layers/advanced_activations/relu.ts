/** ReLU: the rectified linear unit as a layer, with Keras's optional cap, slope and threshold. */
import { cast, clipByValue, greater, minimum, mul, relu, sub, Tensor, where } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../../engine/layer';
import { sequenceOfOneStep } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import type { ConfigDict } from '../../serialization/registry';

/** Args of `ReLU` (tfjs `ReLULayerArgs`; `negativeSlope` and `threshold` as Keras). */
export interface ReLUArgs extends LayerArgs {
  /** Largest output (default none). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0; Keras). */
  negativeSlope?: number;
  /** Inputs at or below it give negativeSlope·(x − threshold) (≥ 0, default 0; Keras). */
  threshold?: number;
}

/**
 * `min(x, maxValue)` for x ≥ threshold, `negativeSlope·(x − threshold)` otherwise (defaults: plain
 * relu); shape unchanged, masks pass through, no weights.
 *
 * ```js
 * layers.reLU({maxValue: 6}).apply(tensor([-1, 3, 9]));   // [0, 3, 6]
 * ```
 *
 * tfjs note: tfjs's ReLU takes maxValue only; Keras's negativeSlope and threshold are written to the
 * config only when not 0.
 */
export class ReLU extends Layer {
  static override className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    args = args ?? {};
    checkArgKeys('ReLU', args, ['maxValue', 'negativeSlope', 'threshold', ...LAYER_ARG_KEYS]);
    super(args);
    const where_ = `Layer ${this.name}`;
    checkNumberArg(where_, 'maxValue', args.maxValue, { min: 0 });
    checkNumberArg(where_, 'negativeSlope', args.negativeSlope, { min: 0 });
    checkNumberArg(where_, 'threshold', args.threshold, { min: 0 });
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    if (this.negativeSlope === 0 && this.threshold === 0) {
      return this.maxValue === null ? relu(x) : clipByValue(relu(x), 0, this.maxValue);
    }
    // Keras keeps x only where x > threshold: an input equal to the threshold gives 0 (not the threshold).
    let out = where(greater(x, this.threshold), x, mul(sub(x, this.threshold), this.negativeSlope));
    if (this.maxValue !== null) out = minimum(out, this.maxValue);
    return out;
  }

  /** Streaming (`step()`): elementwise, so one step is a sequence of length 1. */
  override stepFunction(): LayerStepFunction {
    return sequenceOfOneStep(this);
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { maxValue: this.maxValue, ...super.getConfig() };
    if (this.negativeSlope !== 0) config.negativeSlope = this.negativeSlope;
    if (this.threshold !== 0) config.threshold = this.threshold;
    return config;
  }
}
