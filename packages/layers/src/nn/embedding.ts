/** `nn.Embedding`: a lookup table [numEmbeddings, embeddingDim] indexed by integer ids. */
import { checkBoolArg, describeValue } from '../engine/args';
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

/** Options of `nn.Embedding.fromPretrained`. */
export interface EmbeddingFromPretrainedOptions {
  /** The weight does not require grad, so training leaves it as given (default true, as PyTorch). */
  freeze?: boolean;
  /** This id's row receives no gradient (its values are kept as given, as PyTorch). */
  paddingIdx?: number | null;
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

  /**
   * An Embedding holding a copy of `embeddings` [numEmbeddings, embeddingDim] (e.g. pretrained word vectors), frozen
   * unless `freeze` is false, as PyTorch's `nn.Embedding.from_pretrained`.
   *
   * ```ts
   * const emb = nn.Embedding.fromPretrained(vectors, { paddingIdx: 0 });   // vectors [vocab, 300]
   * emb.weight.requiresGrad;   // false: optimizers given it leave it unchanged
   * ```
   */
  static fromPretrained(embeddings: Tensor, options: EmbeddingFromPretrainedOptions = {}): Embedding {
    const who = 'nn.Embedding.fromPretrained';
    checkOptionKeys(who, options, ['freeze', 'paddingIdx']);
    if (!(embeddings instanceof Tensor) || embeddings.rank !== 2 || embeddings.dtype !== 'float32') {
      throw new ValueError(
        `${who}: embeddings must be a 2-D float32 Tensor [numEmbeddings, embeddingDim], received ${
          embeddings instanceof Tensor ? `${embeddings.dtype} shape ${formatShape(embeddings.shape)}` : describeValue(embeddings)
        }.`,
      );
    }
    const freeze = options?.freeze ?? true;
    checkBoolArg(who, 'freeze', freeze);
    // seed 0: the random initial table is overwritten, so it need not consume core's global generator.
    const emb = new Embedding(embeddings.shape[0], embeddings.shape[1], { paddingIdx: options?.paddingIdx ?? null, seed: 0 });
    emb.weight.assign(tensor(Float32Array.from(embeddings.values), embeddings.shape.slice(), 'float32'));
    emb.weight.requiresGrad = !freeze;
    return emb;
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
