/** Loss functions (tfjs-layers semantics) and `getLoss`. */
export {
  meanSquaredError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredLogarithmicError,
  huberLoss,
  logCosh,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  kullbackLeiblerDivergence,
  hinge,
  squaredHinge,
  categoricalHinge,
  poisson,
  cosineProximity,
  LOSS_EPSILON,
} from './losses';
export type { LossOrMetricFn } from './losses';
export { getLoss, lossName, LOSSES, LOSS_ALIASES } from './get_loss';
export { ctc } from './ctc';
export { losses, Reduction, computeWeightedLoss } from './tfjs_losses';
