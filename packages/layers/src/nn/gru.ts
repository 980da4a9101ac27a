/**
 * `nn.GRU`: PyTorch's GRU on core's fused GRU kernel in its reset-after form (exactly PyTorch's formula):
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
 */
import type { RNNBaseOptions } from './rnn_base';
import { SingleStateRNNBase } from './single_state_rnn_base';

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
export class GRU extends SingleStateRNNBase {
  constructor(inputSize: number, hiddenSize: number, options: GRUOptions = {}) {
    super('GRU', inputSize, hiddenSize, options, [], 0, 'tanh');
  }

  override kind(): string {
    return 'GRU';
  }
}
