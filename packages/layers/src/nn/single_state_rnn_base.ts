/** SingleStateRNNBase: `forward` and `forwardWithState` of the nn recurrent modules whose only state is h (nn.RNN, nn.GRU). */
import type { Tensor } from '@recurrent/core';
import { RNNBase } from './rnn_base';
import type { PackedSequence } from './packed_sequence';

/** Base class of nn.RNN and nn.GRU (nn.LSTM also takes and returns c). */
export abstract class SingleStateRNNBase extends RNNBase {
  /** The output sequence [batch, seq, D·hidden] (batchFirst) for input and optional h0 [D·numLayers, batch, hidden]. */
  forward(input: Tensor, h0?: Tensor | null, ...noCellState: never[]): Tensor;
  /** A PackedSequence in gives a PackedSequence out (see nn.utils.rnn.packPaddedSequence). */
  forward(input: PackedSequence, h0?: Tensor | null, ...noCellState: never[]): PackedSequence;
  forward(input: Tensor | PackedSequence, h0?: Tensor | null, ...noCellState: never[]): Tensor | PackedSequence {
    return this.runLayers(input, h0, noCellState[0]).output;
  }

  /** `[output, hN]`, hN [D·numLayers, batch, hidden] (as PyTorch's `output, h_n = rnn(x, h0)`). */
  forwardWithState(input: Tensor, h0?: Tensor | null, ...noCellState: never[]): [Tensor, Tensor];
  /** Packed input: `[packedOutput, hN]`, hN in the original batch order holding each sequence's last step. */
  forwardWithState(input: PackedSequence, h0?: Tensor | null, ...noCellState: never[]): [PackedSequence, Tensor];
  forwardWithState(input: Tensor | PackedSequence, h0?: Tensor | null, ...noCellState: never[]): [Tensor | PackedSequence, Tensor] {
    const r = this.runLayers(input, h0, noCellState[0]);
    return [r.output, r.hN];
  }
}
