/** MultiHeadAttention: scaled dot-product attention with several learned projections (Keras 3 `MultiHeadAttention`). */
import {
  add,
  broadcastTo,
  formatShape,
  generatorFor,
  matMul,
  mul,
  RandomGenerator,
  reshape,
  sigmoid,
  softmax,
  Tensor,
  transpose,
  ValueError,
} from '@recurrent/core';
import { Constraint } from '../constraints/constraint';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints';
import { checkArgKeys, checkBoolArg, checkNumberArg, LAYER_ARG_KEYS } from '../engine/args';
import { CallKwargs, Layer, LayerArgs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { Initializer } from '../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';
import { Regularizer } from '../regularizers/regularizer';
import type { ConfigDict, SerializedObject } from '../serialization/registry';
import {
  asFloat,
  attentionDropout,
  attentionInputs,
  attentionInputShapes,
  attentionMasks,
  combinedAttentionMask,
  dimsCompatible,
  MASK_PENALTY,
} from './attention_utils';

/** Args of `MultiHeadAttention` (Keras 3 `MultiHeadAttention`). */
export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads N. */
  numHeads: number;
  /** Size H of each head for query and key. */
  keyDim: number;
  /** Size of each head for value (default `keyDim`). */
  valueDim?: number | null;
  /** Dropout rate on the attention probabilities in training (default 0). */
  dropout?: number;
  /** Whether the projections have biases (default true). */
  useBias?: boolean;
  /** Output feature shape (besides batch and sequence dims); default the query's last dimension. */
  outputShape?: number | number[] | null;
  /** Axes of the query/value the attention runs over (default all but batch and features). */
  attentionAxes?: number | number[] | null;
  /** Query position i attends only to key positions j with |i − j| < slidingWindow (rank-3 inputs; default: all). */
  slidingWindow?: number | null;
  /** Gate the heads' outputs by sigmoid(query · 'gate/kernel' + 'gate/bias') [N, valueDim] before the output projection (default false). */
  useGate?: boolean;
  /** Initializer of the four kernels (default 'glorotUniform'). */
  kernelInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Initializer of the four biases (default 'zeros'). */
  biasInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  kernelRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  biasRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Penalty on the layer's output (tfjs note: Keras applies it to each projection's output). */
  activityRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  kernelConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  biasConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Seed of the dropout generator. */
  seed?: number | null;
}

/** Keyword arguments of `MultiHeadAttention.apply`. */
export interface MultiHeadAttentionCallKwargs extends CallKwargs {
  /** `[queryMask [batch, T], valueMask [batch, S], keyMask? [batch, S]]` (rank-3 inputs; entries may be null). */
  mask?: (Tensor | null)[] | null;
  /** Which query positions may attend to which key positions, [batch, T, S] (bool or 0/1; broadcast over heads). */
  attentionMask?: Tensor | null;
  /** Also return the attention probabilities [batch, heads, T, S]: `[output, scores]`. */
  returnAttentionScores?: boolean;
  /** Query position i attends only to key positions j ≤ i. */
  useCausalMask?: boolean;
  /** Dropout is active only when true. */
  training?: boolean;
}

const MHA_KEYS = [
  'numHeads',
  'keyDim',
  'valueDim',
  'dropout',
  'useBias',
  'outputShape',
  'attentionAxes',
  'slidingWindow',
  'useGate',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
  'activityRegularizer',
  'kernelConstraint',
  'biasConstraint',
  'seed',
];

const prod = (a: readonly number[]): number => a.reduce((x, y) => x * y, 1);

/** How the attention runs for inputs of one rank: axes of the projected [batch, ..., heads, features] tensors. */
interface AttentionPlan {
  /** Projected axes treated as batch (batch, non-attention axes, heads), sorted. */
  batchAxes: number[];
  /** Projected axes attended over, sorted. */
  attnAxes: number[];
}

