/** `nn.MSELoss`, `nn.L1Loss`, `nn.SmoothL1Loss`: elementwise regression losses with PyTorch's reductions. */
import { abs, minimum, mul, square, sub, add, Tensor, ValueError } from '@recurrent/core';
import { Loss, LossOptions, sameShapeTarget } from './loss_base';
import { checkFloatTensor } from '../init';

/**
 * Mean squared error (x − y)², reduced.
 *
 * ```ts
 * const loss = new nn.MSELoss().forward(pred, target);   // same shapes
 * ```
 */
export class MSELoss extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, []);
  }

  override kind(): string {
    return 'MSELoss';
  }

  /** input and target of the same shape. */
  forward(input: Tensor, target: Tensor | number[]): Tensor {
    const x = checkFloatTensor('nn.MSELoss', 'input', input);
    return this.reduce(square(sub(x, sameShapeTarget('nn.MSELoss', x, target))));
  }
}

/**
 * Mean absolute error |x − y|, reduced.
 *
 * ```ts
 * const loss = new nn.L1Loss({ reduction: 'sum' }).forward(pred, target);
 * ```
 */
export class L1Loss extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, []);
  }

  override kind(): string {
    return 'L1Loss';
  }

  /** input and target of the same shape. */
  forward(input: Tensor, target: Tensor | number[]): Tensor {
    const x = checkFloatTensor('nn.L1Loss', 'input', input);
    return this.reduce(abs(sub(x, sameShapeTarget('nn.L1Loss', x, target))));
  }
}

/** Options of `nn.SmoothL1Loss`. */
export interface SmoothL1LossOptions extends LossOptions {
  /** Where the loss switches from quadratic to linear (default 1; 0 gives L1). */
  beta?: number;
}

/**
 * Huber-like loss: 0.5·d²/β where |d| < β, else |d| − 0.5·β (d = x − y).
 *
 * ```ts
 * const loss = new nn.SmoothL1Loss({ beta: 0.5 }).forward(pred, target);
 * ```
 */
export class SmoothL1Loss extends Loss {
  readonly beta: number;

  constructor(options: SmoothL1LossOptions = {}) {
    super(options, ['beta']);
    const b = options?.beta ?? 1;
    if (typeof b !== 'number' || !(b >= 0) || !Number.isFinite(b))
      throw new ValueError(`nn.SmoothL1Loss: beta must be a number >= 0, received ${String(b)}.`);
    this.beta = b;
  }

  override kind(): string {
    return 'SmoothL1Loss';
  }

  /** input and target of the same shape. */
  forward(input: Tensor, target: Tensor | number[]): Tensor {
    const x = checkFloatTensor('nn.SmoothL1Loss', 'input', input);
    const a = abs(sub(x, sameShapeTarget('nn.SmoothL1Loss', x, target)));
    if (this.beta === 0) return this.reduce(a);
    // q = min(|d|, β): 0.5·q²/β + (|d| − q) is 0.5·d²/β inside and |d| − 0.5β outside.
    const q = minimum(a, this.beta);
    return this.reduce(add(mul(square(q), 0.5 / this.beta), sub(a, q)));
  }
}
