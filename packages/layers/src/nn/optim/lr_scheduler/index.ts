/** `nn.optim.lrScheduler`: learning-rate schedulers over an nn.optim optimizer's groups (PyTorch's torch.optim.lr_scheduler). */
export { LRScheduler } from './lr_scheduler';
export { StepLR } from './step_lr';
export type { StepLROptions } from './step_lr';
export { ExponentialLR } from './exponential_lr';
export type { ExponentialLROptions } from './exponential_lr';
export { CosineAnnealingLR } from './cosine_annealing_lr';
export type { CosineAnnealingLROptions } from './cosine_annealing_lr';
export { ReduceLROnPlateau } from './reduce_lr_on_plateau';
export type { ReduceLROnPlateauOptions } from './reduce_lr_on_plateau';
