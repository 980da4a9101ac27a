/** `nn.RNN`: PyTorch's Elman RNN, h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), on core's fused SimpleRNN kernel. */
import type { Tensor } from '@recurrent/core';
import { RNNBase, RNNBaseOptions } from './rnn_base';
import type { PackedSequence } from './packed_sequence';

/** Options of `nn.RNN`. */
export interface RNNOptions extends RNNBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * A multi-layer Elman RNN with PyTorch's parameters (`weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`,
 * `bias_hh_l{k}`, `_reverse` for the backward direction) and shapes.
 *
 * ```ts
 * const rnn = new nn.RNN(10, 20, { numLayers: 2 });
 * const [output, hN] = rnn.forwardWithState(x);   // x [batch, seq, 10] → [batch, seq, 20], hN [2, batch, 20]
 * ```
 * PyTorch note: batchFirst defaults to true; pass `batchFirst: false` for PyTorch's [seq, batch, feature].
 */
export class RNN extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('RNN', inputSize, hiddenSize, options, ['nonlinearity'], 0, options?.nonlinearity ?? 'tanh');
  }

  override kind(): string {
    return 'RNN';
  }

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
