/** The model engine: `model()`/`LayersModel`, `sequential()`/`Sequential`, data helpers and the summary table. */
export { Sequential, sequential } from './sequential';
export type { SequentialArgs } from './sequential';
export { LayersModel, model } from './layers_model';
export type { LayersModelArgs } from './layers_model';
export type { ModelCompileArgs, LossIdentifier, MetricsArg } from '../trainers/compile';
export type { SampleWeightArg } from '../trainers/checks';
export type { ModelFitArgs, YieldEveryOptions } from '../trainers/fit';
export type { ModelEvaluateArgs, ModelPredictArgs } from '../trainers/evaluate';
export type { ModelData, ModelInput } from '../trainers/data_adapter';
export type { GraphTopology } from './graph';
export type { ClassWeight } from './data';
export { summaryLines, formatSummaryRow } from './summary';
export { cloneState, stateFromJSON, stateToJSON } from './streaming_state';
export type { RecurrentLayerState, StreamState, StreamStateJSON } from './streaming_state';
export type { SummaryRow } from './summary';
