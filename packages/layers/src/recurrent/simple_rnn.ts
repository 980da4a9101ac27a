/** SimpleRNN: the RNN layer over a SimpleRNNCell, with the cell options flattened into the layer's. */
import { checkArgsOf } from '../serialization/registry';
import { InputSpec } from '../engine/input_spec';
import { ActivationFn } from '../activations/activation_fn';
import { checkCellArgs } from '../cells/cell_options';
import { SimpleRNNCell, SimpleRNNCellArgs } from '../cells/simple_rnn_cell';
import { BaseRNN, cellArgsOf, RNNLayerOptions } from './base_rnn';

/** Args of `SimpleRNN` (tfjs `SimpleRNNLayerArgs`): the cell's options plus the RNN layer's. */
export interface SimpleRNNArgs extends SimpleRNNCellArgs, RNNLayerOptions {}

/**
 * A fully connected RNN, h' = act(x·W + b + h·U), over `[batch, timeSteps, inputDim]`.
 * Weights (tfjs names): `${name}/kernel` [inputDim, units], `${name}/recurrent_kernel` [units, units], `${name}/bias` [units].
 *
 * ```js
 * const y = layers.simpleRNN({units: 8, returnSequences: true}).apply(x);   // [batch, timeSteps, 8]
 * ```
 */
export class SimpleRNN extends BaseRNN {
  static override className = 'SimpleRNN';

  constructor(args: SimpleRNNArgs) {
    checkCellArgs('SimpleRNN', args);
    super({ ...args, cell: new SimpleRNNCell(cellArgsOf(args)) });
    this.inputSpec = [new InputSpec({ ndim: 3 })];
    this.activityRegularizer = (this.cell as SimpleRNNCell).options.activityRegularizer;
    // Validate the option bag once the object is complete (direct `new SimpleRNN(...)`; factories and files check too).
    if (new.target === SimpleRNN) checkArgsOf(this, args);
  }

  /** The cell. */
  get simpleRNNCell(): SimpleRNNCell {
    return this.cell as SimpleRNNCell;
  }

  get units(): number {
    return this.simpleRNNCell.units;
  }

  get activation(): ActivationFn {
    return this.simpleRNNCell.activation;
  }

  get useBias(): boolean {
    return this.simpleRNNCell.useBias;
  }

  get dropout(): number {
    return this.simpleRNNCell.dropout;
  }

  get recurrentDropout(): number {
    return this.simpleRNNCell.recurrentDropout;
  }
}
