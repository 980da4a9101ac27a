/** `nn.MultiheadAttention`: PyTorch's multi-head scaled dot-product attention with its parameter names and layouts. */
import { checkBoolArg, describeValue } from '../engine/args';
import {
  add,
  formatShape,
  matMul,
  mul,
  NotImplementedError,
  RandomGenerator,
  reshape,
  slice,
  softmax,
  sum,
  Tensor,
  tensor,
  transpose,
  ValueError,
  Variable,
  zeros,
} from '@recurrent/core';
import { checkFloatTensor, checkInt, checkOptionKeys, dropoutMask, moduleGenerator, uniformTensor } from './init';
import { Linear } from './linear';
import { Module } from './module';

/** Options of `nn.MultiheadAttention` (PyTorch's keyword arguments, camelCase). */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Learn `in_proj_bias` [3·embedDim] and `out_proj.bias` (default true). */
  bias?: boolean;
  /** PyTorch's learned key/value bias rows; only `false` (the default) is implemented. */
  addBiasKv?: boolean;
  /** PyTorch's extra all-zero key/value row; only `false` (the default) is implemented. */
  addZeroAttn?: boolean;
  /** Features of `key` (default embedDim). */
  kdim?: number;
  /** Features of `value` (default embedDim). */
  vdim?: number;
  /** Inputs and output are [batch, seq, features] (default false: [seq, batch, features], as PyTorch). */
  batchFirst?: boolean;
  /** Seed of the initial weights and of the dropout masks (default: core's global generator). */
  seed?: number;
}

/** Options of `MultiheadAttention.forward` (PyTorch's keyword arguments, camelCase). */
export interface MultiheadAttentionForwardOptions {
  /**
   * [batch, S] (or [S] for unbatched inputs): a bool mask where `true` marks a key to ignore, or a float mask
   * added to the attention scores.
   */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true); otherwise the second result is null. */
  needWeights?: boolean;
  /**
   * [L, S] or [batch·numHeads, L, S]: a bool mask where `true` marks a query/key pair that may NOT attend, or a
   * float mask added to the attention scores.
   */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads ([batch, L, S]; default true) or not ([batch, numHeads, L, S]). */
  averageAttnWeights?: boolean;
  /** Query i attends only keys j <= i (used as the attnMask when none is given; see the note on the class). */
  isCausal?: boolean;
}

/** Whether `x`'s layout was batched, and the [batch, seq, features] view of it. */
interface BatchView {
  batched: boolean;
  x: Tensor;
}

/**
 * Multi-head attention as PyTorch's `nn.MultiheadAttention`: queries [L, batch, embedDim], keys [S, batch, kdim]
 * and values [S, batch, vdim] (or [batch, L, embedDim] ... with `batchFirst`, or unbatched [L, embedDim] ...)
 * → `[output [L, batch, embedDim], weights [batch, L, S] | null]`. Parameters as PyTorch: `in_proj_weight`
 * [3·embedDim, embedDim] (or `q_proj_weight` [embedDim, embedDim], `k_proj_weight` [embedDim, kdim],
 * `v_proj_weight` [embedDim, vdim] when kdim or vdim differ), `in_proj_bias` [3·embedDim], `out_proj.weight`,
 * `out_proj.bias`; a PyTorch `state_dict()` loads with `loadStateDict`. Initialization as PyTorch: Xavier-uniform
 * projections, zero biases, `out_proj.weight` as nn.Linear's.
 *
 * ```ts
 * const attn = new nn.MultiheadAttention(64, 8, { batchFirst: true });
 * const [y, w] = attn.forward(x, x, x, { keyPaddingMask: pad });   // x [batch, seq, 64] → y same, w [batch, seq, seq]
 * ```
 *
 * tfjs note: batchFirst defaults to false here, as PyTorch's MultiheadAttention, although our nn.LSTM/GRU/RNN default
 * it to true: code ported from PyTorch calls `nn.MultiheadAttention(E, H)` and feeds [seq, batch, E], and a different
 * default would silently attend over the batch. Pass `batchFirst: true` for [batch, seq, E].
 * tfjs note: `isCausal` without an `attnMask` applies the causal mask (PyTorch 2.x raises "Need attn_mask if
 * specifying the is_causal hint"); with an `attnMask` the mask is used as given, as PyTorch (the flag is a hint).
 * Rows whose keys are all masked give NaN, as PyTorch (masked scores are −∞).
 * tfjs note: each mask is made additive on its own (bool: 0 / −∞; float: as given) and the two are summed; PyTorch 1.13
 * does the same except for a bool attnMask with a float keyPaddingMask, which it ORs as if the float mask were bool.
 */
