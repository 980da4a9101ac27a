/** LSTM: the RNN layer over an LSTMCell, with the cell options flattened into the layer's. */
import { checkArgsOf } from '../serialization/registry';
import { InputSpec } from '../engine/input_spec';
import { ActivationFn } from '../activations/activation_fn';
import { checkCellArgs } from '../cells/cell_options';
import { LSTMCell, LSTMCellArgs } from '../cells/lstm_cell';
import { BaseRNN, cellArgsOf, RNNLayerOptions } from './base_rnn';

/** Args of `LSTM` (tfjs `LSTMLayerArgs`): the cell's options plus the RNN layer's. */
export interface LSTMArgs extends LSTMCellArgs, RNNLayerOptions {}

/**
 * A long short-term memory layer (gates i, f, c, o; states [h, c]) over `[batch, timeSteps, inputDim]`.
 * Weights (tfjs names): `${name}/kernel` [inputDim, 4·units], `${name}/recurrent_kernel` [units, 4·units],
 * `${name}/bias` [4·units].
 *
 * ```js
 * const [y, h, c] = layers.lstm({units: 8, returnState: true}).apply(x);
 * ```
 */
export class LSTM extends BaseRNN {
  static override className = 'LSTM';

  constructor(args: LSTMArgs) {
    checkCellArgs('LSTM', args);
    super({ ...args, cell: new LSTMCell(cellArgsOf(args)) });
    this.inputSpec = [new InputSpec({ ndim: 3 })];
    this.activityRegularizer = (this.cell as LSTMCell).options.activityRegularizer;
    // Validate the option bag once the object is complete (direct `new LSTM(...)`; factories and files check too).
    if (new.target === LSTM) checkArgsOf(this, args);
  }

  /** The cell. */
  get lstmCell(): LSTMCell {
    return this.cell as LSTMCell;
  }

  get units(): number {
    return this.lstmCell.units;
  }

  get activation(): ActivationFn {
    return this.lstmCell.activation;
  }

  get recurrentActivation(): ActivationFn {
    return this.lstmCell.recurrentActivation;
  }

  get useBias(): boolean {
    return this.lstmCell.useBias;
  }

  get unitForgetBias(): boolean {
    return this.lstmCell.unitForgetBias;
  }

  get dropout(): number {
    return this.lstmCell.dropout;
  }

  get recurrentDropout(): number {
    return this.lstmCell.recurrentDropout;
  }

  get implementation(): number {
    return this.lstmCell.implementation;
  }
}
