/**
 * Activation modules as PyTorch's `torch.nn` has them (`nn.ReLU`, `nn.Tanh`, `nn.Sigmoid`, `nn.GELU`, `nn.LeakyReLU`,
 * `nn.ELU`, `nn.SiLU`): elementwise, same shape as the input, usable inside `nn.Sequential`.
 */
import { describeValue } from '../engine/args';
import { elu, expm1, greater, leakyRelu, minimum, mul, relu, sigmoid, tanh, Tensor, ValueError, where } from '@recurrent/core';
import { Gelu, GeluNew } from '../activations/activations';
import { checkFloatTensor, checkOptionKeys } from './init';
import { Module } from './module';

/** The shared module: a name, an elementwise function, and the float32 input check. */
abstract class ActivationModule extends Module {
  protected abstract fn(x: Tensor): Tensor;

  /** Same shape as the input (any rank). */
  forward(input: Tensor): Tensor {
    return this.fn(checkFloatTensor(`nn.${this.kind()}`, 'input', input));
  }
}

/** Throws unless `v` is a finite number. */
function checkFinite(who: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ValueError(`${who}: ${name} must be a finite number, received ${describeValue(v)}.`);
  return v;
}

/**
 * max(x, 0).
 *
 * ```ts
 * const mlp = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 1));
 * ```
 * PyTorch note: no `inplace` option (tensors are immutable here).
 */
export class ReLU extends ActivationModule {
  override kind(): string {
    return 'ReLU';
  }

  protected fn(x: Tensor): Tensor {
    return relu(x);
  }
}

/** Hyperbolic tangent. `new nn.Tanh().forward(x)`. */
export class Tanh extends ActivationModule {
  override kind(): string {
    return 'Tanh';
  }

  protected fn(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** Logistic sigmoid 1 / (1 + e^−x). `new nn.Sigmoid().forward(x)`. */
export class Sigmoid extends ActivationModule {
  override kind(): string {
    return 'Sigmoid';
  }

  protected fn(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** SiLU (swish) x · sigmoid(x). `new nn.SiLU().forward(x)`. */
export class SiLU extends ActivationModule {
  override kind(): string {
    return 'SiLU';
  }

  protected fn(x: Tensor): Tensor {
    return mul(x, sigmoid(x));
  }
}

/** Options of `nn.GELU`. */
export interface GELUOptions {
  /** 'none' (default): exact x·Φ(x) with the normal CDF; 'tanh': 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  approximate?: 'none' | 'tanh';
}

/**
 * GELU, exact (default) or its tanh approximation.
 *
 * ```ts
 * const ffn = new nn.Sequential(new nn.Linear(64, 256), new nn.GELU({ approximate: 'tanh' }), new nn.Linear(256, 64));
 * ```
 */
export class GELU extends ActivationModule {
  readonly approximate: 'none' | 'tanh';
  private readonly impl: Gelu | GeluNew;

  constructor(options: GELUOptions = {}) {
    super();
    checkOptionKeys('nn.GELU', options, ['approximate']);
    const a = options?.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') throw new ValueError(`nn.GELU: approximate must be 'none' or 'tanh', received ${describeValue(a)}.`);
    this.approximate = a;
    this.impl = a === 'none' ? new Gelu() : new GeluNew();
  }

  override kind(): string {
    return 'GELU';
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }

  protected fn(x: Tensor): Tensor {
    return this.impl.apply(x);
  }
}

/** Options of `nn.LeakyReLU`. */
export interface LeakyReLUOptions {
  /** Slope for x < 0 (default 0.01, as PyTorch). */
  negativeSlope?: number;
}

/**
 * x for x > 0, else negativeSlope·x.
 *
 * ```ts
 * const act = new nn.LeakyReLU({ negativeSlope: 0.2 });
 * ```
 * tfjs note: the default slope is PyTorch's 0.01 (tfjs's leakyRelu and Keras's LeakyReLU default to 0.2 / 0.3).
 */
export class LeakyReLU extends ActivationModule {
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super();
    checkOptionKeys('nn.LeakyReLU', options, ['negativeSlope']);
    this.negativeSlope = checkFinite('nn.LeakyReLU', 'negativeSlope', options?.negativeSlope ?? 0.01);
  }

  override kind(): string {
    return 'LeakyReLU';
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }

  protected fn(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}

/** Options of `nn.ELU`. */
export interface ELUOptions {
  /** Scale of the negative part α (default 1). */
  alpha?: number;
}

/**
 * x for x > 0, else α(eˣ − 1).
 *
 * ```ts
 * const act = new nn.ELU({ alpha: 0.5 });
 * ```
 */
export class ELU extends ActivationModule {
  readonly alpha: number;

  constructor(options: ELUOptions = {}) {
    super();
    checkOptionKeys('nn.ELU', options, ['alpha']);
    this.alpha = checkFinite('nn.ELU', 'alpha', options?.alpha ?? 1);
  }

  override kind(): string {
    return 'ELU';
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }

  protected fn(x: Tensor): Tensor {
    if (this.alpha === 1) return elu(x);
    return where(greater(x, 0), x, mul(expm1(minimum(x, 0)), this.alpha));
  }
}