/**
 * Multi-head attention (Vaswani et al.). Inputs `[query [batch, T, qdim], value [batch, S, vdim], key? [batch, S, kdim]]`
 * (key defaults to value; more sequence axes allowed, see `attentionAxes`); output [batch, T, qdim] (or
 * [batch, T, ...outputShape]). Each input is projected to N heads (q, k of size keyDim, v of size valueDim),
 * probs = softmax(q·kᵀ / √keyDim) over the key positions with masked positions at −1e9 (and set to 0), dropout
 * in training, and the heads' probs·v are projected back by 'attention_output'. Masks: `attentionMask`, the
 * query/value/key masks (`mask`) and `useCausalMask` are combined with AND. Weights (Keras names/shapes):
 * query/kernel [qdim, N, keyDim], query/bias [N, keyDim], key/kernel [kdim, N, keyDim], key/bias,
 * (with `useGate`: gate/kernel [qdim, N, valueDim], gate/bias [N, valueDim]), value/kernel [vdim, N, valueDim], value/bias [N, valueDim], attention_output/kernel [N, valueDim, ...out],
 * attention_output/bias [...out].
 *
 * ```js
 * const mha = layers.multiHeadAttention({numHeads: 4, keyDim: 16});
 * const y = mha.apply([x, x], {useCausalMask: true});                        // self-attention [batch, T, dim]
 * const [o, scores] = mha.apply([q, v], {returnAttentionScores: true});      // scores [batch, 4, T, S]
 * ```
 */
export class MultiHeadAttention extends Layer {
  static override className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  /** `outputShape` as given (normalized to an array), or null. */
  readonly outputShapeArg: number[] | null;
  /** `attentionAxes` as given (normalized to an array), or null. */
  readonly attentionAxes: number[] | null;
  readonly slidingWindow: number | null;
  readonly useGate: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly seed: number | null;
  private readonly rng: RandomGenerator | null;
  private w: Record<string, LayerVariable | null> = {};

  constructor(args: MultiHeadAttentionArgs) {
    if (!args || typeof args !== 'object') {
      throw new ValueError(`MultiHeadAttention: expected an args object like {numHeads: 2, keyDim: 16}, received ${String(args)}.`);
    }
    // flashAttention: a Keras speed switch with no numeric effect here.
    checkArgKeys('MultiHeadAttention', args, [...MHA_KEYS, ...LAYER_ARG_KEYS], ['flashAttention']);
    super(args);
    checkNumberArg(this.name, 'numHeads', args.numHeads, { integer: true, min: 1 });
    checkNumberArg(this.name, 'keyDim', args.keyDim, { integer: true, min: 1 });
    if (args.numHeads == null || args.keyDim == null) {
      throw new ValueError(
        `Layer ${this.name}: numHeads and keyDim are required, received numHeads ${String(args.numHeads)} and keyDim ${String(args.keyDim)}.`,
      );
    }
    checkNumberArg(this.name, 'valueDim', args.valueDim, { integer: true, min: 1 });
    checkNumberArg(this.name, 'dropout', args.dropout, { min: 0, max: 1 });
    checkBoolArg(this.name, 'useBias', args.useBias);
    checkBoolArg(this.name, 'useGate', args.useGate);
    checkNumberArg(this.name, 'slidingWindow', args.slidingWindow, { integer: true, min: 1 });
    checkNumberArg(this.name, 'seed', args.seed, { integer: true });
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.valueDim = args.valueDim || args.keyDim;
    this.dropout = args.dropout ?? 0;
    this.useBias = args.useBias ?? true;
    this.outputShapeArg = this.intList('outputShape', args.outputShape, 1);
    this.attentionAxes = this.intList('attentionAxes', args.attentionAxes, null);
    this.slidingWindow = args.slidingWindow ?? null;
    this.useGate = args.useGate ?? false;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    // tfjs note: Keras applies the activity regularizer to each projection's output; here to the layer's output.
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    this.kernelConstraint = getConstraint(args.kernelConstraint);
    this.biasConstraint = getConstraint(args.biasConstraint);
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : generatorFor(this.seed);
    this.supportsMasking = true;
  }

