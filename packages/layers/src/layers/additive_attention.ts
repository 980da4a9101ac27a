/** AdditiveAttention: Bahdanau-style attention of a query sequence over a value sequence (Keras 3 `AdditiveAttention`). */
import { additiveScores, Tensor, ValueError } from '@recurrent/core';
import type { Shape } from '../engine/layer';
import type { ConfigDict } from '../serialization/registry';
import { Attention } from './attention';
import type { AttentionArgs } from './attention';

/** Args of `AdditiveAttention` (Keras 3 `AdditiveAttention`). */
export interface AdditiveAttentionArgs extends Omit<AttentionArgs, 'scoreMode'> {
  /** Learn a per-feature 'scale' [dim] (glorotUniform) weighting the tanh terms (default true). */
  useScale?: boolean;
}

/**
 * Additive attention (Bahdanau). Inputs `[query [batch, Tq, dim], value [batch, Tv, vdim], key? [batch, Tv, dim]]`;
 * output [batch, Tq, vdim]: scores[b, i, j] = Σ_d scale_d · tanh(q[b, i, d] + k[b, j, d]) (scale = 1 without
 * `useScale`), then masking, softmax, dropout and the query mask exactly as `Attention`. Project q and k with
 * Dense layers first for the textbook form vᵀ tanh(W₁q + W₂k).
 *
 * ```js
 * const att = layers.additiveAttention();
 * const context = att.apply([decoderStates, encoderOutputs], {mask: [null, encoderMask]});   // [batch, Tq, dim]
 * ```
 */
export class AdditiveAttention extends Attention {
  static override className = 'AdditiveAttention';

  constructor(args: AdditiveAttentionArgs = {}) {
    super(args as AttentionArgs);
  }

  protected static override argKeys(): string[] {
    return ['useScale', 'dropout', 'seed'];
  }

  protected override defaultUseScale(): boolean {
    return true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const [q] = this.checkShapes(inputShape);
    const dim = q[2];
    if (typeof dim !== 'number') {
      throw new ValueError(`Layer ${this.name}: the last dimension of the query must be known, received query shape [${q.join(', ')}].`);
    }
    if (this.useScale) this.scale = this.addWeight('scale', [dim], undefined, 'glorotUniform');
    this.built = true;
  }

  protected override calculateScores(query: Tensor, key: Tensor): Tensor {
    // One pass, without the [batch, Tq, Tv, dim] tanh tensor.
    return additiveScores(query, key, this.scale);
  }

  override getConfig(): ConfigDict {
    const config = super.getConfig();
    delete config.scoreMode;
    return config;
  }
}
