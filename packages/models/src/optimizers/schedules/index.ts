/** Learning-rate schedules and their (de)serialization. */
import { LearningRateSchedule, ScheduleConfig } from './learning_rate_schedule';
import { ExponentialDecay, ExponentialDecayArgs } from './exponential_decay';
import { InverseTimeDecay, InverseTimeDecayArgs } from './inverse_time_decay';
import { PiecewiseConstantDecay, PiecewiseConstantDecayArgs } from './piecewise_constant_decay';
import { CosineDecay, CosineDecayArgs } from './cosine_decay';
import { ValueError } from '@recurrent/core';

export { LearningRateSchedule, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, CosineDecay };
export type { ScheduleConfig, ExponentialDecayArgs, InverseTimeDecayArgs, PiecewiseConstantDecayArgs, CosineDecayArgs };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const SCHEDULE_CLASSES: { [className: string]: new (args: any) => LearningRateSchedule } = {
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  CosineDecay,
};

/** True for a serialized schedule `{className, config}` (as read back from a training config). */
export function isScheduleConfig(v: unknown): v is ScheduleConfig {
  return (
    v != null &&
    typeof v === 'object' &&
    typeof (v as ScheduleConfig).className === 'string' &&
    typeof (v as ScheduleConfig).config === 'object'
  );
}

/** Rebuilds a schedule from `{className, config}` (Keras's extra keys such as `name` are ignored). */
export function deserializeSchedule(v: ScheduleConfig): LearningRateSchedule {
  const cls = SCHEDULE_CLASSES[v.className];
  if (!cls)
    throw new ValueError(`learning rate schedule: unknown class '${v.className}'; known: ${Object.keys(SCHEDULE_CLASSES).join(', ')}.`);
  const config = { ...(v.config ?? {}) } as { [k: string]: unknown };
  delete config.name;
  for (const k of Object.keys(config)) if (config[k] === null) delete config[k];
  return new cls(config);
}

/** Schedule factories, as Keras's `keras.optimizers.schedules` (camelCase). */
export const schedules = {
  exponentialDecay: (args: ExponentialDecayArgs) => new ExponentialDecay(args),
  inverseTimeDecay: (args: InverseTimeDecayArgs) => new InverseTimeDecay(args),
  piecewiseConstantDecay: (args: PiecewiseConstantDecayArgs) => new PiecewiseConstantDecay(args),
  cosineDecay: (args: CosineDecayArgs) => new CosineDecay(args),
};
