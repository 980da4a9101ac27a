/** The model engine: `sequential()`, `Sequential`, data helpers and the summary table. */
export { Sequential, sequential } from './sequential';
export type {
  SequentialArgs, ModelCompileArgs, ModelFitArgs, ModelEvaluateArgs, ModelPredictArgs, LossIdentifier, YieldEveryOptions,
} from './sequential';
export type { ClassWeight } from './data';
export { summaryLines, formatSummaryRow } from './summary';
export { cloneState, stateFromJSON, stateToJSON } from './streaming';
export type { RecurrentLayerState, StreamState, StreamStateJSON } from './streaming';
export type { SummaryRow } from './summary';