  /** An int or int list option as an array (null when absent); entries ≥ `min` when given. */
  private intList(name: string, value: unknown, min: number | null): number[] | null {
    if (value === undefined || value === null) return null;
    const list = typeof value === 'number' ? [value] : value;
    if (!Array.isArray(list) || list.length === 0 || list.some((d) => !Number.isInteger(d) || (min !== null && d < min))) {
      throw new ValueError(
        `Layer ${this.name}: ${name} must be an integer or a non-empty list of integers${min !== null ? ` ≥ ${min}` : ''}, received ${JSON.stringify(value)}.`,
      );
    }
    return list.slice();
  }

  /** Checks `[query, value, key?]` shapes (ranks, batch, key vs value) and resolves the attention axes. */
  private plan(inputShape: Shape | Shape[]): { q: Shape; v: Shape; k: Shape; plan: AttentionPlan } {
    const [q, v, k, hasKey] = attentionInputShapes(this.name, inputShape);
    const r = q.length;
    const named: [string, Shape][] = [
      ['query', q],
      ['value', v],
      ['key', k],
    ];
    for (const [n, s] of named) {
      if (s.length < 3 || s.length !== r) {
        throw new ValueError(
          `Layer ${this.name}: query, value and key must have the same rank ≥ 3 ([batch, ..., features]), received ${n} shape ${formatShape(s)} with query shape ${formatShape(q)}.`,
        );
      }
    }
    if (!dimsCompatible(q[0], v[0]) || !dimsCompatible(q[0], k[0])) {
      throw new ValueError(
        `Layer ${this.name}: query, value${hasKey ? ' and key' : ''} must have the same batch size, received shapes ${formatShape(q)}, ${formatShape(v)}${hasKey ? `, ${formatShape(k)}` : ''}.`,
      );
    }
    for (let i = 1; i < r - 1; i++) {
      if (!dimsCompatible(v[i], k[i])) {
        throw new ValueError(
          `Layer ${this.name}: all dimensions of value and key except the last must be equal, received value shape ${formatShape(v)} and key shape ${formatShape(k)}.`,
        );
      }
    }
    // Projected tensors have rank r + 1: [batch, ...middle (r − 2), heads, features].
    const R = r + 1;
    let attn: number[];
    if (this.attentionAxes === null) {
      attn = [];
      for (let i = 1; i < R - 2; i++) attn.push(i);
    } else {
      attn = this.attentionAxes.map((a) => (a >= 0 ? a : R - 1 + a));
      for (let i = 0; i < attn.length; i++) {
        if (attn[i] < 1 || attn[i] > r - 2 || attn.indexOf(attn[i]) !== i) {
          throw new ValueError(
            `Layer ${this.name}: attentionAxes ${JSON.stringify(this.attentionAxes)} must name distinct axes of the inputs other than the batch (0) and the features (-1), for inputs of rank ${r} (query shape ${formatShape(q)}).`,
          );
        }
      }
      attn.sort((a, b) => a - b);
    }
    const batchAxes: number[] = [];
    for (let i = 0; i < R - 1; i++) if (!attn.includes(i)) batchAxes.push(i);
    for (const a of batchAxes) {
      if (a > 0 && a < r - 1 && !dimsCompatible(q[a], k[a])) {
        throw new ValueError(
          `Layer ${this.name}: query and key must agree on axis ${a}, which is not an attention axis (attentionAxes ${JSON.stringify(attn)}), received query shape ${formatShape(q)} and key shape ${formatShape(k)}.`,
        );
      }
    }
    return { q, v, k, plan: { batchAxes, attnAxes: attn } };
  }

  /** The output feature shape for a query of last dimension `qdim`. */
  private outFeatures(qdim: number | null): (number | null)[] {
    return this.outputShapeArg ?? [qdim];
  }

