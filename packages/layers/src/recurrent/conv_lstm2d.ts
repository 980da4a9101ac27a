/** ConvLSTM2D: the recurrent layer over a ConvLSTM2DCell, for sequences of images. */
import { ConvLSTM2DCell, ConvLSTM2DCellArgs } from '../cells/conv_lstm2d_cell';
import { ConvLSTM, ConvLSTMArgs } from './conv_lstm';

/** Args of `ConvLSTM2D` (tfjs `ConvLSTM2DArgs`): the cell's options plus the RNN layer's. */
export interface ConvLSTM2DArgs extends ConvLSTM2DCellArgs, ConvLSTMArgs<[number, number]> {}

/**
 * A convolutional LSTM over sequences of images `[batch, timeSteps, rows, cols, channels]` (channels last):
 * every step convolves the input image (`kernelSize`, `strides`, `padding`, `dilationRate`) and the previous
 * state (stride 1, 'same') into the gates i, f, c, o. Output `[batch, outRows, outCols, filters]` (the last
 * step) or `[batch, timeSteps, outRows, outCols, filters]` with `returnSequences`; `returnState` adds the
 * final h and c (each `[batch, outRows, outCols, filters]`). Masks `[batch, timeSteps]`, `goBackwards`,
 * `stateful` and dropout work as in `LSTM`.
 * Weights (tfjs names and shapes): `${name}/kernel` [kh, kw, channels, 4·filters],
 * `${name}/recurrent_kernel` [kh, kw, filters, 4·filters], `${name}/bias` [4·filters].
 *
 * ```js
 * const layer = layers.convLstm2d({filters: 8, kernelSize: 3, padding: 'same', returnSequences: true});
 * layer.apply(x);   // x [2, 10, 16, 16, 3] → [2, 10, 16, 16, 8]
 * ```
 *
 * tfjs note: tfjs throws on masks with 5-D inputs; here masks work (Keras semantics). The op-by-op cell
 * runs at every step (no fused kernel); `unroll` is accepted without effect (tfjs throws); `constants` are
 * refused, as tfjs.
 */
export class ConvLSTM2D extends ConvLSTM<ConvLSTM2DCell> {
  static override className = 'ConvLSTM2D';

  constructor(args: ConvLSTM2DArgs) {
    super(args, 2, ConvLSTM2DCell);
  }
}
