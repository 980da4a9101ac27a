/** ConvLSTM1D: the recurrent layer over a ConvLSTM1DCell, for sequences of 1-D signals. */
import { ConvLSTM1DCell, ConvLSTM1DCellArgs } from '../cells/conv_lstm1d_cell';
import { ConvLSTM, ConvLSTMArgs } from './conv_lstm';

/** Args of `ConvLSTM1D` (Keras 3 `ConvLSTM1D`, camelCase): the cell's options plus the RNN layer's. */
export interface ConvLSTM1DArgs extends ConvLSTM1DCellArgs, ConvLSTMArgs<[number]> {}

/**
 * A convolutional LSTM over sequences of 1-D signals `[batch, timeSteps, steps, channels]` (channels last):
 * every time step convolves its input signal (`kernelSize`, `strides`, `padding`, `dilationRate`) and the
 * previous state (stride 1, 'same') into the gates i, f, c, o. Output `[batch, outSteps, filters]` (the last
 * time step) or `[batch, timeSteps, outSteps, filters]` with `returnSequences`; `returnState` adds the final
 * h and c (each `[batch, outSteps, filters]`). Masks `[batch, timeSteps]`, `goBackwards`, `stateful` and
 * dropout work as in `ConvLSTM2D`.
 * Weights (Keras 3 shapes): `${name}/kernel` [k, channels, 4·filters], `${name}/recurrent_kernel`
 * [k, filters, 4·filters], `${name}/bias` [4·filters].
 *
 * ```js
 * const layer = layers.convLstm1d({filters: 8, kernelSize: 3, padding: 'same', returnSequences: true});
 * layer.apply(x);   // x [2, 10, 16, 3] → [2, 10, 16, 8]
 * ```
 *
 * tfjs note: tfjs has no ConvLSTM1D. The default `recurrentActivation` is 'hardSigmoid' as in this library's
 * other LSTMs (tfjs's default); Keras 3's is 'sigmoid' (Keras files carry it, so they load right). Keras 3's cell
 * draws one dropout mask of the input's shape and uses its batch rows 0–3 for the four gates; here every gate
 * gets a mask of its own (as ConvLSTM2D and tfjs).
 */
export class ConvLSTM1D extends ConvLSTM<ConvLSTM1DCell> {
  static override className = 'ConvLSTM1D';

  constructor(args: ConvLSTM1DArgs) {
    super(args, 1, ConvLSTM1DCell);
  }
}
