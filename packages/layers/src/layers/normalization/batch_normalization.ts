/** BatchNormalization: normalizes each feature with batch statistics in training and moving statistics in inference. */
import { add, cast, formatShape, moments, mul, reshape, rsqrt, sub, Tensor, tensor, ValueError } from '@recurrent/core';
import { Constraint } from '../../constraints/constraint';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../../constraints';
import { checkArgKeys, checkBoolArg, checkNumberArg, LAYER_ARG_KEYS, warnOnce } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import { sequenceOfOneStep, StepRefusal } from '../../engine/step_function';
import type { LayerStepFunction } from '../../engine/step_function';
import type { LayerVariable } from '../../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../../initializers';
import { Initializer } from '../../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../../regularizers';
import { Regularizer } from '../../regularizers/regularizer';
import type { ConfigDict, SerializedObject } from '../../serialization/registry';

type InitArg = InitializerIdentifier | Initializer | SerializedObject;

/** Args of `BatchNormalization` (tfjs `BatchNormalizationLayerArgs`). */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature axis (default -1); Keras files may hold a list of one axis ([2]). */
  axis?: number | number[];
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Whether to add the learned offset 'beta' (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale 'gamma' (default true). */
  scale?: boolean;
  /** Initializer of beta (default 'zeros'). */
  betaInitializer?: InitArg;
  /** Initializer of gamma (default 'ones'). */
  gammaInitializer?: InitArg;
  /** Initializer of the moving mean (default 'zeros'). */
  movingMeanInitializer?: InitArg;
  /** Initializer of the moving variance (default 'ones'). */
  movingVarianceInitializer?: InitArg;
  /** Constraint of beta. */
  betaConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Constraint of gamma. */
  gammaConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Regularizer of beta. */
  betaRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Regularizer of gamma. */
  gammaRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
}

/** Keras keys accepted from files without effect here (a warning names each once). */
const KERAS_IGNORED_KEYS = ['synchronized', 'renorm', 'renormClipping', 'renormMomentum', 'fused', 'virtualBatchSize', 'adjustment'];

/**
 * `gamma · (x − mean) / sqrt(variance + epsilon) + beta` per feature (the `axis` entry). In training
 * (`apply(x, {training: true})`, as `fit` calls it) mean and variance are the batch's, over every other
 * axis, and the moving statistics are updated in the call:
 * `moving = moving · momentum + batch · (1 − momentum)` (batch variance without Bessel's correction,
 * as tfjs and Keras 3). In inference the moving statistics are used. Weights (tfjs and Keras order):
 * 'gamma', 'beta' (trainable), 'moving_mean', 'moving_variance' (non-trainable), each [features].
 * Masks pass through.
 *
 * ```js
 * const bn = layers.batchNormalization();
 * bn.apply(randomNormal([32, 8]), {training: true});   // normalized; moving stats move 1% toward the batch's
 * ```
 *
 * tfjs note: as tfjs, the mask does not weight the batch statistics (Keras 3 computes masked moments),
 * and a non-trainable layer still uses batch statistics when called with training true (Keras 3 then
 * runs in inference mode). Keras's `synchronized`, `renorm*`, `fused`, `virtualBatchSize` and
 * `adjustment` are accepted from files with a warning and have no effect (renormalization is not done).
 */
