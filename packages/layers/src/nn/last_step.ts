/** `nn.convert.LastStep`: the last time step of a sequence (what a Keras recurrent layer with returnSequences false returns). */
import { formatShape, reshape, slice, Tensor, ValueError } from '@recurrent/core';
import { Module } from './module';

/**
 * `nn.convert.LastStep`: [batch, seq, features] → [batch, features], the last time step (what a Keras recurrent layer
 * with returnSequences false returns). No parameters. PyTorch has no module for it (`out[:, -1]`).
 */
export class LastStep extends Module {
  override kind(): string {
    return 'LastStep';
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || x.rank !== 3)
      throw new ValueError(
        `nn.convert.LastStep: input must be [batch, seq, features], received ${x instanceof Tensor ? formatShape(x.shape) : typeof x}.`,
      );
    const [b, t, f] = x.shape;
    return reshape(slice(x, [0, t - 1, 0], [b, 1, f]), [b, f]);
  }
}
