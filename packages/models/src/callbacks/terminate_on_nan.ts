/** TerminateOnNaN (Keras): stops training when a batch loss is NaN or infinite. */
import { Callback, Logs } from './callback';

/**
 * Sets `model.stopTraining` after a batch whose `loss` is NaN or ±Infinity, and remembers where.
 *
 * ```js
 * await model.fit(x, y, {callbacks: [callbacks.terminateOnNaN()]});
 * ```
 */
export class TerminateOnNaN extends Callback {
  /** `{epoch, batch}` of the invalid loss, or null. */
  stoppedAt: { epoch: number; batch: number } | null = null;
  private epoch = 0;

  override async onTrainBegin(): Promise<void> {
    this.stoppedAt = null;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    const loss = logs.loss;
    if (typeof loss === 'number' && !Number.isFinite(loss)) {
      console.warn(`Batch ${batch} of epoch ${this.epoch + 1}: invalid loss ${loss}, terminating training.`);
      this.stoppedAt = { epoch: this.epoch, batch };
      if (this.model) this.model.stopTraining = true;
    }
  }
}

/** Creates a `TerminateOnNaN` callback. */
export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}
