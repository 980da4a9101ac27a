/** LayerNormalization: normalizes each sample over its feature axes, then scales and shifts. */
import { checkArgsOf } from '../serialization/registry';
import { describeValue } from '../engine/args';
import { add, cast, formatShape, moments, mul, reshape, rsqrt, sub, Tensor, ValueError } from '@recurrent/core';
import { InputSpec } from '../engine/input_spec';
import { sequenceOfOneStep, StepRefusal } from '../engine/step_function';
import type { LayerStepFunction } from '../engine/step_function';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { Initializer } from '../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';
import { Regularizer } from '../regularizers/regularizer';
import { Constraint } from '../constraints/constraint';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints';
import type { ConfigDict, SerializedObject } from '../serialization/registry';

/** Args of `LayerNormalization` (tfjs `LayerNormalizationLayerArgs`). */
export interface LayerNormalizationArgs extends LayerArgs {
  /** Axis or axes normalized over (default -1); negative values count from the end. */
  axis?: number | number[];
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Whether to add the learned offset 'beta' (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale 'gamma' (default true). */
  scale?: boolean;
  /** Initializer of beta (default 'zeros'). */
  betaInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Initializer of gamma (default 'ones'). */
  gammaInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Regularizer of beta. */
  betaRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Regularizer of gamma. */
  gammaRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Constraint applied to beta after each optimizer update (Keras `beta_constraint`). tfjs note: tfjs has none. */
  betaConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Constraint applied to gamma after each optimizer update (Keras `gamma_constraint`). tfjs note: tfjs has none. */
  gammaConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
}

/**
 * `gamma · (x − mean) / sqrt(variance + epsilon) + beta`, with mean and variance taken per sample
 * over `axis`. Weights (tfjs order): 'gamma' then 'beta', each of the shape of the normalized axes.
 * Masks pass through.
 *
 * As tfjs, `axis` is resolved at build time to a list of non-negative axes (so `getConfig().axis`
 * of a layer built on rank-3 inputs is `[2]`).
 *
 * ```js
 * layers.layerNormalization().apply(randomNormal([2, 5, 8]));   // each [i, t, :] has mean 0, variance ≈ 1
 * ```
 */
export class LayerNormalization extends Layer {
  static override className = 'LayerNormalization';
  /** Written by `getConfig()` only when set: accepted here (also as null, as Keras files write them). */
  static readonly extraArgKeys: readonly string[] = ['betaConstraint', 'gammaConstraint'];
  /** The normalized axes: as given until build, then a list of non-negative axes (as tfjs). */
  axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args ?? {});
    args = args ?? {};
    const axis = args.axis ?? -1;
    const axes = Array.isArray(axis) ? axis : [axis];
    if (axes.length === 0 || axes.some((a) => !Number.isInteger(a))) {
      throw new ValueError(
        `Layer ${this.name}: axis must be an integer or a non-empty list of integers, received ${JSON.stringify(axis)}.`,
      );
    }
    this.axis = Array.isArray(axis) ? axis.slice() : axis;
    this.epsilon = args.epsilon ?? 1e-3;
    if (typeof this.epsilon !== 'number' || !(this.epsilon >= 0)) {
      throw new ValueError(`Layer ${this.name}: epsilon must be a non-negative number, received ${describeValue(args.epsilon)}.`);
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones');
    this.betaRegularizer = getRegularizer(args.betaRegularizer);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer);
    this.betaConstraint = getConstraint(args.betaConstraint);
    this.gammaConstraint = getConstraint(args.gammaConstraint);
    this.supportsMasking = true;
    // Validate the option bag once the object is complete (direct `new LayerNormalization(...)`; factories and files check too).
    if (new.target === LayerNormalization) checkArgsOf(this, args);
  }

  /** The normalized axes resolved against `rank`; throws naming the layer on an invalid or duplicate axis. */
  private resolveAxes(shape: Shape): number[] {
    const rank = shape.length;
    const given = Array.isArray(this.axis) ? this.axis : [this.axis];
    const axes = given.map((a) => (a < 0 ? a + rank : a));
    axes.forEach((a, i) => {
      if (a < 0 || a >= rank) {
        throw new ValueError(
          `Layer ${this.name}: axis ${given[i]} is out of range for input of rank ${rank} (shape ${formatShape(shape)}); expected an axis in [${-rank}, ${rank}).`,
        );
      }
    });
    if (new Set(axes).size !== axes.length) throw new ValueError(`Layer ${this.name}: duplicate axes in ${JSON.stringify(given)}.`);
    return axes;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = getExactlyOneShape(this.name, inputShape);
    const axes = this.resolveAxes(shape);
    const paramShape = axes.map((a) => shape[a]);
    if (paramShape.some((d) => typeof d !== 'number')) {
      throw new ValueError(
        `Layer ${this.name}: the normalized axes ${JSON.stringify(axes)} of input shape ${formatShape(shape)} must be known.`,
      );
    }
    this.axis = axes;
    if (this.scale) {
      this.gamma = this.addWeight('gamma', paramShape, 'float32', this.gammaInitializer, this.gammaRegularizer, true, this.gammaConstraint);
    }
    if (this.center) {
      this.beta = this.addWeight('beta', paramShape, 'float32', this.betaInitializer, this.betaRegularizer, true, this.betaConstraint);
    }
    const sizes: { [axis: number]: number } = {};
    axes.forEach((a) => (sizes[a] = shape[a] as number));
    this.inputSpec = [new InputSpec({ ndim: shape.length, axes: sizes })];
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    const axes = this.axis as number[];
    const { mean, variance } = moments(x, axes, true);
    const paramShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    let factor = rsqrt(add(variance, this.epsilon));
    if (this.gamma) factor = mul(factor, reshape(this.gamma, paramShape));
    let out = mul(sub(x, mean), factor);
    if (this.beta) out = add(out, reshape(this.beta, paramShape));
    return out;
  }

  /** Streaming (`step()`): one step as a sequence of length 1, when it normalizes over the features of each step only. */
  override stepFunction(): LayerStepFunction | null {
    if (!this.built) return null;
    const axes = this.axis as number[];
    if (axes.some((a) => a < 2)) {
      const which = axes.includes(1) ? 'time axis (1)' : 'batch axis (0)';
      throw new StepRefusal(
        this,
        `its axis ${JSON.stringify(axes)} includes the ${which}; step() runs it only over the features of each step`,
      );
    }
    return sequenceOfOneStep(this);
  }

  override getConfig(): ConfigDict {
    return {
      axis: Array.isArray(this.axis) ? this.axis.slice() : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
      // tfjs note: tfjs has no constraints here; they are written only when set, so files stay as tfjs's.
      ...(this.betaConstraint ? { betaConstraint: serializeConstraint(this.betaConstraint) } : {}),
      ...(this.gammaConstraint ? { gammaConstraint: serializeConstraint(this.gammaConstraint) } : {}),
      ...super.getConfig(),
    };
  }
}
