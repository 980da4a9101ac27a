/** The epoch (or evaluation) means of batch log values, weighted by batch size or by a weighted metric's Σ w. */
import type { Logs } from '../callbacks/callback';

/**
 * The weighted sums of an epoch's batch log values, for their means: each value weighs its batch's size (as tfjs's
 * BaseLogger), or its own count when given (Σ w of a weighted metric, so the mean is Keras's Σ w·v / Σ w).
 */
export class EpochSums {
  private readonly sums: Float64Array;
  private readonly weights: Float64Array;
  /** Samples so far. */
  seen = 0;

  constructor(private readonly labels: string[]) {
    this.sums = new Float64Array(labels.length);
    this.weights = new Float64Array(labels.length);
  }

  /**
   * Writes a batch's values (`labels` order) into its logs and adds them, weighted by `counts[i]` when given, else
   * by the batch's `size`.
   * tfjs note: per-output losses too (as tfjs); Keras 3 averages those over batches unweighted (see evaluate.ts).
   */
  add(batchLogs: Logs, values: number[], size: number, counts?: number[]): void {
    this.labels.forEach((label, i) => {
      batchLogs[label] = values[i];
      const c = counts ? counts[i] : size;
      // A value that weighs 0 (a weighted metric whose weights are all 0) adds nothing, even when it is NaN.
      if (c !== 0) this.sums[i] += values[i] * c;
      this.weights[i] += c;
    });
    this.seen += size;
  }

  /** How much value `i` weighs in all: the samples, or Σ w of a weighted metric. */
  count(i: number): number {
    return this.weights[i];
  }

  /**
   * The epoch mean of value `i` (NaN before any sample; 0 for a weighted metric whose weights sum to 0, as Keras's
   * divide_no_nan: negative weights are allowed, so a negative Σ w still divides).
   */
  mean(i: number): number {
    if (this.seen === 0) return NaN;
    return this.weights[i] !== 0 ? this.sums[i] / this.weights[i] : 0;
  }
}
