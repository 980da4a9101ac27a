/** SeparableConv1D: a depthwise 1-D convolution followed by a pointwise (1×1) one. */
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
import { DEPTHWISE_ARG_KEYS, depthwiseConv1dOp, DepthwiseConv1DArgs, KERAS2_CONV_KEYS } from './depthwise_conv1d';

/** Args of `SeparableConv1D` (Keras `SeparableConv1D`, tfjs `SeparableConvLayerArgs` names). */
export interface SeparableConv1DArgs extends BaseConv1DArgs, Omit<DepthwiseConv1DArgs, keyof BaseConv1DArgs> {
  /** Output channels of the pointwise step (positive integer). */
  filters: number;
  /** Initializer of the pointwise kernel (default 'glorotUniform'). */
  pointwiseInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Regularizer of the pointwise kernel. */
  pointwiseRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Constraint of the pointwise kernel. */
  pointwiseConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
}

/**
 * `activation(pointwise(depthwise(x)) + bias)`: each input channel is convolved with its own
 * `depthMultiplier` filters (strides, padding and dilation apply here), then a 1×1 convolution mixes
 * the channels·depthMultiplier results into `filters`. Weights: 'depthwise_kernel'
 * [kernelSize, channels, depthMultiplier], 'pointwise_kernel' [1, channels·depthMultiplier, filters],
 * 'bias' [filters].
 *
 * ```js
 * layers.separableConv1d({filters: 8, kernelSize: 3, padding: 'same'}).apply(randomNormal([2, 10, 4]));   // [2, 10, 8]
 * ```
 *
 * tfjs note: tfjs has SeparableConv2D only; this is Keras's SeparableConv1D with tfjs-style names.
 */
export class SeparableConv1D extends BaseConv1D {
  static override className = 'SeparableConv1D';
  /** tf.keras's base Conv keys, accepted with a warning (see the constructor). */
  static readonly extraArgKeys: readonly string[] = KERAS2_CONV_KEYS;
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseInitializer: Initializer;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly pointwiseConstraint: Constraint | null;
  depthwiseKernel: LayerVariable | null = null;
  pointwiseKernel: LayerVariable | null = null;

  constructor(args: SeparableConv1DArgs) {
    if (!args || typeof args !== 'object') {
      throw new ValueError(`SeparableConv1D: expected an args object like {filters: 8, kernelSize: 3}, received ${String(args)}.`);
    }
    checkArgKeys(
      'SeparableConv1D',
      args,
      [
        'filters',
        'pointwiseInitializer',
        'pointwiseRegularizer',
        'pointwiseConstraint',
        ...DEPTHWISE_ARG_KEYS,
        ...BASE_CONV1D_ARG_KEYS,
        ...LAYER_ARG_KEYS,
      ],
      KERAS2_CONV_KEYS,
    );
    super(args);
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new ValueError(`Layer ${this.name}: filters must be a positive integer, received ${String(args.filters)}.`);
    }
    this.filters = args.filters;
    this.depthMultiplier = args.depthMultiplier ?? 1;
    if (!Number.isInteger(this.depthMultiplier) || this.depthMultiplier < 1) {
      throw new ValueError(`Layer ${this.name}: depthMultiplier must be a positive integer, received ${String(args.depthMultiplier)}.`);
    }
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorotUniform');
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer);
    this.depthwiseConstraint = getConstraint(args.depthwiseConstraint);
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer ?? 'glorotUniform');
    this.pointwiseRegularizer = getRegularizer(args.pointwiseRegularizer);
    this.pointwiseConstraint = getConstraint(args.pointwiseConstraint);
  }

  protected override outChannels(): number {
    return this.filters;
  }

  protected override buildKernels(inChannels: number): void {
    this.depthwiseKernel = this.addWeight(
      'depthwise_kernel',
      [this.kernelSize, inChannels, this.depthMultiplier],
      'float32',
      this.depthwiseInitializer,
      this.depthwiseRegularizer,
      true,
      this.depthwiseConstraint,
    );
    this.pointwiseKernel = this.addWeight(
      'pointwise_kernel',
      [1, inChannels * this.depthMultiplier, this.filters],
      'float32',
      this.pointwiseInitializer,
      this.pointwiseRegularizer,
      true,
      this.pointwiseConstraint,
    );
  }

  protected override convolve(x: Tensor, bias: Tensor | null): Tensor {
    const depthwise = depthwiseConv1dOp(x, this.depthwiseKernel!, this.strides, this.padding, this.dilationRate);
    return conv1d(depthwise, this.pointwiseKernel!, 1, 'valid', 1, 1, bias);
  }

  override getConfig(): ConfigDict {
    return {
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      pointwiseInitializer: serializeInitializer(this.pointwiseInitializer),
      depthwiseRegularizer: serializeRegularizer(this.depthwiseRegularizer),
      pointwiseRegularizer: serializeRegularizer(this.pointwiseRegularizer),
      depthwiseConstraint: serializeConstraint(this.depthwiseConstraint),
      pointwiseConstraint: serializeConstraint(this.pointwiseConstraint),
      ...super.getConfig(),
    };
  }
}
