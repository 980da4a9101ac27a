/** `nn.RNNCell`: one Elman step h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (PyTorch signature). */
import type { Tensor } from '@recurrent/core';
import { CellOptions, RNNCellBase } from './rnn_cell_base';

/** Options of `nn.RNNCell`. */
export interface RNNCellOptions extends CellOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * ```ts
 * const cell = new nn.RNNCell(10, 20);
 * let h = cell.forward(x0);      // x [batch, 10] → h [batch, 20]; missing h is zeros
 * h = cell.forward(x1, h);
 * ```
 */
export class RNNCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    super('RNN', inputSize, hiddenSize, options, ['nonlinearity'], options?.nonlinearity ?? 'tanh');
  }

  override kind(): string {
    return 'RNNCell';
  }

  /** h' [batch, hidden] for input [batch, input] and optional h [batch, hidden] (unbatched: [input], [hidden]). */
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    const { x, batch, unbatched } = this.checkInput(input);
    const h = this.checkState('hx', hx, batch, unbatched);
    return this.unbatch(this.step(x, h, null)[0], unbatched);
  }
}
