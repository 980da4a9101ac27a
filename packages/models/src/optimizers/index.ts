/** Optimizers: classes, `train` factories, `getOptimizer`, clipping utilities. */
export { Optimizer, EPSILON } from './optimizer';
export type { NamedTensor, NamedTensorMap, OptimizerConfig, OptimizerConstructor, OptimizerState, LearningRate } from './optimizer';
export { SGDOptimizer } from './sgd';
export { MomentumOptimizer } from './momentum';
export { AdamOptimizer } from './adam';
export { AdamaxOptimizer } from './adamax';
export { RMSPropOptimizer } from './rmsprop';
export { AdagradOptimizer } from './adagrad';
export { AdadeltaOptimizer } from './adadelta';
export { AdamWOptimizer } from './adamw';
export { NadamOptimizer } from './nadam';
export {
  LearningRateSchedule,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  CosineDecay,
  schedules,
  deserializeSchedule,
} from './schedules';
export type { ScheduleConfig, ExponentialDecayArgs, InverseTimeDecayArgs, PiecewiseConstantDecayArgs, CosineDecayArgs } from './schedules';
export { train, getOptimizer, OPTIMIZER_CLASSES } from './train';
export type { OptimizerArgs } from './train';
export { clipByGlobalNorm } from './clip';
export type { ClipOptions } from './clip';
