/** DepthwiseConv1D: a 1-D convolution of each input channel on its own (Keras 3 layer). */
import { conv1d, reshape, Tensor, ValueError } from '@recurrent/core';
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

/** Args of `DepthwiseConv1D` (Keras 3 `DepthwiseConv1D`, tfjs `DepthwiseConv2DLayerArgs` names). */
export interface DepthwiseConv1DArgs extends BaseConv1DArgs {
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Initializer of the depthwise kernel (default 'glorotUniform'). */
  depthwiseInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Regularizer of the depthwise kernel. */
  depthwiseRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Constraint of the depthwise kernel. */
  depthwiseConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
}

/** The depthwise arg names shared with SeparableConv1D, for `checkArgKeys`. */
export const DEPTHWISE_ARG_KEYS: readonly string[] = [
  'depthMultiplier',
  'depthwiseInitializer',
  'depthwiseRegularizer',
  'depthwiseConstraint',
];

/**
 * Keys of Keras 2's base Conv config that tf.keras writes into SeparableConv1D (and some DepthwiseConv1D)
 * files without meaning there; accepted with a warning.
 */
export const KERAS2_CONV_KEYS: readonly string[] = ['kernelInitializer', 'kernelRegularizer', 'kernelConstraint', 'groups'];

/** A depthwise 1-D convolution: `conv1d` with one group per input channel and the kernel [k, channels, dm] read as [k, 1, channels·dm]. */
export function depthwiseConv1dOp(
  x: Tensor,
  kernel: Tensor,
  strides: number,
  padding: 'valid' | 'same' | 'causal',
  dilation: number,
  bias: Tensor | null = null,
): Tensor {
  const [k, cin, dm] = kernel.shape;
  return conv1d(x, reshape(kernel, [k, 1, cin * dm]), strides, padding, dilation, cin, bias);
}

/**
 * Each input channel c is convolved with its own `depthMultiplier` filters: [batch, steps, channels] →
 * [batch, outSteps, channels·depthMultiplier], output channel c·depthMultiplier + m. Weights:
 * 'depthwise_kernel' [kernelSize, channels, depthMultiplier], 'bias' [channels·depthMultiplier].
 *
 * ```js
 * layers.depthwiseConv1d({kernelSize: 3, depthMultiplier: 2}).apply(randomNormal([2, 10, 4]));   // [2, 8, 8]
 * ```
 *
 * tfjs note: tfjs has DepthwiseConv2D only; this is Keras 3's DepthwiseConv1D with tfjs-style names.
 */
export class DepthwiseConv1D extends BaseConv1D {
  static override className = 'DepthwiseConv1D';
  /** tf.keras's base Conv keys, accepted with a warning (see the constructor). */
  static readonly extraArgKeys: readonly string[] = KERAS2_CONV_KEYS;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  depthwiseKernel: LayerVariable | null = null;

  constructor(args: DepthwiseConv1DArgs) {
    if (!args || typeof args !== 'object')
      throw new ValueError(`DepthwiseConv1D: expected an args object like {kernelSize: 3}, received ${String(args)}.`);
    checkArgKeys(
      'DepthwiseConv1D',
      args,
      [...DEPTHWISE_ARG_KEYS, ...BASE_CONV1D_ARG_KEYS, ...LAYER_ARG_KEYS],
      [...KERAS2_CONV_KEYS, 'filters'],
    );
    super(args);
    this.depthMultiplier = args.depthMultiplier ?? 1;
    if (!Number.isInteger(this.depthMultiplier) || this.depthMultiplier < 1) {
      throw new ValueError(`Layer ${this.name}: depthMultiplier must be a positive integer, received ${String(args.depthMultiplier)}.`);
    }
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorotUniform');
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer);
    this.depthwiseConstraint = getConstraint(args.depthwiseConstraint);
  }

  protected override outChannels(inChannels: number | null): number | null {
    return inChannels === null ? null : inChannels * this.depthMultiplier;
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
  }

  protected override convolve(x: Tensor, bias: Tensor | null): Tensor {
    return depthwiseConv1dOp(x, this.depthwiseKernel!, this.strides, this.padding, this.dilationRate, bias);
  }

  override getConfig(): ConfigDict {
    return {
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      depthwiseRegularizer: serializeRegularizer(this.depthwiseRegularizer),
      depthwiseConstraint: serializeConstraint(this.depthwiseConstraint),
      ...super.getConfig(),
    };
  }
}
