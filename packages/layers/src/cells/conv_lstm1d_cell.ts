/** ConvLSTM1DCell: one step of a convolutional LSTM over 1-D sequences of feature vectors (gate order i, f, c, o). */
import { ConvLSTMCell, ConvLSTMCellArgs } from './conv_lstm_cell';

/** Args of `ConvLSTM1DCell`: `kernelSize`, `strides`, `dilationRate` as a number or [steps]. */
export type ConvLSTM1DCellArgs = ConvLSTMCellArgs<[number]>;

/**
 * One ConvLSTM step over a 1-D signal (σ = recurrentActivation, ∗ = 1-D convolution): with
 * z = conv(x, kernel; strides, padding, dilationRate) + conv(h, recurrent_kernel; 1, 'same') + bias,
 * split along the channels into gates i, f, c, o: i = σ(z_i), f = σ(z_f), c' = f ⊙ c + i ⊙ act(z_c),
 * o = σ(z_o), h' = o ⊙ act(c'). Input x [batch, steps, channels]; states h, c [batch, outSteps, filters].
 * Weights as Keras 3: 'kernel' [k, channels, 4·filters], 'recurrent_kernel' [k, filters, 4·filters], 'bias' [4·filters].
 *
 * ```js
 * const cell = layers.convLstm1dCell({filters: 8, kernelSize: 3, padding: 'same'});
 * const [h, , c] = cell.apply([x, h0, c0]);   // x [2, 16, 3], h0/c0 [2, 16, 8]
 * ```
 *
 * tfjs note: tfjs has no ConvLSTM1D; Keras 3 has the layer (its cell, ConvLSTMCell, is not public).
 */
export class ConvLSTM1DCell extends ConvLSTMCell<[number]> {
  static override className = 'ConvLSTM1DCell';

  constructor(args: ConvLSTM1DCellArgs) {
    super(args, 1);
  }
}
