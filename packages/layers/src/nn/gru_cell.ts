/** `nn.GRUCell`: one PyTorch GRU step (gates r, z, n; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))). */
import type { Tensor } from '@recurrent/core';
import { CellOptions, RNNCellBase } from './rnn_cell_base';

/** Options of `nn.GRUCell`. */
export type GRUCellOptions = CellOptions;

/**
 * ```ts
 * const cell = new nn.GRUCell(10, 20);
 * const h1 = cell.forward(x0);   // x [batch, 10] → h [batch, 20]
 * ```
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options: GRUCellOptions = {}) {
    super('GRU', inputSize, hiddenSize, options, [], 'tanh');
  }

  override kind(): string {
    return 'GRUCell';
  }

  /** h' [batch, hidden] for input [batch, input] and optional h [batch, hidden] (unbatched: [input], [hidden]). */
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    const { x, batch, unbatched } = this.checkInput(input);
    const h = this.checkState('hx', hx, batch, unbatched);
    return this.unbatch(this.step(x, h, null)[0], unbatched);
  }
}