export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  /** Whether kdim = vdim = embedDim (one packed `in_proj_weight`), as PyTorch's `_qkv_same_embed_dim`. */
  readonly qkvSameEmbedDim: boolean;
  /** The output projection, `out_proj` (an nn.Linear(embedDim, embedDim)). */
  readonly outProj: Linear;
  private readonly hasBias: boolean;
  private readonly rng: RandomGenerator;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const who = 'nn.MultiheadAttention';
    checkOptionKeys(who, options, ['dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst', 'seed']);
    this.embedDim = checkInt(who, 'embedDim', embedDim, 1);
    this.numHeads = checkInt(who, 'numHeads', numHeads, 1);
    if (embedDim % numHeads !== 0) throw new ValueError(`${who}: embedDim (${embedDim}) must be divisible by numHeads (${numHeads}).`);
    this.headDim = embedDim / numHeads;
    this.kdim = options?.kdim == null ? embedDim : checkInt(who, 'kdim', options.kdim, 1);
    this.vdim = options?.vdim == null ? embedDim : checkInt(who, 'vdim', options.vdim, 1);
    const dropout = options?.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1))
      throw new ValueError(`${who}: dropout must be a probability in [0, 1], received ${describeValue(dropout)}.`);
    this.dropout = dropout;
    const flags = {
      bias: options?.bias ?? true,
      addBiasKv: options?.addBiasKv ?? false,
      addZeroAttn: options?.addZeroAttn ?? false,
      batchFirst: options?.batchFirst ?? false,
    };
    for (const [name, v] of Object.entries(flags)) checkBoolArg(who, name, v);
    for (const name of ['addBiasKv', 'addZeroAttn'] as const) {
      if (flags[name]) throw new NotImplementedError(`${who}: ${name}: true is not implemented (only false, the default).`);
    }
    this.hasBias = flags.bias;
    this.batchFirst = flags.batchFirst;
    this.qkvSameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.rng = moduleGenerator(options?.seed);
    const xavier = (rows: number, cols: number) => uniformTensor([rows, cols], Math.sqrt(6 / (rows + cols)), this.rng);
    if (this.qkvSameEmbedDim) {
      this.registerParameter('in_proj_weight', xavier(3 * embedDim, embedDim));
    } else {
      this.registerParameter('q_proj_weight', xavier(embedDim, embedDim));
      this.registerParameter('k_proj_weight', xavier(embedDim, this.kdim));
      this.registerParameter('v_proj_weight', xavier(embedDim, this.vdim));
    }
    if (this.hasBias) this.registerParameter('in_proj_bias', zeros([3 * embedDim]));
    // out_proj.weight drawn as nn.Linear's, from this module's generator (a seed gives one stream for all weights); the
    // Linear's own values are replaced, so it gets a fixed seed and leaves core's global generator untouched.
    this.outProj = this.registerModule('out_proj', new Linear(embedDim, embedDim, { bias: this.hasBias, seed: 0 }));
    this.outProj.weight.assign(uniformTensor([embedDim, embedDim], 1 / Math.sqrt(embedDim), this.rng));
    this.outProj.bias?.assign(zeros([embedDim]));
  }

  override kind(): string {
    return 'MultiheadAttention';
  }

  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, kdim=${this.kdim}, vdim=${this.vdim}, batchFirst=${this.batchFirst}`;
  }

  /** The weight projecting `which` (0 query, 1 key, 2 value) and its bias (rows of the packed ones when packed). */
  private projection(which: 0 | 1 | 2): [Tensor, Tensor | null] {
    const E = this.embedDim;
    const w = this.qkvSameEmbedDim
      ? slice(this.getParameter('in_proj_weight'), [which * E, 0], [E, E])
      : this.getParameter(['q_proj_weight', 'k_proj_weight', 'v_proj_weight'][which]);
    const b = this.hasBias ? slice(this.getParameter('in_proj_bias'), [which * E], [E]) : null;
    return [w, b];
  }

  /** [batch, T, d] → [batch·numHeads, T, headDim] through projection `which`. */
  private project(which: 0 | 1 | 2, x: Tensor): Tensor {
    const [n, t, d] = x.shape;
    const [w, b] = this.projection(which);
    let y = matMul(reshape(x, [n * t, d]), w, false, true);
    if (b) y = add(y, b);
    return reshape(transpose(reshape(y, [n, t, this.numHeads, this.headDim]), [0, 2, 1, 3]), [n * this.numHeads, t, this.headDim]);
  }

  /** Checks one input and returns its [batch, seq, features] view. */
  private batchView(name: string, x: Tensor, features: number, batched: boolean | null): BatchView {
    const who = 'nn.MultiheadAttention.forward';
    checkFloatTensor(who, name, x);
    const layout = this.batchFirst ? '[batch, seq, features]' : '[seq, batch, features]';
    if ((x.rank !== 3 && x.rank !== 2) || x.shape[x.rank - 1] !== features || (batched !== null && batched !== (x.rank === 3))) {
      throw new ValueError(
        `${who}: ${name} must be ${batched === false ? 'unbatched [seq, features]' : batched ? layout : `${layout} or unbatched [seq, features]`} with features = ${features}, received shape ${formatShape(x.shape)}.`,
      );
    }
    if (x.rank === 2) return { batched: false, x: reshape(x, [1, ...x.shape]) };
    return { batched: true, x: this.batchFirst ? x : transpose(x, [1, 0, 2]) };
  }

  /**
   * `[output, weights]`: output [L, batch, embedDim] ([batch, L, embedDim] with batchFirst, [L, embedDim]
   * unbatched); weights [batch, L, S] (or [batch, numHeads, L, S] with `averageAttnWeights: false`; no batch
   * axis unbatched), or null with `needWeights: false`. The weights are those multiplied with the values (after
   * dropout in training mode), as PyTorch.
   */
  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const who = 'nn.MultiheadAttention.forward';
    checkOptionKeys(who, options, ['keyPaddingMask', 'needWeights', 'attnMask', 'averageAttnWeights', 'isCausal']);
    const flags = {
      needWeights: options?.needWeights ?? true,
      averageAttnWeights: options?.averageAttnWeights ?? true,
      isCausal: options?.isCausal ?? false,
    };
    for (const [name, v] of Object.entries(flags)) checkBoolArg(who, name, v);
    const q = this.batchView('query', query, this.embedDim, null);
    const k = this.batchView('key', key, this.kdim, q.batched);
    const v = this.batchView('value', value, this.vdim, q.batched);
    const [n, L] = q.x.shape;
    const S = k.x.shape[1];
    if (k.x.shape[0] !== n || v.x.shape[0] !== n || v.x.shape[1] !== S) {
      throw new ValueError(
        `${who}: query, key and value must have the same batch size and key and value the same length; received query ${formatShape(query.shape)}, key ${formatShape(key.shape)}, value ${formatShape(value.shape)} (batchFirst ${this.batchFirst}).`,
      );
    }
    const H = this.numHeads;
    const qh = mul(this.project(0, q.x), 1 / Math.sqrt(this.headDim));
    let scores = reshape(matMul(qh, this.project(1, k.x), false, true), [n, H, L, S]);
    let attnMask = options?.attnMask ?? null;
    if (attnMask === null && flags.isCausal) {
      const causal = new Float32Array(L * S);
      for (let i = 0; i < L; i++) for (let j = i + 1; j < S; j++) causal[i * S + j] = -Infinity;
      attnMask = tensor(causal, [L, S], 'float32');
    }
    if (attnMask !== null) {
      const m = additiveMask(who, 'attnMask', attnMask);
      if (m.rank === 2 && m.shape[0] === L && m.shape[1] === S) scores = add(scores, m);
      else if (m.rank === 3 && m.shape[0] === n * H && m.shape[1] === L && m.shape[2] === S) scores = add(scores, reshape(m, [n, H, L, S]));
      else
        throw new ValueError(
          `${who}: attnMask must have shape [L, S] = [${L}, ${S}] or [batch·numHeads, L, S] = [${n * H}, ${L}, ${S}], received ${formatShape(m.shape)}.`,
        );
    }
    const kpm = options?.keyPaddingMask ?? null;
    if (kpm !== null) {
      const m = additiveMask(who, 'keyPaddingMask', kpm);
      const want = q.batched ? [n, S] : [S];
      if (m.rank !== want.length || m.shape.some((d, i) => d !== want[i]))
        throw new ValueError(
          `${who}: keyPaddingMask must have shape ${q.batched ? '[batch, S]' : '[S]'} = ${formatShape(want)}, received ${formatShape(m.shape)}.`,
        );
      scores = add(scores, reshape(m, [n, 1, 1, S]));
    }
    let weights = softmax(scores, -1);
    if (this.training && this.dropout > 0) weights = mul(weights, dropoutMask(weights.shape, this.dropout, this.rng));
    const heads = matMul(reshape(weights, [n * H, L, S]), this.project(2, v.x));
    const merged = reshape(transpose(reshape(heads, [n, H, L, this.headDim]), [0, 2, 1, 3]), [n, L, this.embedDim]);
    let out = this.outProj.forward(merged);
    if (!q.batched) out = reshape(out, [L, this.embedDim]);
    else if (!this.batchFirst) out = transpose(out, [1, 0, 2]);
    if (!flags.needWeights) return [out, null];
    let w = flags.averageAttnWeights ? mul(sum(weights, 1), 1 / H) : weights;
    if (!q.batched) w = reshape(w, w.shape.slice(1));
    return [out, w];
  }

  /** `in_proj_weight` [3·embedDim, embedDim], or null when kdim or vdim differ from embedDim. */
  get inProjWeight(): Variable | null {
    return this.qkvSameEmbedDim ? this.getParameter('in_proj_weight') : null;
  }

  /** `in_proj_bias` [3·embedDim], or null with `bias: false`. */
  get inProjBias(): Variable | null {
    return this.hasBias ? this.getParameter('in_proj_bias') : null;
  }
}

/** A bool mask as 0 / −∞ (true = masked), a float mask as it is (added to the scores), as PyTorch. */
function additiveMask(who: string, name: string, m: unknown): Tensor {
  if (!(m instanceof Tensor) || m.dtype === 'int32') {
    throw new ValueError(
      `${who}: ${name} must be a bool Tensor (true = masked) or a float32 Tensor (added to the scores), received ${
        m instanceof Tensor ? `an int32 Tensor of shape ${formatShape(m.shape)}` : describeValue(m)
      }.`,
    );
  }
  if (m.dtype === 'float32') return m;
  return tensor(
    Float32Array.from(m.values, (b) => (b ? -Infinity : 0)),
    m.shape.slice(),
    'float32',
  );
}
