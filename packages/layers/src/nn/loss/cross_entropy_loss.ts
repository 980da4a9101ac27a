/** `nn.CrossEntropyLoss` and `nn.NLLLoss`: PyTorch's class-index (and probability) targets, class dim 1. */
import { formatShape, logSoftmax, mul, neg, reshape, sum, Tensor, tensor, transpose, ValueError } from '@recurrent/core';
import { classWeight, Loss, LossOptions } from './loss_base';
import { checkFloatTensor } from '../init';

/** Options of `nn.CrossEntropyLoss`. */
export interface CrossEntropyLossOptions extends LossOptions {
  /** Per-class weights [C] (default: all 1). */
  weight?: Tensor | number[] | null;
  /** Targets equal to this are ignored (no loss, not counted in the mean; default -100). */
  ignoreIndex?: number;
  /** ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C (default 0). */
  labelSmoothing?: number;
}

/** Options of `nn.NLLLoss`. */
export type NLLLossOptions = Omit<CrossEntropyLossOptions, 'labelSmoothing'>;

/**
 * Moves the class dimension (1, or 0 for unbatched [C]) last and flattens: [N, C, d1...] → [N·d1·..., C].
 * Returns the 2-D tensor and the per-element shape ([N, d1, ...], or [] unbatched).
 */
function classesLast(x: Tensor): { x2: Tensor; elemShape: number[] } {
  if (x.rank === 1) return { x2: reshape(x, [1, x.shape[0]]), elemShape: [] };
  if (x.rank === 2) return { x2: x, elemShape: [x.shape[0]] };
  const perm = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1];
  const C = x.shape[1];
  const elemShape = [x.shape[0], ...x.shape.slice(2)];
  return { x2: reshape(transpose(x, perm), [-1, C]), elemShape };
}

/**
 * The shared NLL computation: loss_i = −Σ_c A[i, c]·logp[i, c] with a constant coefficient matrix A built from the
 * targets, weights, ignoreIndex and label smoothing exactly as PyTorch weighs them; 'mean' divides by Σ_i w[y_i] over
 * non-ignored elements (class-index targets) or by the number of elements (probability targets).
 */
export function nllCore(
  who: string,
  logp: Tensor,
  elemShape: number[],
  target: unknown,
  weight: Float32Array | null,
  ignoreIndex: number,
  smoothing: number,
  reduce: (perElement: Tensor, denominator: number, shape: number[]) => Tensor,
  inputShape: number[],
): Tensor {
  const [M, C] = logp.shape;
  if (weight && weight.length !== C)
    throw new ValueError(`${who}: weight must have one value per class (${C}), received ${weight.length}.`);
  const w = (c: number) => (weight ? weight[c] : 1);
  const A = new Float32Array(M * C);
  let denom = 0;
  const t =
    target instanceof Tensor
      ? target
      : Array.isArray(target) || typeof target === 'number'
        ? tensor(target as number[], undefined, 'int32')
        : target;
  if (!(t instanceof Tensor))
    throw new ValueError(
      `${who}: target must be a Tensor of class indices (int32) or of class probabilities, received ${t === null ? 'null' : typeof t}.`,
    );
  if (t.dtype === 'float32' && formatShape(t.shape) === formatShape(inputShape)) {
    // Probability targets: the same layout as the input.
    const { x2: p2 } = classesLast(t);
    const pv = p2.dataSync();
    for (let i = 0; i < M; i++) for (let c = 0; c < C; c++) A[i * C + c] = w(c) * (pv[i * C + c] * (1 - smoothing) + smoothing / C);
    denom = M;
  } else {
    if (t.dtype === 'bool' || formatShape(t.shape) !== formatShape(elemShape)) {
      // The usual slip: a sequence model's logits [batch, time, classes] given as they come out of nn.Linear.
      const classesLastHint =
        inputShape.length >= 3 && formatShape(t.shape) === formatShape(inputShape.slice(0, -1))
          ? `; for logits [batch, time, classes], move the classes to dimension 1 first: transpose(logits, [${[0, inputShape.length - 1, ...inputShape.slice(1, -1).map((_, i) => i + 1)].join(', ')}])`
          : '';
      throw new ValueError(
        `${who}: target must hold class indices with shape ${formatShape(elemShape)} (the input ${formatShape(inputShape)} without its class dimension ${inputShape.length === 1 ? 0 : 1}), or class probabilities with the input's shape; received ${t.dtype} shape ${formatShape(t.shape)}${classesLastHint}.`,
      );
    }
    const tv = t.dataSync();
    for (let i = 0; i < M; i++) {
      const y = Number(tv[i]);
      if (y === ignoreIndex) continue;
      if (!Number.isInteger(y) || y < 0 || y >= C) {
        throw new ValueError(
          `${who}: target value ${y} at flat position ${i} is not a class index in [0, ${C - 1}] (nor ignoreIndex ${ignoreIndex}).`,
        );
      }
      A[i * C + y] += (1 - smoothing) * w(y);
      if (smoothing > 0) for (let c = 0; c < C; c++) A[i * C + c] += (smoothing / C) * w(c);
      denom += w(y);
    }
  }
  const perElement = neg(sum(mul(logp, tensor(A, [M, C], 'float32')), -1));
  return reduce(perElement, denom, elemShape);
}

