/** The loss modules (PyTorch's torch.nn losses): `forward(input, target)`. */
export { Loss } from './loss_base';
export type { Reduction, LossOptions } from './loss_base';
export { CrossEntropyLoss, NLLLoss } from './cross_entropy_loss';
export type { CrossEntropyLossOptions, NLLLossOptions } from './cross_entropy_loss';
export { MSELoss, L1Loss, SmoothL1Loss } from './regression_losses';
export type { SmoothL1LossOptions } from './regression_losses';
export { BCEWithLogitsLoss } from './bce_with_logits_loss';
export type { BCEWithLogitsLossOptions } from './bce_with_logits_loss';
