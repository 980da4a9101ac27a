/** LearningRateScheduler (Keras): sets the learning rate at the start of each epoch from `schedule(epoch, lr)`. */
import { Callback, Logs } from './callback';
import { learningRateHolder } from './monitor';
import { ValueError } from '@recurrent/core';

/**
 * Before each epoch, sets the optimizer's learning rate to `schedule(epoch, currentLr)` (epoch
 * 0-based, as Keras). Adds `learning_rate` to the epoch logs.
 *
 * ```js
 * callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 * ```
 */
export class LearningRateScheduler extends Callback {
  readonly schedule: (epoch: number, lr: number) => number;
  readonly verbose: number;

  constructor(schedule: (epoch: number, lr: number) => number, verbose = 0) {
    super();
    if (typeof schedule !== 'function') {
      throw new ValueError(`learningRateScheduler: schedule must be a function (epoch, lr) => newLr, received ${typeof schedule}.`);
    }
    this.schedule = schedule;
    this.verbose = verbose;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const opt = learningRateHolder('learningRateScheduler', this.model);
    const lr = this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new ValueError(
        `learningRateScheduler: the schedule must return a non-negative number, but returned ${String(lr)} for epoch ${epoch}.`,
      );
    }
    opt.learningRate = lr;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override async onEpochEnd(_epoch: number, logs: Logs = {}): Promise<void> {
    logs.learning_rate = learningRateHolder('learningRateScheduler', this.model).learningRate;
  }
}

/** Creates a `LearningRateScheduler` callback. */
export function learningRateScheduler(schedule: (epoch: number, lr: number) => number, verbose = 0): LearningRateScheduler {
  return new LearningRateScheduler(schedule, verbose);
}
