/** Conv1D: the 1-D convolution layer over the steps of [batch, steps, channels]. */
import { conv1d, Tensor, ValueError } from '@recurrent/core';
import { Constraint } from '../../constraints/constraint';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../../constraints';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import type { LayerVariable } from '../../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../../initializers';
import { Initializer } from '../../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../../regularizers';
import { Regularizer } from '../../regularizers/regularizer';
import type { ConfigDict, SerializedObject } from '../../serialization/registry';
import { BASE_CONV1D_ARG_KEYS, BaseConv1D, BaseConv1DArgs } from './base_conv1d';
import { CONV1D_BRAND } from '../../engine/class_brands';

/** Args of `Conv1D` (tfjs `ConvLayerArgs`; `groups` as Keras). */
export interface Conv1DArgs extends BaseConv1DArgs {
  /** Output channels (positive integer). */
  filters: number;
  /** Channel groups (default 1): input and output channels split in `groups` blocks convolved separately (Keras). */
  groups?: number;
  /** Kernel initializer (default 'glorotUniform'). */
  kernelInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Kernel regularizer. */
  kernelRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Kernel constraint. */
  kernelConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
}

/**
 * `activation(conv1d(x, kernel) + bias)`: [batch, steps, channels] → [batch, outSteps, filters], where
 * outSteps is `steps − (kernelSize − 1)·dilationRate` over `strides` ('valid') or `ceil(steps / strides)`
 * ('same', 'causal': output step t sees input steps ≤ t·strides only). Weights: 'kernel'
 * [kernelSize, channels / groups, filters], 'bias' [filters]. Runs as gemm products (wasm SIMD).
 *
 * ```js
 * const c = layers.conv1d({filters: 16, kernelSize: 3, padding: 'causal', activation: 'relu'});
 * c.apply(randomNormal([8, 100, 4]));   // shape [8, 100, 16]
 * ```
 *
 * tfjs note: tfjs's Conv1D has no `groups`; the key is written to the config only when groups > 1.
 */
export class Conv1D extends BaseConv1D {
  static override className = 'Conv1D';
  /** Also accepted (written to configs only when > 1). */
  static readonly extraArgKeys: readonly string[] = ['groups'];
  readonly filters: number;
  readonly groups: number;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  kernel: LayerVariable | null = null;

  /** @internal What `isConv1D` reads (engine/class_brands.ts). */
  get [CONV1D_BRAND](): true {
    return true;
  }

  constructor(args: Conv1DArgs) {
    if (!args || typeof args !== 'object')
      throw new ValueError(`Conv1D: expected an args object like {filters: 16, kernelSize: 3}, received ${String(args)}.`);
    checkArgKeys('Conv1D', args, [
      'filters',
      'groups',
      'kernelInitializer',
      'kernelRegularizer',
      'kernelConstraint',
      ...BASE_CONV1D_ARG_KEYS,
      ...LAYER_ARG_KEYS,
    ]);
    super(args);
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new ValueError(`Layer ${this.name}: filters must be a positive integer, received ${String(args.filters)}.`);
    }
    this.filters = args.filters;
    this.groups = args.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1 || this.filters % this.groups !== 0) {
      throw new ValueError(
        `Layer ${this.name}: groups must be a positive integer dividing filters (${this.filters}), received ${String(args.groups)}.`,
      );
    }
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.kernelConstraint = getConstraint(args.kernelConstraint);
  }

  protected override outChannels(): number {
    return this.filters;
  }

  protected override buildKernels(inChannels: number): void {
    if (inChannels % this.groups !== 0) {
      throw new ValueError(`Layer ${this.name}: the input channels (${inChannels}) must be divisible by groups (${this.groups}).`);
    }
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize, inChannels / this.groups, this.filters],
      'float32',
      this.kernelInitializer,
      this.kernelRegularizer,
      true,
      this.kernelConstraint,
    );
  }

  protected override convolve(x: Tensor, bias: Tensor | null): Tensor {
    return conv1d(x, this.kernel!, this.strides, this.padding, this.dilationRate, this.groups, bias);
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = {
      filters: this.filters,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      ...super.getConfig(),
    };
    if (this.groups !== 1) config.groups = this.groups;
    return config;
  }
}