  override build(inputShape: Shape | Shape[]): void {
    const { q, v, k } = this.plan(inputShape);
    const dims: [string, number | null][] = [
      ['query', q[q.length - 1]],
      ['key', k[k.length - 1]],
      ['value', v[v.length - 1]],
    ];
    for (const [n, d] of dims) {
      if (typeof d !== 'number')
        throw new ValueError(
          `Layer ${this.name}: the last dimension of the ${n} must be known, received ${formatShape(n === 'query' ? q : n === 'key' ? k : v)}.`,
        );
    }
    const N = this.numHeads;
    const addPair = (name: string, kernelShape: number[], biasShape: number[]) => {
      this.w[`${name}/kernel`] = this.addWeight(
        `${name}/kernel`,
        kernelShape,
        undefined,
        this.kernelInitializer,
        this.kernelRegularizer,
        true,
        this.kernelConstraint,
      );
      this.w[`${name}/bias`] = this.useBias
        ? this.addWeight(`${name}/bias`, biasShape, undefined, this.biasInitializer, this.biasRegularizer, true, this.biasConstraint)
        : null;
    };
    addPair('query', [dims[0][1]!, N, this.keyDim], [N, this.keyDim]);
    addPair('key', [dims[1][1]!, N, this.keyDim], [N, this.keyDim]);
    if (this.useGate) addPair('gate', [dims[0][1]!, N, this.valueDim], [N, this.valueDim]);
    addPair('value', [dims[2][1]!, N, this.valueDim], [N, this.valueDim]);
    const out = this.outFeatures(dims[0][1]) as number[];
    addPair('attention_output', [N, this.valueDim, ...out], out);
    this.built = true;
  }

  /** x [..., d] → [..., N, h] through `name`/kernel [d, N, h] and `name`/bias [N, h]. */
  private project(name: string, x: Tensor, h: number): Tensor {
    const kernel = this.w[`${name}/kernel`]!;
    const d = x.shape[x.rank - 1];
    let y = matMul(reshape(x, [-1, d]), reshape(kernel, [d, this.numHeads * h]));
    const bias = this.w[`${name}/bias`];
    if (bias) y = add(y, reshape(bias, [this.numHeads * h]));
    return reshape(y, [...x.shape.slice(0, -1), this.numHeads, h]);
  }

