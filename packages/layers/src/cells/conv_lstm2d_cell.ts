/** ConvLSTM2DCell: one step of a convolutional LSTM over images (gate order i, f, c, o). */
import { ConvLSTMCell, ConvLSTMCellArgs } from './conv_lstm_cell';

/** Args of `ConvLSTM2DCell` (tfjs `ConvLSTM2DCellArgs`): `kernelSize`, `strides`, `dilationRate` as a number or [rows, cols]. */
export type ConvLSTM2DCellArgs = ConvLSTMCellArgs<[number, number]>;

/**
 * One ConvLSTM step over images (σ = recurrentActivation, ∗ = 2-D convolution): with
 * z = conv(x, kernel; strides, padding, dilationRate) + conv(h, recurrent_kernel; 1, 'same') + bias,
 * split along the channels into gates i, f, c, o: i = σ(z_i), f = σ(z_f), c' = f ⊙ c + i ⊙ act(z_c),
 * o = σ(z_o), h' = o ⊙ act(c'). Input x [batch, rows, cols, channels]; states h, c [batch, outRows, outCols, filters].
 * Weights as tfjs: 'kernel' [kh, kw, channels, 4·filters], 'recurrent_kernel' [kh, kw, filters, 4·filters],
 * 'bias' [4·filters].
 *
 * ```js
 * const cell = layers.convLstm2dCell({filters: 8, kernelSize: 3, padding: 'same'});
 * const [h, , c] = cell.apply([x, h0, c0]);   // x [2, 16, 16, 3], h0/c0 [2, 16, 16, 8]
 * ```
 */
export class ConvLSTM2DCell extends ConvLSTMCell<[number, number]> {
  static override className = 'ConvLSTM2DCell';

  constructor(args: ConvLSTM2DCellArgs) {
    super(args, 2);
  }
}
