/**
 * TerminateOnNaN: stops `fit` as soon as a batch's loss is NaN or ±Infinity (Keras
 * `keras.callbacks.TerminateOnNaN`), saying where it happened.
 *
 * ```js
 * await model.fit(x, y, {epochs: 100, callbacks: [callbacks.terminateOnNaN()]});
 * ```
 * tfjs note: tfjs has no such callback; this is Keras's.
 */
import { checkArgKeys } from '@recurrent/layers';
import { Callback, Logs } from './callback';
import { ValueError } from '@recurrent/core';

/** Options of `terminateOnNaN` (none yet; kept as an object for the factory's shape). */
export interface TerminateOnNaNArgs {
  /** Where the message goes (default console.warn). */
  log?: (message: string) => void;
}

/** Where training stopped, once it did. */
export interface NonFiniteLossEvent {
  epoch: number;
  batch: number;
  loss: number;
  message: string;
}

/** Stops training after the first batch whose loss is not finite. */
export class TerminateOnNaN extends Callback {
  /** Set when training was stopped. */
  stopped: NonFiniteLossEvent | null = null;
  private epoch = 0;
  private readonly log: (message: string) => void;

  constructor(args: TerminateOnNaNArgs = {}) {
    super();
    if (args === null || typeof args !== 'object')
      throw new ValueError(`terminateOnNaN: expected an options object, received ${String(args)}.`);
    checkArgKeys('terminateOnNaN', args, ['log']);
    if (args.log !== undefined && typeof args.log !== 'function') {
      throw new ValueError(`terminateOnNaN: log must be a function (message) => void, received ${typeof args.log}.`);
    }
    this.log = args.log ?? ((m) => console.warn(m));
  }

  override async onTrainBegin(): Promise<void> {
    this.stopped = null;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    const loss = logs?.loss;
    if (typeof loss !== 'number' || Number.isFinite(loss) || this.stopped) return;
    const message = `terminateOnNaN: the loss is ${loss} after batch ${batch} of epoch ${this.epoch + 1}; training stopped.`;
    this.stopped = { epoch: this.epoch, batch, loss, message };
    if (this.model) this.model.stopTraining = true;
    this.log(message);
  }
}

/** A TerminateOnNaN callback (Keras `TerminateOnNaN`). */
export function terminateOnNaN(args: TerminateOnNaNArgs = {}): TerminateOnNaN {
  return new TerminateOnNaN(args);
}
