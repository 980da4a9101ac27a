/** `nn.LayerNorm`: normalizes over the last dimensions (mean 0, variance 1), then scales and shifts elementwise. */
import { describeValue } from '../engine/args';
import { add, formatShape, mul, ones, rsqrt, square, sub, mean, Tensor, Variable, ValueError, zeros } from '@recurrent/core';
import { checkFloatTensor, checkOptionKeys } from './init';
import { Module } from './module';

/** Options of `nn.LayerNorm` (PyTorch's keyword arguments, camelCase). */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn `weight` (ones) and `bias` (zeros) of shape normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** Learn the additive `bias` too (default true; only with elementwiseAffine). */
  bias?: boolean;
}

/**
 * y = (x − E[x]) / √(Var[x] + eps) · weight + bias, with mean and (biased) variance over the last
 * `normalizedShape.length` dimensions; parameters `weight` and `bias` of shape `normalizedShape`, as PyTorch.
 *
 * ```ts
 * const norm = new nn.LayerNorm(64);            // x [batch, seq, 64] → same shape
 * const norm2 = new nn.LayerNorm([10, 64], { elementwiseAffine: false });
 * ```
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  private readonly hasBias: boolean;

  constructor(normalizedShape: number | number[], options: LayerNormOptions = {}) {
    super();
    const who = 'nn.LayerNorm';
    checkOptionKeys(who, options, ['eps', 'elementwiseAffine', 'bias']);
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new ValueError(
        `${who}: normalizedShape must be an integer >= 1 or a non-empty array of them (the trailing dimensions to normalize), received ${describeValue(normalizedShape)}.`,
      );
    }
    this.normalizedShape = shape.slice();
    const eps = options?.eps ?? 1e-5;
    if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps))
      throw new ValueError(`${who}: eps must be a finite number >= 0, received ${describeValue(eps)}.`);
    this.eps = eps;
    const affine = options?.elementwiseAffine ?? true;
    const bias = options?.bias ?? true;
    for (const [name, v] of [
      ['elementwiseAffine', affine],
      ['bias', bias],
    ] as const) {
      if (typeof v !== 'boolean') throw new ValueError(`${who}: ${name} must be true or false, received ${describeValue(v)}.`);
    }
    this.elementwiseAffine = affine;
    this.hasBias = affine && bias;
    if (affine) this.registerParameter('weight', ones(this.normalizedShape));
    if (this.hasBias) this.registerParameter('bias', zeros(this.normalizedShape));
  }

  /** The scale, of shape normalizedShape (null without elementwiseAffine). */
  get weight(): Variable | null {
    return this.elementwiseAffine ? this.getParameter('weight') : null;
  }

  /** The shift, of shape normalizedShape (null without elementwiseAffine or with `bias: false`). */
  get bias(): Variable | null {
    return this.hasBias ? this.getParameter('bias') : null;
  }

  override kind(): string {
    return 'LayerNorm';
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }

  /** [..., *normalizedShape] → the same shape. */
  forward(input: Tensor): Tensor {
    const x = checkFloatTensor('nn.LayerNorm', 'input', input);
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.rank - k);
    if (x.rank < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ValueError(
        `nn.LayerNorm: the input's last ${k} dimension(s) must be normalizedShape ${formatShape(this.normalizedShape)}, received shape ${formatShape(x.shape)}.`,
      );
    }
    const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
    const centered = sub(x, mean(x, axes, true));
    let y = mul(centered, rsqrt(add(mean(square(centered), axes, true), this.eps)));
    if (this.weight) y = mul(y, this.weight);
    if (this.bias) y = add(y, this.bias);
    return y;
  }
}
