/** GlobalPooling2D: the shared base of GlobalAveragePooling2D and GlobalMaxPooling2D (over rows and cols). */
import { cast, Tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, checkBoolArg, LAYER_ARG_KEYS } from '../../engine/args';
import { InputSpec } from '../../engine/input_spec';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';
import { dropMask } from '../convolutional/base_conv1d';
import { rank4Shape } from '../convolutional/window2d';
import type { DataFormat } from '../global_pooling1d';

/** Args of the global 2-D pooling layers. */
export interface GlobalPooling2DArgs extends LayerArgs {
  /** 'channelsLast' ([batch, rows, cols, channels], default) or 'channelsFirst' ([batch, channels, rows, cols]). */
  dataFormat?: DataFormat;
  /** Keep the pooled axes as size 1 (Keras 3; default false: the output is [batch, channels]). */
  keepdims?: boolean;
}

/**
 * Base of the global 2-D pooling layers: [batch, rows, cols, channels] → [batch, channels] (or
 * [batch, 1, 1, channels] with keepdims). No weights; an input mask is dropped with a warning (as Keras 3).
 *
 * tfjs note: tfjs has no `keepdims`; it is written to the config only when true, so tfjs reads our files.
 */
export abstract class GlobalPooling2D extends Layer {
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;

  constructor(args: GlobalPooling2DArgs = {}) {
    args = args ?? {};
    checkArgKeys(new.target.className, args, ['dataFormat', 'keepdims', ...LAYER_ARG_KEYS]);
    super(args);
    const dataFormat = args.dataFormat ?? 'channelsLast';
    if (dataFormat !== 'channelsLast' && dataFormat !== 'channelsFirst') {
      throw new ValueError(
        `Layer ${this.name}: dataFormat must be 'channelsLast' or 'channelsFirst', received ${JSON.stringify(dataFormat)}.`,
      );
    }
    checkBoolArg(`Layer ${this.name}`, 'keepdims', args.keepdims);
    this.dataFormat = dataFormat;
    this.keepdims = args.keepdims ?? false;
    this.inputSpec = [new InputSpec({ ndim: 4 })];
  }

  /** The pooled axes: rows and cols. */
  protected get spatialAxes(): [number, number] {
    return this.dataFormat === 'channelsLast' ? [1, 2] : [2, 3];
  }

  /** Reduces `x` over `axes` (keeping them as size 1 when `keepDims`). */
  protected abstract reduce(x: Tensor, axes: number[], keepDims: boolean): Tensor;

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    let x = getExactlyOneTensor(this.name, inputs);
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    return this.reduce(x, this.spatialAxes, this.keepdims);
  }

  /** No output mask; an input mask is dropped with a warning (as Keras 3; tfjs throws). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): null {
    return dropMask(this, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = rank4Shape(this.name, inputShape);
    const [a, b] = this.spatialAxes;
    if (this.keepdims) return shape.map((d, i) => (i === a || i === b ? 1 : d));
    return shape.filter((_, i) => i !== a && i !== b);
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { dataFormat: this.dataFormat, ...super.getConfig() };
    if (this.keepdims) config.keepdims = true;
    return config;
  }
}
