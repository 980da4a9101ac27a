/** Attention: dot-product (Luong-style) attention of a query sequence over a value sequence (Keras 3 `Attention`). */
import {
  additiveScores,
  expandDims,
  formatShape,
  generatorFor,
  matMul,
  mul,
  RandomGenerator,
  softmax,
  sub,
  Tensor,
  ValueError,
} from '@recurrent/core';
import { checkArgKeys, checkBoolArg, checkNumberArg, LAYER_ARG_KEYS } from '../engine/args';
import { CallKwargs, Layer, LayerArgs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import type { ConfigDict } from '../serialization/registry';
import {
  asFloat,
  attentionDropout,
  attentionInputs,
  attentionInputShapes,
  attentionMasks,
  causalMask,
  checkSequenceMask,
  dimsCompatible,
  floatMask,
  MASK_PENALTY,
} from './attention_utils';

/** Args of `Attention` (Keras 3 `Attention`). */
export interface AttentionArgs extends LayerArgs {
  /** Learn a scalar 'scale' multiplying the scores (default false). */
  useScale?: boolean;
  /** 'dot' (q·kᵀ, default) or 'concat' (Σ tanh(q + k), times a learned 'concat_score_weight'). */
  scoreMode?: 'dot' | 'concat';
  /** Fraction of the attention weights dropped in training, in [0, 1) (default 0). */
  dropout?: number;
  /** Seed of the layer's dropout generator (default: the global generator). */
  seed?: number | null;
}

/** Keyword arguments of `Attention.apply` / `AdditiveAttention.apply` (with `mask` and `training`). */
export interface AttentionCallKwargs extends CallKwargs {
  /** `[queryMask [batch, Tq], valueMask [batch, Tv]]` (bool or 0/1, entries may be null). */
  mask?: (Tensor | null)[] | null;
  /** Also return the attention weights [batch, Tq, Tv] (after masking, softmax and dropout): `[output, weights]`. */
  returnAttentionScores?: boolean;
  /** Query position i attends only to value positions j ≤ i (decoder self-attention). */
  useCausalMask?: boolean;
  /** Dropout on the attention weights is active only when true. */
  training?: boolean;
}

const ATTENTION_KEYS = ['useScale', 'scoreMode', 'dropout', 'seed'];

/**
 * Dot-product attention (Luong). Inputs `[query [batch, Tq, dim], value [batch, Tv, vdim], key? [batch, Tv, dim]]`
 * (key defaults to value); output [batch, Tq, vdim]:
 * scores = q·kᵀ (× 'scale' when `useScale`), masked where the value mask is 0 (and above the diagonal with
 * `useCausalMask`) by subtracting 1e9, weights = softmax(scores) over Tv (dropout in training),
 * output = weights·v, zeroed at query positions whose query mask is 0. The output mask is the query mask.
 * With `scoreMode: 'concat'` scores = concat_score_weight · Σ tanh(scale·(q + k)).
 *
 * ```js
 * const att = layers.attention();
 * const out = att.apply([query, value], {mask: [null, valueMask]});                 // [batch, Tq, dim]
 * const [o, w] = att.apply([query, value], {returnAttentionScores: true});          // w [batch, Tq, Tv]
 * ```
 */
export class Attention extends Layer {
  static override className = 'Attention';
  readonly useScale: boolean;
  readonly scoreMode: 'dot' | 'concat';
  readonly dropout: number;
  readonly seed: number | null;
  scale: LayerVariable | null = null;
  concatScoreWeight: LayerVariable | null = null;
  protected readonly rng: RandomGenerator | null;

  constructor(args: AttentionArgs = {}) {
    args = args ?? {};
    const where = new.target.className ?? 'Attention';
    checkArgKeys(where, args, [...new.target.argKeys(), ...LAYER_ARG_KEYS]);
    super(args);
    checkBoolArg(this.name, 'useScale', args.useScale);
    checkNumberArg(this.name, 'dropout', args.dropout, { min: 0, max: 1 });
    checkNumberArg(this.name, 'seed', args.seed, { integer: true });
    const scoreMode = args.scoreMode ?? 'dot';
    if (scoreMode !== 'dot' && scoreMode !== 'concat') {
      throw new ValueError(`Layer ${this.name}: scoreMode must be 'dot' or 'concat', received ${JSON.stringify(scoreMode)}.`);
    }
    this.useScale = args.useScale ?? this.defaultUseScale();
    this.scoreMode = scoreMode;
    this.dropout = args.dropout ?? 0;
    this.seed = args.seed ?? null;
    this.rng = this.seed === null ? null : generatorFor(this.seed);
    this.supportsMasking = true;
  }

  /** The option names this class accepts (besides those of every layer). */
  protected static argKeys(): string[] {
    return ATTENTION_KEYS;
  }

  /** `useScale` when not given (false; AdditiveAttention: true). */
  protected defaultUseScale(): boolean {
    return false;
  }

  /** Checks the input shapes (count, ranks, batch, key vs value, query vs key features). */
  protected checkShapes(inputShape: Shape | Shape[]): [Shape, Shape, Shape] {
    const [q, v, k, hasKey] = attentionInputShapes(this.name, inputShape);
    const named: [string, Shape][] = [
      ['query', q],
      ['value', v],
      ['key', k],
    ];
    for (const [n, s] of named) {
      if (s.length !== 3) {
        throw new ValueError(`Layer ${this.name}: ${n} must have rank 3 [batch, timeSteps, features], received shape ${formatShape(s)}.`);
      }
    }
    if (!dimsCompatible(q[0], v[0]) || !dimsCompatible(q[0], k[0])) {
      throw new ValueError(
        `Layer ${this.name}: query, value${hasKey ? ' and key' : ''} must have the same batch size, received shapes ${formatShape(q)}, ${formatShape(v)}${hasKey ? `, ${formatShape(k)}` : ''}.`,
      );
    }
    if (!dimsCompatible(k[1], v[1])) {
      throw new ValueError(
        `Layer ${this.name}: key must have the value's number of time steps ([batch, Tv, dim]), received key shape ${formatShape(k)} and value shape ${formatShape(v)}.`,
      );
    }
    if (!dimsCompatible(q[2], k[2])) {
      throw new ValueError(
        `Layer ${this.name}: the query and the ${hasKey ? 'key' : 'value (used as key)'} must have the same last dimension, received query shape ${formatShape(q)} and ${hasKey ? 'key' : 'value'} shape ${formatShape(k)}.`,
      );
    }
    return [q, v, k];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.checkShapes(inputShape);
    if (this.useScale) this.scale = this.addWeight('scale', [], undefined, 'ones');
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight('concat_score_weight', [], undefined, 'ones');
    this.built = true;
  }

  /** Attention scores [batch, Tq, Tv] of query [batch, Tq, dim] against key [batch, Tv, dim]. */
  protected calculateScores(query: Tensor, key: Tensor): Tensor {
    if (this.scoreMode === 'dot') {
      const s = matMul(query, key, false, true);
      return this.scale ? mul(s, this.scale) : s;
    }
    // Σ tanh(scale·(q + k)) = Σ tanh(scale·q + scale·k), in one pass (additiveScores).
    const s = this.scale ? additiveScores(mul(query, this.scale), mul(key, this.scale)) : additiveScores(query, key);
    return mul(this.concatScoreWeight!, s);
  }

  override call(inputs: Tensor | Tensor[], kwargs: AttentionCallKwargs): Tensor | Tensor[] {
    const [q0, v0, k0] = attentionInputs(this.name, inputs);
    this.checkShapes([q0.shape, v0.shape, k0.shape]);
    const q = asFloat(q0);
    const v = asFloat(v0);
    const k = asFloat(k0);
    const [batch, tq] = q.shape;
    const tv = v.shape[1];
    const [qMask, vMask] = attentionMasks(this.name, kwargs?.mask);
    if (qMask) checkSequenceMask(this.name, 'the query mask (mask[0])', qMask, batch, tq);
    if (vMask) checkSequenceMask(this.name, 'the value mask (mask[1])', vMask, batch, tv);

    let scores = this.calculateScores(q, k);
    // 1 where a score counts: value mask [batch, 1, Tv] AND causal [1, Tq, Tv].
    let keep: Tensor | null = vMask ? expandDims(floatMask(vMask), 1) : null;
    if (kwargs?.useCausalMask) {
      const c = causalMask(tq, tv);
      keep = keep ? mul(keep, c) : c;
    }
    if (keep) scores = sub(scores, mul(sub(1, keep), MASK_PENALTY));
    let weights = softmax(scores, -1);
    if (kwargs?.training) weights = attentionDropout(weights, this.dropout, this.rng);
    let result = matMul(weights, v);
    if (qMask) result = mul(result, expandDims(floatMask(qMask), 2));
    return kwargs?.returnAttentionScores ? [result, weights] : result;
  }

  /**
   * [batch, Tq, vdim] for `[query, value, key?]` shapes; with `{returnAttentionScores: true}` also the
   * weights' shape [batch, Tq, Tv].
   */
  override computeOutputShape(inputShape: Shape | Shape[], kwargs?: AttentionCallKwargs): Shape | Shape[] {
    const [q, v] = this.checkShapes(inputShape);
    const out: Shape = [...q.slice(0, -1), v[v.length - 1]];
    if (kwargs?.returnAttentionScores) return [out, [q[0] ?? v[0] ?? null, q[1], v[1]]];
    return out;
  }

  /** The query mask (mask[0]), or null. */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | (Tensor | null)[] | null): Tensor | null {
    const [qMask] = attentionMasks(this.name, mask);
    return qMask;
  }

  override getConfig(): ConfigDict {
    // tfjs note: tfjs has no attention layers; Keras 3 does not save `seed`, which is kept here for the round trip.
    const config: ConfigDict = { useScale: this.useScale, scoreMode: this.scoreMode, dropout: this.dropout, seed: this.seed };
    return { ...config, ...super.getConfig() };
  }
}
