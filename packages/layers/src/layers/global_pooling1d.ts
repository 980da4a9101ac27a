/** GlobalPooling1D: the shared base of the global 1D pooling layers (over the steps axis). */
import { cast, formatShape, notEqual, reshape, Tensor, NotImplementedError, ValueError } from '@recurrent/core';
import { InputSpec } from '../engine/input_spec';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import type { ConfigDict } from '../serialization/registry';

/** Where the features are: 'channelsLast' = [batch, steps, features], 'channelsFirst' = [batch, features, steps]. */
export type DataFormat = 'channelsLast' | 'channelsFirst';

/** Args of the global 1D pooling layers. */
export interface GlobalPooling1DArgs extends LayerArgs {
  /** Layout of the input (default 'channelsLast', as tfjs). */
  dataFormat?: DataFormat;
}

/**
 * Base of GlobalAveragePooling1D / GlobalMaxPooling1D: inputs of rank 3, output [batch, features],
 * optional [batch, steps] mask (bool, or numbers where nonzero means kept). The output has no mask.
 */
export abstract class GlobalPooling1D extends Layer {
  /** Keras 3 writes `keepdims` (false by default): accepted with a warning when false, refused when true. */
  static readonly ignoredArgKeys: readonly string[] = ['keepdims'];
  readonly dataFormat: DataFormat;

  constructor(args: GlobalPooling1DArgs = {}) {
    if ((args as { keepdims?: unknown } | undefined)?.keepdims === true) {
      throw new NotImplementedError(
        `GlobalPooling1D: keepdims: true is not supported (the output is [batch, features]); use a Reshape after it.`,
      );
    }
    const { keepdims: _keepdims, ...rest } = (args ?? {}) as GlobalPooling1DArgs & { keepdims?: unknown };
    super(rest);
    const dataFormat = args?.dataFormat ?? 'channelsLast';
    if (dataFormat !== 'channelsLast' && dataFormat !== 'channelsFirst') {
      throw new ValueError(
        `Layer ${this.name}: dataFormat must be 'channelsLast' or 'channelsFirst', received ${JSON.stringify(dataFormat)}.`,
      );
    }
    this.dataFormat = dataFormat;
    this.supportsMasking = true;
    this.inputSpec = [new InputSpec({ ndim: 3 })];
  }

  /** The axis pooled over (1 for channelsLast, 2 for channelsFirst). */
  protected get stepsAxis(): number {
    return this.dataFormat === 'channelsLast' ? 1 : 2;
  }

  /** Pools `x` over the steps axis; `keep` is the mask as a bool tensor broadcastable to `x`, or null. */
  protected abstract pool(x: Tensor, keep: Tensor | null): Tensor;

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    let mask = kwargs?.mask ?? null;
    if (Array.isArray(mask)) mask = mask.length === 1 && mask[0] === null ? null : getExactlyOneTensor(this.name, mask as Tensor[]);
    if (mask == null) return this.pool(x, null);
    const batch = x.shape[0];
    const steps = x.shape[this.stepsAxis];
    if (!(mask instanceof Tensor) || mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps) {
      throw new ValueError(
        `Layer ${this.name}: the mask must have shape [batch, steps] = ${formatShape([batch, steps])} for input of shape ` +
          `${formatShape(x.shape)}, received ${mask instanceof Tensor ? formatShape(mask.shape) : String(mask)}.`,
      );
    }
    const keepBool = mask.dtype === 'bool' ? mask : notEqual(mask, 0);
    const keep = reshape(keepBool, this.dataFormat === 'channelsLast' ? [batch, steps, 1] : [batch, 1, steps]);
    return this.pool(x, keep);
  }

  /** The pooled output carries no mask. */
  override computeMask(_inputs: Tensor | Tensor[], _mask?: Tensor | Tensor[] | null): null {
    return null;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = getExactlyOneShape(this.name, inputShape);
    return this.dataFormat === 'channelsLast' ? [shape[0], shape[2]] : [shape[0], shape[1]];
  }

  override getConfig(): ConfigDict {
    return { dataFormat: this.dataFormat, ...super.getConfig() };
  }
}