export class BatchNormalization extends Layer {
  static override className = 'BatchNormalization';
  /** Keras keys accepted with a warning of their own (see the constructor). */
  static readonly extraArgKeys: readonly string[] = KERAS_IGNORED_KEYS;
  /** The feature axis as given (negative counts from the end; config holds it so, as tfjs). */
  readonly axis: number;
  /** The non-negative feature axis, set by build. */
  private resolvedAxis = -1;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  movingMean: LayerVariable | null = null;
  movingVariance: LayerVariable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    args = args ?? {};
    checkArgKeys(
      'BatchNormalization',
      args,
      [
        'axis',
        'momentum',
        'epsilon',
        'center',
        'scale',
        'betaInitializer',
        'gammaInitializer',
        'movingMeanInitializer',
        'movingVarianceInitializer',
        'betaConstraint',
        'gammaConstraint',
        'betaRegularizer',
        'gammaRegularizer',
        ...LAYER_ARG_KEYS,
      ],
      KERAS_IGNORED_KEYS,
    );
    const extra = args as Record<string, unknown>;
    if (extra.renorm === true) {
      warnOnce('BatchNormalization: renorm is not implemented; training uses plain batch statistics (inference is unaffected).');
    }
    super(args);
    const where = `Layer ${this.name}`;
    const axis = Array.isArray(args.axis) ? (args.axis.length === 1 ? args.axis[0] : NaN) : (args.axis ?? -1);
    if (!Number.isInteger(axis)) {
      throw new ValueError(`${where}: axis must be an integer or a list of one integer, received ${JSON.stringify(args.axis)}.`);
    }
    this.axis = axis;
    checkNumberArg(where, 'momentum', args.momentum, { min: 0, max: 1 });
    checkNumberArg(where, 'epsilon', args.epsilon, { min: 0 });
    checkBoolArg(where, 'center', args.center);
    checkBoolArg(where, 'scale', args.scale);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer ?? 'ones');
    this.betaConstraint = getConstraint(args.betaConstraint);
    this.gammaConstraint = getConstraint(args.gammaConstraint);
    this.betaRegularizer = getRegularizer(args.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer);
    this.supportsMasking = true;
  }

  /** The feature axis for inputs of `shape`; throws naming the layer when out of range or unknown. */
  private featureAxis(shape: Shape): number {
    const rank = shape.length;
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 0 || a >= rank) {
      throw new ValueError(
        `Layer ${this.name}: axis ${this.axis} is out of range for input shape ${formatShape(shape)}; expected an axis in [${-rank}, ${rank}).`,
      );
    }
    return a;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = getExactlyOneShape(this.name, inputShape);
    const a = this.featureAxis(shape);
    const dim = shape[a];
    if (typeof dim !== 'number') {
      throw new ValueError(`Layer ${this.name}: axis ${this.axis} of input shape ${formatShape(shape)} must have a known size.`);
    }
    this.resolvedAxis = a;
    if (this.scale)
      this.gamma = this.addWeight('gamma', [dim], 'float32', this.gammaInitializer, this.gammaRegularizer, true, this.gammaConstraint);
    if (this.center)
      this.beta = this.addWeight('beta', [dim], 'float32', this.betaInitializer, this.betaRegularizer, true, this.betaConstraint);
    this.movingMean = this.addWeight('moving_mean', [dim], 'float32', this.movingMeanInitializer, null, false);
    this.movingVariance = this.addWeight('moving_variance', [dim], 'float32', this.movingVarianceInitializer, null, false);
    this.inputSpec = [new InputSpec({ ndim: shape.length, axes: { [a]: dim } })];
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    const a = this.resolvedAxis;
    const bshape = x.shape.map((d, i) => (i === a ? d : 1));
    let mean: Tensor;
    let variance: Tensor;
    if (kwargs?.training) {
      const reduction = x.shape.map((_, i) => i).filter((i) => i !== a);
      ({ mean, variance } = moments(x, reduction, true));
      this.updateMovingStatistics(mean.dataSync(), variance.dataSync());
    } else {
      mean = reshape(this.movingMean!, bshape);
      variance = reshape(this.movingVariance!, bshape);
    }
    let factor = rsqrt(add(variance, this.epsilon));
    if (this.gamma) factor = mul(factor, reshape(this.gamma, bshape));
    let out = mul(sub(x, mean), factor);
    if (this.beta) out = add(out, reshape(this.beta, bshape));
    return out;
  }

  /** moving ← moving − (moving − batch)·(1 − momentum), in float32 as tfjs. */
  private updateMovingStatistics(batchMean: ArrayLike<number>, batchVariance: ArrayLike<number>): void {
    const decay = Math.fround(1 - this.momentum);
    const update = (v: LayerVariable, batch: ArrayLike<number>): void => {
      const old = v.dataSync();
      const next = new Float32Array(old.length);
      for (let i = 0; i < old.length; i++) next[i] = old[i] - Math.fround(Math.fround(old[i] - batch[i]) * decay);
      v.assign(tensor(next, v.shape.slice(), 'float32'));
    };
    update(this.movingMean!, batchMean);
    update(this.movingVariance!, batchVariance);
  }

  /** Streaming (`step()`): one step as a sequence of length 1, when the axis is the last (feature) one. */
  override stepFunction(): LayerStepFunction {
    if (this.axis !== -1) throw new StepRefusal(this, `its axis is ${this.axis}; step() runs it only on the last (feature) axis`);
    return sequenceOfOneStep(this);
  }

  override getConfig(): ConfigDict {
    return {
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
      betaConstraint: serializeConstraint(this.betaConstraint),
      gammaConstraint: serializeConstraint(this.gammaConstraint),
      ...super.getConfig(),
    };
  }
}
