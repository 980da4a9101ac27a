/** @recurrent/models — sequential() models, training, serialization and IO. */
import { CORE_VERSION } from '@recurrent/core';

/** The package version (one for all recurrent packages: scripts/version.js). */
export const MODELS_VERSION = CORE_VERSION;
export * from './optimizers';
export * from './losses';
export * from './metrics';
export * from './engine';
export * from './callbacks';
export * from './io';
// Model save/load (tfjs layers-model format) and the serialization namespace
export { loadLayersModel } from './engine/model_load';
export type { LoadLayersModelOptions } from './engine/model_load';
export type { SaveConfig } from './engine/model_save';
export type { WeightLoadReport, LoadedWeight, NamedShape } from './engine/load_report';
export { serialization } from './engine/serialization';
// Datasets (tf.data) and training on them
export { data, Dataset, CSVDataset, TextLineDataset, batchElements } from './data';
export type { DatasetIterator, IteratorFn, CSVConfig, ColumnConfig, GeneratorFn, DatasetContainer } from './data';
export { fitDataset, evaluateDataset } from './engine/fit_dataset';
export type { DatasetModel, ModelFitDatasetArgs, ModelEvaluateDatasetArgs } from './engine/fit_dataset';
export type { ModelPredictDatasetArgs } from './engine/dataset_calls';
// Sequence preprocessing
export { preprocessing, padSequences, timeseriesDataset } from './preprocessing';
export type { PadSequencesArgs, TimeseriesDatasetArgs } from './preprocessing';
// MODELS-EXPORTS (add new exports above this line)
