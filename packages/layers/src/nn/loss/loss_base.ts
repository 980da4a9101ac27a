/** The shared base of the `nn` loss modules: the reduction option and input checks. */
import { div, formatShape, mean, reshape, sum, Tensor, tensor, ValueError } from '@recurrent/core';
import { checkFloatTensor, checkOptionKeys } from '../init';
import { Module } from '../module';

/** How per-element losses are combined: 'mean' (default), 'sum' or 'none' (the per-element losses). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options shared by every loss. */
export interface LossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** Base class of the losses: `forward(input, target)` returns the loss (a scalar unless reduction 'none'). */
export abstract class Loss extends Module {
  readonly reduction: Reduction;

  protected constructor(options: LossOptions | undefined, extraKeys: string[]) {
    super();
    const who = `nn.${this.kind()}`;
    checkOptionKeys(who, options, ['reduction', ...extraKeys]);
    const r = options?.reduction ?? 'mean';
    if (r !== 'mean' && r !== 'sum' && r !== 'none')
      throw new ValueError(`${who}: reduction must be 'mean', 'sum' or 'none', received '${String(r)}'.`);
    this.reduction = r;
  }

  abstract override forward(input: Tensor, target: unknown): Tensor;

  override extraRepr(): string {
    return this.reduction === 'mean' ? '' : `reduction='${this.reduction}'`;
  }

  /** Applies the reduction to per-element losses (mean over all elements). */
  protected reduce(perElement: Tensor): Tensor {
    if (this.reduction === 'none') return perElement;
    return this.reduction === 'sum' ? sum(perElement) : mean(perElement);
  }

  /** Reduction with a custom denominator for 'mean' (class weights, ignored targets). */
  protected reduceWeighted(perElement: Tensor, denominator: number, shape: number[]): Tensor {
    if (this.reduction === 'none') return reshape(perElement, shape);
    const s = sum(perElement);
    return this.reduction === 'sum' ? s : div(s, denominator);
  }
}

/** A float target of the same shape as the input (arrays of numbers are converted). */
export function sameShapeTarget(who: string, input: Tensor, target: unknown): Tensor {
  const t = target instanceof Tensor ? target : Array.isArray(target) || typeof target === 'number' ? tensor(target as number[]) : target;
  const f = checkFloatTensor(
    who,
    'target',
    t instanceof Tensor && t.dtype !== 'float32' ? tensor(Float32Array.from(t.values), t.shape.slice(), 'float32') : t,
  );
  if (formatShape(f.shape) !== formatShape(input.shape)) {
    throw new ValueError(`${who}: target must have the input's shape ${formatShape(input.shape)}, received ${formatShape(f.shape)}.`);
  }
  return f;
}

/** An optional float32 class-weight vector of length C. */
export function classWeight(who: string, name: string, w: unknown): Float32Array | null {
  if (w === undefined || w === null) return null;
  const t = w instanceof Tensor ? w : Array.isArray(w) ? tensor(Float32Array.from(w as number[]), [(w as number[]).length], 'float32') : w;
  if (!(t instanceof Tensor) || t.rank !== 1) {
    throw new ValueError(
      `${who}: ${name} must be a rank-1 Tensor (or number array) of per-class weights, received ${t instanceof Tensor ? `shape ${formatShape(t.shape)}` : typeof t}.`,
    );
  }
  return Float32Array.from(t.values);
}
