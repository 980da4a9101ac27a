/**
 * `nn.GRU`: PyTorch's GRU on core's fused GRU kernel in its reset-after form (exactly PyTorch's formula):
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
 */
import type { Tensor } from '@recurrent/core';
import { RNNBase, RNNBaseOptions } from './rnn_base';
import type { PackedSequence } from './packed_sequence';

/** Options of `nn.GRU`. */
export type GRUOptions = RNNBaseOptions;

/**
 * A multi-layer GRU with PyTorch's parameters (gate order r, z, n) and shapes.
 *
 * ```ts
 * const gru = new nn.GRU(10, 20, { bidirectional: true });
 * const [output, hN] = gru.forwardWithState(x);   // output [batch, seq, 40], hN [2, batch, 20]
 * ```
 * PyTorch note: batchFirst defaults to true; pass `batchFirst: false` for PyTorch's [seq, batch, feature].
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: GRUOptions = {}) {
    super('GRU', inputSize, hiddenSize, options, [], 0, 'tanh');
  }

  override kind(): string {
    return 'GRU';
  }

  /** The output sequence [batch, seq, D·hidden] (batchFirst) for input and optional h0 [D·numLayers, batch, hidden]. */
  forward(input: Tensor, h0?: Tensor | null, ...noCellState: never[]): Tensor;
  /** A PackedSequence in gives a PackedSequence out (see nn.utils.rnn.packPaddedSequence). */
  forward(input: PackedSequence, h0?: Tensor | null, ...noCellState: never[]): PackedSequence;
  forward(input: Tensor | PackedSequence, h0?: Tensor | null, ...noCellState: never[]): Tensor | PackedSequence {
    return this.runLayers(input, h0, noCellState[0]).output;
  }

  /** `[output, hN]`, hN [D·numLayers, batch, hidden]. */
  forwardWithState(input: Tensor, h0?: Tensor | null, ...noCellState: never[]): [Tensor, Tensor];
  /** Packed input: `[packedOutput, hN]`, hN in the original batch order holding each sequence's last step. */
  forwardWithState(input: PackedSequence, h0?: Tensor | null, ...noCellState: never[]): [PackedSequence, Tensor];
  forwardWithState(input: Tensor | PackedSequence, h0?: Tensor | null, ...noCellState: never[]): [Tensor | PackedSequence, Tensor] {
    const r = this.runLayers(input, h0, noCellState[0]);
    return [r.output, r.hN];
  }
}
