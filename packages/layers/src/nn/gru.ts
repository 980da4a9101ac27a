/**
 * `nn.GRU`: PyTorch's GRU on core's fused GRU kernel in its reset-after form (exactly PyTorch's formula):
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
 */
import type { Tensor } from '@recurrent/core';
import { RNNBase, RNNBaseOptions } from './rnn_base';

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
  forward(input: Tensor, h0?: Tensor | null, ...noCellState: never[]): Tensor {
    return this.runLayers(input, h0, noCellState[0]).output;
  }

  /** `[output, hN]`, hN [D·numLayers, batch, hidden]. */
  forwardWithState(input: Tensor, h0?: Tensor | null, ...noCellState: never[]): [Tensor, Tensor] {
    const r = this.runLayers(input, h0, noCellState[0]);
    return [r.output, r.hN];
  }
}
