/** `nn.Dropout`: zeroes elements with probability p in training mode, scaling the rest by 1/(1 − p). */
import { describeValue } from '../engine/args';
import { mul, RandomGenerator, Tensor, ValueError } from '@recurrent/core';
import { checkFloatTensor, checkOptionKeys, dropoutMask, moduleGenerator } from './init';
import { Module } from './module';

/** Options of `nn.Dropout`. */
export interface DropoutOptions {
  /** Seed of the module's own generator (masks vary per call, reproducibly); default: core's global generator. */
  seed?: number;
}

/**
 * ```ts
 * const drop = new nn.Dropout(0.2);
 * drop.forward(x);          // training (default): random mask
 * drop.eval().forward(x);   // identity
 * ```
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly rng: RandomGenerator;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    checkOptionKeys('nn.Dropout', options, ['seed']);
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
      throw new ValueError(`nn.Dropout: p must be a probability in [0, 1], received ${describeValue(p)}.`);
    this.p = p;
    this.rng = moduleGenerator(options?.seed);
  }

  override kind(): string {
    return 'Dropout';
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }

  forward(input: Tensor): Tensor {
    const x = checkFloatTensor('nn.Dropout', 'input', input);
    if (!this.training || this.p === 0) return x;
    return mul(x, dropoutMask(x.shape, this.p, this.rng));
  }
}
