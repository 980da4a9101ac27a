/** `nn.optim`: PyTorch-style optimizers that update parameters from the `.grad` filled by `loss.backward()`. */
export { Optimizer } from './optimizer';
export type { ParamGroup, ParamGroupSpec, ParamState, OptimizerStateDict } from './optimizer';
export { SGD } from './sgd';
export type { SGDOptions } from './sgd';
export { Adam } from './adam';
export type { AdamOptions } from './adam';
export { AdamW } from './adamw';
export { RMSprop } from './rmsprop';
export type { RMSpropOptions } from './rmsprop';
export { Adagrad } from './adagrad';
export type { AdagradOptions } from './adagrad';
export { optimizerStateToJSON, optimizerStateFromJSON, saveOptimizerSafetensors, loadOptimizerSafetensors } from './optimizer_state_json';
export type { OptimizerStateJSON } from './optimizer_state_json';
export * as lrScheduler from './lr_scheduler/index';
