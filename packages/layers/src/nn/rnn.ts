/** `nn.RNN`: PyTorch's Elman RNN, h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), on core's fused SimpleRNN kernel. */
import type { RNNBaseOptions } from './rnn_base';
import { SingleStateRNNBase } from './single_state_rnn_base';

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
export class RNN extends SingleStateRNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('RNN', inputSize, hiddenSize, options, ['nonlinearity'], 0, options?.nonlinearity ?? 'tanh');
  }

  override kind(): string {
    return 'RNN';
  }
}
