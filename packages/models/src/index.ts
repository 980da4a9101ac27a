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
// MODELS-EXPORTS (add new exports above this line)
