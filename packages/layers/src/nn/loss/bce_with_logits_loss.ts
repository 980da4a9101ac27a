/** `nn.BCEWithLogitsLoss`: binary cross-entropy on logits, numerically stable, with posWeight and weight. */
import { abs, add, exp, formatShape, log1p, mul, neg, relu, sub, Tensor, tensor, ValueError } from '@recurrent/core';
import { Loss, LossOptions, sameShapeTarget } from './loss_base';
import { checkFloatTensor } from '../init';

/** Options of `nn.BCEWithLogitsLoss`. */
export interface BCEWithLogitsLossOptions extends LossOptions {
  /** Weight of each element's loss (broadcast to the input's shape). */
  weight?: Tensor | number[] | null;
  /** Weight of the positive term per class (broadcast over the last dimension, e.g. [C] for [N, C]). */
  posWeight?: Tensor | number[] | null;
}

function asTensor(v: Tensor | number[] | null | undefined): Tensor | null {
  if (v === undefined || v === null) return null;
  return v instanceof Tensor ? v : tensor(Float32Array.from(v), [v.length], 'float32');
}

/**
 * loss = (1 − y)·x + (1 + (posWeight − 1)·y)·softplus(−x), times `weight`, reduced (PyTorch's formula).
 *
 * ```ts
 * const loss = new nn.BCEWithLogitsLoss({ posWeight: [3] }).forward(logits, labels);   // labels 0/1, same shape
 * ```
 */
export class BCEWithLogitsLoss extends Loss {
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;

  constructor(options: BCEWithLogitsLossOptions = {}) {
    super(options, ['weight', 'posWeight']);
    this.weight = asTensor(options?.weight);
    this.posWeight = asTensor(options?.posWeight);
  }

  override kind(): string {
    return 'BCEWithLogitsLoss';
  }

  /** input logits and target probabilities of the same shape. */
  forward(input: Tensor, target: Tensor | number[]): Tensor {
    const who = 'nn.BCEWithLogitsLoss';
    const x = checkFloatTensor(who, 'input', input);
    const y = sameShapeTarget(who, x, target);
    if (
      this.posWeight &&
      x.rank > 0 &&
      this.posWeight.size !== 1 &&
      this.posWeight.shape[this.posWeight.rank - 1] !== x.shape[x.rank - 1]
    ) {
      throw new ValueError(
        `${who}: posWeight ${formatShape(this.posWeight.shape)} must broadcast over the last dimension of input ${formatShape(x.shape)}.`,
      );
    }
    const softplusNeg = add(log1p(exp(neg(abs(x)))), relu(neg(x)));
    const logWeight = this.posWeight ? add(mul(sub(this.posWeight, 1), y), 1) : null;
    let loss = add(mul(sub(1, y), x), logWeight ? mul(logWeight, softplusNeg) : softplusNeg);
    if (this.weight) loss = mul(loss, this.weight);
    return this.reduce(loss);
  }
}