function checkInput(who: string, input: unknown): Tensor {
  const x = checkFloatTensor(who, 'input', input);
  if (x.rank < 1) throw new ValueError(`${who}: input must be [C], [N, C] or [N, C, d1, ...] (classes in dimension 1), received a scalar.`);
  return x;
}

function checkIgnore(who: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ValueError(`${who}: ignoreIndex must be an integer, received ${String(v)}.`);
  return v;
}

/**
 * Cross-entropy of logits `input` [N, C] (or [N, C, d1, ...] for sequences, as PyTorch: classes in dimension 1; or
 * unbatched [C]) against class indices `target` [N] ([N, d1, ...]) or class probabilities (the input's shape).
 *
 * ```ts
 * const lossFn = new nn.CrossEntropyLoss({ ignoreIndex: 0, labelSmoothing: 0.1 });
 * const loss = lossFn.forward(logits, targets);   // logits [batch, classes], targets int32 [batch]
 * // for a tagger's output [batch, seq, classes]: lossFn.forward(logits.transpose([0, 2, 1]), tags)
 * ```
 */
export class CrossEntropyLoss extends Loss {
  readonly weight: Float32Array | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;

  constructor(options: CrossEntropyLossOptions = {}) {
    super(options, ['weight', 'ignoreIndex', 'labelSmoothing']);
    const who = 'nn.CrossEntropyLoss';
    this.weight = classWeight(who, 'weight', options?.weight);
    this.ignoreIndex = checkIgnore(who, options?.ignoreIndex ?? -100);
    const ls = options?.labelSmoothing ?? 0;
    if (typeof ls !== 'number' || !(ls >= 0 && ls <= 1))
      throw new ValueError(`${who}: labelSmoothing must be a number in [0, 1], received ${String(ls)}.`);
    this.labelSmoothing = ls;
  }

  override kind(): string {
    return 'CrossEntropyLoss';
  }

  /** input logits [N, C, d1...] / [N, C] / [C]; target int32 indices [N, d1...] / [N] / [] or float probabilities. */
  forward(input: Tensor, target: Tensor | number[] | number): Tensor {
    const who = 'nn.CrossEntropyLoss';
    const x = checkInput(who, input);
    const { x2, elemShape } = classesLast(x);
    return nllCore(
      who,
      logSoftmax(x2, -1),
      elemShape,
      target,
      this.weight,
      this.ignoreIndex,
      this.labelSmoothing,
      (p, d, s) => this.reduceWeighted(p, d, s),
      x.shape,
    );
  }
}

/**
 * Negative log-likelihood of log-probabilities `input` (e.g. from `logSoftmax`), class dimension 1 as PyTorch.
 *
 * ```ts
 * const loss = new nn.NLLLoss().forward(logSoftmax(logits, 1), targets);
 * ```
 */
export class NLLLoss extends Loss {
  readonly weight: Float32Array | null;
  readonly ignoreIndex: number;

  constructor(options: NLLLossOptions = {}) {
    super(options, ['weight', 'ignoreIndex']);
    this.weight = classWeight('nn.NLLLoss', 'weight', options?.weight);
    this.ignoreIndex = checkIgnore('nn.NLLLoss', options?.ignoreIndex ?? -100);
  }

  override kind(): string {
    return 'NLLLoss';
  }

  /** input log-probabilities [N, C, d1...] / [N, C] / [C]; target int32 class indices [N, d1...] / [N] / []. */
  forward(input: Tensor, target: Tensor | number[] | number): Tensor {
    const who = 'nn.NLLLoss';
    const x = checkInput(who, input);
    const { x2, elemShape } = classesLast(x);
    const t = target instanceof Tensor && target.dtype === 'float32' && formatShape(target.shape) === formatShape(x.shape) ? null : target;
    if (t === null)
      throw new ValueError(
        `${who}: target must hold class indices (int32) of shape ${formatShape(elemShape)}; probability targets are for nn.CrossEntropyLoss.`,
      );
    return nllCore(who, x2, elemShape, t, this.weight, this.ignoreIndex, 0, (p, d, s) => this.reduceWeighted(p, d, s), x.shape);
  }
}
