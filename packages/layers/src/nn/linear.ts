/** `nn.Linear`: y = x·Wᵀ + b over the last axis, with PyTorch's weight layout [outFeatures, inFeatures]. */
import { add, formatShape, matMul, reshape, Tensor, Variable, ValueError } from '@recurrent/core';
import { checkFloatTensor, checkInt, checkOptionKeys, moduleGenerator, uniformTensor } from './init';
import { Module } from './module';

/** Options of `nn.Linear`. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Seed of the initial weights (default: core's global generator). */
  seed?: number;
}

/**
 * ```ts
 * const head = new nn.Linear(20, 5);
 * const y = head.forward(x);   // x [..., 20] → y [..., 5]
 * ```
 * Initialization as PyTorch: weight and bias uniform(−1/√inFeatures, 1/√inFeatures).
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  private readonly hasBias: boolean;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkOptionKeys('nn.Linear', options, ['bias', 'seed']);
    this.inFeatures = checkInt('nn.Linear', 'inFeatures', inFeatures, 1);
    this.outFeatures = checkInt('nn.Linear', 'outFeatures', outFeatures, 1);
    const rng = moduleGenerator(options?.seed);
    const bound = 1 / Math.sqrt(inFeatures);
    this.registerParameter('weight', uniformTensor([outFeatures, inFeatures], bound, rng));
    this.hasBias = options?.bias ?? true;
    if (this.hasBias) this.registerParameter('bias', uniformTensor([outFeatures], bound, rng));
  }

  /**
   * [outFeatures, inFeatures]. Assigning a Variable shares it, as PyTorch's weight tying
   * (`decoder.weight = encoder.weight` with an `nn.Embedding(outFeatures, inFeatures)`); a Tensor is copied.
   */
  get weight(): Variable {
    return this.getParameter('weight');
  }

  set weight(value: Variable) {
    this.setParameterAttribute('weight', value, [this.outFeatures, this.inFeatures]);
  }

  /** [outFeatures], or null with `bias: false`. */
  get bias(): Variable | null {
    return this.hasBias ? this.getParameter('bias') : null;
  }

  override kind(): string {
    return 'Linear';
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.hasBias}`;
  }

  /** [..., inFeatures] → [..., outFeatures]. */
  forward(input: Tensor): Tensor {
    const x = checkFloatTensor('nn.Linear', 'input', input);
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ValueError(
        `nn.Linear: the last dimension of input must be inFeatures = ${this.inFeatures}, received shape ${formatShape(x.shape)}.`,
      );
    }
    const lead = x.shape.slice(0, -1);
    let y = matMul(x.rank === 2 ? x : reshape(x, [-1, this.inFeatures]), this.weight, false, true);
    if (this.bias) y = add(y, this.bias);
    return x.rank === 2 ? y : reshape(y, [...lead, this.outFeatures]);
  }
}
