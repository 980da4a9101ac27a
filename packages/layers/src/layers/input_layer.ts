/** InputLayer: declares a model's input shape and dtype; passes tensors through. */
import { checkArgsOf } from '../serialization/registry';
import { checkBoolArg } from '../engine/args';
import { formatShape, Tensor } from '@recurrent/core';
import { CallKwargs, getExactlyOneTensor, Layer, LayerArgs } from '../engine/layer';
import type { ConfigDict } from '../serialization/registry';

/** Args of `InputLayer` (tfjs `InputLayerArgs`). */
export interface InputLayerArgs extends LayerArgs {
  /** Kept for tfjs config compatibility; sparse inputs are not supported. */
  sparse?: boolean;
}

/**
 * The input of a sequential model: holds `batchInputShape` (from `inputShape` + `batchSize`, or
 * `batchInputShape`) and `dtype`. `apply` checks the known dimensions and returns the input.
 */
export class InputLayer extends Layer {
  static override className = 'InputLayer';
  readonly sparse: boolean;

  constructor(args: InputLayerArgs) {
    super(args);
    if (!this.batchInputShape) {
      throw new Error(`Layer ${this.name}: an InputLayer needs inputShape or batchInputShape, e.g. {inputShape: [10, 8]}.`);
    }
    checkBoolArg('InputLayer', 'sparse', args.sparse);
    if (args.sparse) throw new Error(`Layer ${this.name}: sparse inputs are not supported.`);
    this.sparse = false;
    this.built = true;
    this.supportsMasking = true;
    // Validate the option bag once the object is complete (direct `new InputLayer(...)`; factories and files check too).
    if (new.target === InputLayer) checkArgsOf(this, args);
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = getExactlyOneTensor(this.name, inputs);
    const expected = this.batchInputShape!;
    if (x.rank !== expected.length || expected.some((d, i) => d !== null && d !== x.shape[i])) {
      throw new Error(
        `Input 0 of layer ${this.name} is incompatible with the layer: expected shape=${formatShape(expected)}, ` +
          `found shape=${formatShape(x.shape)}.`,
      );
    }
    return x;
  }

  override getConfig(): ConfigDict {
    return { batchInputShape: this.batchInputShape!.slice(), dtype: this.dtype, sparse: this.sparse, name: this.name };
  }
}
