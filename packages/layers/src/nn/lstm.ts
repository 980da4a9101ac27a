/**
 * `nn.LSTM`: PyTorch's LSTM (gate order i, f, g, o) on core's fused LSTM kernel; with `projSize` > 0 it follows
 * PyTorch's projected LSTM, h = (o ⊙ tanh(c))·W_hrᵀ, through core's `rnn()` loop of ops.
 */
import { Tensor, ValueError } from '@recurrent/core';
import { RNNBase, RNNBaseOptions } from './rnn_base';
import type { PackedSequence } from './packed_sequence';

/** Options of `nn.LSTM`. */
export interface LSTMOptions extends RNNBaseOptions {
  /** Size of the projected hidden state (PyTorch proj_size; default 0 = no projection; must be < hiddenSize). */
  projSize?: number;
}

/** Initial or final LSTM states `[h, c]`. */
export type LSTMState = [Tensor, Tensor];

/**
 * A multi-layer LSTM with PyTorch's parameters and shapes.
 *
 * ```ts
 * const lstm = new nn.LSTM(10, 20, { numLayers: 2 });
 * const [output, [hN, cN]] = lstm.forwardWithState(x, h0, c0);   // output [batch, seq, 20], hN/cN [2, batch, 20]
 * ```
 * PyTorch note: batchFirst defaults to true; pass `batchFirst: false` for PyTorch's [seq, batch, feature].
 * The initial state can be given as `(x, h0, c0)` or PyTorch-like as `(x, [h0, c0])`.
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options, ['projSize'], options?.projSize ?? 0, 'tanh');
  }

  override kind(): string {
    return 'LSTM';
  }

  private static split(h0: Tensor | LSTMState | null | undefined, c0: Tensor | null | undefined): [unknown, unknown] {
    if (Array.isArray(h0)) {
      if (h0.length !== 2 || (c0 !== undefined && c0 !== null)) {
        throw new ValueError(
          `nn.LSTM: the initial state must be given as (h0, c0) or ([h0, c0]), received an array of ${h0.length}${c0 ? ' and c0' : ''}.`,
        );
      }
      return [h0[0], h0[1]];
    }
    return [h0, c0];
  }

  /**
   * The output sequence [batch, seq, D·hOut] (batchFirst; hOut = projSize || hiddenSize) for input and optional
   * h0 [D·numLayers, batch, hOut] and c0 [D·numLayers, batch, hidden].
   */
  forward(input: Tensor, h0?: Tensor | LSTMState | null, c0?: Tensor | null): Tensor;
  /** A PackedSequence in gives a PackedSequence out (see nn.utils.rnn.packPaddedSequence). */
  forward(input: PackedSequence, h0?: Tensor | LSTMState | null, c0?: Tensor | null): PackedSequence;
  forward(input: Tensor | PackedSequence, h0?: Tensor | LSTMState | null, c0?: Tensor | null): Tensor | PackedSequence {
    const [h, c] = LSTM.split(h0, c0);
    return this.runLayers(input, h, c).output;
  }

  /** `[output, [hN, cN]]` (as PyTorch's `output, (h_n, c_n) = lstm(x, (h0, c0))`). */
  forwardWithState(input: Tensor, h0?: Tensor | LSTMState | null, c0?: Tensor | null): [Tensor, LSTMState];
  /** Packed input: `[packedOutput, [hN, cN]]`, states in the original batch order at each sequence's last step. */
  forwardWithState(input: PackedSequence, h0?: Tensor | LSTMState | null, c0?: Tensor | null): [PackedSequence, LSTMState];
  forwardWithState(
    input: Tensor | PackedSequence,
    h0?: Tensor | LSTMState | null,
    c0?: Tensor | null,
  ): [Tensor | PackedSequence, LSTMState] {
    const [h, c] = LSTM.split(h0, c0);
    const r = this.runLayers(input, h, c);
    return [r.output, [r.hN, r.cN as Tensor]];
  }
}
