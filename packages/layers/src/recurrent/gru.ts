/** GRU: the RNN layer over a GRUCell, with the cell options flattened into the layer's. */
import { checkArgsOf } from '../serialization/registry';
import { InputSpec } from '../engine/input_spec';
import { ActivationFn } from '../activations/activation_fn';
import { checkCellArgs } from '../cells/cell_options';
import { GRUCell, GRUCellArgs } from '../cells/gru_cell';
import { BaseRNN, cellArgsOf, RNNLayerOptions } from './base_rnn';

/** Args of `GRU` (tfjs `GRULayerArgs`, plus `resetAfter: true`): the cell's options plus the RNN layer's. */
export interface GRUArgs extends GRUCellArgs, RNNLayerOptions {}

/**
 * A gated recurrent unit layer (gates z, r, h) over `[batch, timeSteps, inputDim]`; `resetAfter`
 * selects tfjs's variant (false, the default) or Keras 2/3's (true, bias [2, 3·units]).
 * Weights (tfjs names): `${name}/kernel` [inputDim, 3·units], `${name}/recurrent_kernel` [units, 3·units], `${name}/bias`.
 *
 * ```js
 * const [y, h] = layers.gru({units: 8, returnState: true}).apply(x);
 * ```
 */
export class GRU extends BaseRNN {
  static override className = 'GRU';

  constructor(args: GRUArgs) {
    checkCellArgs('GRU', args);
    super({ ...args, cell: new GRUCell(cellArgsOf(args)) });
    this.inputSpec = [new InputSpec({ ndim: 3 })];
    this.activityRegularizer = (this.cell as GRUCell).options.activityRegularizer;
    // Validate the option bag once the object is complete (direct `new GRU(...)`; factories and files check too).
    if (new.target === GRU) checkArgsOf(this, args);
  }

  /** The cell. */
  get gruCell(): GRUCell {
    return this.cell as GRUCell;
  }

  get units(): number {
    return this.gruCell.units;
  }

  get activation(): ActivationFn {
    return this.gruCell.activation;
  }

  get recurrentActivation(): ActivationFn {
    return this.gruCell.recurrentActivation;
  }

  get useBias(): boolean {
    return this.gruCell.useBias;
  }

  get dropout(): number {
    return this.gruCell.dropout;
  }

  get recurrentDropout(): number {
    return this.gruCell.recurrentDropout;
  }

  get implementation(): number {
    return this.gruCell.implementation;
  }

  get resetAfter(): boolean {
    return this.gruCell.resetAfter;
  }
}
