/** `nn.Embedding`: a lookup table [numEmbeddings, embeddingDim] indexed by integer ids. */
import { describeValue } from '../engine/args';
import { customGrad, formatShape, gather, Tensor, tensor, Variable, ValueError } from '@recurrent/core';
import { checkInt, checkOptionKeys, moduleGenerator } from './init';
import { Module } from './module';

/** Options of `nn.Embedding`. */
export interface EmbeddingOptions {
  /** The row for this id is initialized to zeros and receives no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Seed of the initial weights (default: core's global generator). */
  seed?: number;
}

/**
 * ```ts
 * const emb = new nn.Embedding(1000, 64, { paddingIdx: 0 });
 * const e = emb.forward(ids);   // ids int32 [batch, seq] (or nested number arrays) → [batch, seq, 64]
 * ```
 * Initialization as PyTorch: standard normal, padding row zero.
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    checkOptionKeys('nn.Embedding', options, ['paddingIdx', 'seed']);
    this.numEmbeddings = checkInt('nn.Embedding', 'numEmbeddings', numEmbeddings, 1);
    this.embeddingDim = checkInt('nn.Embedding', 'embeddingDim', embeddingDim, 1);
    let pad = options?.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new ValueError(
          `nn.Embedding: paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings}), received ${describeValue(pad)}.`,
        );
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    const rng = moduleGenerator(options?.seed);
    const w = new Float32Array(numEmbeddings * embeddingDim);
    for (let i = 0; i < w.length; i++) w[i] = rng.normal();
    if (pad !== null) w.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
    this.registerParameter('weight', tensor(w, [numEmbeddings, embeddingDim], 'float32'));
  }

  /** [numEmbeddings, embeddingDim]. Assigning a Variable shares it (weight tying, as PyTorch); a Tensor is copied. */
  get weight(): Variable {
    return this.getParameter('weight');
  }

  set weight(value: Variable) {
    this.setParameterAttribute('weight', value, [this.numEmbeddings, this.embeddingDim]);
  }

  override kind(): string {
    return 'Embedding';
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }

  /** Rows of the table for `input` ids (int32 tensor or nested number arrays): shape [...input.shape, embeddingDim]. */
  forward(input: Tensor | number[] | number[][]): Tensor {
    const ids = input instanceof Tensor ? input : tensor(input as number[], undefined, 'int32');
    if (ids.dtype !== 'int32')
      throw new ValueError(`nn.Embedding: input must hold int32 ids, received dtype ${ids.dtype} (shape ${formatShape(ids.shape)}).`);
    const iv = ids.values;
    for (let i = 0; i < iv.length; i++) {
      if (iv[i] < 0 || iv[i] >= this.numEmbeddings) {
        throw new ValueError(
          `nn.Embedding: id ${iv[i]} (flat position ${i} of input shape ${formatShape(ids.shape)}) is out of range [0, ${this.numEmbeddings}).`,
        );
      }
    }
    if (this.paddingIdx === null) return gather(this.weight, ids, 0);
    const pad = this.paddingIdx;
    const D = this.embeddingDim;
    const N = this.numEmbeddings;
    // gather whose gradient skips the padding row (PyTorch: padding_idx receives no gradient).
    const lookup = customGrad((w: Tensor) => ({
      value: gather(w, ids, 0),
      gradFunc: (dy: Tensor) => {
        const g = new Float32Array(N * D);
        const dv = dy.values;
        for (let i = 0; i < iv.length; i++) {
          const r = iv[i];
          if (r === pad) continue;
          for (let j = 0; j < D; j++) g[r * D + j] += dv[i * D + j];
        }
        return tensor(g, [N, D], 'float32');
      },
    }));
    return lookup(this.weight) as Tensor;
  }
}
