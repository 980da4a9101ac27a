/** `nn.LSTMCell`: one PyTorch LSTM step (gates i, f, g, o). */
import type { Tensor } from '@recurrent/core';
import { CellOptions, RNNCellBase } from './rnn_cell_base';
import { ValueError } from '@recurrent/core';

/** Options of `nn.LSTMCell`. */
export type LSTMCellOptions = CellOptions;

/**
 * ```ts
 * const cell = new nn.LSTMCell(10, 20);
 * let [h, c] = cell.forward(x0);        // x [batch, 10] → h, c [batch, 20]
 * [h, c] = cell.forward(x1, [h, c]);
 * ```
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options: LSTMCellOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options, [], 'tanh');
  }

  override kind(): string {
    return 'LSTMCell';
  }

  /** `[h', c']` for input [batch, input] and optional `[h, c]` (each [batch, hidden]; zeros when missing). */
  forward(input: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, Tensor] {
    const { x, batch, unbatched } = this.checkInput(input);
    if (hx !== undefined && hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ValueError(
        `nn.LSTMCell: the state must be an array [h, c] of two Tensors, received ${Array.isArray(hx) ? `an array of ${hx.length}` : typeof hx}.`,
      );
    }
    const h = this.checkState('h', hx ? hx[0] : null, batch, unbatched);
    const c = this.checkState('c', hx ? hx[1] : null, batch, unbatched);
    const [h2, c2] = this.step(x, h, c);
    return [this.unbatch(h2, unbatched), this.unbatch(c2 as Tensor, unbatched)];
  }
}