  override call(inputs: Tensor | Tensor[], kwargs: MultiHeadAttentionCallKwargs): Tensor | Tensor[] {
    const [q0, v0, k0] = attentionInputs(this.name, inputs);
    const { plan } = this.plan([q0.shape, v0.shape, k0.shape]);
    const { batchAxes, attnAxes } = plan;
    const query = asFloat(q0);
    const value = asFloat(v0);
    const key = asFloat(k0);
    const keep = combinedAttentionMask(this.name, query, value, kwargs, this.slidingWindow);

    const q = mul(this.project('query', query, this.keyDim), 1 / Math.sqrt(this.keyDim));
    const k = this.project('key', key, this.keyDim);
    const v = this.project('value', value, this.valueDim);
    const featAxis = q.rank - 1;
    const perm = [...batchAxes, ...attnAxes, featAxis];
    const bdShape = batchAxes.map((a) => q.shape[a]);
    const qaShape = attnAxes.map((a) => q.shape[a]);
    const kaShape = attnAxes.map((a) => k.shape[a]);
    const P = prod(bdShape);
    const Tq = prod(qaShape);
    const Tk = prod(kaShape);
    const flat = (x: Tensor, t: number) => reshape(transpose(x, perm), [P, t, x.shape[featAxis]]);
    const scoresShape = [...bdShape, ...qaShape, ...kaShape];

    let scores = matMul(flat(q, Tq), flat(k, Tk), false, true);
    let keepFlat: Tensor | null = null;
    if (keep) {
      // Keras: the mask [batch, T, S] gets unit axes (heads, non-attention axes) before its 2·|attnAxes| trailing axes.
      const lead = keep.shape.slice(0, keep.rank - 2 * attnAxes.length);
      const trail = keep.shape.slice(keep.rank - 2 * attnAxes.length);
      const ones = new Array<number>(Math.max(0, scoresShape.length - keep.rank)).fill(1);
      let expanded: Tensor;
      try {
        expanded = broadcastTo(reshape(keep, [...lead, ...ones, ...trail]), scoresShape);
      } catch {
        throw new ValueError(
          `Layer ${this.name}: the attention mask of shape ${formatShape(keep.shape)} does not broadcast to the attention scores ${formatShape(scoresShape)} (expected [batch, T, S]).`,
        );
      }
      keepFlat = reshape(expanded, [P, Tq, Tk]);
      scores = add(scores, mul(add(keepFlat, -1), MASK_PENALTY));
    }
    let probs = softmax(scores, -1);
    // Rows with no allowed key get zeros (Keras's Softmax zeroes masked positions).
    // tfjs note: Keras's fused inference path (ops.dot_product_attention) may give such rows other values; here
    // training and inference always take this explicit path.
    if (keepFlat) probs = mul(probs, keepFlat);
    const dropped = kwargs?.training ? attentionDropout(probs, this.dropout, this.rng) : probs;
    const heads = matMul(dropped, flat(v, Tk));
    // Back to [batch, ..., heads, valueDim] in the query's axis order.
    const inv = new Array<number>(perm.length);
    perm.forEach((p, j) => (inv[p] = j));
    let combined = transpose(reshape(heads, [...bdShape, ...qaShape, this.valueDim]), inv);
    if (this.useGate) combined = mul(combined, sigmoid(this.project('gate', query, this.valueDim)));

    const outKernel = this.w['attention_output/kernel']!;
    const outFeat = outKernel.shape.slice(2);
    const nv = this.numHeads * this.valueDim;
    let out = matMul(reshape(combined, [-1, nv]), reshape(outKernel, [nv, prod(outFeat)]));
    const outBias = this.w['attention_output/bias'];
    if (outBias) out = add(out, reshape(outBias, [prod(outFeat)]));
    out = reshape(out, [...query.shape.slice(0, -1), ...outFeat]);
    return kwargs?.returnAttentionScores ? [out, reshape(probs, scoresShape)] : out;
  }

  /**
   * [batch, ..., qdim] (or [batch, ..., ...outputShape]) for `[query, value, key?]` shapes; with
   * `{returnAttentionScores: true}` also the scores' shape ([batch, heads, T, S] for rank-3 inputs).
   */
  override computeOutputShape(inputShape: Shape | Shape[], kwargs?: MultiHeadAttentionCallKwargs): Shape | Shape[] {
    const { q, k, plan } = this.plan(inputShape);
    const out: Shape = [...q.slice(0, -1), ...this.outFeatures(q[q.length - 1])];
    if (!kwargs?.returnAttentionScores) return out;
    const proj = (s: Shape, a: number) => (a === s.length - 1 ? this.numHeads : s[a]);
    const scores: Shape = [
      ...plan.batchAxes.map((a) => (a === 0 ? (q[0] ?? k[0] ?? null) : proj(q, a))),
      ...plan.attnAxes.map((a) => q[a]),
      ...plan.attnAxes.map((a) => k[a]),
    ];
    return [out, scores];
  }

  /** The query mask (mask[0]), or null. */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | (Tensor | null)[] | null): Tensor | null {
    return attentionMasks(this.name, mask)[0];
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = {
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      outputShape: this.outputShapeArg ? this.outputShapeArg.slice() : null,
      // tfjs note: Keras writes the resolved axes after build ([1] for rank-3 inputs); here the value given (null = default).
      attentionAxes: this.attentionAxes ? this.attentionAxes.slice() : null,
      slidingWindow: this.slidingWindow,
      useGate: this.useGate,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      biasConstraint: serializeConstraint(this.biasConstraint),
      seed: this.seed,
    };
    return { ...config, ...super.getConfig() };
  }
}
