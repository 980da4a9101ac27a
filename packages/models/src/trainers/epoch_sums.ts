/** The epoch (or evaluation) means of batch log values, weighted by batch size or by a weighted metric's Σ w. */
import type { Logs } from '../callbacks/callback';

/** A weighted metric's Σ w·v and Σ w on a batch (or over several); null for a value that weighs its batch size. */
export type WeightedSums = readonly [number, number] | null;

/** A step's log values (metricsNames order) with each value's weighted sums (null where it weighs its batch size). */
export interface StepValues {
  values: number[];
  sums: WeightedSums[];
}

/**
 * The weighted sums of an epoch's batch log values, for their means: each value weighs its batch's size (as tfjs's
 * BaseLogger), or, for a weighted metric, its Σ w·v and Σ w are added (so the mean is Keras's Σ w·v / Σ w over all
 * samples, also when a batch's weights sum to 0).
 */
export class EpochSums {
  private readonly sums: Float64Array;
  private readonly weights: Float64Array;
  private readonly weighted: Uint8Array;
  /** Samples so far. */
  seen = 0;

  constructor(private readonly labels: string[]) {
    this.sums = new Float64Array(labels.length);
    this.weights = new Float64Array(labels.length);
    this.weighted = new Uint8Array(labels.length);
  }

  /**
   * Writes a batch's values (`labels` order) into its logs and adds them: `weightedSums[i]` when given, else the
   * value weighted by the batch's `size`.
   * tfjs note: per-output losses too (as tfjs); Keras 3 averages those over batches unweighted (see evaluate.ts).
   */
  add(batchLogs: Logs, values: number[], size: number, weightedSums?: WeightedSums[]): void {
    this.labels.forEach((label, i) => {
      batchLogs[label] = values[i];
      const ws = weightedSums?.[i];
      if (ws) {
        this.sums[i] += ws[0];
        this.weights[i] += ws[1];
        this.weighted[i] = 1;
      } else {
        if (size !== 0) this.sums[i] += values[i] * size;
        this.weights[i] += size;
      }
    });
    this.seen += size;
  }

  /** Each value's weighted sums so far ([Σ w·v, Σ w] for a weighted metric, null for a value weighed by size). */
  weightedSums(): WeightedSums[] {
    return this.labels.map((_l, i) => (this.weighted[i] ? ([this.sums[i], this.weights[i]] as const) : null));
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
