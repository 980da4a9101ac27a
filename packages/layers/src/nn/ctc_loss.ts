/** `nn.CTCLoss`: PyTorch's connectionist temporal classification loss module over the fused core `ctcLoss`. */
import {
  cast,
  convertToTensor,
  ctcLoss,
  div,
  formatShape,
  isInf,
  maximum,
  mean,
  reshape,
  sum,
  Tensor,
  TensorLike,
  tensor,
  transpose,
  where,
  zerosLike,
  ValueError,
} from '@recurrent/core';
import { checkOptionKeys, checkFloatTensor } from './init';
import { Module } from './module';

/** How `nn.CTCLoss` reduces the per-sample losses. */
export type CTCLossReduction = 'mean' | 'sum' | 'none';

/** Options of `nn.CTCLoss` (PyTorch's arguments, camelCase). */
export interface CTCLossOptions {
  /** Class id of the blank (default 0). */
  blank?: number;
  /**
   * 'mean' (default: each loss divided by its target length (at least 1), then averaged over the batch, as PyTorch),
   * 'sum', or 'none' (per-sample losses [N]).
   */
  reduction?: CTCLossReduction;
  /** Replace infinite losses (targets that cannot be aligned in their input length) and their gradients by 0. */
  zeroInfinity?: boolean;
}

const WHO = 'nn.CTCLoss';

/** Renames the core op's argument names in its messages to PyTorch's. */
function asTorchError(e: unknown): Error {
  const err = e as Error;
  err.message = err.message
    .replace(/^ctcLoss:/, `${WHO}:`)
    .replace(/\blabelLengths\b/g, 'targetLengths')
    .replace(/\blogitLengths\b/g, 'inputLengths')
    .replace(/\blabels\b/g, 'targets')
    .replace(/\blogits\b/g, 'logProbs')
    .replace(/\bblankIndex\b/g, 'blank');
  return err;
}

function lengths(name: string, x: TensorLike | number, n: number): Tensor {
  const t = convertToTensor(typeof x === 'number' ? [x] : x, name, WHO);
  if (t.rank !== 1 || t.shape[0] !== n) {
    throw new ValueError(
      `${WHO}: ${name} must have shape [${n}] (one length per sequence of the batch), received shape ${formatShape(t.shape)}.`,
    );
  }
  return t;
}

/**
 * The CTC loss as PyTorch's `torch.nn.CTCLoss`, for `logProbs` of shape `[T, N, C]` (time first, log-softmax
 * outputs), `targets` `[N, S]` padded (or 1-D: all targets concatenated, `sum(targetLengths)` long), and
 * `inputLengths`, `targetLengths` `[N]`. An unbatched `[T, C]` input takes `targets` `[S]` and one length each.
 *
 * ```ts
 * const ctc = new nn.CTCLoss({ blank: 0, reduction: 'mean' });
 * const logProbs = logSoftmax(randomNormal([50, 16, 20]));           // [T, N, C]
 * const loss = ctc.forward(logProbs, targets, inputLengths, targetLengths);   // scalar
 * ```
 *
 * PyTorch note: the gradient with respect to `logProbs` is the exact −(posterior occupancy); PyTorch's kernel
 * returns exp(logProbs) − occupancy instead. The two agree once composed with `logSoftmax` (the usual case). With
 * `zeroInfinity` false an impossible target gives an infinite loss with a zero gradient (PyTorch's is NaN); an input
 * length of 0 gives loss 0 for an empty target (PyTorch's value is unspecified).
 */
export class CTCLoss extends Module {
  readonly blank: number;
  readonly reduction: CTCLossReduction;
  readonly zeroInfinity: boolean;

  constructor(options: CTCLossOptions = {}) {
    super();
    checkOptionKeys(WHO, options, ['blank', 'reduction', 'zeroInfinity']);
    const { blank = 0, reduction = 'mean', zeroInfinity = false } = options ?? {};
    if (typeof blank !== 'number' || !Number.isInteger(blank) || blank < 0) {
      throw new ValueError(`${WHO}: blank must be an integer >= 0, received ${String(blank)}.`);
    }
    if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
      throw new ValueError(`${WHO}: reduction must be 'mean', 'sum' or 'none', received ${JSON.stringify(reduction)}.`);
    }
    if (typeof zeroInfinity !== 'boolean')
      throw new ValueError(`${WHO}: zeroInfinity must be a boolean, received ${String(zeroInfinity)}.`);
    this.blank = blank;
    this.reduction = reduction;
    this.zeroInfinity = zeroInfinity;
  }

  override kind(): string {
    return 'CTCLoss';
  }

  override extraRepr(): string {
    return `blank=${this.blank}, reduction='${this.reduction}', zeroInfinity=${this.zeroInfinity}`;
  }

  forward(logProbs: Tensor, targets: TensorLike, inputLengths: TensorLike | number, targetLengths: TensorLike | number): Tensor {
    let lp = checkFloatTensor(WHO, 'logProbs', logProbs);
    let tg = convertToTensor(targets, 'targets', WHO);
    const unbatched = lp.rank === 2;
    if (unbatched) {
      lp = reshape(lp, [lp.shape[0], 1, lp.shape[1]]);
      if (tg.rank !== 1)
        throw new ValueError(`${WHO}: unbatched logProbs [T, C] take targets of shape [S], received shape ${formatShape(tg.shape)}.`);
      tg = reshape(tg, [1, tg.shape[0]]);
    }
    if (lp.rank !== 3)
      throw new ValueError(`${WHO}: logProbs must have shape [T, N, C] (or [T, C]), received shape ${formatShape(lp.shape)}.`);
    const N = lp.shape[1];
    const inLen = lengths('inputLengths', inputLengths, N);
    const tgLen = lengths('targetLengths', targetLengths, N);
    if (tg.rank === 1) tg = unconcatenate(tg, tgLen);
    else if (tg.rank !== 2 || tg.shape[0] !== N) {
      throw new ValueError(
        `${WHO}: targets must have shape [N, S] with N = ${N} (the batch of logProbs ${formatShape(lp.shape)}) or be 1-D ` +
          `(concatenated), received shape ${formatShape(tg.shape)}.`,
      );
    }
    let losses: Tensor;
    try {
      losses = ctcLoss(tg, transpose(lp, [1, 0, 2]), tgLen, inLen, { blankIndex: this.blank, fromLogits: false });
    } catch (e) {
      throw asTorchError(e);
    }
    if (this.zeroInfinity) losses = where(isInf(losses), zerosLike(losses), losses);
    if (this.reduction === 'none') return unbatched ? reshape(losses, []) : losses;
    if (this.reduction === 'sum') return sum(losses);
    const denom = maximum(tgLen.dtype === 'float32' ? tgLen : cast(tgLen, 'float32'), 1);
    return mean(div(losses, denom));
  }
}

/** Concatenated 1-D targets split by `targetLengths` into a padded [N, max] matrix. */
function unconcatenate(flat: Tensor, lens: Tensor): Tensor {
  const n = lens.shape[0];
  const lv = lens.values;
  let total = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    total += lv[i];
    max = Math.max(max, lv[i]);
  }
  if (total !== flat.shape[0]) {
    throw new ValueError(`${WHO}: 1-D (concatenated) targets must hold sum(targetLengths) = ${total} ids, received ${flat.shape[0]}.`);
  }
  const out = new Int32Array(n * max);
  const fv = flat.values;
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < lv[i]; j++) out[i * max + j] = fv[k++];
  return tensor(out, [n, max], 'int32');
}
