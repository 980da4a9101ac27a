/**
 * Learning-rate schedules (Keras `keras.optimizers.schedules`): a schedule maps the optimizer's step
 * count (0 for the first update) to a learning rate. Give one wherever a learning rate goes
 * (`train.adam(train.schedules.exponentialDecay({...}))`); the optimizer evaluates it before each
 * update and writes it, as `{className, config}`, into its config (and so the training config).
 *
 * ```js
 * const lr = train.schedules.cosineDecay({initialLearningRate: 0, warmupTarget: 1e-3, warmupSteps: 100, decaySteps: 1000});
 * model.compile({optimizer: train.adamw(lr), loss: 'sparseCategoricalCrossentropy'});
 * ```
 */
import { checkArgKeys } from '@recurrent/layers';
import { ValueError } from '@recurrent/core';

/** A serialized schedule: `{className: 'ExponentialDecay', config: {initialLearningRate, ...}}`. */
export interface ScheduleConfig {
  className: string;
  config: { [key: string]: number | boolean | number[] | null };
}

/** Base class of learning-rate schedules. */
export abstract class LearningRateSchedule {
  static readonly className: string = 'LearningRateSchedule';

  /** The learning rate for the update at `step` (0-based). */
  abstract call(step: number): number;

  /** Constructor arguments, with Keras's keys in camelCase. */
  abstract getConfig(): ScheduleConfig['config'];

  getClassName(): string {
    return (this.constructor as typeof LearningRateSchedule).className;
  }

  /** `{className, config}`, what optimizers write for their learning rate. */
  serialize(): ScheduleConfig {
    return { className: this.getClassName(), config: this.getConfig() };
  }
}

/** Validates a schedule argument: a finite number (non-negative, or positive when `positive`). */
export function scheduleNumber(where: string, name: string, v: unknown, positive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw new ValueError(`${where}: ${name} must be a ${positive ? 'positive' : 'non-negative'} number, received ${String(v)}.`);
  }
  return v;
}

/** Refuses unknown keys of a schedule's args object. */
export function checkScheduleArgs(where: string, args: object, known: string[]): void {
  if (args == null || typeof args !== 'object') throw new ValueError(`${where}: expected an args object, received ${String(args)}.`);
  checkArgKeys(where, args, known);
}
