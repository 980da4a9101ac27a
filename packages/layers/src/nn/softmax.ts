/** `nn.Softmax` and `nn.LogSoftmax`: PyTorch's softmax modules over one dimension `dim`. */
import { describeValue } from '../engine/args';
import { formatShape, logSoftmax, softmax, Tensor, ValueError } from '@recurrent/core';
import { checkFloatTensor } from './init';
import { Module } from './module';

/** The shared module: the `dim` option (checked once), the input check, and the op applied along `dim`. */
abstract class SoftmaxModule extends Module {
  /** The dimension whose values sum to 1 (negative counts from the end). */
  readonly dim: number;

  protected constructor(
    dim: number,
    private readonly op: (x: Tensor, dim: number) => Tensor,
  ) {
    super();
    // PyTorch note: PyTorch still accepts dim=None (an implicit, deprecated choice of dimension, with a warning); here
    // dim is required.
    if (typeof dim !== 'number' || !Number.isInteger(dim)) {
      throw new ValueError(
        `nn.${this.kind()}: dim must be an integer (the dimension that sums to 1, e.g. 1 for [batch, classes]), received ${describeValue(dim)}.`,
      );
    }
    this.dim = dim;
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }

  /** The op along `dim`; same shape as the input. */
  forward(input: Tensor): Tensor {
    const t = checkFloatTensor(`nn.${this.kind()}`, 'input', input);
    if (this.dim < -t.rank || this.dim >= Math.max(t.rank, 1)) {
      throw new ValueError(
        `nn.${this.kind()}: dim ${this.dim} is out of range for the input of shape ${formatShape(t.shape)} (dims ${-t.rank}..${t.rank - 1}).`,
      );
    }
    return this.op(t, this.dim);
  }
}

/**
 * Softmax over dimension `dim`: exp(x) / Σ exp(x) along it (same shape as the input).
 *
 * ```ts
 * const probs = new nn.Softmax(1).forward(logits);   // logits [batch, classes]
 * ```
 */
export class Softmax extends SoftmaxModule {
  constructor(dim: number) {
    super(dim, softmax);
  }

  override kind(): string {
    return 'Softmax';
  }
}

/**
 * Log-softmax over dimension `dim` (same shape as the input), as the names tutorials put before `nn.NLLLoss`.
 *
 * ```ts
 * const head = new nn.Sequential(new nn.Linear(128, 18), new nn.LogSoftmax(1));
 * const loss = new nn.NLLLoss().forward(head.forward(h), target);   // h [batch, 128], target int32 [batch]
 * ```
 */
export class LogSoftmax extends SoftmaxModule {
  constructor(dim: number) {
    super(dim, logSoftmax);
  }

  override kind(): string {
    return 'LogSoftmax';
  }
}
