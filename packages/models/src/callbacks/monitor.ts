/**
 * Shared pieces of callbacks that watch a log value (reduceLROnPlateau, modelCheckpoint): option
 * checks, Keras's 'auto' mode, and access to the model's optimizer learning rate.
 */
import { ValueError } from '@recurrent/core';
import { checkArgKeys } from '@recurrent/layers';
import { monitorDirection } from '../metrics/get_metric';
import type { CallbackModel } from './callback';

/**
 * 'min' / 'max', resolving 'auto' as Keras 3 does: from the direction of the built-in metric or loss the
 * monitored key names ('max' for accuracies, precision, recall, auc, r2Score; 'min' for losses, errors,
 * perplexity); a key no built-in metric has needs mode 'min' or 'max'.
 *
 * tfjs note: tfjs picks 'max' only when the key contains 'acc' (so 'val_precision' would be minimized, and any
 * custom metric too); Keras 3 uses the metric's direction and refuses a key it cannot tell, as here.
 */
export function resolveMode(where: string, mode: unknown, monitor: string): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max')
    throw new ValueError(`${where}: mode must be 'auto', 'min' or 'max', received '${String(mode)}'.`);
  if (mode !== 'auto') return mode;
  const direction = monitorDirection(monitor);
  if (direction === undefined) {
    throw new ValueError(
      `${where}: mode 'auto' cannot tell whether '${monitor}' should rise or fall (it names no built-in metric or loss); ` +
        `pass mode: 'max' or mode: 'min'.`,
    );
  }
  return direction;
}

/** Refuses unknown option keys, naming the known ones. */
export function checkOptions(where: string, args: object, known: string[]): void {
  if (args == null || typeof args !== 'object') throw new ValueError(`${where}: expected an options object, received ${String(args)}.`);
  checkArgKeys(where, args, known);
}

/** The `monitor` option: a log key ('val_loss' when null or undefined). */
export function monitorOption(where: string, monitor: unknown): string {
  const key = monitor ?? 'val_loss';
  if (typeof key !== 'string' || key === '') {
    throw new ValueError(`${where}: monitor must be a log key such as 'val_loss', received ${String(monitor)}.`);
  }
  return key;
}

/** A number option: finite, and >= min when given. */
export function numberOption(where: string, name: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new ValueError(`${where}: ${name} must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, received ${String(v)}.`);
  }
  return v;
}

/** The part of an optimizer whose learning rate callbacks read and set. */
export interface LearningRateHolder {
  learningRate: number;
  learningRateSchedule?: unknown;
}

/** The model's optimizer, checked to have a settable numeric `learningRate` (and no schedule). */
export function learningRateHolder(where: string, model: CallbackModel | null): LearningRateHolder {
  let opt: unknown;
  try {
    opt = (model as unknown as { optimizer?: unknown })?.optimizer;
  } catch {
    opt = undefined;
  }
  if (opt == null || typeof (opt as LearningRateHolder).learningRate !== 'number') {
    throw new ValueError(
      `${where}: the model's optimizer has no numeric learningRate to change; compile the model with an optimizer such as train.adam(1e-3).`,
    );
  }
  if ((opt as LearningRateHolder).learningRateSchedule) {
    throw new ValueError(
      `${where}: the optimizer's learning rate follows a schedule (${(opt as { learningRateSchedule: { getClassName(): string } }).learningRateSchedule.getClassName()}), so a callback cannot set it; use one or the other (Keras refuses this too).`,
    );
  }
  return opt as LearningRateHolder;
}
